"""Fixtures partagées : dossiers de travail, LibreOffice (réel, pas simulé)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from tests.libreoffice import SOFFICE, LibreOffice, Poppler
from tests.profil_francais import interface_francaise_installee

ICI = Path(__file__).parent
RACINE = ICI.parent
EXIGER_LIBREOFFICE = os.environ.get("COACHING_XL_EXIGER_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    """LibreOffice sans écran. Absent : test sauté, sauf en CI (.ci/run l'exige)."""
    if SOFFICE is None or not interface_francaise_installee(SOFFICE):
        message = (
            "LibreOffice en français est introuvable : installez libreoffice-calc-nogui, "
            "libreoffice-l10n-fr et poppler-utils pour les tests avec un tableur réel."
        )
        if EXIGER_LIBREOFFICE:
            pytest.fail(message)
        pytest.skip(message)
    return LibreOffice(tmp_path_factory.mktemp("profil-libreoffice"))


@pytest.fixture(scope="session")
def poppler() -> Poppler:
    """Les outils poppler (pdftotext, pdfinfo, pdftoppm). Absents : test sauté, sauf en CI."""
    if not Poppler.disponible():
        message = "poppler-utils (pdftotext, pdfinfo) est introuvable : installez-le pour lire nos PDF."
        if EXIGER_LIBREOFFICE:
            pytest.fail(message)
        pytest.skip(message)
    return Poppler()


@pytest.fixture(scope="session")
def libreoffice_fr(tmp_path_factory: pytest.TempPathFactory):
    """LibreOffice piloté par UNO comme une personne s'en sert (profil fr-FR) : taper, Ctrl+S,
    rouvrir, lire le texte affiché. Absent : test sauté, sauf en CI."""
    from tests.libreoffice_uno import LibreOfficeFrancais, disponible

    if not disponible():
        message = (
            "LibreOffice en français ou le module uno du Python de Debian (/usr/bin/python3) est "
            "introuvable : installez libreoffice-calc-nogui, libreoffice-l10n-fr et python3-uno pour "
            "les tests du cycle d'un utilisateur."
        )
        if EXIGER_LIBREOFFICE:
            pytest.fail(message)
        pytest.skip(message)
    pilote = LibreOfficeFrancais(tmp_path_factory.mktemp("profil-uno"))
    yield pilote
    pilote.arreter()


@pytest.fixture(scope="session")
def region_simulee(tmp_path_factory):
    """Six établissements simulés (600 lignes chacun) et leurs feuilles de route, plus un
    septième dont la grille est remplie par copier-coller : tout « Programmé honoré », une seule
    modalité, le même délai partout."""
    from recueil.calendrier import CALENDRIER_DEFAUT
    from recueil.grille import Identite, OptionsGrille, ecrire_grille
    from recueil.simulation import ecrire_feuilles_de_route, ecrire_region, region
    from tests import jeux

    dossier = tmp_path_factory.mktemp("region")
    profils = region(6, 2010, CALENDRIER_DEFAUT)
    ecrire_region(dossier, profils, CALENDRIER_DEFAUT, lignes=600)
    ecrire_feuilles_de_route(dossier, profils, CALENDRIER_DEFAUT)
    jour, lignes = CALENDRIER_DEFAUT.debut_recueil, []
    while jour < CALENDRIER_DEFAUT.fin_recueil:
        if jour.weekday() < 5:
            lignes += [(jour, "IRM", "Externe", jeux.H, 12, 1)] * 6
        jour += datetime.timedelta(days=1)
    copie = Identite("Clinique du Copier-Coller", "750009999", "DT Est")
    ecrire_grille(dossier, OptionsGrille(identite=copie), lignes, nom="grille_copier_coller.xlsx")
    return dossier
