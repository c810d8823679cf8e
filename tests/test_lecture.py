"""Relire une grille : feuille, en-têtes, colonnes, listes, paramètres — et les refus clairs."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from moteur.controles import controler
from moteur.lecture import lire_grille
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from socle.erreurs import GrilleIllisible
from tests import jeux

FIXTURES = Path(__file__).parent / "fixtures"


def test_grille_generee_relue(tmp_path):
    options = OptionsGrille(
        identite=Identite(etablissement="CH de Valmont", finess="750000001"),
        listes={
            "modalites": ("Scanner", "IRM", "Échographie"),
            "provenances": ("Externe", "Urgences"),
        },
    )
    grille = lire_grille(ecrire_grille(tmp_path, options, jeux.LIGNES))
    assert grille.feuille == "Recueil" and grille.ligne_entete == 4
    assert grille.lettres == {c.cle: c.lettre for c in s.COLONNES}
    assert list(grille.lignes) == list(range(5, 5 + len(jeux.LIGNES)))
    assert grille.listes == {
        "modalites": ("Scanner", "IRM", "Échographie"),
        "provenances": ("Externe", "Urgences"),
    }
    assert grille.listes_du_classeur
    assert grille.parametres["etablissement"] == "CH de Valmont"
    assert grille.parametres["finess"] == "750000001"
    assert [(j.code, j.date, j.libelle) for j in grille.calendrier.jalons] == [
        (j.code, j.date, j.libelle) for j in CALENDRIER_DEFAUT.jalons
    ]
    assert grille.meta["modele"] == s.MODELE


def test_grille_d_origine_v1_2():
    """La grille du dispositif v1.2 : feuille Feuil1, en-têtes en ligne 3, colonnes A à D, dates
    en texte (« lundi 6 septembre 2010 »), sans Listes ni Paramètres."""
    grille = lire_grille(FIXTURES / "grille_v1_2.xlsx")
    assert grille.feuille == "Feuil1" and grille.ligne_entete == 3
    assert set(grille.lettres) == {"date", "modalite", "provenance", "type_rdv"}
    assert not grille.listes_du_classeur and grille.listes["modalites"] == s.MODALITES.defaut
    controle = controler(grille)
    assert controle.anomalies.empty
    donnees = controle.donnees
    assert list(donnees["ligne"]) == [4, 5, 6]
    assert set(donnees["date"].dt.date) == {date(2010, 9, 6)}
    assert list(donnees["provenance"]) == [
        "Hospi - Service 2",
        "Hospi - Service 1",
        "Hospi - Service 1",
    ]
    assert list(donnees["type"]) == ["H", "H", "NH"]
    assert donnees["delai_rdv"].isna().all()


def test_entetes_et_valeurs_sous_toutes_leurs_formes():
    grille = lire_grille(FIXTURES / "grille_formes_variees.xlsx")
    assert grille.ligne_entete == 7
    assert grille.lettres == {
        "date": "B",
        "modalite": "C",
        "provenance": "D",
        "type_rdv": "E",
        "delai_rdv": "F",
        "delai_cr": "G",
    }
    controle = controler(grille)
    assert controle.anomalies.empty, controle.anomalies.to_string()
    donnees = controle.donnees
    assert list(donnees["date"].dt.date) == [date(2010, 10, 6)] * 7 + [date(2010, 10, 1)]
    assert list(donnees["modalite"][:3]) == ["Scanner", "Echographie", "IRM"]
    assert list(donnees["provenance"][:3]) == ["Externe", "Urgences", "Hospi - Service 1"]
    assert list(donnees["type"][:3]) == ["H", "NP", "NH"]
    assert np.array_equal(donnees["delai_rdv"][:3], [3, np.nan, 12], equal_nan=True)
    assert np.array_equal(donnees["delai_cr"][:3], [1, 0, np.nan], equal_nan=True)
    assert list(donnees["ligne"][:2]) == [8, 9]


def test_lignes_vides_sautees_sans_decaler_les_numeros():
    controle = controler(lire_grille(FIXTURES / "grille_lignes_vides.xlsx"))
    assert list(controle.donnees["ligne"]) == [5, 8]
    assert controle.lignes_lues == 2


def test_numeros_de_serie_d_un_classeur_1904():
    grille = lire_grille(FIXTURES / "grille_1904.xlsx")
    assert grille.date1904
    assert controler(grille).donnees["date"].dt.date.tolist() == [date(2010, 12, 15)]


@pytest.mark.parametrize(
    ("nom", "extraits"),
    [
        ("grille_sans_entete.xlsx", ["en-têtes de la grille introuvables dans la feuille Recueil",
                                     "« Date », « Type d'activité »"]),
        ("grille_entete_double.xlsx", ["l'en-tête « Date » apparaît deux fois (colonnes A et G)"]),
        ("classeur_etranger.xlsx", ["est un classeur « autre-outil/planning », pas une grille"]),
        ("grille_version_future.xlsx", ["grille de version 9.1, plus récente",
                                        "pip install --upgrade coaching-xl"]),
    ],
)  # fmt: skip
def test_classeurs_refuses(nom, extraits):
    with pytest.raises(GrilleIllisible) as erreur:
        lire_grille(FIXTURES / nom)
    for extrait in extraits:
        assert extrait in str(erreur.value)
    assert nom in str(erreur.value)


def test_fichiers_refuses(tmp_path):
    cas = {
        tmp_path / "absent.xlsx": "Fichier introuvable",
        tmp_path: "est un dossier",
        tmp_path / "grille.csv": "format « .csv » non pris en charge",
        tmp_path / "faux.xlsx": "n.est pas un classeur Excel ou LibreOffice",
    }
    (tmp_path / "grille.csv").write_text("Date;Type\n")
    (tmp_path / "faux.xlsx").write_bytes(b"ceci n'est pas un zip")
    for chemin, extrait in cas.items():
        with pytest.raises(GrilleIllisible, match=extrait):
            lire_grille(chemin)


def test_zip_sans_classeur(tmp_path):
    chemin = tmp_path / "vide.xlsx"
    with zipfile.ZipFile(chemin, "w") as paquet:
        paquet.writestr("bonjour.txt", "pas de classeur ici")
    with pytest.raises(GrilleIllisible, match="n'est pas un classeur lisible"):
        lire_grille(chemin)
