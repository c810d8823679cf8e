"""Une feuille de formules écrite directement en XML (SpreadsheetML), pour les feuilles de
dizaines de milliers de cellules : openpyxl, qui crée un objet par cellule puis le sérialise,
y passe une seconde ; ici, quelques dixièmes. Les styles restent ceux du classeur openpyxl
(enregistrés une fois par genre), et ``recueil.classeur.sauver`` met ce XML à la place de la
feuille vide du même nom (``classeur.feuilles_brutes``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string, get_column_letter

ESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTROLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Les caractères de contrôle, interdits en XML : écrits « _x0001_ », comme le fait Excel."""


class _Cellule:
    """Ce qu'une cellule d'openpyxl offre aux fonctions d'écriture communes (``texte``,
    ``entetes``…) : valeur et attributs de style, relevés puis sérialisés par la feuille."""

    __slots__ = (
        "alignment",
        "border",
        "data_type",
        "fill",
        "font",
        "genre",
        "number_format",
        "protection",
        "value",
    )

    def __init__(self) -> None:
        self.value = None
        self.data_type = None
        self.number_format = "General"
        self.font = self.fill = self.border = self.alignment = self.protection = None
        self.genre = None

    def cle(self) -> tuple:
        return (
            self.genre,
            self.font,
            self.fill,
            self.border,
            self.alignment,
            self.number_format,
            self.protection,
        )


class _Dimension:
    __slots__ = ("height", "hidden", "width")

    def __init__(self) -> None:
        self.width = None
        self.hidden = False
        self.height = None


class _Protection:
    sheet = False


class FeuilleBrute:
    """Une feuille qu'on remplit comme une feuille d'openpyxl (``cell``, ``f["A1"]``,
    ``column_dimensions``, ``freeze_panes``, ``protection.sheet``), sérialisée d'un coup par
    ``enregistrer`` dans ``classeur.feuilles_brutes``."""

    def __init__(self, classeur: Workbook, nom: str) -> None:
        self.classeur = classeur
        self.nom = nom
        self.title = nom
        self.cellules: dict[tuple[int, int], _Cellule] = {}
        self.column_dimensions: dict[str, _Dimension] = defaultdict(_Dimension)
        self.row_dimensions: dict[int, _Dimension] = defaultdict(_Dimension)
        self.freeze_panes: str | None = None
        self.protection = _Protection()
        self._brouillon = classeur.create_sheet(nom)
        self._styles: dict[tuple, int] = {}
        self._rang = 0
        if getattr(classeur, "feuilles_brutes", None) is None:
            classeur.feuilles_brutes = {}

    @property
    def parent(self) -> Workbook:
        return self.classeur

    def cell(self, row: int, column: int) -> _Cellule:
        cellule = self.cellules.get((row, column))
        if cellule is None:
            cellule = self.cellules[row, column] = _Cellule()
        return cellule

    def __getitem__(self, reference: str) -> _Cellule:
        lettres = reference.rstrip("0123456789")
        return self.cell(int(reference[len(lettres) :]), column_index_from_string(lettres))

    def __setitem__(self, reference: str, valeur: object) -> None:
        self[reference].value = valeur

    def _style(self, cellule: _Cellule, modele: Callable[[Cell], None] | None) -> int:
        """L'indice du style de ``cellule`` dans le classeur, enregistré à sa première apparition
        (``modele`` : la fonction qui donne ce style à une cellule d'openpyxl, pour un genre)."""
        cle = cellule.cle()
        if cle == (None, None, None, None, None, "General", None):
            return 0
        indice = self._styles.get(cle)
        if indice is None:
            self._rang += 1
            proto = self._brouillon.cell(1, self._rang)
            if cellule.genre is not None and modele is not None:
                modele(
                    proto,
                    cellule.genre,
                    None if cellule.number_format == "General" else cellule.number_format,
                )
            else:
                for attribut in ("font", "fill", "border", "alignment", "protection"):
                    if getattr(cellule, attribut) is not None:
                        setattr(proto, attribut, getattr(cellule, attribut))
                proto.number_format = cellule.number_format
            indice = self._styles[cle] = proto.style_id
        return indice

    def enregistrer(self, modele: Callable[..., None] | None = None) -> None:
        """Inscrit le XML de la feuille dans ``classeur.feuilles_brutes`` (``modele`` : voir
        ``_style``)."""
        self.classeur.feuilles_brutes[self.nom] = self.xml(modele)

    def xml(self, modele: Callable[..., None] | None = None) -> str:
        morceaux = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            f'<worksheet xmlns="{ESPACE}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
        ]
        lignes: dict[int, list[tuple[int, _Cellule]]] = defaultdict(list)
        for (ligne, colonne), cellule in self.cellules.items():
            lignes[ligne].append((colonne, cellule))
        if lignes:
            derniere_colonne = max(c for c, _ in self.cellules)
            morceaux.append(f'<dimension ref="A1:{get_column_letter(derniere_colonne)}{max(lignes)}"/>')
        morceaux.append('<sheetViews><sheetView workbookViewId="0">')
        if self.freeze_panes:
            morceaux.append(_volets(self.freeze_panes))
        morceaux.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        colonnes = sorted(
            (column_index_from_string(lettre), d)
            for lettre, d in self.column_dimensions.items()
            if d.width or d.hidden
        )
        if colonnes:
            morceaux.append("<cols>")
            for c, d in colonnes:
                masque = ' hidden="1"' if d.hidden else ""
                morceaux.append(
                    f'<col min="{c}" max="{c}" width="{d.width or 9.140625}" customWidth="1"{masque}/>'
                )
            morceaux.append("</cols>")
        morceaux.append("<sheetData>")
        for ligne in sorted(lignes):
            hauteur = self.row_dimensions[ligne].height if ligne in self.row_dimensions else None
            attribut = f' ht="{hauteur}" customHeight="1"' if hauteur else ""
            morceaux.append(f'<row r="{ligne}"{attribut}>')
            for colonne, cellule in sorted(lignes[ligne], key=lambda x: x[0]):
                morceaux.append(
                    _cellule(f"{get_column_letter(colonne)}{ligne}", cellule, self._style(cellule, modele))
                )
            morceaux.append("</row>")
        morceaux.append("</sheetData>")
        if self.protection.sheet:
            morceaux.append('<sheetProtection sheet="1" objects="1" scenarios="1"/>')
        morceaux.append(
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        )
        morceaux.append("</worksheet>")
        return "".join(morceaux)


def _echapper(texte: str) -> str:
    return _CONTROLE.sub(lambda c: f"_x{ord(c.group()):04X}_", escape(texte))


def _cellule(reference: str, cellule: _Cellule, style: int) -> str:
    s = f' s="{style}"' if style else ""
    valeur = cellule.value
    if valeur is None:
        return f'<c r="{reference}"{s}/>'
    if isinstance(valeur, str) and cellule.data_type != "s" and valeur.startswith("="):
        return f'<c r="{reference}"{s}><f>{_echapper(valeur[1:])}</f></c>'
    if isinstance(valeur, bool):
        return f'<c r="{reference}"{s} t="b"><v>{int(valeur)}</v></c>'
    if isinstance(valeur, int | float):
        return f'<c r="{reference}"{s}><v>{valeur!r}</v></c>'
    texte = str(valeur)
    espace = ' xml:space="preserve"' if texte != texte.strip() else ""
    return f'<c r="{reference}"{s} t="inlineStr"><is><t{espace}>{_echapper(texte)}</t></is></c>'


def _volets(cellule: str) -> str:
    """Les volets figés au-dessus et à gauche de ``cellule`` (« B2 »)."""
    lettres = cellule.rstrip("0123456789")
    ligne = int(cellule[len(lettres) :])
    colonne = 0
    for lettre in lettres:
        colonne = colonne * 26 + ord(lettre) - 64
    x, y = colonne - 1, ligne - 1
    panneau = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
    attributs = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (
        f'<pane{attributs} topLeftCell="{cellule}" activePane="{panneau}" state="frozen"/>'
        f'<selection pane="{panneau}" activeCell="{cellule}" sqref="{cellule}"/>'
    )
