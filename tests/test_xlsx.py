"""Le petit écrivain de classeurs des résultats : un long tableau s'écrit d'un tenant comme
cellule par cellule ; les sauts de page gardent un tableau et son graphique ensemble."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

from rapports.xlsx import _LIGNES_VECTORISEES, Classeur, Feuille
from recueil import graphiques


@pytest.mark.parametrize("lignes", [_LIGNES_VECTORISEES - 1, _LIGNES_VECTORISEES + 1])
def test_bloc_meme_contenu_quelle_que_soit_sa_longueur(lignes):
    classeur = Classeur()
    feuille = classeur.feuille("Données")
    lundis = [datetime(2010, 9, 6) + timedelta(weeks=i) for i in range(lignes)]
    feuille.bloc(2, 1, [
        (pd.Series(lundis, dtype=object), "date"),
        (pd.Series(range(lignes)), "entier"),
        (pd.Series([0.5] * (lignes - 1) + [float("nan")]), "pourcent"),
        (pd.Series(["=texte", "<&>"] * (lignes // 2) + ["x"] * (lignes % 2)), "texte"),
    ])  # fmt: skip
    relu = load_workbook(io.BytesIO(classeur.octets()))["Données"]
    assert relu["A2"].value == datetime(2010, 9, 6) and relu["A2"].number_format == "dd/mm/yyyy"
    assert relu[f"A{lignes + 1}"].value == lundis[-1]
    assert relu[f"B{lignes + 1}"].value == lignes - 1
    assert relu["C2"].value == 0.5 and relu[f"C{lignes + 1}"].value is None
    assert relu["D2"].value == "=texte" and relu["D2"].data_type == "s" and relu["D3"].value == "<&>"


def test_sauts_de_page_avant_ce_qui_ne_tient_plus():
    feuille = Classeur().feuille("Blocs")
    feuille.largeurs = {1: 40, 2: 12}
    for debut in (1, 21, 41, 61):
        feuille.ecrire(debut, 1, "bloc")
        feuille.garder_ensemble(debut, debut + 18)
    sauts = feuille.sauts_de_page()
    # Une page A4 paysage tient ~33 lignes de 15 points à l'échelle 1 : un bloc de 19 lignes par page.
    assert sauts == [21, 41, 61]
    assert '<rowBreaks count="3" manualBreakCount="3"><brk id="20"' in feuille.xml(
        False, {i: i for i in range(40)}
    )


def test_pas_de_saut_quand_tout_tient():
    feuille = Classeur().feuille("Court")
    feuille.ecrire(1, 1, "titre")
    feuille.garder_ensemble(1, 10)
    feuille.garder_ensemble(12, 20)
    assert feuille.sauts_de_page() == []


def test_graphiques_places_sans_chevauchement():
    """Deux graphiques de 8,5 cm ancrés à 12 lignes d'écart (12 × 15 pt ≈ 6,4 cm) : le second
    descend sous le premier ; un troisième ancré plus bas garde sa place."""
    feuille = Feuille("Indicateurs")
    for ancre in ("H5", "H17", "H60"):
        graphique = graphiques.colonnes(
            "Essai", graphiques.plage("Indicateurs", "A", 5, 8), [], titre_categories="x", titre_valeurs="y"
        )
        feuille.graphique(graphique, ancre)
    feuille.placer_graphiques()
    premier, second, troisieme = (coordinate_from_string(g.ancre)[1] for g in feuille.graphiques)
    assert premier == 5 and troisieme == 60
    # 8,5 cm + 0,4 cm d'écart = 16,8 lignes de 15 pt : le second commence à la ligne 22.
    assert second == 22


def test_classeur_a_part_compresse():
    """Un classeur écrit en entier (consolidation, résultats à part) est compressé : writestr
    garde la compression de l'entrée qu'on lui donne, pas celle de l'archive."""
    classeur = Classeur("Essai")
    feuille = classeur.feuille("Données")
    for rang in range(1, 2001):
        feuille.ligne(rang, [f"ligne {rang}", rang, rang / 7])
    with zipfile.ZipFile(io.BytesIO(classeur.octets())) as paquet:
        feuilles = [i for i in paquet.infolist() if i.filename.startswith("xl/worksheets/")]
        assert feuilles and all(i.compress_type == zipfile.ZIP_DEFLATED for i in feuilles)
        assert sum(i.compress_size for i in feuilles) < sum(i.file_size for i in feuilles) / 3
    with zipfile.ZipFile(io.BytesIO(classeur.octets(compresse=False))) as paquet:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in paquet.infolist())
