"""Le suivi d'un contrat : chaque objectif mesuré sur une grille dont chaque chiffre se calcule
à la main, le verdict vérifié ligne par ligne ; un service ou une modalité inconnus donnent un
avertissement clair ; un contrat illisible n'écrit rien."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from coaching_xl.cli import main
from moteur.contrat import TOUTES, _cible, lire_contrat, suivre, tendance
from moteur.resultat import analyser
from recueil import schema as s
from recueil.grille import OptionsGrille, ecrire_grille
from tests import jeux
from tests.conftest import RACINE
from tests.test_grille_libreoffice import nombre

MODELE = RACINE / "templates_xlsx" / "contrat_imagerie_services.xlsx"

# Sur les douze lignes de tests/jeux.py (toutes avant J1, sauf la ligne 12, sans date) :
#  Externe × Scanner : lignes 1, 6, 11 — H 3 → programmés 3/3 = 100 % ; délais RDV 10, 20 →
#    moyenne 15 ; CR 0, 5 → 2,5.
#  Externe × IRM : lignes 3, 7, 8, 12 — H 2, NH 2 → RDV 30, 61, 61, 8 → 40 ; CR 9, 1 → 5.
#  Urgences, toutes modalités : lignes 4, 5, 9 — NP 3 → programmés 0 % ; CR 0, 2, 3 → 5/3.
OBJECTIFS = [
    # service, modalité, délai RDV ≤, délai CR ≤, part programmés ≥
    ("Externe", "Scanner", 14, 3, 0.9),  # ligne 4 : RDV 15 > 14 non ; CR 2,5 oui ; 100 % oui
    ("Externe", "IRM", 45, 4, None),  # ligne 5 : RDV 40 oui ; CR 5 > 4 non
    ("Urgences", None, None, 2, 0.1),  # ligne 6 : CR 1,67 oui ; 0 % < 10 % non
    ("Cardiologie", "Scanner", 5, None, None),  # ligne 7 : service inconnu
    ("externe", "Scaner", 5, None, None),  # ligne 8 : modalité mal orthographiée
    ("Externe", "Echographie", "quinze", None, "80 %"),  # ligne 9 : « quinze » ignoré ; pas de RDV
]
ATTENDUS = [
    ("Externe", "Scanner", "delai_rdv_moyenne", 15.0, False),
    ("Externe", "Scanner", "delai_cr_moyenne", 2.5, True),
    ("Externe", "Scanner", "taux_programmes", 1.0, True),
    ("Externe", "IRM", "delai_rdv_moyenne", 40.0, True),
    ("Externe", "IRM", "delai_cr_moyenne", 5.0, False),
    ("Urgences", TOUTES, "delai_cr_moyenne", 5 / 3, True),
    ("Urgences", TOUTES, "taux_programmes", 0.0, False),
]


def ecrire_contrat(chemin: Path, objectifs) -> Path:
    """Le contrat type de templates_xlsx/, sa feuille d'objectifs remplie."""
    shutil.copy(MODELE, chemin)
    classeur = load_workbook(chemin)
    feuille = classeur[s.FEUILLE_OBJECTIFS]
    for rang, objectif in enumerate(objectifs, start=4):
        for colonne, valeur in enumerate(objectif, start=1):
            feuille.cell(rang, colonne, valeur)
    classeur.save(chemin)
    return chemin


@pytest.fixture
def grille(tmp_path) -> Path:
    return ecrire_grille(tmp_path, OptionsGrille(lignes=100), jeux.LIGNES)


@pytest.fixture
def contrat(tmp_path) -> Path:
    return ecrire_contrat(tmp_path / "contrat.xlsx", OBJECTIFS)


def test_lecture_du_contrat(contrat):
    lu = lire_contrat(contrat)
    assert [(e.service, e.modalite, e.comparaison.cle, e.cible, e.ligne) for e in lu.engagements[:3]] == [
        ("Externe", "Scanner", "delai_rdv_moyenne", 14, 4),
        ("Externe", "Scanner", "delai_cr_moyenne", 3, 4),
        ("Externe", "Scanner", "taux_programmes", 0.9, 4),
    ]
    assert len(lu.engagements) == 10
    assert lu.avertissements == [
        f"{s.FEUILLE_OBJECTIFS}, ligne 9, « Délai d'obtention de RDV cible (jours, au plus) » : « quinze » "
        "n'est pas un nombre de jours ; objectif ignoré."
    ]


def test_verdicts_calcules_a_la_main(grille, contrat):
    suivi = suivre(analyser(grille), lire_contrat(contrat))
    tableau = suivi.tableau.set_index(["service", "modalite", "cle"])
    for service, modalite, cle, mesure, atteint in ATTENDUS:
        ligne = tableau.loc[(service, modalite, cle)]
        assert ligne["mesure"] == pytest.approx(mesure), (service, modalite, cle)
        assert ligne["atteint"] is atteint, (service, modalite, cle)
    # Une seule période mesurée : pas de tendance.
    assert tableau.loc[("Externe", "Scanner", "taux_programmes"), "tendance"] is None
    # Échographie externe : aucun RDV, rien à mesurer.
    echographie = tableau.loc[("Externe", "Echographie", "taux_programmes")]
    assert echographie["atteint"] is None and echographie["examens"] == 0


def test_service_ou_modalite_inconnus(grille, contrat):
    suivi = suivre(analyser(grille), lire_contrat(contrat))
    assert (
        f"{s.FEUILLE_OBJECTIFS}, ligne 7 : « Cardiologie » n'est pas dans la liste des provenances de la grille ; "
        "écrivez-le comme dans la feuille Listes de la grille." in suivi.avertissements
    )
    assert any("« Scaner »" in a and "vouliez-vous dire « Scanner » ?" in a for a in suivi.avertissements)
    inconnus = suivi.tableau[suivi.tableau["service"].isin(["Cardiologie", "externe"])]
    assert inconnus["atteint"].isna().all() and len(inconnus) == 2


def test_tendance_par_periode(tmp_path):
    h = jeux.H
    lignes = [
        (date(2010, 9, 6), "Scanner", "Externe", h, 20, 1),  # avant J1 : 20 jours
        (date(2010, 10, 20), "Scanner", "Externe", h, 12, 1),  # J1→J2 : 12 jours
    ]
    grille = ecrire_grille(tmp_path, OptionsGrille(lignes=100), lignes)
    contrat = ecrire_contrat(tmp_path / "contrat.xlsx", [("Externe", "Scanner", 14, None, None)])
    ligne = suivre(analyser(grille), lire_contrat(contrat)).tableau.iloc[0]
    assert (ligne["avant J1"], ligne["J1→J2"]) == (20, 12)
    assert ligne["mesure"] == 16 and ligne["atteint"] is False
    assert ligne["tendance"] == "en progrès"


@pytest.mark.parametrize(
    ("serie", "format_", "plus_haut_mieux", "attendu"),
    [
        ([20, 12], "jours", False, "en progrès"),
        ([12, 20], "jours", False, "en recul"),
        ([12, 12.3], "jours", False, "stable"),
        ([0.5, float("nan"), 0.7], "pourcent", True, "en progrès"),
        ([0.5, 0.505], "pourcent", True, "stable"),
        ([float("nan"), 0.4], "pourcent", True, None),
    ],
)
def test_tendance(serie, format_, plus_haut_mieux, attendu):
    cle = "taux_programmes" if format_ == "pourcent" else "delai_rdv_moyenne"
    comparaison = s.Comparaison(cle, plus_haut_mieux, "x")
    assert tendance(serie, comparaison) == attendu


@pytest.mark.parametrize(
    ("texte", "cle", "attendu"),
    [
        ("80 %", "taux_programmes", 0.8),
        ("0,8", "taux_programmes", 0.8),
        ("80", "taux_programmes", 0.8),
        ("120 %", "taux_programmes", None),
        ("14", "delai_rdv_moyenne", 14),
        ("2,5", "delai_cr_moyenne", 2.5),
        ("-3", "delai_rdv_moyenne", None),
        ("400", "delai_rdv_moyenne", None),
        ("dix", "delai_rdv_moyenne", None),
    ],
)
def test_cibles(texte, cle, attendu):
    assert _cible(texte, s.COMPARAISON[cle]) == attendu


def test_compute_avec_contrat(grille, contrat):
    resultat = CliRunner().invoke(main, ["compute", str(grille), "--contrat", str(contrat)])
    assert resultat.exit_code == 0, resultat.output
    assert (
        "Suivi des engagements (contrat.xlsx) : 4 objectifs atteints sur 7 mesurés, 3 sans mesure"
        in resultat.stdout
    )
    assert (
        "non atteint : Externe · Scanner · Délai moyen d'obtention 15,0 j (objectif ≤ 14 j)"
        in resultat.stdout
    )
    assert "Attention : Indicateurs de suivi, ligne 7 : « Cardiologie »" in resultat.stderr
    feuille = load_workbook(grille)["Suivi des engagements"]
    lignes = [
        ligne
        for ligne in feuille.iter_rows(values_only=True)
        if ligne[0] == "Externe" and ligne[1] == "Scanner"
    ]
    assert [(ligne[2], ligne[3], ligne[6]) for ligne in lignes] == [
        (s.DELAI_RDV.libelle, "≤ 14 j", "Non"),
        (s.DELAI_CR.libelle, "≤ 3 j", "Oui"),
        (s.TAUX_PROGRAMMES.libelle, "≥ 90\u202f%", "Oui"),
    ]
    assert lignes[0][4] == pytest.approx(15)

    # Un calcul sans contrat ne laisse pas de chiffres périmés dans la feuille.
    resultat = CliRunner().invoke(main, ["compute", str(grille)])
    assert resultat.exit_code == 0, resultat.output
    feuille = load_workbook(grille)["Suivi des engagements"]
    textes = [c for ligne in feuille.iter_rows(values_only=True) for c in ligne if isinstance(c, str)]
    assert any("n'a pas reçu de contrat" in texte for texte in textes)
    assert "Externe" not in textes


def _document_word(dossier: Path) -> Path:
    chemin = dossier / "contrat.docx"
    chemin.write_bytes(b"PK")
    return chemin


@pytest.mark.parametrize(
    ("preparer", "message"),
    [
        (lambda d: d / "absent.xlsx", "--contrat : Fichier introuvable"),
        (
            lambda d: shutil.copy(RACINE / "templates_xlsx" / "equipe_projet.xlsx", d / "equipe.xlsx"),
            f"feuille « {s.FEUILLE_OBJECTIFS} » introuvable ; utilisez la feuille",
        ),
        (_document_word, "format « .docx » non pris en charge"),
    ],
)
def test_contrat_illisible_rien_n_est_ecrit(grille, tmp_path, preparer, message):
    dossier = tmp_path / "contrats"
    dossier.mkdir()
    contrat = Path(preparer(dossier))
    avant = grille.read_bytes()
    resultat = CliRunner().invoke(main, ["compute", str(grille), "--contrat", str(contrat), "--pdf"])
    assert resultat.exit_code == 1
    assert message in resultat.stderr
    assert "Traceback" not in resultat.output
    assert grille.read_bytes() == avant
    assert not list(grille.parent.glob("*.pdf"))


def test_contrat_sans_objectif(grille, tmp_path):
    contrat = ecrire_contrat(tmp_path / "vide.xlsx", [])
    lu = lire_contrat(contrat)
    assert lu.engagements == [] and lu.avertissements == []
    assert suivre(analyser(grille), lu).tableau.empty


@pytest.mark.libreoffice
def test_libreoffice_relit_le_suivi(grille, contrat, libreoffice, tmp_path):
    assert CliRunner().invoke(main, ["compute", str(grille), "--contrat", str(contrat)]).exit_code == 0
    suivi = libreoffice.feuilles_csv(grille, tmp_path / "csv")["Suivi des engagements"]
    lignes = {(ligne[0], ligne[1], ligne[2]): ligne for ligne in suivi if len(ligne) > 6}
    externe = lignes[("Externe", "IRM", s.DELAI_RDV.libelle)]
    assert (externe[3], nombre(externe[4]), externe[6]) == ("≤ 45 j", 40.0, "Oui")
    urgences = lignes[("Urgences", TOUTES, s.TAUX_PROGRAMMES.libelle)]
    assert (nombre(urgences[4]), urgences[6]) == (0.0, "Non")
