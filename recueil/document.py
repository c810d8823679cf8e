"""Une feuille mise en page comme un document à remplir puis à imprimer sur A4 : colonnes de
largeur fixe, paragraphes fusionnés et renvoyés à la ligne, champs à remplir (jaunes et
déverrouillés), tableaux, blocs de signature. Les annexes du coaching s'écrivent avec."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from recueil.classeur import (
    ALIGNEMENT_ENTETE,
    BORDURE,
    POLICE_ENTETE,
    POLICE_GRAS,
    POLICE_NOTE,
    POLICE_SECTION,
    POLICE_TITRE,
    REMPLISSAGE_CLAIR,
    REMPLISSAGE_ENTETE,
    REMPLISSAGE_SAISIE,
    hauteur_ligne,
    mise_en_page,
    texte,
)
from recueil.schema import JOURS, MOIS

HAUT = Alignment(vertical="top", wrap_text=True)
DEVERROUILLE = Protection(locked=False)


class Formule(str):
    """Une formule à écrire telle quelle dans un tableau (une chaîne ordinaire reste du texte)."""


class Document:
    """Écrit de haut en bas dans ``feuille`` ; ``ligne`` est la prochaine ligne libre."""

    def __init__(self, feuille: Worksheet, largeurs: Sequence[float], paysage: bool = False) -> None:
        self.feuille = feuille
        self.largeurs = list(largeurs)
        self.ligne = 1
        for i, largeur in enumerate(self.largeurs, start=1):
            feuille.column_dimensions[get_column_letter(i)].width = largeur
        mise_en_page(feuille, paysage=paysage)
        feuille.sheet_view.showGridLines = False

    @property
    def derniere_colonne(self) -> int:
        return len(self.largeurs)

    def _largeur(self, debut: int, fin: int) -> float:
        return sum(self.largeurs[debut - 1 : fin])

    def _fusionner(self, ligne: int, debut: int, fin: int) -> None:
        if fin > debut:
            self.feuille.merge_cells(start_row=ligne, start_column=debut, end_row=ligne, end_column=fin)

    def ecrire(self, contenu: str, police: Font | None = None, debut: int = 1, fin: int | None = None,
               hauteur_min: float = 15) -> Cell:  # fmt: skip
        """Un texte sur la ligne courante, fusionné de ``debut`` à ``fin`` et renvoyé à la ligne."""
        fin = fin or self.derniere_colonne
        cellule = texte(self.feuille.cell(self.ligne, debut), contenu)
        cellule.alignment = HAUT
        if police:
            cellule.font = police
        self._fusionner(self.ligne, debut, fin)
        taille = police.sz if police and police.sz else 11
        hauteur = max(hauteur_min, hauteur_ligne(contenu, self._largeur(debut, fin), taille))
        self.feuille.row_dimensions[self.ligne].height = hauteur
        self.ligne += 1
        return cellule

    def titre(self, contenu: str) -> None:
        self.ecrire(contenu, POLICE_TITRE, hauteur_min=22)

    def intertitre(self, contenu: str) -> None:
        self.espace()
        self.ecrire(contenu, POLICE_SECTION, hauteur_min=20)

    def paragraphe(self, contenu: str, police: Font | None = None) -> None:
        self.ecrire(contenu, police)

    def note(self, contenu: str) -> None:
        self.ecrire(contenu, POLICE_NOTE)

    def puces(self, elements: Sequence[str]) -> None:
        for element in elements:
            self.ecrire(f"•  {element}")

    def espace(self, lignes: int = 1) -> None:
        self.ligne += lignes

    def champ(self, libelle: str, valeur: object = None, colonnes_libelle: int = 2,
              format_nombre: str | None = None) -> Cell:  # fmt: skip
        """« Libellé : [case à remplir] » ; la case, jaune et déverrouillée, est rendue."""
        texte(self.feuille.cell(self.ligne, 1), libelle).font = POLICE_GRAS
        self.feuille.cell(self.ligne, 1).alignment = Alignment(vertical="center", wrap_text=True)
        self._fusionner(self.ligne, 1, colonnes_libelle)
        case = self.feuille.cell(self.ligne, colonnes_libelle + 1)
        if isinstance(valeur, str):
            texte(case, valeur)
        elif valeur is not None:
            case.value = valeur
        if format_nombre:
            case.number_format = format_nombre
        self._fusionner(self.ligne, colonnes_libelle + 1, self.derniere_colonne)
        self._saisie(self.ligne, colonnes_libelle + 1, self.derniere_colonne)
        self.feuille.row_dimensions[self.ligne].height = max(
            20, hauteur_ligne(libelle, self._largeur(1, colonnes_libelle))
        )
        self.ligne += 1
        return case

    def _saisie(self, ligne: int, debut: int, fin: int) -> None:
        for colonne in range(debut, fin + 1):
            cellule = self.feuille.cell(ligne, colonne)
            cellule.fill = REMPLISSAGE_SAISIE
            cellule.border = BORDURE
            cellule.protection = DEVERROUILLE
            cellule.alignment = Alignment(vertical="center", wrap_text=True)

    def tableau(self, entetes: Sequence[str], lignes: Sequence[Sequence[object]],
                etendues: Sequence[int] | None = None, saisie: Sequence[bool] | None = None,
                formats: Sequence[str | None] | None = None) -> tuple[int, int]:  # fmt: skip
        """Un tableau : ``etendues`` donne le nombre de colonnes du document que couvre chaque
        colonne du tableau, ``saisie`` les colonnes à remplir. Rend (première, dernière) ligne
        de données."""
        etendues = list(etendues or [1] * len(entetes))
        saisie = list(saisie or [False] * len(entetes))
        formats = list(formats or [None] * len(entetes))
        bornes, debut = [], 1
        for etendue in etendues:
            bornes.append((debut, debut + etendue - 1))
            debut += etendue
        hauteur = max(
            hauteur_ligne(e, self._largeur(d, f)) for e, (d, f) in zip(entetes, bornes, strict=True)
        )
        for entete, (d, f) in zip(entetes, bornes, strict=True):
            cellule = texte(self.feuille.cell(self.ligne, d), entete)
            cellule.font, cellule.fill, cellule.alignment = (
                POLICE_ENTETE,
                REMPLISSAGE_ENTETE,
                ALIGNEMENT_ENTETE,
            )
            self._fusionner(self.ligne, d, f)
            for c in range(d, f + 1):
                self.feuille.cell(self.ligne, c).border = BORDURE
                self.feuille.cell(self.ligne, c).fill = REMPLISSAGE_ENTETE
        self.feuille.row_dimensions[self.ligne].height = max(20, hauteur)
        self.ligne += 1
        premiere = self.ligne
        for valeurs in lignes:
            hauteur = 18.0
            for valeur, (d, f), a_saisir, format_ in zip(valeurs, bornes, saisie, formats, strict=True):
                cellule = self.feuille.cell(self.ligne, d)
                if isinstance(valeur, Formule):
                    cellule.value = str(valeur)
                elif isinstance(valeur, str):
                    texte(cellule, valeur)
                    hauteur = max(hauteur, hauteur_ligne(valeur, self._largeur(d, f)))
                elif valeur is not None:
                    cellule.value = valeur
                if format_:
                    cellule.number_format = format_
                self._fusionner(self.ligne, d, f)
                if a_saisir:
                    self._saisie(self.ligne, d, f)
                else:
                    for c in range(d, f + 1):
                        self.feuille.cell(self.ligne, c).border = BORDURE
                cellule.alignment = HAUT
            self.feuille.row_dimensions[self.ligne].height = hauteur
            self.ligne += 1
        return premiere, self.ligne - 1

    def signatures(self, signataires: Sequence[str], par_ligne: int = 2) -> None:
        """Des cadres de signature : fonction, nom, date, place pour signer."""
        colonnes = self.derniere_colonne
        largeur = colonnes // par_ligne
        for rang in range(0, len(signataires), par_ligne):
            groupe = signataires[rang : rang + par_ligne]
            debut_ligne = self.ligne
            for i, signataire in enumerate(groupe):
                d = 1 + i * largeur
                f = d + largeur - 1 if i < par_ligne - 1 else colonnes
                self._cadre_signature(debut_ligne, d, f, signataire)
            self.ligne = debut_ligne + 6

    def _cadre_signature(self, ligne: int, debut: int, fin: int, signataire: str) -> None:
        feuille = self.feuille
        entete = texte(feuille.cell(ligne, debut), signataire)
        entete.font, entete.fill = POLICE_GRAS, REMPLISSAGE_CLAIR
        entete.alignment = Alignment(wrap_text=True, vertical="center")
        self._fusionner(ligne, debut, fin)
        feuille.row_dimensions[ligne].height = max(
            feuille.row_dimensions[ligne].height or 15, hauteur_ligne(signataire, self._largeur(debut, fin))
        )
        for decalage, libelle in ((1, "Nom :"), (2, "Date :")):
            texte(feuille.cell(ligne + decalage, debut), libelle).font = POLICE_NOTE
            self._saisie(ligne + decalage, debut + 1, fin)
            self._fusionner(ligne + decalage, debut + 1, fin)
        texte(feuille.cell(ligne + 3, debut), "Signature :").font = POLICE_NOTE
        feuille.merge_cells(start_row=ligne + 3, start_column=debut, end_row=ligne + 4, end_column=fin)
        feuille.row_dimensions[ligne + 4].height = 45
        for r in range(ligne, ligne + 5):
            for c in range(debut, fin + 1):
                feuille.cell(r, c).border = BORDURE
        feuille.cell(ligne + 3, debut).alignment = Alignment(vertical="top")

    def proteger(self) -> None:
        """Protège la feuille (sans mot de passe) : seules les cases jaunes se modifient ; lignes
        et colonnes restent insérables et redimensionnables."""
        protection = self.feuille.protection
        protection.sheet = True
        for autorise in ("formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
            setattr(protection, autorise, False)


def date_longue(jour: date) -> str:
    """« mardi 12 octobre 2010 »."""
    quantieme = f"{jour.day}er" if jour.day == 1 else str(jour.day)
    return f"{JOURS[jour.weekday()]} {quantieme} {MOIS[jour.month - 1]} {jour.year}"
