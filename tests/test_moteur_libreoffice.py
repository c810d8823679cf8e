"""Le moteur et LibreOffice s'accordent : même grille, mêmes indicateurs que le tableau de bord
recalculé ; une grille réenregistrée par LibreOffice (.xlsx, .ods, .xls) se relit à l'identique."""

from __future__ import annotations

import math

import pytest

from moteur.resultat import analyser, document_compute
from recueil.grille import OptionsGrille, ecrire_grille
from recueil.tableau_de_bord import COLONNE, DISPOSITION_FIXE
from tests import jeux
from tests.libreoffice import cellule
from tests.test_grille_libreoffice import nombre

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def grille(tmp_path_factory):
    return ecrire_grille(tmp_path_factory.mktemp("accord"), OptionsGrille(), jeux.LIGNES)


def egaux(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, abs_tol=1e-9)


def test_memes_indicateurs_que_le_tableau_de_bord(libreoffice, grille, tmp_path):
    tableau = libreoffice.feuilles_csv(grille, tmp_path)["Tableau de bord"]
    resultat = analyser(grille)
    ensemble = DISPOSITION_FIXE["ligne_entete_semaines"] + 1
    lignes = {"ensemble": (ensemble, resultat.ensemble)}
    for rang, (lundi, indicateurs) in enumerate(resultat.par["semaine"].iterrows()):
        # La première semaine du tableau est celle du début du recueil (30/08/2010) ; les
        # données commencent la semaine du 06/09.
        lignes[str(lundi.date())] = (ensemble + 2 + rang, indicateurs)
    for nom, (ligne, moteur) in lignes.items():
        for cle_tableau, cle_moteur in [
            ("taux_programmes", "taux_programmes"),
            ("taux_non_honores", "taux_non_honores"),
            ("delai_rdv", "delai_rdv_moyenne"),
            ("delai_cr", "delai_cr_moyenne"),
        ]:
            valeur_moteur = None if math.isnan(moteur[cle_moteur]) else float(moteur[cle_moteur])
            lue = nombre(cellule(tableau, f"{COLONNE[cle_tableau]}{ligne}"))
            assert egaux(lue, valeur_moteur), (nom, cle_tableau, lue, valeur_moteur)


def sans_fichier(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "fichier"}


@pytest.mark.parametrize("format_", ["xlsx", "ods", "xls"])
def test_grille_reenregistree_par_libreoffice(libreoffice, grille, tmp_path, format_):
    copie = libreoffice.convertir(grille, format_, tmp_path)
    assert copie.suffix == f".{format_}"
    attendu = sans_fichier(document_compute(analyser(grille)))
    obtenu = sans_fichier(document_compute(analyser(copie)))
    assert obtenu == attendu
