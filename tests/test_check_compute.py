"""`coaching-xl check` et `coaching-xl compute` par CliRunner : codes de sortie, résumés en
français, JSON seul sur la sortie standard."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from tests import jeux

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def grille(tmp_path_factory):
    options = OptionsGrille(identite=Identite(etablissement="CH de Valmont"))
    return ecrire_grille(tmp_path_factory.mktemp("cli"), options, jeux.LIGNES)


def lancer(*arguments):
    return CliRunner().invoke(main, [str(a) for a in arguments])


def test_check_sans_erreur(tmp_path):
    propre = ecrire_grille(
        tmp_path, OptionsGrille(identite=Identite(etablissement="CH de Valmont")), jeux.LIGNES[:10]
    )
    resultat = lancer("check", propre)
    assert resultat.exit_code == 0, resultat.output
    assert f"Grille : {propre} — CH de Valmont" in resultat.output
    assert (
        "feuille Recueil, en-têtes en ligne 4, 10 lignes lues, du 06/09/2010 au 15/09/2010" in resultat.output
    )
    assert "Anomalies : 0 erreur, 0 avertissement, 0 info" in resultat.output
    assert "Aucune erreur : tous les indicateurs peuvent être calculés." in resultat.output


def test_check_de_la_grille_des_jeux(grille):
    """Ligne 15 (n° 11) : un programmé sans délai ; ligne 16 (n° 12) : sans date."""
    resultat = lancer("check", grille)
    assert resultat.exit_code == 1
    assert "Anomalies : 1 erreur, 1 avertissement, 0 info" in resultat.output
    assert "  Recueil!E15    avertissement  RDV programmé sans délai d'obtention" in resultat.output
    assert "  Recueil!A16    erreur         Date manquante" in resultat.output


def test_check_avec_erreurs_sort_en_1():
    resultat = lancer("check", FIXTURES / "grille_delai_invalide.xlsx", "--premieres", "2")
    assert resultat.exit_code == 1
    assert "Anomalies : 4 erreurs, 0 avertissement, 0 info" in resultat.output
    assert "  erreur         delai-invalide                    4   Délai invalide" in resultat.output
    assert "Premières anomalies (2 sur 4) :" in resultat.output
    assert "  Recueil!E5     erreur         « 2.5 » n'est pas un délai valide" in resultat.output
    assert "Recueil!E7" not in resultat.output
    assert "4 erreurs à corriger dans la grille" in resultat.output


def test_check_json():
    resultat = lancer("check", FIXTURES / "grille_champ_manquant.xlsx", "--format", "json")
    assert resultat.exit_code == 1
    document = json.loads(resultat.stdout)
    assert list(document) == ["fichier", "etablissement", "lignes_lues", "anomalies"]
    assert document["anomalies"]["par_code"] == {"champ-manquant": 3}
    assert [a["cellule"] for a in document["anomalies"]["liste"]] == [
        "Recueil!B5",
        "Recueil!C6",
        "Recueil!D6",
    ]


def test_compute_resume(grille):
    resultat = lancer("compute", grille)
    assert resultat.exit_code == 0, resultat.output
    sortie = resultat.output
    assert "Indicateurs sur l'ensemble du recueil" in sortie
    assert "  Taux de RDV programmés                        75,0\u202f%   (H + NH) / (H + NH + NP)" in sortie
    assert "  Taux de RDV programmés non honorés            22,2\u202f%   NH / (H + NH)" in sortie
    assert "médiane 15,0, 90e centile 61,0" in sortie
    assert "en 48 h ou moins 66,7\u202f%" in sortie
    assert "Par période (jalons)" in sortie and "Par modalité" in sortie
    assert "  Scanner" in sortie and "  Externe" in sortie


def test_compute_json_seul_sur_la_sortie(grille):
    resultat = lancer("compute", grille, "--format", "json")
    assert resultat.exit_code == 0
    document = json.loads(resultat.stdout)
    assert document["etablissement"] == "CH de Valmont"
    assert document["global"]["honores"] == 7
    # Le compte rendu de l'écriture va sur la sortie d'erreur, pas dans le JSON.
    assert resultat.stderr.startswith(f"Résultats écrits dans {grille}")


@pytest.mark.parametrize("commande", ["check", "compute"])
def test_fichier_illisible(tmp_path, commande):
    faux = tmp_path / "grille.xlsx"
    faux.write_bytes(b"PK\x03\x04 pas vraiment un zip")
    resultat = lancer(commande, faux)
    assert resultat.exit_code == 1
    assert resultat.stderr.startswith(f"Erreur : {faux} est abîmé ou incomplet")
    assert "récupérez-en une copie complète" in resultat.stderr
    assert "Traceback" not in resultat.output


@pytest.mark.parametrize("commande", ["check", "compute"])
def test_fichier_absent(tmp_path, commande):
    resultat = lancer(commande, tmp_path / "absente.xlsx", "--format", "json")
    assert resultat.exit_code == 1
    assert resultat.stdout == ""
    assert "Fichier introuvable" in resultat.stderr


def test_grille_d_origine(tmp_path):
    copie = tmp_path / "grille_v1_2.xlsx"
    shutil.copyfile(FIXTURES / "grille_v1_2.xlsx", copie)
    resultat = lancer("compute", copie)
    assert resultat.exit_code == 0, resultat.output
    assert (
        "feuille Feuil1, en-têtes en ligne 3, 3 lignes lues, du 06/09/2010 au 06/09/2010" in resultat.output
    )
    assert "(pas de feuille Listes : listes par défaut)" in resultat.output


def test_date_du_jour_pour_les_dates_futures(tmp_path):
    demain = date.today() + timedelta(days=366)  # .replace(year=…) échoue un 29 février
    chemin = ecrire_grille(tmp_path, OptionsGrille(), [(demain, "IRM", "Externe", "Non programmé", None, 0)])
    document = json.loads(lancer("check", chemin, "--format", "json").stdout)
    assert document["anomalies"]["par_code"]["date-future"] == 1
