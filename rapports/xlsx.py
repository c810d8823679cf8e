"""Un petit écrivain de classeur .xlsx pour les feuilles de résultats : cellules typées en
chaînes en ligne, une palette fixe de styles, largeurs, volets figés, liens internes,
graphiques (sérialisés par openpyxl), mise en page A4.

openpyxl écrit tout classeur, mais il calcule le style de chaque cellule en hachant des objets ;
pour quelques milliers de cellules cela prend un tiers de seconde, le temps de relire cent mille
lignes. Ici, le XML s'écrit directement.
"""

from __future__ import annotations

import io
import math
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from openpyxl.chart._chart import ChartBase
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import tostring

from socle import couleurs, formats
from socle.couleurs import BLEU, BLEU_CLAIR, GRIS
from socle.ouvrages import PRODUCTEUR

if TYPE_CHECKING:
    import pandas as pd

CELLULE_MAX = 32_767
"""Nombre maximal de caractères d'une cellule Excel."""
_INTERDITS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Caractères de contrôle qu'XML 1.0 refuse : une cellule copiée d'ailleurs peut en contenir."""
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
_TYPE_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_REL_PROPRIETES = "http://schemas.openxmlformats.org/package/2006/relationships"
"""L'auteur et l'application inscrits dans les propriétés des classeurs autonomes."""
_ENTETE_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# --- Palette de styles ----------------------------------------------------------------------


def _police(taille: int = 11, effet: str = "", couleur: str | None = None) -> str:
    teinte = f'<color rgb="FF{couleur}"/>' if couleur else ""
    return f'<font>{effet}<sz val="{taille}"/>{teinte}<name val="Calibri"/><family val="2"/></font>'


def _fond(couleur: str) -> str:
    motif = (
        f'<patternFill patternType="solid"><fgColor rgb="FF{couleur}"/><bgColor indexed="64"/></patternFill>'
    )
    return f"<fill>{motif}</fill>"


_POLICES = {
    "normale": _police(),
    "titre": _police(14, "<b/>", BLEU),
    "section": _police(12, "<b/>", BLEU),
    "entete": _police(11, "<b/>", couleurs.BLANC),
    "note": _police(10, "<i/>", GRIS),
    "gras": _police(11, "<b/>"),
    "lien": _police(11, "<u/>", couleurs.LIEN),
    "vert": _police(11, "<b/>", couleurs.VERT_TEXTE),
    "rouge": _police(11, "<b/>", couleurs.ROUGE_TEXTE),
}
_FONDS = {
    "aucun": '<fill><patternFill patternType="none"/></fill>',
    "gris125": '<fill><patternFill patternType="gray125"/></fill>',
    "bleu": _fond(BLEU),
    "clair": _fond(BLEU_CLAIR),
    "vert": _fond(couleurs.VERT_FOND),
    "rouge": _fond(couleurs.ROUGE_FOND),
}
_TRAIT = f'<{{0}} style="thin"><color rgb="FF{couleurs.TRAIT}"/></{{0}}>'
_BORDURES = {
    "aucune": "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "fine": "<border>"
    + "".join(_TRAIT.format(c) for c in ("left", "right", "top", "bottom"))
    + "<diagonal/></border>",
}
_FORMATS = {
    "general": 0,
    "entier": 3,
    "pourcent": 164,
    "jours": 165,
    "date": 166,
    "mois": 167,
    "rang": 1,
    "ecart_pourcent": 168,
    "ecart_jours": 169,
}
_FORMATS_PROPRES = {
    164: formats.POURCENT,
    165: formats.JOURS,
    166: formats.DATE_COURTE,
    167: formats.MOIS,
    168: formats.ECART_POURCENT,
    169: formats.ECART_JOURS,
}


@dataclass(frozen=True)
class Style:
    police: str = "normale"
    fond: str = "aucun"
    bordure: str = "aucune"
    format: str = "general"
    alignement: str = ""


def _encadre(format_: str, police: str = "normale") -> Style:
    return Style(police=police, bordure="fine", format=format_)


STYLES: dict[str, Style] = {
    "normal": Style(),
    "titre": Style(police="titre"),
    "section": Style(police="section"),
    "note": Style(police="note"),
    "gras": Style(police="gras"),
    "entete": Style(
        "entete",
        "bleu",
        "fine",
        alignement='<alignment horizontal="center" vertical="center" wrapText="1"/>',
    ),
    "texte": _encadre("general"),
    "texte_gras": _encadre("general", "gras"),
    "texte_clair": Style(fond="clair", bordure="fine"),
    "texte_long": Style(bordure="fine", alignement='<alignment vertical="top" wrapText="1"/>'),
    "lien": _encadre("general", "lien"),
    "atteint": Style(police="vert", fond="vert", bordure="fine"),
    "manque": Style(police="rouge", fond="rouge", bordure="fine"),
    **{
        nom: _encadre(nom)
        for nom in ("entier", "pourcent", "jours", "date", "mois", "rang", "ecart_pourcent", "ecart_jours")
    },
    **{f"{nom}_gras": _encadre(nom, "gras") for nom in ("entier", "pourcent", "jours")},
}
"""Nom → style ; l'indice d'un style dans styles.xml est son rang ici."""
INDICES = {nom: i for i, nom in enumerate(STYLES)}


def styles_xml() -> str:
    """Le styles.xml de la palette."""
    polices, fonds, bordures = list(_POLICES), list(_FONDS), list(_BORDURES)
    xfs = "".join(
        f'<xf numFmtId="{_FORMATS[st.format]}" fontId="{polices.index(st.police)}" '
        f'fillId="{fonds.index(st.fond)}" borderId="{bordures.index(st.bordure)}" xfId="0"'
        + (' applyNumberFormat="1"' if st.format != "general" else "")
        + (f' applyAlignment="1">{st.alignement}</xf>' if st.alignement else "/>")
        for st in STYLES.values()
    )
    formats = "".join(
        f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for i, code in _FORMATS_PROPRES.items()
    )
    return (
        f"{_ENTETE_XML}<styleSheet {_NS}>"
        f'<numFmts count="{len(_FORMATS_PROPRES)}">{formats}</numFmts>'
        f'<fonts count="{len(polices)}">{"".join(_POLICES.values())}</fonts>'
        f'<fills count="{len(fonds)}">{"".join(_FONDS.values())}</fills>'
        f'<borders count="{len(bordures)}">{"".join(_BORDURES.values())}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(STYLES)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    )


# --- Feuilles ---------------------------------------------------------------------------------


def _texte(valeur: object) -> str:
    """Un texte sûr en XML : caractères de contrôle remplacés, longueur d'une cellule Excel."""
    return escape(_INTERDITS.sub("\ufffd", str(valeur))[:CELLULE_MAX])


def _cellule(reference: str, valeur: object, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if valeur is None:
        return f'<c r="{reference}"{s}/>' if style else ""
    if isinstance(valeur, bool):
        return f'<c r="{reference}"{s} t="b"><v>{int(valeur)}</v></c>'
    if isinstance(valeur, (int, float)):
        if isinstance(valeur, float) and not math.isfinite(valeur):
            return f'<c r="{reference}"{s}/>' if style else ""
        return f'<c r="{reference}"{s}><v>{valeur!r}</v></c>'
    if isinstance(valeur, (date, datetime)):
        return f'<c r="{reference}"{s}><v>{to_excel(valeur)!r}</v></c>'
    return f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">{_texte(valeur)}</t></is></c>'


def _colonne(lettre: str, rangs: np.ndarray, valeurs: pd.Series, style: int) -> np.ndarray:
    """Les cellules XML d'une colonne entière d'un bloc, sans boucle Python par cellule."""
    import pandas as pd

    references = f'<c r="{lettre}' + rangs + (f'" s="{style}"' if style else '"')
    vides = valeurs.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(valeurs):
        if (valeurs.dropna() >= _MARS_1900).all():  # numéros de série sans le 29/02/1900 d'Excel
            valeurs = (valeurs - _ORIGINE_EXCEL) / pd.Timedelta(days=1)
        else:
            valeurs = valeurs.map(to_excel, na_action="ignore")
    if pd.api.types.is_numeric_dtype(valeurs) and not pd.api.types.is_bool_dtype(valeurs):
        nombres = valeurs.astype(object).map(repr).to_numpy(dtype=object)
        cellules = references + "><v>" + nombres + "</v></c>"
    else:
        textes = (
            valeurs.astype("string[pyarrow]")
            .str.replace(_INTERDITS.pattern, "\ufffd", regex=True)
            .str.slice(0, CELLULE_MAX)
            .str.replace("&", "&amp;", regex=False)
            .str.replace("<", "&lt;", regex=False)
            .str.replace(">", "&gt;", regex=False)
            .to_numpy(dtype=object, na_value="")
        )
        cellules = references + ' t="inlineStr"><is><t xml:space="preserve">' + textes + "</t></is></c>"
    return np.where(vides, references + "/>", cellules)


_ORIGINE_EXCEL = np.datetime64("1899-12-30")
_MARS_1900 = np.datetime64("1900-03-01")

_PAGE_CM = (29.7, 21.0)
"""A4 en paysage (largeur, hauteur)."""
_MARGE_LATERALE_CM = 0.5 * 2.54
_MARGE_HAUTE_CM = 0.6 * 2.54
_HAUTEUR_LIGNE_PT = 15.0
_CM_PAR_POINT = 2.54 / 72
_LARGEUR_DEFAUT = 8.43
"""Largeur d'une colonne sans largeur propre, en caractères."""


def _largeur_colonne_cm(caracteres: float | None) -> float:
    """Une largeur de colonne en caractères, en centimètres (Calibri 11 : 7 pixels par
    caractère et 5 de marge, à 96 pixels par pouce)."""
    pixels = int((caracteres or _LARGEUR_DEFAUT) * 7 + 5)
    return pixels * 2.54 / 96


_LIGNES_VECTORISEES = 200
"""En deçà, écrire un bloc cellule par cellule coûte moins que préparer ses colonnes."""


def _chevauchent(a: tuple[float, ...], b: tuple[float, ...], ecart: float) -> bool:
    """Vrai si les cadres (gauche, haut, droite, bas) ``a`` et ``b`` se chevauchent, ou sont à
    moins de ``ecart`` l'un de l'autre."""
    return a[0] < b[2] + ecart and b[0] < a[2] + ecart and a[1] < b[3] + ecart and b[1] < a[3] + ecart


def _manquante(valeur: object) -> bool:
    """Une cellule vide : None, NaN, ou NaT (qui n'existe que si pandas est chargé : les feuilles
    sans blocs, celles de Malcom, s'écrivent sans lui)."""
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return True
    pandas = sys.modules.get("pandas")
    return pandas is not None and valeur is pandas.NaT


def _serie(valeurs: object) -> pd.Series:
    """Une colonne de bloc, indexée de 0 ; des dates Python (type objet) deviennent des dates
    pandas, pour s'écrire comme des dates."""
    import pandas as pd

    serie = pd.Series(valeurs).reset_index(drop=True)
    return serie.infer_objects() if serie.dtype == object else serie


@dataclass
class Bloc:
    """Un tableau posé d'un coup : colonnes (valeurs, style) à partir de (ligne, colonne)."""

    ligne: int
    colonne: int
    colonnes: list[tuple[pd.Series, str]]


@dataclass
class Graphique:
    graphique: ChartBase
    ancre: str
    largeur_cm: float
    hauteur_cm: float


@dataclass
class Feuille:
    """Une feuille en cours d'écriture : on y pose des valeurs, on la sérialise à la fin."""

    nom: str
    cellules: dict[int, dict[int, tuple[object, int]]] = field(default_factory=dict)
    blocs: list[Bloc] = field(default_factory=list)
    largeurs: dict[int, float] = field(default_factory=dict)
    masquees: set[int] = field(default_factory=set)
    """Colonnes masquées (les étiquettes en texte des axes de graphiques)."""
    hauteurs: dict[int, float] = field(default_factory=dict)
    liens: list[tuple[str, str]] = field(default_factory=list)
    graphiques: list[Graphique] = field(default_factory=list)
    volets: str | None = None
    paysage: bool = True
    insecables: list[tuple[int, int]] = field(default_factory=list)
    """Plages de lignes (un tableau et son graphique) à imprimer sur une même page."""
    masquee: bool = False
    """Une feuille masquée (les métadonnées d'un classeur)."""
    tableau: tuple[str, str, list[str]] | None = None
    """(nom, plage, en-têtes) d'un tableau Excel (Insertion > Tableau, avec ses filtres) posé sur
    la feuille ; les en-têtes sont ceux de sa première ligne."""
    validations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """(plages, libellés) : un menu déroulant sur ces plages (« G7:G9 G12 »), rien d'autre admis."""

    def ecrire(self, ligne: int, colonne: int, valeur: object, style: str = "normal") -> None:
        """Pose ``valeur`` (texte, nombre, date, booléen ; None ou NaN : cellule vide) en
        (ligne, colonne), avec un style de la palette. Un texte reste un texte, même « =… »."""
        if isinstance(valeur, np.generic):
            valeur = valeur.item()
        if isinstance(valeur, float) and math.isnan(valeur):
            valeur = None
        self.cellules.setdefault(ligne, {})[colonne] = (valeur, INDICES[style])

    def ligne(self, ligne: int, valeurs: list[object], style: str = "normal", colonne: int = 1) -> None:
        for decalage, valeur in enumerate(valeurs):
            self.ecrire(ligne, colonne + decalage, valeur, style)

    def bloc(self, ligne: int, colonne: int, colonnes: list[tuple[pd.Series, str]]) -> None:
        """Un long tableau (des milliers de lignes) : chaque colonne, valeurs et style, est
        écrite d'un seul tenant."""
        self.blocs.append(Bloc(ligne, colonne, [(_serie(v), st) for v, st in colonnes]))

    def paragraphe(self, ligne: int, texte: str, style: str = "note", largeur: int = 180) -> int:
        """Un texte long coupé en lignes d'au plus ``largeur`` caractères, une par ligne de la
        feuille à partir de ``ligne`` (un texte qui déborde élargirait la page imprimée) ; rend la
        ligne suivante."""
        morceaux = textwrap.wrap(texte, largeur) or [""]
        for decalage, morceau in enumerate(morceaux):
            self.ecrire(ligne + decalage, 1, morceau, style)
        return ligne + len(morceaux)

    def graphique(
        self, graphique: ChartBase, ancre: str, largeur_cm: float = 18, hauteur_cm: float = 8.5
    ) -> None:
        self.graphiques.append(Graphique(graphique, ancre, largeur_cm, hauteur_cm))

    def placer_graphiques(self, ecart_cm: float = 0.4) -> None:
        """Chaque graphique à son ancre, ou assez bas pour ne chevaucher aucun de ceux placés
        avant lui : positions et tailles réelles, en centimètres (hauteurs de lignes et largeurs
        de colonnes de la feuille), comme Excel et LibreOffice les dessinent."""
        places: list[tuple[float, float, float, float]] = []
        hauts = [0.0]

        def haut_cm(ligne: int) -> float:
            while len(hauts) < ligne:
                hauts.append(hauts[-1] + self.hauteurs.get(len(hauts), _HAUTEUR_LIGNE_PT) * _CM_PAR_POINT)
            return hauts[ligne - 1]

        def gauche_cm(colonne: int) -> float:
            return sum(
                _largeur_colonne_cm(self.largeurs.get(c)) for c in range(1, colonne) if c not in self.masquees
            )

        for g in self.graphiques:
            lettre, ligne = coordinate_from_string(g.ancre)
            x = gauche_cm(column_index_from_string(lettre))
            while True:
                y = haut_cm(ligne)
                cadre = (x, y, x + g.largeur_cm, y + g.hauteur_cm)
                if not any(_chevauchent(cadre, autre, ecart_cm) for autre in places):
                    break
                ligne += 1
            g.ancre = f"{lettre}{ligne}"
            places.append(cadre)

    def garder_ensemble(self, premiere: int, derniere: int) -> None:
        """À l'impression, les lignes ``premiere`` à ``derniere`` commencent une nouvelle page
        plutôt que d'être coupées (sauf si elles dépassent une page)."""
        self.insecables.append((premiere, derniere))

    def sauts_de_page(self) -> list[int]:
        """Les lignes qui commencent une nouvelle page : avant chaque plage insécable qui ne
        tiendrait plus sur la page en cours, à l'échelle où la largeur tient sur une page A4
        (celle que le tableur applique, la mise en page ajustant la largeur à une page)."""
        largeur, hauteur = _PAGE_CM if self.paysage else _PAGE_CM[::-1]
        echelle = min(1.0, (largeur - 2 * _MARGE_LATERALE_CM) / self._largeur_cm())
        capacite = (hauteur - 2 * _MARGE_HAUTE_CM) / echelle

        def hauteur_cm(ligne: int) -> float:
            return self.hauteurs.get(ligne, _HAUTEUR_LIGNE_PT) * _CM_PAR_POINT

        sauts, debut_page = [], 1
        for premiere, derniere in sorted(self.insecables):
            occupe = sum(hauteur_cm(r) for r in range(debut_page, derniere + 1))
            if occupe > capacite and premiere > debut_page:
                sauts.append(premiere)
                debut_page = premiere
        return sauts

    def _largeur_cm(self) -> float:
        """La largeur imprimée : colonnes utilisées, et graphiques qui dépassent à droite."""

        def jusqua(colonne: int) -> float:
            return sum(
                _largeur_colonne_cm(self.largeurs.get(c)) for c in range(1, colonne) if c not in self.masquees
            )

        bords = [jusqua(self._derniere_colonne(visibles=True) + 1)]
        for g in self.graphiques:
            bords.append(jusqua(column_index_from_string(coordinate_from_string(g.ancre)[0])) + g.largeur_cm)
        return max(bords)

    def _derniere_colonne(self, visibles: bool = False) -> int:
        """La dernière colonne écrite (avec ``visibles`` : hors colonnes masquées)."""
        return max(
            [
                *(
                    max((k for k in c if not (visibles and k in self.masquees)), default=1)
                    for c in self.cellules.values()
                    if c
                ),
                *(b.colonne + len(b.colonnes) - 1 for b in self.blocs),
                1,
            ]
        )

    def _lignes_xml(self, correspondance: dict[int, int]) -> dict[int, list[tuple[int, str]]]:
        """Par ligne, les morceaux de XML de ses cellules, chacun avec sa première colonne."""
        lignes: dict[int, list[tuple[int, str]]] = {}
        for r, cellules in self.cellules.items():
            lignes[r] = [
                (c, _cellule(f"{get_column_letter(c)}{r}", v, correspondance[s]))
                for c, (v, s) in cellules.items()
            ]
        for bloc in self.blocs:
            n = len(bloc.colonnes[0][0])
            if n < _LIGNES_VECTORISEES:
                for j, (valeurs, style) in enumerate(bloc.colonnes):
                    lettre, indice = get_column_letter(bloc.colonne + j), correspondance[INDICES[style]]
                    for r, valeur in enumerate(valeurs.tolist(), start=bloc.ligne):
                        valeur = None if _manquante(valeur) else valeur
                        lignes.setdefault(r, []).append(
                            (bloc.colonne + j, _cellule(f"{lettre}{r}", valeur, indice))
                        )
                continue
            rangs = np.arange(bloc.ligne, bloc.ligne + n).astype(str).astype(object)
            morceaux = np.full(n, "", dtype=object)
            for j, (valeurs, style) in enumerate(bloc.colonnes):
                lettre = get_column_letter(bloc.colonne + j)
                morceaux = morceaux + _colonne(lettre, rangs, valeurs, correspondance[INDICES[style]])
            for r, morceau in enumerate(morceaux, start=bloc.ligne):
                lignes.setdefault(r, []).append((bloc.colonne, morceau))
        return lignes

    def xml(self, avec_dessin: bool, correspondance: dict[int, int]) -> str:
        """La feuille, ses styles pris dans le classeur cible (palette → indice cible)."""
        lignes = self._lignes_xml(correspondance)
        dimension = f"A1:{get_column_letter(self._derniere_colonne())}{max(lignes, default=1)}"
        morceaux = [
            f"{_ENTETE_XML}<worksheet {_NS} {_NS_R}>",
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{dimension}"/>',
            f'<sheetViews><sheetView workbookViewId="0">{self._volets()}</sheetView></sheetViews>',
            '<sheetFormatPr defaultRowHeight="15"/>',
        ]
        colonnes = sorted(set(self.largeurs) | self.masquees)
        if colonnes:
            morceaux.append(
                "<cols>"
                + "".join(
                    f'<col min="{c}" max="{c}" width="{self.largeurs.get(c, _LARGEUR_DEFAUT)}" '
                    + ('customWidth="1" hidden="1"/>' if c in self.masquees else 'customWidth="1"/>')
                    for c in colonnes
                )
                + "</cols>"
            )
        morceaux.append("<sheetData>")
        for r in sorted(set(lignes) | set(self.hauteurs)):
            hauteur = f' ht="{self.hauteurs[r]}" customHeight="1"' if r in self.hauteurs else ""
            contenu = "".join(xml for _, xml in sorted(lignes.get(r, [])))
            morceaux.append(f'<row r="{r}"{hauteur}>{contenu}</row>')
        morceaux.append("</sheetData>")
        if self.validations:
            morceaux.append(f'<dataValidations count="{len(self.validations)}">' + "".join(
                '<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                f'errorTitle="Suivi" error="Choisissez une valeur de la liste." sqref="{plages}">'
                f"<formula1>{_texte(chr(34) + ','.join(libelles) + chr(34))}</formula1></dataValidation>"
                for plages, libelles in self.validations
            ) + "</dataValidations>")  # fmt: skip
        if self.liens:
            morceaux.append(
                "<hyperlinks>"
                + "".join(
                    f'<hyperlink ref="{ref}" location="{cible}" display="{cible}"/>'
                    for ref, cible in ((ref, escape(cible, {'"': "&quot;"})) for ref, cible in self.liens)
                )
                + "</hyperlinks>"
            )
        orientation = "landscape" if self.paysage else "portrait"
        morceaux += [
            '<printOptions horizontalCentered="1"/>',
            '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>',
            f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>',
            "<headerFooter><oddFooter>&amp;C&amp;A — page &amp;P / &amp;N</oddFooter></headerFooter>",
        ]
        sauts = self.sauts_de_page() if self.insecables else []
        if sauts:
            # « id » : la dernière ligne avant le saut.
            breaks = "".join(f'<brk id="{r - 1}" max="16383" man="1"/>' for r in sauts)
            morceaux.append(
                f'<rowBreaks count="{len(sauts)}" manualBreakCount="{len(sauts)}">{breaks}</rowBreaks>'
            )
        if avec_dessin:
            morceaux.append('<drawing r:id="rId1"/>')
        if self.tableau is not None:
            morceaux.append('<tableParts count="1"><tablePart r:id="rId2"/></tableParts>')
        morceaux.append("</worksheet>")
        return "".join(morceaux)

    def _volets(self) -> str:
        if not self.volets:
            return ""
        lettre, ligne = coordinate_from_string(self.volets)
        colonnes, lignes = column_index_from_string(lettre) - 1, ligne - 1
        panneau = {(True, True): "bottomRight", (True, False): "topRight", (False, True): "bottomLeft"}[
            (colonnes > 0, lignes > 0)
        ]
        attributs = (f' xSplit="{colonnes}"' if colonnes else "") + (f' ySplit="{lignes}"' if lignes else "")
        return (
            f'<pane{attributs} topLeftCell="{self.volets}" activePane="{panneau}" state="frozen"/>'
            f'<selection pane="{panneau}" activeCell="{self.volets}" sqref="{self.volets}"/>'
        )


_TYPE_OOXML = "application/vnd.openxmlformats-officedocument"
_TYPE_CLASSEUR = f"{_TYPE_OOXML}.spreadsheetml.sheet.main+xml"
_TYPE_STYLES = f"{_TYPE_OOXML}.spreadsheetml.styles+xml"
_TYPE_FEUILLE = f"{_TYPE_OOXML}.spreadsheetml.worksheet+xml"
_TYPE_GRAPHIQUE = f"{_TYPE_OOXML}.drawingml.chart+xml"
_TYPE_DESSIN = f"{_TYPE_OOXML}.drawing+xml"
_TYPE_TABLEAU = f"{_TYPE_OOXML}.spreadsheetml.table+xml"
_TYPE_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_TYPE_APP = f"{_TYPE_OOXML}.extended-properties+xml"


@dataclass
class _Paquet:
    """Les parties d'un paquet en cours d'écriture, dans l'ordre, avec leur type de contenu."""

    parties: dict[str, str] = field(default_factory=dict)
    types: list[tuple[str, str]] = field(default_factory=list)
    dessins: int = 0
    graphiques: int = 0
    tableaux: int = 0

    def ajouter(self, nom: str, contenu: str, type_: str | None = None) -> None:
        self.parties[nom] = contenu
        if type_ is not None:
            self.types.append((f"/{nom}", type_))

    def types_de_contenu(self) -> str:
        """[Content_Types].xml : les extensions par défaut, puis chaque partie typée."""
        ordre = {nom: i for i, nom in enumerate(_ORDRE_DES_TYPES)}
        types = sorted(self.types, key=lambda t: ordre.get(t[0], len(ordre)))
        return (
            f'{_ENTETE_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{_TYPE_RELS}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in types)
            + "</Types>"
        )

    def zip(self, compresse: bool) -> bytes:
        tampon = io.BytesIO()
        methode = zipfile.ZIP_DEFLATED if compresse else zipfile.ZIP_STORED
        with zipfile.ZipFile(tampon, "w", methode) as paquet:
            for nom, contenu in self.parties.items():
                entree = zipfile.ZipInfo(nom, date_time=(1980, 1, 1, 0, 0, 0))
                entree.compress_type = methode  # writestr prend celle de l'entrée, pas de l'archive
                paquet.writestr(entree, contenu.encode("utf-8"))
        return tampon.getvalue()


_ORDRE_DES_TYPES = ("/xl/workbook.xml", "/xl/styles.xml")
"""Le classeur et ses styles d'abord dans [Content_Types].xml, comme avant ; puis les feuilles,
les graphiques et les dessins dans l'ordre de leur écriture, les propriétés en dernier."""


class Classeur:
    """Un classeur de quelques feuilles, sérialisé en paquet .xlsx par ``octets``."""

    def __init__(self, titre: str | None = None) -> None:
        self.feuilles: list[Feuille] = []
        self.titre = titre
        """Le titre des propriétés du document (un classeur autonome) ; None pour un greffon,
        dont seules les feuilles comptent."""

    def feuille(self, nom: str, paysage: bool = True) -> Feuille:
        feuille = Feuille(nom, paysage=paysage)
        self.feuilles.append(feuille)
        return feuille

    def octets(self, correspondance: dict[int, int] | None = None, compresse: bool = True) -> bytes:
        """Le paquet .xlsx (dates fixes : deux écritures identiques donnent les mêmes octets),
        ses cellules écrites avec les styles ``correspondance`` (indice dans la palette →
        indice dans le classeur qui les recevra) ; par défaut, ceux de ``styles_xml``. Sans
        ``compresse``, les parties sont stockées telles quelles (un paquet intermédiaire, que
        la greffe relit aussitôt).

        Une méthode par partie du paquet, comme l'empaqueteur d'XlsxWriter : les feuilles et
        leurs dessins, le classeur et ses relations, les styles, les propriétés, les types de
        contenu, les relations du paquet."""
        paquet = _Paquet()
        for rang, feuille in enumerate(self.feuilles, start=1):
            self._feuille(paquet, rang, feuille, correspondance or {i: i for i in INDICES.values()})
        self._classeur(paquet)
        paquet.ajouter("xl/styles.xml", styles_xml(), _TYPE_STYLES)
        if self.titre is not None:
            core, app = self._proprietes()
            paquet.ajouter("docProps/core.xml", core, _TYPE_CORE)
            paquet.ajouter("docProps/app.xml", app, _TYPE_APP)
        paquet.ajouter("_rels/.rels", self._relations_du_paquet())
        paquet.ajouter("[Content_Types].xml", paquet.types_de_contenu())
        return paquet.zip(compresse)

    def _feuille(self, paquet: _Paquet, rang: int, feuille: Feuille, correspondance: dict[int, int]) -> None:
        """La feuille n° ``rang`` et, si elle a des graphiques, son dessin et ses graphiques."""
        feuille.placer_graphiques()
        xml = feuille.xml(bool(feuille.graphiques), correspondance)
        paquet.ajouter(f"xl/worksheets/sheet{rang}.xml", xml, _TYPE_FEUILLE)
        if feuille.tableau is not None:
            paquet.tableaux += 1
            nom, plage, entetes = feuille.tableau
            colonnes = "".join(
                f'<tableColumn id="{j}" name={quoteattr(_INTERDITS.sub("", e))}/>'
                for j, e in enumerate(entetes, 1)
            )
            paquet.ajouter(f"xl/tables/table{paquet.tableaux}.xml", (
                f'{_ENTETE_XML}<table {_NS} id="{paquet.tableaux}" name="{nom}" displayName="{nom}" '
                f'ref="{plage}" totalsRowShown="0"><autoFilter ref="{plage}"/>'
                f'<tableColumns count="{len(entetes)}">{colonnes}</tableColumns>'
                '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" '
                'showRowStripes="1" showColumnStripes="0"/></table>'
            ), _TYPE_TABLEAU)  # fmt: skip
            paquet.ajouter(
                f"xl/worksheets/_rels/sheet{rang}.xml.rels",
                f'{_ENTETE_XML}{_RELS}<Relationship Id="rId2" Type="{_REL}/table" '
                f'Target="/xl/tables/table{paquet.tableaux}.xml"/></Relationships>',
            )
            if feuille.graphiques:
                raise ValueError("une feuille porte un tableau Excel ou des graphiques, pas les deux")
        if not feuille.graphiques:
            return
        paquet.dessins += 1
        dessin = SpreadsheetDrawing()
        dessin._id = paquet.dessins
        for g in feuille.graphiques:
            paquet.graphiques += 1
            g.graphique._id = paquet.graphiques
            g.graphique.anchor = g.ancre
            g.graphique.width, g.graphique.height = g.largeur_cm, g.hauteur_cm
            dessin.charts.append(g.graphique)
            paquet.ajouter(
                g.graphique.path[1:], tostring(g.graphique._write()).decode("utf-8"), _TYPE_GRAPHIQUE
            )
        paquet.ajouter(dessin.path[1:], tostring(dessin._write()).decode("utf-8"), _TYPE_DESSIN)
        paquet.ajouter(f"xl/drawings/_rels/drawing{paquet.dessins}.xml.rels",
                       tostring(dessin._write_rels()).decode("utf-8"))  # fmt: skip
        paquet.ajouter(
            f"xl/worksheets/_rels/sheet{rang}.xml.rels",
            f'{_ENTETE_XML}{_RELS}<Relationship Id="rId1" Type="{_REL}/drawing" '
            f'Target="/{dessin.path[1:]}"/></Relationships>',
        )

    def _classeur(self, paquet: _Paquet) -> None:
        """xl/workbook.xml (la liste des feuilles) et ses relations (feuilles, styles)."""
        feuilles, liens = [], []
        for rang, feuille in enumerate(self.feuilles, start=1):
            etat = ' state="hidden"' if feuille.masquee else ""
            feuilles.append(f'<sheet name={quoteattr(feuille.nom)} sheetId="{rang}"{etat} r:id="rId{rang}"/>')
            liens.append(
                f'<Relationship Id="rId{rang}" Type="{_REL}/worksheet" Target="worksheets/sheet{rang}.xml"/>'
            )
        liens.append(
            f'<Relationship Id="rId{len(self.feuilles) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        )
        paquet.ajouter(
            "xl/workbook.xml",
            f"{_ENTETE_XML}<workbook {_NS} {_NS_R}><sheets>{''.join(feuilles)}</sheets></workbook>",
            _TYPE_CLASSEUR,
        )
        paquet.ajouter("xl/_rels/workbook.xml.rels", f"{_ENTETE_XML}{_RELS}{''.join(liens)}</Relationships>")

    def _relations_du_paquet(self) -> str:
        """_rels/.rels : le classeur, et ses propriétés s'il en a."""
        liens = f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        if self.titre is not None:
            liens += (
                f'<Relationship Id="rId2" Type="{_REL_PROPRIETES}/metadata/core-properties" '
                'Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            )
        return f"{_ENTETE_XML}{_RELS}{liens}</Relationships>"

    def _proprietes(self) -> tuple[str, str]:
        """docProps : titre et auteur (« coaching-xl »), que l'explorateur de fichiers et le
        tableur affichent ; pas de date, pour que deux écritures donnent les mêmes octets."""
        core = (
            f"{_ENTETE_XML}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{_texte(self.titre)}</dc:title><dc:creator>{PRODUCTEUR}</dc:creator>"
            "</cp:coreProperties>"
        )
        app = (
            f"{_ENTETE_XML}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{PRODUCTEUR}</Application></Properties>"
        )
        return core, app
