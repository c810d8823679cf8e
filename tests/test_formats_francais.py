"""Chaque code de format de ``socle/formats.py`` dans un LibreOffice français : affiché à la
française, et encore après Ctrl+S et réouverture, en .xlsx comme en .ods. Une espace simple
avant « % » (« 0.0 % ») y devenait un séparateur de milliers : 72,3 % s'affichait « 0,1% »."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import Workbook

from socle import formats

pytestmark = pytest.mark.libreoffice

ATTENDUS = [
    (formats.POURCENT, 0.723, "72,3 %"),
    (formats.POURCENT_ENTIER, 0.72, "72 %"),
    (formats.ECART_POURCENT, 0.025, "+2,5 %"),
    (formats.ECART_POURCENT, -0.01, "-1,0 %"),
    (formats.JOURS, 12.5, "12,5"),
    (formats.ECART_JOURS, 2.5, "+2,5"),
    (formats.ENTIER, 12346, "12 346"),
    (formats.NOMBRE, 7, "7"),
    (formats.DATE_COURTE, datetime(2010, 9, 6), "06/09/2010"),
    (formats.DATE_LONGUE, datetime(2010, 9, 6), "lundi 6 septembre 2010"),
    (formats.MOIS, datetime(2010, 9, 6), "septembre 2010"),
    (formats.JOUR_MOIS, datetime(2010, 9, 6), "06/09"),
]


def test_tous_les_formats_sont_verifies():
    assert {code for code, _, _ in ATTENDUS} == set(formats.TOUS)


def _espaces(texte: str) -> str:
    """Le séparateur des milliers d'un LibreOffice français est une espace fine insécable."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("format_", ["xlsx", "ods"])
def test_formats_apres_enregistrement_francais(libreoffice_fr, tmp_path, format_):
    classeur = Workbook()
    feuille = classeur.active
    for rang, (code, valeur, _) in enumerate(ATTENDUS, start=1):
        feuille.cell(rang, 1, valeur).number_format = code
    source = tmp_path / "formats.xlsx"
    classeur.save(source)
    lo = libreoffice_fr
    document = lo.ouvrir(chemin=source)
    cellules = [f"A{rang}" for rang in range(1, len(ATTENDUS) + 1)]
    feuille_lo = lo.feuilles(document=document)[0]
    assert [
        _espaces(t) for t in lo.lire(document=document, feuille=feuille_lo, cellules=cellules).values()
    ] == [attendu for _, _, attendu in ATTENDUS]
    cible = tmp_path / f"enregistre.{format_}"
    lo.enregistrer_sous(document=document, chemin=cible, format_=format_)
    lo.enregistrer(document=document)  # Ctrl+S dans ce format
    lo.fermer(document=document)
    document = lo.ouvrir(chemin=cible)
    affiches = lo.lire(document=document, feuille=feuille_lo, cellules=cellules)
    lo.fermer(document=document)
    assert [_espaces(t) for t in affiches.values()] == [attendu for _, _, attendu in ATTENDUS]
