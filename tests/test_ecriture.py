"""`coaching-xl compute` écrit ses feuilles dans le classeur de l'utilisateur sans rien perdre :
chaque partie d'origine reste octet pour octet, un nouveau calcul remplace les feuilles au lieu
de les empiler, un échec laisse le fichier intact."""

from __future__ import annotations

import csv
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from coaching_xl.cli import main
from moteur.resultat import analyser
from rapports import feuilles, greffe
from rapports.greffe import INDEX
from recueil.grille import OptionsGrille, ecrire_grille
from tests import jeux
from tests.outils import ajouter_grille, parties_brutes

CORPUS = Path(__file__).parents[2] / "shared" / "corpus" / "excel"
CLASSEURS_EXCEL = sorted(CORPUS.glob("*.xls*"))
MESSAGE_CORPUS = (
    f"Corpus de classeurs Excel introuvable ({CORPUS}) : les tests de fidélité n'ont rien à "
    "vérifier. Placez ../shared/ à côté du dépôt (la CI le fait)."
)


def corpus() -> list:
    """Les classeurs du corpus ; absents, un seul paramètre qui fait échouer le test (plutôt que
    zéro test, que rien ne remarquerait)."""
    return CLASSEURS_EXCEL or [pytest.param(None, id="corpus-absent")]


NOMS = list(feuilles.FEUILLES.values())


def compute(*arguments):
    return CliRunner().invoke(main, ["compute", *map(str, arguments)])


def feuilles_du_classeur(chemin: Path) -> list[str]:
    with zipfile.ZipFile(chemin) as paquet:
        classeur = paquet.read("xl/workbook.xml").decode()
    return [
        n.replace("&amp;", "&").replace("&quot;", '"')
        for n in re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', classeur)
    ]


def test_corpus_present():
    assert len(CLASSEURS_EXCEL) >= 40, MESSAGE_CORPUS


@pytest.mark.parametrize("original", corpus(), ids=lambda p: p.name if p else "corpus-absent")
def test_classeur_excel_rien_ne_se_perd(original, tmp_path):
    if original is None:
        pytest.fail(MESSAGE_CORPUS)
    classeur = tmp_path / original.name
    shutil.copyfile(original, classeur)
    ajouter_grille(classeur, jeux.LIGNES)
    avant = parties_brutes(classeur)

    resultat = compute(classeur)
    assert resultat.exit_code == 0, resultat.output
    apres = parties_brutes(classeur)
    # Chaque partie d'origine est là, octets compressés identiques ; seul l'index a changé.
    changees = {nom for nom in avant if apres.get(nom) != avant[nom]}
    assert changees <= set(INDEX)
    nouvelles = set(apres) - set(avant)
    assert len([n for n in nouvelles if n.startswith("xl/charts/")]) == 5
    assert len([n for n in nouvelles if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]) == 3
    assert feuilles_du_classeur(classeur)[-3:] == NOMS

    # Un second calcul donne exactement le même fichier.
    premier = classeur.read_bytes()
    assert compute(classeur).exit_code == 0
    assert classeur.read_bytes() == premier


@pytest.mark.libreoffice
def test_libreoffice_ouvre_chaque_resultat(libreoffice, tmp_path):
    assert CLASSEURS_EXCEL, MESSAGE_CORPUS
    resultats = []
    for original in CLASSEURS_EXCEL:
        classeur = tmp_path / original.name
        shutil.copyfile(original, classeur)
        ajouter_grille(classeur, jeux.LIGNES)
        assert compute(classeur).exit_code == 0
        resultats.append(classeur)
    pdfs = libreoffice.convertir_tous(resultats, "pdf", tmp_path / "pdf")
    assert len(pdfs) == len(resultats)
    for pdf in pdfs:
        texte = libreoffice.texte_pdf(pdf)
        assert "Indicateurs — " in texte and "Services demandeurs — " in texte, pdf.name


@pytest.fixture
def grille(tmp_path):
    return ecrire_grille(tmp_path, OptionsGrille(), jeux.LIGNES)


def test_grille_generee_garde_tableau_de_bord_et_validations(grille):
    avant = parties_brutes(grille)
    resultat = compute(grille)
    assert resultat.exit_code == 0, resultat.output
    assert (
        f"Résultats écrits dans {grille} : feuilles Indicateurs, Services demandeurs, Anomalies"
        in resultat.output
    )
    apres = parties_brutes(grille)
    assert {n for n in avant if apres.get(n) != avant[n]} <= set(INDEX)
    classeur = load_workbook(grille)
    assert classeur.sheetnames == [
        "Recueil",
        "Tableau de bord",
        "Listes",
        "Paramètres",
        "Mode d'emploi",
        "Métadonnées",
        "Calculs",
        *NOMS,
    ]
    assert len(classeur["Recueil"].data_validations.dataValidation) == 6
    # Les valeurs écrites sont celles du moteur.
    attendu = analyser(grille).ensemble
    indicateurs = classeur["Indicateurs"]
    valeurs = {indicateurs.cell(r, 1).value: indicateurs.cell(r, 2).value for r in range(7, 16)}
    assert valeurs["Programmé honoré (H)"] == 7
    assert valeurs["Taux de RDV programmés"] == pytest.approx(attendu["taux_programmes"])
    assert valeurs["Délai moyen d'obtention de RDV (jours)"] == pytest.approx(201 / 8)
    assert indicateurs.freeze_panes == "B4"


def test_resultats_libres_de_la_feuille_de_saisie(grille):
    """Les feuilles ajoutées ne sont ni sélectionnées ni groupées, et la grille se relit."""
    assert compute(grille).exit_code == 0
    with zipfile.ZipFile(grille) as paquet:
        for nom in paquet.namelist():
            if nom.startswith("xl/worksheets/sheet") and nom.endswith(".xml"):
                xml = paquet.read(nom).decode()
                assert xml.count('tabSelected="1"') <= 1
    assert analyser(grille).controle.lignes_lues == len(jeux.LIGNES)


@pytest.mark.libreoffice
def test_libreoffice_recalcule_toujours_le_tableau_de_bord(libreoffice, grille, tmp_path):
    from tests.test_grille_libreoffice import verifier_tableau_de_bord

    assert compute(grille).exit_code == 0
    feuilles_csv = libreoffice.feuilles_csv(grille, tmp_path / "csv")
    verifier_tableau_de_bord(feuilles_csv["Tableau de bord"])
    indicateurs = feuilles_csv["Indicateurs"]
    assert indicateurs[0][0] == f"Indicateurs — {grille.name}"
    ods = libreoffice.convertir(grille, "ods", tmp_path / "ods")
    contenu = zipfile.ZipFile(ods).read("content.xml").decode()
    assert "of:cell-content-is-in-list(Modalites)" in contenu
    assert contenu.count("<draw:object ") >= 7  # 2 graphiques du tableau de bord + 5 des résultats


@pytest.mark.libreoffice
def test_grille_reenregistree_par_libreoffice(libreoffice, grille, tmp_path):
    copie = libreoffice.convertir(grille, "xlsx", tmp_path / "lo")
    avant = parties_brutes(copie)
    assert compute(copie).exit_code == 0
    apres = parties_brutes(copie)
    assert {n for n in avant if apres.get(n) != avant[n]} <= set(INDEX)
    texte = libreoffice.texte_pdf(libreoffice.convertir(copie, "pdf", tmp_path / "pdf"))
    assert "Indicateurs — " in texte


@pytest.mark.libreoffice
def test_ods_resultats_a_part_recalculables(libreoffice, grille, tmp_path):
    """Une grille .ods : ses résultats vont dans grille_recueil_resultats.xlsx, que chaque
    calcul remplace ; ni l'.ods ni le grille_recueil.xlsx vierge d'à côté ne sont touchés."""
    ods = libreoffice.convertir(grille, "ods", tmp_path / "ods")
    vierge = ods.with_suffix(".xlsx")
    shutil.copyfile(grille, vierge)
    octets, octets_vierge = ods.read_bytes(), vierge.read_bytes()
    a_part = ods.with_name("grille_recueil_resultats.xlsx")
    for _ in range(2):  # le second calcul remplace le premier classeur de résultats
        resultat = compute(ods)
        assert resultat.exit_code == 0, resultat.output
        assert f"Résultats écrits dans {a_part}" in resultat.output
        assert f"restent dans {ods.name}, qui n'a pas été modifié : continuez-y la saisie" in resultat.output
        assert ods.read_bytes() == octets and vierge.read_bytes() == octets_vierge
        assert feuilles_du_classeur(a_part) == [*NOMS, "Métadonnées"]
    indicateurs = load_workbook(a_part, read_only=True)[feuilles.FEUILLES["indicateurs"]]
    assert any(
        "grille_recueil.ods" in str(c) for ligne in indicateurs.iter_rows(values_only=True) for c in ligne
    )
    # Le classeur de résultats n'est pas une grille : la relecture renvoie vers l'.ods.
    relu = CliRunner().invoke(main, ["check", str(a_part)])
    assert relu.exit_code == 1
    assert "est le classeur des résultats de grille_recueil.ods" in relu.output
    assert "coaching-xl compute grille_recueil.ods" in relu.output


@pytest.mark.libreoffice
def test_ods_ne_remplace_pas_un_autre_classeur(libreoffice, grille, tmp_path):
    ods = libreoffice.convertir(grille, "ods", tmp_path / "ods")
    # Un fichier de l'utilisateur qui porte le nom du classeur de résultats : refusé.
    a_moi = ods.with_name("grille_recueil_resultats.xlsx")
    shutil.copyfile(grille, a_moi)
    octets = a_moi.read_bytes()
    refus = compute(ods)
    assert refus.exit_code == 1
    assert f"{a_moi} existe déjà et n'est pas le classeur des résultats de {ods.name}" in refus.output
    assert a_moi.read_bytes() == octets
    # Ni la grille d'à côté, désignée par --sortie.
    refus = compute(ods, "--sortie", grille)
    assert refus.exit_code == 1 and grille.read_bytes() == octets
    # Les résultats d'une autre grille non plus.
    autre = ods.with_name("autre_service.ods")
    shutil.copyfile(ods, autre)
    assert compute(autre, "--sortie", tmp_path / "r.xlsx").exit_code == 0
    refus = compute(ods, "--sortie", tmp_path / "r.xlsx")
    assert refus.exit_code == 1 and "n'est pas le classeur des résultats de" in refus.output


def test_grille_plus_recente_a_cote_avertit(grille, tmp_path):
    ods = grille.with_suffix(".ods")
    ods.write_bytes(b"")
    os.utime(grille, (1_000_000_000, 1_000_000_000))
    resultat = CliRunner().invoke(main, ["compute", str(grille)])
    assert resultat.exit_code == 0, resultat.output
    assert f"Attention : {ods.name}, à côté, a été enregistré après {grille.name}" in resultat.output
    assert f"(coaching-xl compute {ods.name})" in resultat.output
    # Sans fichier plus récent, pas d'avertissement.
    os.utime(ods, (1_000_000_000, 1_000_000_000))
    assert "Attention" not in CliRunner().invoke(main, ["compute", str(grille)]).output


def test_sortie_ailleurs(grille, tmp_path):
    octets = grille.read_bytes()
    autre = tmp_path / "resultats" / "copie.xlsx"
    resultat = compute(grille, "--sortie", autre)
    assert resultat.exit_code == 0, resultat.output
    assert grille.read_bytes() == octets
    assert feuilles_du_classeur(autre)[-3:] == NOMS


def fichiers(dossier: Path) -> set[str]:
    return {p.name for p in dossier.iterdir()}


@pytest.mark.parametrize("panne", ["_ecrire", "verifier"])
def test_echec_pendant_l_ecriture(grille, monkeypatch, panne):
    octets, presents = grille.read_bytes(), fichiers(grille.parent)
    original = getattr(greffe, panne)

    def en_panne(*args, **kwargs):
        original(*args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(greffe, panne, en_panne)
    monkeypatch.setattr("rapports.greffage.verifier", greffe.verifier)
    resultat = compute(grille)
    assert resultat.exit_code == 1
    assert "le disque est plein" in resultat.output and "Traceback" not in resultat.output
    assert grille.read_bytes() == octets
    assert fichiers(grille.parent) == presents


def remplacer_partie(chemin: Path, nom: str, transformer) -> None:
    """Réécrit une partie du paquet (pour simuler ce qu'un utilisateur ferait dans Excel)."""
    copie = chemin.with_suffix(".copie")
    with zipfile.ZipFile(chemin) as source, zipfile.ZipFile(copie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            contenu = source.read(info)
            cible.writestr(info, transformer(contenu.decode()).encode() if info.filename == nom else contenu)
    copie.replace(chemin)


def test_feuille_renommee_puis_recalculee(grille):
    assert compute(grille).exit_code == 0
    remplacer_partie(
        grille, "xl/workbook.xml", lambda x: x.replace('name="Indicateurs"', 'name="Bilan 2010"')
    )
    assert compute(grille).exit_code == 0
    noms = feuilles_du_classeur(grille)
    assert noms[-3:] == ["Bilan 2010", "Services demandeurs", "Anomalies"]
    assert "Indicateurs" not in noms
    assert load_workbook(grille)["Bilan 2010"]["A1"].value.startswith("Indicateurs — ")


def test_une_feuille_de_l_utilisateur_porte_deja_le_nom(tmp_path):
    classeur = tmp_path / "classeur.xlsx"
    shutil.copyfile(CORPUS / "chart_bar01.xlsx", classeur)
    remplacer_partie(classeur, "xl/workbook.xml", lambda x: x.replace('name="Sheet1"', 'name="Indicateurs"'))
    ajouter_grille(classeur, jeux.LIGNES)
    assert compute(classeur).exit_code == 0
    assert feuilles_du_classeur(classeur) == [
        "Indicateurs",
        "Recueil",
        "Indicateurs (2)",
        "Services demandeurs",
        "Anomalies",
    ]


def test_structure_protegee(grille):
    remplacer_partie(
        grille, "xl/workbook.xml",
        lambda x: x.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>'),
    )  # fmt: skip
    octets = grille.read_bytes()
    resultat = compute(grille)
    assert resultat.exit_code == 1
    assert "la structure du classeur est protégée" in resultat.output
    assert grille.read_bytes() == octets


def test_textes_de_l_utilisateur_restent_du_texte(tmp_path):
    listes = {"modalites": ("=1+1", "Scanner"), "provenances": ("@SOMME(A1)", "+33 Externe", "-Urgences")}
    lignes = [
        (jeux.LIGNES[0][0], "=1+1", provenance, "Programmé honoré", 3, 1)
        for provenance in listes["provenances"]
    ]
    grille = ecrire_grille(tmp_path, OptionsGrille(listes=listes), lignes)
    assert compute(grille).exit_code == 0
    with zipfile.ZipFile(grille) as paquet:
        xml = "".join(
            paquet.read(n).decode() for n in paquet.namelist() if n.startswith("xl/worksheets/sheet")
        )
    assert "<f>" not in xml.split("Indicateurs")[-1]
    classeur = load_workbook(grille)
    services = [classeur["Services demandeurs"].cell(r, 1).value for r in range(7, 10)]
    assert sorted(services) == sorted(listes["provenances"])
    assert all(classeur["Services demandeurs"].cell(r, 1).data_type == "s" for r in range(7, 10))


def test_anomalies_liens_et_liste_complete_en_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(feuilles, "ANOMALIES_MAX", 3)
    lignes = [(None, "Scanner", "Externe", "Programmé honoré", 3, 1)] * 5
    grille = ecrire_grille(tmp_path, OptionsGrille(), lignes)
    resultat = compute(grille)
    csv_anomalies = tmp_path / "grille_recueil_anomalies.csv"
    assert f"Liste complète des anomalies : {csv_anomalies}" in resultat.output
    feuille = load_workbook(grille)["Anomalies"]
    assert [feuille.cell(r, 1).value for r in range(7, 10)] == ["A5", "A6", "A7"]
    assert feuille["A7"].hyperlink.location == "Recueil!A5"
    assert feuille["A10"].value == (
        "… et 2 autres anomalies : la liste complète est dans grille_recueil_anomalies.csv, à côté de la grille."
    )
    with csv_anomalies.open(encoding="utf-8-sig", newline="") as f:
        lignes_csv = list(csv.reader(f, delimiter=";"))
    assert lignes_csv[0] == [
        "cellule",
        "ligne",
        "gravite",
        "code",
        "valeur",
        "message",
        "suivi",
        "commentaire",
    ]
    assert [ligne[0] for ligne in lignes_csv[1:]] == [f"Recueil!A{r}" for r in range(5, 10)]
