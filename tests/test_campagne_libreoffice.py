"""La campagne dans LibreOffice en français, comme l'établissement et la Cellule Performance
s'en servent : le suivi tapé dans la feuille Anomalies survit à Ctrl+S et au calcul suivant ;
les feuilles Qualité des données et Avancement, et la base régionale, s'affichent à la
française (pourcentages, dates)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from recueil import schema as s
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from tests.test_campagne import LIGNES_SUIVI

pytestmark = pytest.mark.libreoffice


def _lignes(lo, document, feuille: str, plage: str) -> list[list[str]]:
    return lo.lire_plage(document=document, feuille=feuille, plage=plage)


def test_suivi_tape_puis_ctrl_s_puis_nouveau_calcul(libreoffice_fr, tmp_path):
    lo = libreoffice_fr
    grille = ecrire_grille(tmp_path, OptionsGrille(identite=Identite("CH A", "750000001")), LIGNES_SUIVI)
    assert CliRunner().invoke(main, ["compute", str(grille)]).exit_code == 0
    document = lo.ouvrir(chemin=str(grille))
    lignes = _lignes(lo, document, "Anomalies", "A7:H8")
    rangs = {ligne[0]: 7 + i for i, ligne in enumerate(lignes)}
    assert set(rangs) == {"B11", "E12"} and all(ligne[6] == s.A_CORRIGER for ligne in lignes)
    lo.saisir(document=document, feuille="Anomalies", cellules={
        f"G{rangs['E12']}": s.VERIFIEE, f"H{rangs['E12']}": "Exact : délai non communiqué",
        f"G{rangs['B11']}": s.VERIFIEE, f"H{rangs['B11']}": "à revoir avec le manipulateur",
    })  # fmt: skip
    lo.enregistrer(document=document)
    lo.fermer(document=document)

    resultat = CliRunner().invoke(main, ["compute", str(grille)])
    assert resultat.exit_code == 0, resultat.output
    assert "dont 1 vérifié et exact" in resultat.stdout
    document = lo.ouvrir(chemin=str(grille))
    affiche = {ligne[0]: ligne for ligne in _lignes(lo, document, "Anomalies", "A7:H8")}
    lo.fermer(document=document)
    assert affiche["E12"][6:8] == [s.VERIFIEE, "Exact : délai non communiqué"]
    assert affiche["B11"][6:8] == [s.A_CORRIGER, "à revoir avec le manipulateur"]  # une erreur se corrige


def test_consolidation_et_base_a_la_francaise(libreoffice_fr, region_simulee, tmp_path):
    lo = libreoffice_fr
    sortie = tmp_path / "consolidation_J5.xlsx"
    resultat = CliRunner().invoke(
        main, ["consolidate", str(region_simulee), "--jalon", "J5", "-o", str(sortie), "--base"]
    )
    assert resultat.exit_code == 0, resultat.output
    document = lo.ouvrir(chemin=str(sortie))
    avancement = _lignes(lo, document, "Avancement", "A1:G60")
    qualite = _lignes(lo, document, "Qualité des données", "A1:E120")
    lo.fermer(document=document)
    parts = [c for ligne in avancement for c in ligne[2:7] if c.endswith("%")]
    assert parts and all(re.fullmatch(r"\d{1,3},\d %", c) for c in parts), parts[:5]
    assert any(ligne[3] in ("Oui", "Non") for ligne in qualite)
    evolutions = [ligne[4] for ligne in qualite if re.fullmatch(r"[+-]\d+,\d %", ligne[4])]
    assert evolutions, "les évolutions s'affichent en pourcentages français"
    assert ["Clinique du Copier-Coller", "100 % « Programmé honoré »"] in [ligne[:2] for ligne in qualite]

    document = lo.ouvrir(chemin=str(tmp_path / "base_J5.xlsx"))
    base = _lignes(lo, document, "Base", "A1:T3")
    lo.fermer(document=document)
    assert base[0][0] == "Établissement" and base[0][11] == "Date"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", base[1][11]) and re.fullmatch(r"\d\d/\d\d/\d{4}", base[1][18])


def test_suivi_d_une_grille_ods_dans_ses_resultats_a_part(libreoffice, tmp_path):
    """Une grille .ods : le suivi se tient dans grille_recueil_resultats.xlsx, à côté, et le
    calcul suivant l'y retrouve."""
    from tests.test_campagne import _marquer, _suivi

    grille = ecrire_grille(tmp_path / "x", OptionsGrille(), LIGNES_SUIVI)
    ods = libreoffice.convertir(grille, "ods", tmp_path / "ods")
    assert CliRunner().invoke(main, ["compute", str(ods)]).exit_code == 0
    a_part = ods.with_name("grille_recueil_resultats.xlsx")
    _marquer(a_part, {"E12": (s.VERIFIEE, "exact")})
    assert _suivi(ods)["E12"] == (s.VERIFIEE, "exact")
    assert CliRunner().invoke(main, ["compute", str(ods)]).exit_code == 0
    assert _suivi(ods)["E12"] == (s.VERIFIEE, "exact")
