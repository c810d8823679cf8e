"""Les graphiques Excel natifs (modifiables dans Excel et LibreOffice) de tous nos classeurs :
le tableau de bord de la grille comme les feuilles de résultats de ``compute``."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.axis import TextAxis, _BaseAxis
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
    RichTextProperties,
)

from recueil import references
from socle import couleurs, formats

COULEUR_COLONNES = couleurs.COLONNES
COULEUR_COURBE = couleurs.ACCENT
COULEUR_REFERENCE = couleurs.ACCENT
"""La barre ou la courbe de référence (la région) tranche sur les autres."""
COULEURS_SERIES = couleurs.SERIES
"""Une couleur par établissement dans les courbes (au-delà, le tableur choisit)."""


def plage(feuille: str, lettre: str, premiere: int, derniere: int) -> Reference:
    """Une colonne d'une feuille, des lignes ``premiere`` à ``derniere``."""
    return Reference(range_string=references.plage(feuille, lettre, premiere, derniere))


def ligne(feuille: str, numero: int, premiere: str, derniere: str) -> Reference:
    """Une ligne d'une feuille, des colonnes ``premiere`` à ``derniere``."""
    return Reference(
        range_string=f"{references.reference_feuille(feuille)}!${premiere}${numero}:${derniere}${numero}"
    )


def _texte(taille: int, gras: bool = False, rotation: int | None = None) -> RichText:
    proprietes = CharacterProperties(sz=taille * 100, b=gras)
    return RichText(
        bodyPr=RichTextProperties(rot=None if rotation is None else rotation * 60000),
        p=[Paragraph(pPr=ParagraphProperties(defRPr=proprietes), endParaRPr=proprietes)],
    )


def _titre(libelle: str, taille: int) -> Title:
    proprietes = CharacterProperties(sz=taille * 100, b=True)
    titre = Title()
    titre.tx.rich.paragraphs = [
        Paragraph(
            pPr=ParagraphProperties(defRPr=proprietes),
            r=[RegularTextRun(rPr=proprietes, t=libelle)],
        )
    ]
    titre.overlay = False
    return titre


def _axe(
    axe: _BaseAxis,
    titre: str | None,
    format_nombre: str | None,
    position: str,
    rotation: int | None = None,
) -> None:
    """Un axe visible (openpyxl 3.1 les masque sinon dans Excel), titré, lisible."""
    axe.delete = False
    axe.axPos = position
    if isinstance(axe, TextAxis):
        # Un axe de catégories reste un axe de texte, même quand les catégories sont des dates
        # (les semaines) : sans cela, Excel, et LibreOffice après un enregistrement, en font un axe
        # chronologique (barres fines, une étiquette tous les quelques jours).
        axe.auto = False
    if titre:
        axe.title = _titre(titre, 9)
    if format_nombre:
        axe.number_format = format_nombre
    axe.txPr = _texte(8, rotation=rotation)


def _serie(valeurs: Reference, libelle: str) -> Series:
    return Series(valeurs, title=libelle)


def colonnes_et_courbe(
    titre: str,
    categories: Reference,
    colonnes: tuple[Reference, str],
    courbe: tuple[Reference, str],
    *,
    titre_categories: str,
    titre_colonnes: str,
    titre_courbe: str,
    format_colonnes: str = formats.POURCENT_ENTIER,
    format_courbe: str = formats.NOMBRE,
    format_categories: str | None = None,
) -> BarChart:
    """Colonnes sur l'axe de gauche, courbe sur un second axe à droite (le graphique
    « taux programmé non-honoré vs délais » de la grille d'origine)."""
    barres = BarChart()
    barres.type = "col"
    barres.title = _titre(titre, 12)
    serie = _serie(*colonnes)
    serie.graphicalProperties.solidFill = COULEUR_COLONNES
    serie.graphicalProperties.line.solidFill = COULEUR_COLONNES
    barres.series.append(serie)
    barres.set_categories(categories)
    _axe(barres.x_axis, titre_categories, format_categories, "b", rotation=-45)
    _axe(barres.y_axis, titre_colonnes, format_colonnes, "l")
    barres.y_axis.scaling.min = 0

    ligne = LineChart()
    serie_courbe = _serie(*courbe)
    serie_courbe.graphicalProperties.line.solidFill = COULEUR_COURBE
    serie_courbe.graphicalProperties.line.width = 28575
    serie_courbe.marker.symbol = "circle"
    serie_courbe.marker.size = 5
    serie_courbe.marker.graphicalProperties = None
    serie_courbe.smooth = False
    ligne.series.append(serie_courbe)
    ligne.set_categories(categories)
    # Un second axe des catégories, masqué, porte l'axe de droite : c'est la forme qu'Excel
    # écrit pour un graphique combiné ; sans lui, LibreOffice dessine un axe des semaines en haut.
    ligne.x_axis.axId = 500
    ligne.x_axis.delete = True
    ligne.x_axis.axPos = "b"
    ligne.y_axis.axId = 200
    ligne.y_axis.crossAx = 500
    ligne.y_axis.crosses = "max"
    ligne.y_axis.majorGridlines = None
    _axe(ligne.y_axis, titre_courbe, format_courbe, "r")
    ligne.y_axis.scaling.min = 0
    barres += ligne
    _finir(barres)
    return barres


def colonnes(
    titre: str,
    categories: Reference,
    series: list[tuple[Reference, str]],
    *,
    titre_categories: str,
    titre_valeurs: str,
    format_valeurs: str = formats.POURCENT_ENTIER,
    rotation: int | None = None,
    empile: bool = False,
    couleurs: tuple[str, ...] = COULEURS_SERIES,
) -> BarChart:
    """Un histogramme simple ; une série par couple (valeurs, libellé), côte à côte ou
    empilées, de ``couleurs`` successives."""
    barres = BarChart()
    barres.type = "col"
    if empile:
        barres.grouping = "stacked"
        barres.overlap = 100
    barres.title = _titre(titre, 12)
    # Chaque série reçoit sa couleur : sans remplissage explicite, LibreOffice dessine les
    # barres d'un graphique à plusieurs séries sans couleur.
    for rang, (valeurs, libelle) in enumerate(series):
        serie = _serie(valeurs, libelle)
        couleur = couleurs[rang % len(couleurs)]
        serie.graphicalProperties.solidFill = couleur
        serie.graphicalProperties.line.solidFill = couleur
        barres.series.append(serie)
    if len(series) == 1:
        barres.legend = None
    barres.set_categories(categories)
    _axe(barres.x_axis, titre_categories, None, "b", rotation=rotation)
    _axe(barres.y_axis, titre_valeurs, format_valeurs, "l")
    barres.y_axis.scaling.min = 0
    _finir(barres)
    return barres


def barres_classees(
    titre: str,
    categories: Reference,
    valeurs: Reference,
    *,
    titre_valeurs: str,
    format_valeurs: str,
    reference: int | None = None,
) -> BarChart:
    """Des barres horizontales, la première catégorie en haut : un classement du meilleur au
    moins bon. ``reference`` : rang (à partir de 0) de la barre à distinguer (la région)."""
    barres = BarChart()
    barres.type = "bar"
    barres.title = _titre(titre, 12)
    serie = _serie(valeurs, titre_valeurs)
    serie.graphicalProperties.solidFill = COULEUR_COLONNES
    serie.graphicalProperties.line.solidFill = COULEUR_COLONNES
    if reference is not None:
        point = DataPoint(idx=reference)
        point.graphicalProperties.solidFill = COULEUR_REFERENCE
        point.graphicalProperties.line.solidFill = COULEUR_REFERENCE
        serie.dPt.append(point)
    barres.series.append(serie)
    barres.set_categories(categories)
    barres.legend = None
    barres.gapWidth = 60
    # Catégories de haut en bas dans l'ordre du tableau ; l'axe des valeurs reste en bas.
    barres.x_axis.scaling.orientation = "maxMin"
    barres.y_axis.crosses = "max"
    _axe(barres.x_axis, None, None, "l")
    _axe(barres.y_axis, titre_valeurs, format_valeurs, "b")
    barres.y_axis.scaling.min = 0
    _finir(barres)
    return barres


def courbes(
    titre: str,
    categories: Reference,
    series: list[tuple[Reference, str]],
    *,
    titre_categories: str,
    titre_valeurs: str,
    format_valeurs: str,
    reference: int | None = None,
) -> LineChart:
    """Une courbe par couple (valeurs, libellé) ; la série ``reference`` (la région) en trait
    épais."""
    graphique = LineChart()
    graphique.title = _titre(titre, 12)
    for rang, (valeurs, libelle) in enumerate(series):
        serie = _serie(valeurs, libelle)
        couleur = COULEUR_REFERENCE if rang == reference else COULEURS_SERIES[rang % len(COULEURS_SERIES)]
        serie.graphicalProperties.line.solidFill = couleur
        serie.graphicalProperties.line.width = 44450 if rang == reference else 19050
        serie.marker.symbol = "circle"
        serie.marker.size = 7 if rang == reference else 5
        serie.marker.graphicalProperties = GraphicalProperties(solidFill=couleur)
        serie.marker.graphicalProperties.line.solidFill = couleur
        serie.smooth = False
        graphique.series.append(serie)
    graphique.set_categories(categories)
    _axe(graphique.x_axis, titre_categories, None, "b")
    _axe(graphique.y_axis, titre_valeurs, format_valeurs, "l")
    graphique.y_axis.scaling.min = 0
    _finir(graphique)
    return graphique


def _finir(graphique: BarChart | LineChart) -> None:
    if graphique.legend is not None:
        graphique.legend.position = "b"
    graphique.visible_cells_only = False
    graphique.display_blanks = "gap"
