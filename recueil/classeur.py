"""Ce que tous les classeurs générés partagent : styles, écriture de texte sûre, mise en page,
enregistrement atomique."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from socle import couleurs, formats, version
from socle.erreurs import FichierExistant
from socle.fichiers import ecriture_atomique
from socle.ouvrages import PRODUCTEUR

BLEU, BLEU_CLAIR, GRIS, JAUNE_SAISIE = (
    couleurs.BLEU,
    couleurs.BLEU_CLAIR,
    couleurs.GRIS,
    couleurs.JAUNE_SAISIE,
)

POLICE_TITRE = Font(name="Calibri", size=14, bold=True, color=BLEU)
POLICE_SOUS_TITRE = Font(name="Calibri", size=12, bold=True, color=GRIS)
POLICE_SECTION = Font(name="Calibri", size=12, bold=True, color=BLEU)
POLICE_ENTETE = Font(name="Calibri", size=11, bold=True, color=couleurs.BLANC)
POLICE_NOTE = Font(name="Calibri", size=10, italic=True, color=GRIS)
POLICE_GRAS = Font(name="Calibri", size=11, bold=True)
REMPLISSAGE_ENTETE = PatternFill("solid", start_color=BLEU, end_color=BLEU)
REMPLISSAGE_CLAIR = PatternFill("solid", start_color=BLEU_CLAIR, end_color=BLEU_CLAIR)
REMPLISSAGE_SAISIE = PatternFill("solid", start_color=JAUNE_SAISIE, end_color=JAUNE_SAISIE)
_TRAIT = Side(style="thin", color=couleurs.TRAIT)
BORDURE = Border(left=_TRAIT, right=_TRAIT, top=_TRAIT, bottom=_TRAIT)
ALIGNEMENT_ENTETE = Alignment(horizontal="center", vertical="center", wrap_text=True)
ALIGNEMENT_TEXTE = Alignment(vertical="top", wrap_text=True)

FORMAT_POURCENT = formats.POURCENT
FORMAT_JOURS = formats.JOURS
FORMAT_ENTIER = formats.ENTIER
FORMAT_DATE_COURTE = formats.DATE_COURTE


def texte(cellule: Cell, valeur: str) -> Cell:
    """Écrit ``valeur`` comme du texte, même si elle commence par « = » (openpyxl en ferait
    une formule) ou ressemble à une erreur (« #N/A »)."""
    cellule.value = valeur
    cellule.data_type = "s"
    return cellule


def entetes(feuille: Worksheet, ligne: int, libelles: Iterable[str], colonne: int = 1) -> None:
    """Une ligne d'en-têtes de tableau : blanc sur bleu, centrée, encadrée."""
    for decalage, libelle in enumerate(libelles):
        c = texte(feuille.cell(ligne, colonne + decalage), libelle)
        c.font = POLICE_ENTETE
        c.fill = REMPLISSAGE_ENTETE
        c.alignment = ALIGNEMENT_ENTETE
        c.border = BORDURE


def hauteur_ligne(contenu: str, largeur: float, taille: float = 11) -> float:
    """Hauteur (points) d'une ligne dont la cellule de ``largeur`` caractères renvoie
    ``contenu`` à la ligne : ni Excel ni LibreOffice ne l'ajustent à l'ouverture d'un fichier."""
    par_ligne = max(1, int((largeur - 1.5) * 11 / taille * 1.15))
    lignes = sum(max(1, math.ceil(len(morceau) / par_ligne)) for morceau in contenu.split("\n"))
    return lignes * taille * 1.35 + 2


def titre(feuille: Worksheet, ligne: int, libelle: str, police: Font = POLICE_TITRE) -> None:
    """Un titre ou un intertitre en colonne A."""
    texte(feuille.cell(ligne, 1), libelle).font = police


def mise_en_page(feuille: Worksheet, *, paysage: bool, lignes_titre: str | None = None) -> None:
    """A4, une page de large, marges étroites ; répète ``lignes_titre`` (« 4:4 ») en haut."""
    feuille.page_setup.paperSize = feuille.PAPERSIZE_A4
    feuille.page_setup.orientation = "landscape" if paysage else "portrait"
    feuille.page_setup.fitToWidth = 1
    feuille.page_setup.fitToHeight = 0
    feuille.sheet_properties.pageSetUpPr.fitToPage = True
    feuille.page_margins.left = feuille.page_margins.right = 0.5
    feuille.page_margins.top = feuille.page_margins.bottom = 0.6
    feuille.print_options.horizontalCentered = True
    feuille.oddFooter.center.text = "&A — page &P / &N"
    if lignes_titre:
        feuille.print_title_rows = lignes_titre


def nouveau_classeur(titre_document: str) -> Workbook:
    """Un classeur vide dont les propriétés nomment le document et son générateur."""
    classeur = Workbook()
    classeur.properties.creator = f"{PRODUCTEUR} {version()}"
    classeur.properties.title = titre_document
    return classeur


def verifier_cible(chemin: Path, ecraser: bool) -> None:
    """Lève FichierExistant si ``chemin`` existe et que l'on ne doit pas l'écraser."""
    if chemin.exists() and not ecraser:
        raise FichierExistant(
            f"{chemin} existe déjà et contient peut-être des saisies. Choisissez un autre "
            "dossier (-o) ou ajoutez --ecraser pour le remplacer."
        )


def enregistrer(classeur: Workbook, chemin: Path) -> Path:
    """Enregistre ``classeur`` dans ``chemin`` sans jamais laisser de fichier à moitié écrit
    (voir ``ecriture_atomique``) ; lève ErreurEcriture avec la cause."""
    with ecriture_atomique(chemin) as temporaire:
        sauver(classeur, temporaire)
    return Path(chemin)


def sauver(classeur: Workbook, destination: Path | BinaryIO) -> None:
    """``classeur.save``, puis le XML des feuilles que le classeur fournit tout écrit
    (``classeur.feuilles_brutes`` : nom de feuille → XML de sa partie, trop grandes pour
    qu'openpyxl les écrive cellule par cellule) mis à la place des feuilles vides de ce nom."""
    brutes: dict[str, str] = getattr(classeur, "feuilles_brutes", {})
    if not brutes:
        classeur.save(destination)
        return
    tampon = io.BytesIO()
    classeur.save(tampon)
    with zipfile.ZipFile(tampon) as source:
        parties = _parties_des_feuilles(source)
        remplacees = {parties[nom]: xml.encode("utf-8") for nom, xml in brutes.items()}
        with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as cible:
            for info in source.infolist():
                cible.writestr(info, remplacees.get(info.filename) or source.read(info))


def _parties_des_feuilles(paquet: zipfile.ZipFile) -> dict[str, str]:
    """Nom de feuille → partie, dans un paquet qu'openpyxl vient d'écrire."""
    from lxml import etree

    classeur = etree.fromstring(paquet.read("xl/workbook.xml"))
    liens = etree.fromstring(paquet.read("xl/_rels/workbook.xml.rels"))
    cibles = {e.get("Id"): e.get("Target") for e in liens}
    parties = {}
    for feuille in classeur.iter("{*}sheet"):
        rid = next(v for k, v in feuille.attrib.items() if k.endswith("}id"))
        cible = cibles[rid]
        parties[feuille.get("name")] = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
    return parties
