"""Les quatre annexes : contenu tiré du dispositif, cases à remplir déverrouillées et le reste
protégé, validations, formules (criticité, avancement) — et leur rendu A4 dans LibreOffice."""

from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook

from recueil import annexes
from recueil import dispositif as d
from recueil import schema as s
from recueil.generer import generer
from recueil.grille import Identite, OptionsGrille
from tests.libreoffice import cellule
from tests.test_grille_libreoffice import nombre

OPTIONS = OptionsGrille(identite=Identite(etablissement="CH de Valmont", finess="750000001"))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("annexes")
    generer(dossier, OPTIONS)
    return dossier


def valeurs(feuille) -> list[str]:
    return [str(c.value) for ligne in feuille.iter_rows() for c in ligne if c.value is not None]


def deverrouillees(feuille) -> set[str]:
    return {c.coordinate for ligne in feuille.iter_rows() for c in ligne if c.protection.locked is False}


def test_convention(dossier):
    feuille = load_workbook(dossier / annexes.CONVENTION)["Convention"]
    contenu = valeurs(feuille)
    assert "Convention de participation au coaching imagerie" in contenu
    assert "CH de Valmont" in contenu and "750000001" in contenu
    for engagement in (*d.ENGAGEMENTS_ETABLISSEMENT, *d.ENGAGEMENTS_ARS):
        assert f"•  {engagement}" in contenu
    assert (
        "mercredi 10 novembre 2010" in contenu
        and "ARS, site du Millénaire, 35 rue de la Gare, 75019 Paris" in contenu
    )
    for signataire in d.SIGNATAIRES_CONVENTION:
        assert signataire in contenu
    assert feuille.protection.sheet is True
    libres = deverrouillees(feuille)
    etablissement = next(c for ligne in feuille.iter_rows() for c in ligne if c.value == "CH de Valmont")
    assert etablissement.coordinate in libres
    titre = next(c for ligne in feuille.iter_rows() for c in ligne if c.value == "Article 1 — Objet")
    assert titre.coordinate not in libres


def test_equipe_projet(dossier):
    classeur = load_workbook(dossier / annexes.EQUIPE_PROJET)
    assert classeur.sheetnames == ["Équipe projet", "Réunions internes", "Risques"]
    equipe = valeurs(classeur["Équipe projet"])
    for role in (
        "Pilote du projet",
        "Chef de service",
        "Cadre du service",
        "Représentant des techniciens",
        "Représentant de la direction",
        "Référent DT",
        "Membre volontaire",
        "Référent indicateurs",
    ):
        assert role in equipe
    assert "Comité de surveillance (réunion mensuelle)" in equipe
    reunions = valeurs(classeur["Réunions internes"])
    for reunion in d.REUNIONS_INTERNES:
        assert f"{reunion.code} — {reunion.libelle}" in reunions
    # Un comité de surveillance par mois, d'octobre 2010 (J1) à février 2011 (J5).
    assert [v for v in reunions if v.startswith("Comité de surveillance — ")] == [
        "Comité de surveillance — octobre 2010", "Comité de surveillance — novembre 2010",
        "Comité de surveillance — décembre 2010", "Comité de surveillance — janvier 2011",
        "Comité de surveillance — février 2011"]  # fmt: skip
    risques = classeur["Risques"]
    formules = [c.value for c in risques["F"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formules) == 15
    assert formules[0] == '=IF(AND(ISNUMBER(D5),ISNUMBER(E5)),D5*E5,"")'
    regles = {str(v.sqref): v for v in risques.data_validations.dataValidation}
    assert (regles["D5:E19"].type, regles["D5:E19"].formula1, regles["D5:E19"].formula2) == (
        "whole",
        "1",
        "4",
    )
    assert "Organisationnel" in regles["C5:C19"].formula1
    assert next(iter(risques.conditional_formatting)).rules[0].type == "colorScale"
    assert {"B5", "D5", "E5", "J19"} <= deverrouillees(risques) and "F5" not in deverrouillees(risques)


def test_contrat(dossier):
    classeur = load_workbook(dossier / annexes.CONTRAT)
    assert classeur.sheetnames == ["Contrat", s.FEUILLE_OBJECTIFS]
    contrat = valeurs(classeur["Contrat"])
    for clause in d.CLAUSES:
        assert clause.theme in contrat and clause.demandeur in contrat and clause.imagerie in contrat
    assert any("16 h" in v for v in contrat)
    for signataire in d.SIGNATAIRES_CONTRAT:
        assert signataire in contrat
    objectifs = classeur[s.FEUILLE_OBJECTIFS]
    entetes = [c.entete for c in s.COLONNES_OBJECTIFS]
    ligne = next(ligne for ligne in objectifs.iter_rows() if ligne[0].value == entetes[0])
    assert [c.value for c in ligne[: len(entetes)]] == entetes
    regles = {str(v.sqref): v.type for v in objectifs.data_validations.dataValidation}
    assert sorted(regles.values()) == ["decimal", "whole"]


def test_feuille_de_route(dossier):
    classeur = load_workbook(dossier / annexes.FEUILLE_DE_ROUTE)
    assert classeur.sheetnames == ["Feuille de route", "Avancement", "Calendrier"]
    route = classeur["Feuille de route"]
    contenu = valeurs(route)
    assert "J1→J2 : du mardi 12 octobre 2010 au mercredi 10 novembre 2010" in contenu
    taches = sum(len(t) for etape in d.ETAPES for t in etape.taches.values())
    assert contenu.count("À faire") == taches
    for etape in d.ETAPES:
        for points in etape.taches.values():
            for point in points:
                assert point in contenu
    statuts = [v for v in route.data_validations.dataValidation if v.type == "list"]
    assert statuts[0].formula1 == '"À faire,En cours,Fait,Sans objet"'


@pytest.mark.libreoffice
def test_avancement_recalcule(libreoffice, tmp_path):
    """Des statuts posés à la main ; l'avancement, recalculé par LibreOffice, est celui qu'on
    compte soi-même."""
    chemin = tmp_path / annexes.FEUILLE_DE_ROUTE
    annexes.feuille_de_route(OPTIONS).save(chemin)
    classeur = load_workbook(chemin)
    route = classeur["Feuille de route"]
    lignes = [r for r in range(1, route.max_row + 1) if route.cell(r, 4).value == "À faire"]
    # Période J1→J2 : action 1 (5 points) : 2 faits, 1 sans objet → 2/4 ; action 2 (6 points) :
    # 3 faits → 3/6. Ensemble J1→J2 : 5/10.
    action_1 = [r for r in lignes if route.cell(r, 1).value == 1][:5]
    action_2 = [r for r in lignes if route.cell(r, 1).value == 2][:6]
    for r, statut in zip(action_1, ["Fait", "Fait", "Sans objet", "En cours", "À faire"], strict=True):
        route.cell(r, 4).value = statut
    for r in action_2[:3]:
        route.cell(r, 4).value = "Fait"
    classeur.save(chemin)
    avancement = libreoffice.feuilles_csv(chemin, tmp_path / "csv")["Avancement"]
    ligne_1 = next(
        i
        for i, ligne in enumerate(avancement, start=1)
        if ligne[:2] == ["1", "Mettre en place la gouvernance du projet"]
    )
    assert cellule(avancement, f"C{ligne_1}") == "50%"
    assert cellule(avancement, f"C{ligne_1 + 1}") == "50%"
    # Action 3 n'a aucun point en J1→J2 : case vide, pas 0 %.
    assert cellule(avancement, f"C{ligne_1 + 2}") == ""
    total = next(i for i, ligne in enumerate(avancement, start=1) if ligne[1] == "Toutes les actions")
    assert cellule(avancement, f"C{total}") == "50%"
    # Sur l'ensemble : 5 faits sur 52 points (53 moins 1 sans objet).
    points = sum(len(t) for etape in d.ETAPES for t in etape.taches.values())
    assert nombre(cellule(avancement, f"G{total}")) * 100 == pytest.approx(100 * 5 / (points - 1))


@pytest.mark.libreoffice
def test_criticite_recalculee(libreoffice, dossier, tmp_path):
    risques = libreoffice.feuilles_csv(dossier / annexes.EQUIPE_PROJET, tmp_path)["Risques"]
    assert [cellule(risques, f"F{r}") for r in (5, 6, 7, 8)] == ["9", "6", "6", ""]


@pytest.mark.libreoffice
@pytest.mark.parametrize("nom", list(annexes.ANNEXES))
def test_rendu_a4_pleine_largeur(libreoffice, dossier, tmp_path, nom):
    pdf = libreoffice.convertir(dossier / nom, "pdf", tmp_path)
    infos = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts \(A4\)", infos)
    pages = int(re.search(r"Pages:\s+(\d+)", infos)[1])
    assert pages <= 9
    texte = libreoffice.texte_pdf(pdf)
    assert f"page 1 / {pages}" in texte
    # Toute la largeur tient sur la page : la dernière colonne d'un tableau est imprimée sur la
    # même page que la première.
    gauche, droite = {
        annexes.CONVENTION: ("Jalon", "Lieu"),
        annexes.EQUIPE_PROJET: ("Instance", "Missions"),
        annexes.CONTRAT: ("Thème", "Le service d'imagerie s'engage à"),
        annexes.FEUILLE_DE_ROUTE: ("Point de la check-list", "Commentaire"),
    }[nom]
    pages_du_tableau = [page for page in texte.split("\f") if gauche in page]
    assert pages_du_tableau and all(droite in page for page in pages_du_tableau)
