"""Fixtures partagées : dossiers de travail, LibreOffice (réel, pas simulé)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.libreoffice import SOFFICE, LibreOffice, Poppler

ICI = Path(__file__).parent
RACINE = ICI.parent
EXIGER_LIBREOFFICE = os.environ.get("COACHING_XL_EXIGER_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    """LibreOffice sans écran. Absent : test sauté, sauf en CI (.ci/run l'exige)."""
    if SOFFICE is None:
        message = (
            "LibreOffice (soffice) est introuvable : installez libreoffice-calc-nogui "
            "et poppler-utils pour les tests avec un tableur réel."
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
