"""La grille dans un vrai tableur : LibreOffice l'ouvre, garde ses validations et ses noms,
recalcule le tableau de bord, et trouve les valeurs calculées à la main."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from recueil import schema as s
from recueil.grille import OptionsGrille, ecrire_grille
from recueil.tableau_de_bord import COLONNE, DISPOSITION_FIXE
from tests import jeux
from tests.libreoffice import cellule

pytestmark = pytest.mark.libreoffice


def au_tableau_de_bord(attendu: dict) -> dict:
    """Les valeurs calculées à la main (tests/jeux.py), sous les clés des colonnes du tableau
    de bord."""
    comptes = {t.code: attendu[t.cle] for t in s.TYPES_RDV}
    return {
        **comptes,
        "total": sum(comptes.values()),
        "taux_programmes": attendu["taux_programmes"],
        "taux_non_honores": attendu["taux_non_honores"],
        "delai_rdv": attendu["delai_rdv"]["moyenne"],
        "delai_cr": attendu["delai_cr"]["moyenne"],
        "delai_cr_part": attendu["delai_cr"]["part_48h"],
    }


ENSEMBLE = au_tableau_de_bord(jeux.ENSEMBLE)
SEMAINE_0609 = au_tableau_de_bord(jeux.SEMAINE_0609)
SEMAINE_1309 = au_tableau_de_bord(jeux.SEMAINE_1309)
SEMAINE_VIDE = {"H": 0, "NH": 0, "NP": 0, "total": 0, "taux_programmes": None,
                "taux_non_honores": None, "delai_rdv": None, "delai_cr": None,
                "delai_cr_part": None}  # fmt: skip
DISTRIBUTION_CR = list(jeux.ENSEMBLE["distribution_cr"].values())
# Programmés avec délai par tranche (dénominateur), non-honorés, taux (tests/jeux.py).
NH_PAR_TRANCHE = [(2, 0, 0.0), (2, 0, 0.0), (2, 1, 0.5), (0, 0, None), (2, 1, 0.5)]
LIGNES = jeux.LIGNES


def nombre(texte: str) -> float | None:
    """Une valeur exportée en CSV brut par un LibreOffice français (« 63,5% », « 2,4444 »,
    « ») ."""
    if texte == "":
        return None
    texte = texte.replace("\u202f", "").replace("\xa0", "").replace(",", ".")
    if texte.endswith("%"):
        return float(texte[:-1]) / 100
    return float(texte)


def verifier_ligne(tableau, ligne: int, attendu: dict) -> None:
    for cle, valeur in attendu.items():
        lue = nombre(cellule(tableau, f"{COLONNE[cle]}{ligne}"))
        if valeur is None:
            assert lue is None, (ligne, cle, lue)
        else:
            assert lue == pytest.approx(valeur, abs=1e-9), (ligne, cle, lue)


def verifier_tableau_de_bord(tableau) -> None:
    d = DISPOSITION_FIXE
    ensemble = d["ligne_entete_semaines"] + 1
    verifier_ligne(tableau, ensemble, ENSEMBLE)
    premiere = ensemble + 1
    assert cellule(tableau, f"A{premiere}") == "30/08/2010"
    assert cellule(tableau, f"A{premiere + 1}") == "06/09/2010"
    verifier_ligne(tableau, premiere, SEMAINE_VIDE)
    verifier_ligne(tableau, premiere + 1, SEMAINE_0609)
    verifier_ligne(tableau, premiere + 2, SEMAINE_1309)
    verifier_ligne(tableau, premiere + 3, SEMAINE_VIDE)
    # La synthèse du haut reprend la ligne « Ensemble ».
    synthese = [
        nombre(cellule(tableau, f"B{r}")) for r in range(d["ligne_synthese"] + 2, d["ligne_synthese"] + 10)
    ]
    assert synthese == pytest.approx([7, 2, 3, 9 / 12, 2 / 9, 201 / 8, 22 / 9, 6 / 9])
    premiere_cr = d["ligne_cr"] + 2
    assert [nombre(cellule(tableau, f"B{r}")) for r in range(premiere_cr, premiere_cr + 6)] == (
        DISTRIBUTION_CR
    )
    assert [nombre(cellule(tableau, f"C{r}")) for r in range(premiere_cr, premiere_cr + 6)] == (
        pytest.approx([n / 9 for n in DISTRIBUTION_CR])
    )
    premiere_nh = d["ligne_nh_tranches"] + 2
    lues = [
        tuple(nombre(cellule(tableau, f"{c}{r}")) for c in "BCD") for r in range(premiere_nh, premiere_nh + 5)
    ]
    assert lues == NH_PAR_TRANCHE


@pytest.fixture(scope="module")
def grille_remplie(tmp_path_factory):
    return ecrire_grille(tmp_path_factory.mktemp("remplie"), OptionsGrille(), LIGNES)


def test_tableau_de_bord_recalcule_egal_au_calcul_a_la_main(libreoffice, grille_remplie, tmp_path):
    feuilles = libreoffice.feuilles_csv(grille_remplie, tmp_path)
    verifier_tableau_de_bord(feuilles["Tableau de bord"])


def test_copie_reenregistree_par_libreoffice_puis_remplie(libreoffice, tmp_path):
    vierge = ecrire_grille(tmp_path / "vierge", OptionsGrille())
    reenregistree = libreoffice.convertir(vierge, "xlsx", tmp_path / "lo")
    classeur = load_workbook(reenregistree)
    # LibreOffice a gardé validations, messages et noms définis.
    validations = {str(v.sqref): v for v in classeur["Recueil"].data_validations.dataValidation}
    # Toutes les lignes préparées restent validées (grâce à la note de fin en colonne G).
    assert set(validations) == {f"{c}5:{c}50004" for c in "ABCDEF"}
    liste = validations["B5:B50004"]
    assert (liste.type, liste.formula1, liste.showErrorMessage) == ("list", "Modalites", True)
    assert liste.error == s.COLONNES_PAR_CLE["modalite"].erreur
    assert {"Modalites", "Provenances", "R_Type", "P_DateDebut"} <= set(classeur.defined_names)
    feuille = classeur["Recueil"]
    for rang, ligne in enumerate(LIGNES, start=s.PREMIERE_LIGNE):
        for colonne, valeur in enumerate(ligne, start=1):
            if valeur is not None:
                feuille.cell(rang, colonne, valeur)
    remplie = tmp_path / "remplie.xlsx"
    classeur.save(remplie)
    feuilles = libreoffice.feuilles_csv(remplie, tmp_path / "csv")
    verifier_tableau_de_bord(feuilles["Tableau de bord"])


def test_dates_affichees_en_francais(libreoffice, grille_remplie, tmp_path):
    recueil = libreoffice.feuilles_csv(grille_remplie, tmp_path, affiche=True)["Recueil"]
    assert cellule(recueil, "A5") == "lundi 6 septembre 2010"
    assert cellule(recueil, "A8") == "mercredi 8 septembre 2010"
    assert cellule(recueil, "A4") == "Date"


def test_validations_vues_par_libreoffice(libreoffice, tmp_path):
    ods = libreoffice.convertir(ecrire_grille(tmp_path, OptionsGrille()), "ods", tmp_path / "ods")
    contenu = zipfile.ZipFile(ods).read("content.xml").decode()
    validations = re.findall(r"<table:content-validation .*?</table:content-validation>", contenu)
    conditions = [re.search(r'table:condition="([^"]*)"', v).group(1) for v in validations]
    assert "of:cell-content-is-in-list(Modalites)" in conditions
    assert "of:cell-content-is-in-list(Provenances)" in conditions
    assert (
        "of:cell-content-is-in-list(&quot;Programmé honoré&quot;;&quot;Programmé "
        "non-honoré&quot;;&quot;Non programmé&quot;)"
    ) in conditions
    assert conditions.count("of:cell-content-is-whole-number() and cell-content-is-between(0,365)") == 2
    assert any(c.startswith("of:cell-content-is-date()") for c in conditions)
    for v in validations:
        # Le message d'erreur s'affiche et bloque la saisie.
        assert '<table:error-message table:message-type="stop"' in v
        assert re.search(r'<table:error-message [^>]*table:display="true"', v)
    assert "Choisissez un type d&apos;activité dans le menu déroulant" in contenu
    assert re.search(r'table:name="Modalites"[^>]*table:expression="OFFSET\(', contenu)


def test_menus_ne_montrent_que_les_libelles_remplis(libreoffice, tmp_path):
    """Les listes avec des trous : le nom du menu ne rend que les libellés remplis, dans
    l'ordre, sans case vide — ce que LibreOffice montre dans le menu déroulant."""
    chemin = ecrire_grille(tmp_path, OptionsGrille())
    classeur = load_workbook(chemin)
    listes = classeur["Listes"]
    listes["A6"] = None  # Scanner retiré
    listes["A8"] = "   "  # Echographie effacée par des espaces
    listes["A12"] = "Mammographie"  # ajoutée après un trou
    sonde = classeur.create_sheet("Sonde")
    sonde["A1"] = "=ROWS(Modalites)"
    for i in range(1, 6):
        sonde[f"B{i}"] = f'=IFERROR(INDEX(Modalites,{i}),"(aucun)")'
    sonde["C1"] = "=ROWS(Provenances)"
    classeur.save(chemin)
    feuille = libreoffice.feuilles_csv(chemin, tmp_path / "csv")["Sonde"]
    assert cellule(feuille, "A1") == "4"
    assert [cellule(feuille, f"B{i}") for i in range(1, 6)] == [
        "Radiologie conventionnelle",
        "IRM",
        "Radiologie interventionnelle",
        "Mammographie",
        "(aucun)",
    ]
    assert cellule(feuille, "C1") == "15"


def test_rendu_pdf_a4(libreoffice, grille_remplie, tmp_path):
    pdf = libreoffice.convertir(grille_remplie, "pdf", tmp_path)
    infos = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts \(A4\)", infos)
    texte = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for attendu in (
        "ARS Île-de-France — Cellule Performance",
        "lundi 6 septembre 2010",
        "Tableau de bord — indicateurs du recueil",
        s.TITRE_GRAPHIQUE_NH,
        s.TITRE_GRAPHIQUE_CR,
        "Mode d'emploi de la grille de recueil",
        "Calendrier des jalons",
    ):
        assert attendu in texte, attendu
    assert "Métadonnées" not in texte  # la feuille masquée ne s'imprime pas
    assert shutil.which("pdftoppm")
