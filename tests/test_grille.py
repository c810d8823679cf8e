"""La grille générée, relue avec openpyxl : feuilles, en-têtes, validations, noms définis,
mises en forme conditionnelles, formules et graphiques."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from recueil import schema as s
from recueil.grille import (
    Identite,
    OptionsGrille,
    ecrire_grille,
    ligne_parametre,
    regles_incoherence,
)
from recueil.tableau_de_bord import COLONNE, DISPOSITION_FIXE


@pytest.fixture(scope="module")
def grille(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("grille")
    options = OptionsGrille(identite=Identite(etablissement="CH de Test", finess="750712184"))
    return ecrire_grille(dossier, options)


@pytest.fixture(scope="module")
def classeur(grille):
    return load_workbook(grille)


def test_feuilles_dans_l_ordre_recueil_active(classeur):
    assert classeur.sheetnames == [
        "Recueil",
        "Tableau de bord",
        "Listes",
        "Paramètres",
        "Mode d'emploi",
        "Métadonnées",
        "Calculs",
    ]
    assert classeur.active.title == "Recueil"
    assert classeur["Métadonnées"].sheet_state == classeur["Calculs"].sheet_state == "hidden"
    assert all(classeur[n].sheet_state == "visible" for n in classeur.sheetnames[:-2])


def test_recueil_titres_entetes_volets_filtre(classeur):
    feuille = classeur["Recueil"]
    assert feuille["A1"].value == "ARS Île-de-France — Cellule Performance"
    assert feuille["A2"].value == "Coaching Imagerie — Recueil"
    assert "P_Etablissement" in feuille["A3"].value
    assert [feuille.cell(4, i).value for i in range(1, 7)] == list(s.ENTETES)
    assert feuille.freeze_panes == "A5"
    assert feuille.auto_filter.ref == "A4:F50004"
    assert feuille.column_dimensions["A"].number_format == "[$-40C]dddd d mmmm yyyy"


def test_validations_du_recueil(classeur):
    validations = {str(v.sqref): v for v in classeur["Recueil"].data_validations.dataValidation}
    attendu = {
        "A5:A50004": ("date", "36526", "73415"),
        "B5:B50004": ("list", "Modalites", None),
        "C5:C50004": ("list", "Provenances", None),
        "D5:D50004": ("list", '"Programmé honoré,Programmé non-honoré,Non programmé"', None),
        "E5:E50004": ("whole", "0", "365"),
        "F5:F50004": ("whole", "0", "365"),
    }
    assert set(validations) == set(attendu)
    for plage, (type_, formule1, formule2) in attendu.items():
        v = validations[plage]
        assert (v.type, v.formula1, v.formula2) == (type_, formule1, formule2), plage
        assert v.showErrorMessage is True and v.errorStyle == "stop"
        assert v.showInputMessage is True and v.allow_blank is True
        colonne = s.COLONNES[ord(plage[0]) - ord("A")]
        assert v.error == colonne.erreur and v.errorTitle == colonne.erreur_titre
        assert v.prompt == colonne.aide


def test_noms_definis(classeur):
    noms = {nom: d.attr_text for nom, d in classeur.defined_names.items()}
    assert noms["R_Date"] == "Recueil!$A$5:$A$1048576"
    assert noms["R_DelaiCR"] == "Recueil!$F$5:$F$1048576"
    assert noms["Modalites"] == "OFFSET(Listes!$I$5,0,0,MAX(1,MAX(Listes!$H$5:$H$14)),1)"
    assert noms["Provenances"] == "OFFSET(Listes!$K$5,0,0,MAX(1,MAX(Listes!$J$5:$J$19)),1)"
    assert noms["P_Etablissement"] == "'Paramètres'!$B$5"
    assert noms["P_DateDebut"] == f"'Paramètres'!$B${ligne_parametre('date_debut')}"
    # Aucune validation ne pointe directement vers une autre feuille (SPEC §2).
    for v in classeur["Recueil"].data_validations.dataValidation:
        assert "!" not in (v.formula1 or "")


def test_mise_en_forme_des_incoherences(classeur):
    regles = {}
    for plage in classeur["Recueil"].conditional_formatting:
        for regle in plage.rules:
            regles.setdefault(str(plage.sqref), []).append(regle.formula[0])
    attendues = regles_incoherence()
    assert sum(len(v) for v in regles.values()) == len(attendues)
    assert 'AND($D5="Non programmé",N($E5)>0)' in regles["E5:E50004"]
    assert 'AND($D5="Programmé non-honoré",$F5<>"")' in regles["F5:F50004"]
    assert 'AND(OR($D5="Programmé honoré",$D5="Programmé non-honoré"),$E5="")' in regles["E5:E50004"]
    assert 'AND(COUNTA($A5:$F5)>0,$B5="")' in regles["B5:B50004"]
    codes = {code for code, _, _ in attendues}
    assert codes <= set(s.ANOMALIES)
    assert {
        "delai-rdv-non-programme",
        "delai-rdv-manquant",
        "delai-cr-non-honore",
        "delai-rdv-nul-programme",
        "champ-manquant",
        "valeur-hors-liste",
    } <= codes


def test_listes_et_parametres(classeur):
    listes = classeur["Listes"]
    assert listes["A4"].value == "Modalités" and listes["C4"].value == "Provenances"
    assert [listes[f"A{r}"].value for r in range(5, 10)] == list(s.MODALITES.defaut)
    assert listes["A10"].value is None
    assert [listes[f"C{r}"].value for r in range(5, 20)] == list(s.PROVENANCES.defaut)
    assert listes.column_dimensions["H"].hidden and listes.column_dimensions["K"].hidden
    parametres = classeur["Paramètres"]
    valeur = {p.cle: parametres[f"B{ligne_parametre(p.cle)}"].value for p in s.PARAMETRES}
    assert valeur["etablissement"] == "CH de Test"
    assert valeur["finess"] == "750712184"
    assert valeur["date_debut"].date() == date(2010, 9, 1)
    assert valeur["date_fin"].date() == date(2011, 2, 15)
    assert valeur["rythme"] == "Tous les jours"


def test_metadonnees(classeur):
    meta = {r[0].value: r[1].value for r in classeur["Métadonnées"].iter_rows()}
    assert meta["modele"] == "coaching-xl/grille-recueil"
    assert meta["version_modele"] == s.VERSION_MODELE
    assert meta["generateur"].startswith("coaching-xl ")
    assert meta["lignes_validees"] == "50000"


def test_formules_du_tableau_de_bord(classeur):
    """Le tableau lit les histogrammes de la feuille Calculs, à des places fixes : aucune de
    ses formules ne reparcourt la feuille Recueil."""
    feuille = classeur["Tableau de bord"]
    ensemble = DISPOSITION_FIXE["ligne_entete_semaines"] + 1
    premiere = ensemble + 1
    assert feuille[f"{COLONNE['taux_non_honores']}{ensemble}"].value == (
        f'=IF((B{ensemble}+C{ensemble})=0,"",(C{ensemble})/(B{ensemble}+C{ensemble}))'
    )
    assert feuille[f"A{premiere}"].value == "=P_DateDebut-WEEKDAY(P_DateDebut,2)+1"
    assert feuille[f"A{premiere + 1}"].value == f"=A{premiere}+7"
    # Semaine 0 : NH (code 2) est la clé 2 de l'histogramme des types, en ligne 2 + 2.
    assert feuille[f"{COLONNE['NH']}{premiere}"].value == "=Calculs!$D$4"
    assert feuille[f"{COLONNE['delai_rdv_n']}{premiere + 1}"].value == "=SUM(Calculs!$E$734:$E$1465)"
    formules = [c.value for ligne in feuille.iter_rows() for c in ligne if isinstance(c.value, str)]
    assert not [f for f in formules if "COUNTIFS" in f or "R_Type" in f or "R_Date" in f]
    calculs = classeur["Calculs"]
    assert calculs["A5"].value.startswith('=1*(Recueil!D5="Programmé honoré")')
    assert "FREQUENCY" in str(
        calculs["D1"].value.text if hasattr(calculs["D1"].value, "text") else calculs["D1"].value
    )


def test_graphiques_natifs(grille):
    with zipfile.ZipFile(grille) as paquet:
        graphiques = sorted(n for n in paquet.namelist() if n.startswith("xl/charts/chart"))
        xml = [paquet.read(n).decode() for n in graphiques]
    assert len(xml) == 2
    combine = next(x for x in xml if s.TITRE_GRAPHIQUE_NH in x)
    assert "<barChart>" in combine and "<lineChart>" in combine
    assert combine.count("<valAx>") == 2 and '<crosses val="max"' in combine
    assert "'Tableau de bord'!$" in combine
    distribution = next(x for x in xml if s.TITRE_GRAPHIQUE_CR in x)
    assert "<barChart>" in distribution
    # Les axes sont visibles (openpyxl 3.1 les supprime sinon dans Excel).
    assert re.findall(r'<delete val="(\d)"', distribution) == ["0", "0"]


def test_textes_de_l_utilisateur_restent_du_texte(tmp_path):
    chemin = ecrire_grille(
        tmp_path,
        OptionsGrille(
            identite=Identite(etablissement='=HYPERLINK("http://x","clic")'),
            listes={
                "modalites": ("=1+1", "@SOMME(A1)", "+33", "-Scanner"),
                "provenances": ("#N/A", "Externe"),
            },
        ),
    )
    with zipfile.ZipFile(chemin) as paquet:
        xml = "".join(paquet.read(n).decode() for n in paquet.namelist() if "worksheets/sheet" in n)
    assert "<f>HYPERLINK" not in xml and "<f>1+1" not in xml
    classeur = load_workbook(chemin)
    listes = classeur["Listes"]
    assert [listes[f"A{r}"].value for r in range(5, 9)] == ["=1+1", "@SOMME(A1)", "+33", "-Scanner"]
    assert all(listes[f"A{r}"].data_type == "s" for r in range(5, 9))
    assert listes["C5"].value == "#N/A" and listes["C5"].data_type == "s"
    assert classeur["Paramètres"]["B5"].value == '=HYPERLINK("http://x","clic")'


def test_nombre_de_lignes_validees(tmp_path):
    chemin = ecrire_grille(tmp_path, OptionsGrille(lignes=100))
    feuille = load_workbook(chemin)["Recueil"]
    assert {str(v.sqref) for v in feuille.data_validations.dataValidation} == {
        f"{lettre}5:{lettre}104" for lettre in "ABCDEF"
    }
    assert feuille.auto_filter.ref == "A4:F104"


def test_donnees_pre_remplies(tmp_path):
    lignes = [
        (date(2010, 9, 6), "Scanner", "Hospi - Service 2", "Programmé honoré", 3, 1),
        ("06/09/2010", "IRM", "Externe", "Non programmé", None, "0"),
    ]
    feuille = load_workbook(ecrire_grille(tmp_path, donnees=lignes))["Recueil"]
    assert feuille["A5"].value.date() == date(2010, 9, 6)
    assert feuille["A5"].number_format == s.FORMAT_DATE
    assert [feuille.cell(5, c).value for c in range(2, 7)] == [
        "Scanner",
        "Hospi - Service 2",
        "Programmé honoré",
        3,
        1,
    ]
    assert feuille["A6"].value == "06/09/2010" and feuille["E6"].value is None
    assert feuille["F6"].value == "0"


def test_note_de_fin_et_zone_d_impression(tmp_path):
    chemin = ecrire_grille(tmp_path, OptionsGrille(lignes=200))
    feuille = load_workbook(chemin)["Recueil"]
    assert feuille["G204"].value.startswith("← fin des 200 lignes préparées")
    assert feuille.max_row == 204
    with zipfile.ZipFile(chemin) as paquet:
        classeur = paquet.read("xl/workbook.xml").decode()
    zone = re.search(r'<definedName name="_xlnm.Print_Area" localSheetId="0">([^<]*)<', classeur)
    assert zone.group(1).replace("&quot;", '"') == (
        'OFFSET(Recueil!$A$1,0,0,MAX(5,IFERROR(MATCH(REPT("z",255),Recueil!$D:$D),4)),6)'
    )
