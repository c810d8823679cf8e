"""Le cycle d'un utilisateur français, dans un vrai LibreOffice (profil fr-FR, piloté par UNO) :
generate → taper 300 lignes → Ctrl+S → compute → taper 300 lignes de plus → Ctrl+S → compute →
consolidate, pour une grille gardée en .xlsx, en .ods et en .xls.

On tape comme une personne (``FormulaLocal`` : « 06/09/2010 » est le 6 septembre), on enregistre
comme Ctrl+S (le format du fichier), on rouvre, et l'on vérifie ce qui s'affiche (« 80,0 % »,
« lundi 6 septembre 2010 »), pas seulement les valeurs. À chaque étape, les ajouts de
l'utilisateur — un commentaire, une cellule colorée, une feuille à lui avec une formule — sont
toujours là.

Les chiffres attendus sont comptés à la main : le premier lot a 7 H, 1 NH et 2 NP sur 10
lignes (210 H, 30 NH, 60 NP) : 80,0 % de programmés, 12,5 % de non-honorés ; le second 8 H, 1 NH,
1 NP (240, 30, 30) : en cumul 450 H, 60 NH, 90 NP, soit 510 / 600 = 85,0 % et 60 / 510 = 11,8 %.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from rapports import feuilles
from recueil import schema as s

pytestmark = pytest.mark.libreoffice

LIBELLES = {t.code: t.libelle for t in s.TYPES_RDV}
MODALITES = ("Scanner", "IRM", "Echographie")
PREMIER_LOT = ("H",) * 7 + ("NH",) + ("NP",) * 2
SECOND_LOT = ("H",) * 8 + ("NH", "NP")
JAUNE = 0xFFFF00
COMMENTAIRE = "Vérifier ce rendez-vous avec le secrétariat"
ETABLISSEMENT = "Centre hospitalier de Rivebelle"
INDICATEURS = feuilles.FEUILLES["indicateurs"]


def lignes_tapees(debut: date, jours: int, motif: tuple[str, ...], n: int = 300) -> list[list[str]]:
    """Ce qu'une personne tape, cellule par cellule : date, modalité, provenance, type, délai
    de RDV, délai de compte-rendu (vides quand ils ne s'appliquent pas)."""
    lignes = []
    for i, code in zip(range(n), itertools.cycle(motif), strict=False):
        jour = debut + timedelta(days=i % jours)
        rdv = "" if code == "NP" else str(i % 25 + (code == "NH"))
        cr = "" if code == "NH" else str(i % 4)
        provenance = "Urgences" if code == "NP" else "Externe"
        lignes.append([f"{jour:%d/%m/%Y}", MODALITES[i % 3], provenance, LIBELLES[code], rdv, cr])
    return lignes


PREMIERES = lignes_tapees(date(2010, 9, 6), 40, PREMIER_LOT)
SUIVANTES = lignes_tapees(date(2010, 10, 16), 45, SECOND_LOT)


def coaching_xl(*arguments: object) -> str:
    resultat = CliRunner().invoke(main, [str(a) for a in arguments])
    assert resultat.exit_code == 0, resultat.output
    return resultat.output


def valeur_de(lo, document: int, feuille: str, libelle: str, plage: str = "A1:B80") -> str:
    """Le texte affiché à droite du libellé ``libelle`` (colonne A) dans ``feuille``."""
    for ligne in lo.lire_plage(document=document, feuille=feuille, plage=plage):
        if ligne[0] == libelle:
            return ligne[1]
    raise AssertionError(f"« {libelle} » introuvable dans la feuille {feuille}")


def verifier_ajouts(lo, document: int, scanners: int) -> None:
    """Le commentaire, la couleur et la feuille « Mes notes » (sa formule recalculée)."""
    assert lo.commentaires(document=document, feuille=s.FEUILLE_RECUEIL) == {"A5": COMMENTAIRE}
    assert lo.couleur(document=document, feuille=s.FEUILLE_RECUEIL, cellule="B6") == JAUNE
    assert "Mes notes" in lo.feuilles(document=document)
    assert lo.lire(document=document, feuille="Mes notes", cellules=["A1", "B1"]) == {
        "A1": "Scanners",
        "B1": str(scanners),
    }


def verifier_indicateurs(lo, document: int, programmes: str, non_honores: str) -> None:
    """Les taux de la feuille Indicateurs tels qu'ils s'affichent, et ses graphiques : aucun
    n'en chevauche un autre, tous gardent un axe de catégories (les semaines ne deviennent pas
    un axe de dates)."""
    assert valeur_de(lo, document, INDICATEURS, s.TAUX_PROGRAMMES.libelle) == programmes
    assert valeur_de(lo, document, INDICATEURS, s.TAUX_NON_HONORES.libelle) == non_honores
    graphiques = lo.graphiques(document=document, feuille=INDICATEURS)
    assert len(graphiques) == 5
    for a, b in itertools.combinations(graphiques, 2):
        assert (
            a["y"] + a["hauteur"] <= b["y"] + 0.01
            or b["y"] + b["hauteur"] <= a["y"] + 0.01
            or (a["x"] + a["largeur"] <= b["x"] + 0.01 or b["x"] + b["largeur"] <= a["x"] + 0.01)
        ), (a["titre"], b["titre"])
    assert {g["axe"] for g in graphiques} == {"categorie"}, graphiques


def verifier_tableau_de_bord(lo, document: int, programmes: str, non_honores: str) -> None:
    tableau = s.FEUILLE_TABLEAU_DE_BORD
    assert valeur_de(lo, document, tableau, s.TAUX_PROGRAMMES.libelle) == programmes
    assert valeur_de(lo, document, tableau, s.TAUX_NON_HONORES.libelle) == non_honores


@pytest.mark.parametrize("format_", ["xlsx", "ods", "xls"])
def test_cycle_d_un_utilisateur_francais(libreoffice_fr, format_, tmp_path):
    lo = libreoffice_fr
    dossier = tmp_path / "rivebelle"
    coaching_xl("generate", "-o", dossier)
    modele = dossier / "grille_recueil.xlsx"
    grille = modele.with_suffix(f".{format_}")

    # 1. Ouvrir la grille générée ; pour .ods et .xls, « Enregistrer sous » dans ce format.
    doc = lo.ouvrir(chemin=modele)
    if format_ != "xlsx":
        lo.enregistrer_sous(document=doc, chemin=grille, format_=format_)
    modele_octets = modele.read_bytes()
    # 2. Taper : l'établissement, 300 lignes, et ses propres ajouts.
    lo.saisir(document=doc, feuille=s.FEUILLE_PARAMETRES, cellules={"B5": ETABLISSEMENT})
    lo.saisir_lignes(document=doc, feuille=s.FEUILLE_RECUEIL, premiere=s.PREMIERE_LIGNE, lignes=PREMIERES)
    lo.commenter(document=doc, feuille=s.FEUILLE_RECUEIL, cellule="A5", texte=COMMENTAIRE)
    lo.colorer(document=doc, feuille=s.FEUILLE_RECUEIL, cellule="B6", couleur=JAUNE)
    lo.ajouter_feuille(document=doc, nom="Mes notes")
    lo.saisir(document=doc, feuille="Mes notes",
              cellules={"A1": "Scanners", "B1": '=NB.SI($Recueil.B5:B2000;"Scanner")'})  # fmt: skip
    scanners = sum(ligne[1] == "Scanner" for ligne in PREMIERES)
    verifier_tableau_de_bord(lo, doc, "80,0 %", "12,5 %")
    # 3. Ctrl+S, fermer.
    lo.enregistrer(document=doc)
    lo.fermer(document=doc)

    # 4. compute.
    sortie = coaching_xl("compute", grille)
    assert "300 lignes" in sortie, sortie
    resultats = grille if format_ == "xlsx" else dossier / "grille_recueil_resultats.xlsx"
    assert f"Résultats écrits dans {resultats}" in sortie
    if format_ != "xlsx":
        assert f"restent dans {grille.name}, qui n'a pas été modifié : continuez-y la saisie" in sortie
        assert modele.read_bytes() == modele_octets  # la grille vierge d'à côté n'est pas touchée

    # 5. Rouvrir : ce qui s'affiche ; les ajouts sont là.
    doc = lo.ouvrir(chemin=grille)
    assert lo.lire(document=doc, feuille=s.FEUILLE_RECUEIL, cellules=["A5", "E5"]) == {
        "A5": "lundi 6 septembre 2010",
        "E5": "0",
    }
    verifier_ajouts(lo, doc, scanners)
    verifier_tableau_de_bord(lo, doc, "80,0 %", "12,5 %")
    doc_resultats = doc if format_ == "xlsx" else lo.ouvrir(chemin=resultats)
    verifier_indicateurs(lo, doc_resultats, "80,0 %", "12,5 %")
    if doc_resultats != doc:  # le classeur de résultats, ouvert puis enregistré par l'utilisateur
        lo.enregistrer(document=doc_resultats)
        lo.fermer(document=doc_resultats)

    # 6. Taper 300 lignes de plus, Ctrl+S.
    lo.saisir_lignes(
        document=doc, feuille=s.FEUILLE_RECUEIL, premiere=s.PREMIERE_LIGNE + 300, lignes=SUIVANTES
    )
    scanners += sum(ligne[1] == "Scanner" for ligne in SUIVANTES)
    lo.enregistrer(document=doc)
    lo.fermer(document=doc)
    # Après ce second enregistrement par LibreOffice, les feuilles de résultats (encore celles du
    # premier calcul) s'affichent toujours à la française, graphiques compris.
    doc_resultats = lo.ouvrir(chemin=resultats)
    verifier_indicateurs(lo, doc_resultats, "80,0 %", "12,5 %")
    lo.fermer(document=doc_resultats)
    if format_ != "xlsx":
        # Calculer par erreur la grille vierge d'à côté avertit : la saisie continue ailleurs.
        avertissement = CliRunner().invoke(
            main, ["compute", str(modele), "--sortie", tmp_path / "vierge.xlsx"]
        )
        assert (
            f"Attention : {grille.name}, à côté, a été enregistré après {modele.name}" in avertissement.output
        )

    # 7. compute à nouveau : 600 lignes, les résultats remplacés (pas empilés).
    sortie = coaching_xl("compute", grille)
    assert "600 lignes" in sortie, sortie
    doc = lo.ouvrir(chemin=grille)
    verifier_ajouts(lo, doc, scanners)
    verifier_tableau_de_bord(lo, doc, "85,0 %", "11,8 %")
    doc_resultats = doc if format_ == "xlsx" else lo.ouvrir(chemin=resultats)
    assert lo.feuilles(document=doc_resultats).count(INDICATEURS) == 1
    verifier_indicateurs(lo, doc_resultats, "85,0 %", "11,8 %")
    for d in {doc, doc_resultats}:
        lo.fermer(document=d)

    # 8. consolidate le dossier tel quel : la grille de l'établissement, et elle seule — pas les
    # annexes, pas le classeur de résultats ; pour .ods et .xls, la grille vierge d'à côté (même
    # nom, plus ancienne) est écartée comme doublon.
    consolidation = tmp_path / "consolidation_J3.xlsx"
    sortie = coaching_xl("consolidate", dossier, "--jalon", "J3", "-o", consolidation)
    recues = 1 if format_ == "xlsx" else 2
    assert f"{recues} grille{'s' * (recues > 1)} reçue" in sortie and "1 établissement consolidé" in sortie
    assert "0 illisible" in sortie and f"{recues - 1} doublon écarté" in sortie, sortie
    doc = lo.ouvrir(chemin=consolidation)
    synthese = lo.lire_plage(document=doc, feuille="Synthèse", plage="A1:P60")
    derniere, cumul = (ligne for ligne in synthese if ligne[0] == ETABLISSEMENT)
    # Dernière période (J2→J3 : 99 H, 13 NH, 13 NP) puis cumul au jalon (450, 60, 90).
    assert derniere[1:6] == ["99", "13", "13", "125", "89,6 %"] and "11,6 %" in derniere, derniere
    assert cumul[1:6] == ["450", "60", "90", "600", "85,0 %"] and "11,8 %" in cumul, cumul
    lo.fermer(document=doc)
