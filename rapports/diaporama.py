"""Les diaporamas PowerPoint de coaching-xl (16:9, modifiables, en français), écrits avec
python-pptx : textes, tableaux et graphiques natifs (l'API de graphiques de python-pptx, données
incorporées : un graphique se modifie dans PowerPoint ou Impress comme s'il y avait été
dessiné), notes de l'orateur qui disent d'où vient chaque chiffre.

Un texte ne déborde jamais de son cadre : sa taille de police se choisit à l'écriture, de la
plus grande à la plus petite admise, sur une estimation prudente de sa place (``place``) ; au
plus petit, il est coupé d'une ellipse. ``debordements`` relit un diaporama écrit et applique
la même estimation à chaque cadre : les tests le vérifient sur les noms les plus longs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Cm, Emu, Pt

from socle import couleurs, formats, version
from socle.erreurs import ErreurEcriture, ErreurUsage, FichierExistant
from socle.fichiers import ecriture_atomique
from socle.ouvrages import PRODUCTEUR

LARGEUR_CM, HAUTEUR_CM = 33.867, 19.05
"""16:9 (13,333 × 7,5 pouces), le format par défaut de PowerPoint."""
MARGE_CM = 1.2
CHASSE = 0.55
"""Largeur moyenne d'un caractère, en fraction de la taille de police (Calibri ≈ 0,5 ; un peu
plus, par prudence, pour les capitales et les chiffres)."""
INTERLIGNE = 1.25
FORMATS_GRAPHIQUE = {"pourcent": formats.POURCENT_ENTIER, "jours": "0.0", "entier": "0"}


def _rvb(couleur: str) -> RGBColor:
    return RGBColor.from_string(couleur)


def lignes_estimees(texte: str, largeur_cm: float, taille: float) -> int:
    """Le nombre de lignes qu'occupe ``texte`` dans un cadre de cette largeur (mots entiers)."""
    par_ligne = max(1, int(largeur_cm / 2.54 * 72 / (taille * CHASSE)))
    total = 0
    for paragraphe in texte.split("\n"):
        lignes, courante = 1, 0
        for mot in paragraphe.split():
            if courante and courante + 1 + len(mot) <= par_ligne:
                courante += 1 + len(mot)
                continue
            if courante:
                lignes += 1
            lignes += (len(mot) - 1) // par_ligne  # un mot plus long qu'une ligne
            courante = len(mot) % par_ligne or par_ligne
        total += lignes
    return total


def place(textes: Sequence[str], largeur_cm: float, taille: float, avant_pt: float = 0) -> float:
    """La hauteur (cm) qu'occupent ces paragraphes à cette taille, marges du cadre comprises."""
    lignes = sum(lignes_estimees(t, largeur_cm - 0.5, taille) for t in textes)
    return lignes * taille * INTERLIGNE / 72 * 2.54 + len(textes) * avant_pt / 72 * 2.54 + 0.3


@dataclass
class Diapo:
    """Une diapositive en cours d'écriture."""

    diapo: object
    numero: int

    def texte(
        self, x: float, y: float, largeur: float, hauteur: float, paragraphes: Sequence[str] | str,
        taille: float = 18, minimum: float = 10, gras: bool = False, couleur: str = couleurs.BLEU,
        centre: bool = False, puces: bool = False,
    ) -> None:  # fmt: skip
        """Un cadre de texte (cm) ; la police, de ``taille`` à ``minimum`` points, est la plus
        grande qui tienne ; au plus petit, les derniers paragraphes sont coupés."""
        paragraphes = [paragraphes] if isinstance(paragraphes, str) else list(paragraphes)
        textes = [f"• {p}" if puces else p for p in paragraphes]
        avant = 4 if puces else 0
        corps = taille
        while corps > minimum and place(textes, largeur, corps, avant) > hauteur:
            corps -= 0.5
        while len(textes) > 1 and place(textes, largeur, corps, avant) > hauteur:
            textes = [*textes[:-2], textes[-2] + " …"] if len(textes) > 2 else [textes[0] + " …"]
        if place(textes, largeur, corps, avant) > hauteur:
            textes = [_couper(textes[0], largeur, hauteur, corps)]
        cadre = self.diapo.shapes.add_textbox(Cm(x), Cm(y), Cm(largeur), Cm(hauteur)).text_frame
        cadre.word_wrap = True
        cadre.vertical_anchor = MSO_ANCHOR.TOP
        for i, contenu in enumerate(textes):
            paragraphe = cadre.paragraphs[0] if i == 0 else cadre.add_paragraph()
            paragraphe.text = contenu
            paragraphe.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
            if avant:
                paragraphe.space_before = Pt(avant)
            police = paragraphe.font
            police.size, police.bold, police.color.rgb = Pt(corps), gras, _rvb(couleur)

    def titre(self, texte: str, sous_titre: str | None = None) -> float:
        """Le titre (et un sous-titre) en haut de la diapositive ; rend où le corps commence."""
        self.texte(MARGE_CM, 0.7, LARGEUR_CM - 2 * MARGE_CM, 1.9, texte, 28, 18, gras=True)
        if sous_titre:
            self.texte(
                MARGE_CM, 2.55, LARGEUR_CM - 2 * MARGE_CM, 1.1, sous_titre, 14, 10, couleur=couleurs.GRIS
            )
        return 3.8

    def notes(self, texte: str) -> None:
        """Les notes de l'orateur : d'où viennent les chiffres, ce qu'il faut en dire."""
        self.diapo.notes_slide.notes_text_frame.text = texte

    def tableau(
        self, x: float, y: float, largeur: float, entetes: Sequence[str], lignes: Sequence[Sequence[str]],
        proportions: Sequence[float], hauteur_max: float, taille: float = 14, gras: Sequence[int] = (),
        a_gauche: Sequence[int] = (0,),
    ) -> None:  # fmt: skip
        """Un tableau natif ; la police diminue jusqu'à 9 points pour que chaque cellule (mots
        entiers) et tout le tableau tiennent dans ``hauteur_max`` cm."""
        total = sum(proportions)
        largeurs = [largeur * p / total for p in proportions]
        rangees = [list(entetes), *[list(map(str, ligne)) for ligne in lignes]]

        def hauteur(corps: float) -> float:
            return hauteur_table(rangees, largeurs, corps)

        corps = taille
        while corps > 9 and hauteur(corps) > hauteur_max:
            corps -= 0.5
        while len(rangees) > 2 and hauteur(corps) > hauteur_max:
            rangees.pop()
        forme = self.diapo.shapes.add_table(len(rangees), len(entetes), Cm(x), Cm(y), Cm(largeur),
                                            Cm(min(hauteur(corps), hauteur_max)))  # fmt: skip
        table = forme.table
        for j, w in enumerate(largeurs):
            table.columns[j].width = Emu(int(Cm(w)))
        for i, rangee in enumerate(rangees):
            for j, contenu in enumerate(rangee):
                cellule = table.cell(i, j)
                cellule.text = contenu
                cellule.margin_left = cellule.margin_right = Cm(0.12)
                cellule.margin_top = cellule.margin_bottom = Cm(0.05)
                paragraphe = cellule.text_frame.paragraphs[0]
                paragraphe.alignment = PP_ALIGN.LEFT if j in a_gauche else PP_ALIGN.RIGHT
                paragraphe.font.size = Pt(corps)
                paragraphe.font.bold = i == 0 or (i - 1) in gras
                if i == 0:
                    cellule.fill.solid()
                    cellule.fill.fore_color.rgb = _rvb(couleurs.BLEU)
                    paragraphe.font.color.rgb = _rvb(couleurs.BLANC)
                    paragraphe.alignment = PP_ALIGN.CENTER
                elif (i - 1) in gras:
                    cellule.fill.solid()
                    cellule.fill.fore_color.rgb = _rvb(couleurs.BLEU_CLAIR)

    def graphique(
        self, genre: str, x: float, y: float, largeur: float, hauteur: float, categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]], format_: str, titre: str | None = None,
        reperes: Sequence[int] = (), etiquettes: bool = True,
    ) -> None:  # fmt: skip
        """Un graphique natif, données incorporées : ``genre`` « colonnes », « barres » (un
        classement, le premier en haut) ou « courbes » ; ``reperes`` : les catégories à mettre en
        valeur (la région) ; les nombres au format ``format_`` (« pourcent », « jours »…)."""
        nombre = FORMATS_GRAPHIQUE[format_]
        donnees = CategoryChartData(number_format=nombre)
        donnees.categories = list(categories)
        for nom, valeurs in series:
            donnees.add_series(nom, [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                                     for v in valeurs])  # fmt: skip
        type_ = {"colonnes": XL_CHART_TYPE.COLUMN_CLUSTERED, "barres": XL_CHART_TYPE.BAR_CLUSTERED,
                 "courbes": XL_CHART_TYPE.LINE_MARKERS}[genre]  # fmt: skip
        graphique = self.diapo.shapes.add_chart(type_, Cm(x), Cm(y), Cm(largeur), Cm(hauteur), donnees).chart
        graphique.font.size = Pt(11 if len(categories) <= 12 else 8)
        graphique.has_legend = len(series) > 1
        if graphique.has_legend:
            graphique.legend.position = XL_LEGEND_POSITION.BOTTOM
            graphique.legend.include_in_layout = False
        graphique.has_title = bool(titre)
        if titre:
            graphique.chart_title.text_frame.text = titre
            graphique.chart_title.text_frame.paragraphs[0].font.size = Pt(13)
        axe = graphique.value_axis
        axe.tick_labels.number_format, axe.tick_labels.number_format_is_linked = nombre, False
        axe.minimum_scale = 0  # un classement, une évolution se lisent depuis zéro
        axe.has_major_gridlines = True
        axe.major_gridlines.format.line.color.rgb = _rvb("D9D9D9")
        if genre == "barres":
            graphique.category_axis.reverse_order = True
            axe.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        for rang, serie in enumerate(graphique.plots[0].series):
            couleur = couleurs.SERIES[rang % len(couleurs.SERIES)]
            if genre == "courbes":
                serie.format.line.color.rgb = _rvb(couleur)
                serie.format.line.width = Pt(2.5)
                serie.smooth = False
            else:
                serie.format.fill.solid()
                serie.format.fill.fore_color.rgb = _rvb(couleur)
                for repere in reperes:
                    point = serie.points[repere]
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = _rvb(couleurs.ACCENT)
        if etiquettes and genre != "courbes":
            plot = graphique.plots[0]
            plot.has_data_labels = True
            precis = formats.POURCENT if format_ == "pourcent" else nombre  # « 6,6 % » sur la barre
            plot.data_labels.number_format, plot.data_labels.number_format_is_linked = precis, False
            plot.data_labels.font.size = Pt(9 if len(categories) > 12 else 11)
            if genre == "colonnes":
                plot.gap_width = 80


def _couper(texte: str, largeur: float, hauteur: float, taille: float) -> str:
    mots = texte.split()
    while len(mots) > 1 and place([" ".join(mots) + " …"], largeur, taille) > hauteur:
        mots.pop()
    return " ".join(mots) + " …"


class Diaporama:
    """Un diaporama 16:9 : des diapositives vierges que ``Diapo`` remplit."""

    def __init__(self, titre: str) -> None:
        self.presentation = Presentation()
        self.presentation.slide_width, self.presentation.slide_height = Cm(LARGEUR_CM), Cm(HAUTEUR_CM)
        proprietes = self.presentation.core_properties
        proprietes.title, proprietes.author = titre, PRODUCTEUR
        proprietes.comments = f"Écrit par coaching-xl {version()}"
        proprietes.language = "fr-FR"
        self.pied = titre

    def diapo(self) -> Diapo:
        diapo = self.presentation.slides.add_slide(self.presentation.slide_layouts[6])
        numero = len(self.presentation.slides)
        resultat = Diapo(diapo, numero)
        resultat.texte(MARGE_CM, HAUTEUR_CM - 1.1, LARGEUR_CM - 2 * MARGE_CM - 2, 0.8, self.pied, 9, 7,
                       couleur=couleurs.GRIS)  # fmt: skip
        resultat.texte(
            LARGEUR_CM - MARGE_CM - 2, HAUTEUR_CM - 1.1, 2, 0.8, str(numero), 9, 9, couleur=couleurs.GRIS
        )
        return resultat

    def ecrire(self, chemin: Path, ecraser: bool = False) -> Path:
        """Écrit le diaporama d'un seul renommage (rien de moitié écrit) ; un fichier existant
        n'est remplacé qu'avec ``ecraser``."""
        chemin = Path(chemin)
        verifier_sortie(chemin, ecraser)
        try:
            with ecriture_atomique(chemin) as temporaire:
                self.presentation.save(str(temporaire))
        except OSError as e:
            raise ErreurEcriture(
                f"{chemin} : le diaporama n'a pas pu s'écrire ({e.strerror or e})."
            ) from None
        return chemin


def verifier_sortie(chemin: Path, ecraser: bool) -> None:
    """Un diaporama s'écrit dans un .pptx nouveau, ou existant avec ``ecraser``."""
    if chemin.is_dir() or chemin.suffix.lower() != ".pptx":
        raise ErreurUsage(
            f"-o {chemin} : le diaporama s'écrit dans un fichier .pptx, par exemple -o cme.pptx."
        )
    if chemin.exists() and not ecraser:
        raise FichierExistant(f"{chemin} existe déjà : choisissez un autre nom (-o), ou ajoutez --ecraser.")


def hauteur_table(rangees: Sequence[Sequence[str]], largeurs: Sequence[float], corps: float) -> float:
    """La hauteur (cm) d'un tableau : chaque rangée, à la hauteur de sa cellule la plus haute
    (mots entiers, marges comprises)."""
    return sum(
        max(lignes_estimees(c, w - 0.4, corps * 1.1) for c, w in zip(r, largeurs, strict=True))
        * corps * INTERLIGNE / 72 * 2.54 + 0.25
        for r in rangees
    )  # fmt: skip


def hauteur_tableau(table) -> float:
    """``hauteur_table`` d'un tableau relu dans un diaporama."""
    largeurs = [Emu(c.width).cm for c in table.columns]
    rangees = [[table.cell(i, j).text for j in range(len(largeurs))] for i in range(len(table.rows))]
    tailles = [p.font.size.pt for i in range(len(table.rows)) for j in range(len(largeurs))
               for p in table.cell(i, j).text_frame.paragraphs if p.font.size]  # fmt: skip
    return hauteur_table(rangees, largeurs, max(tailles, default=18))


def debordements(chemin: Path) -> list[str]:
    """Relit un diaporama écrit : chaque cadre de texte dont le texte, à sa taille de police,
    ne tiendrait pas dans le cadre, et chaque forme qui sort de la diapositive."""
    presentation = Presentation(str(chemin))
    largeur, hauteur = presentation.slide_width, presentation.slide_height
    problemes = []
    for numero, diapo in enumerate(presentation.slides, start=1):
        for forme in diapo.shapes:
            if (
                forme.left < 0
                or forme.top < 0
                or forme.left + forme.width > largeur
                or forme.top + forme.height > hauteur
            ):
                problemes.append(f"diapositive {numero} : « {forme.name} » sort de la diapositive")
            if forme.has_table:
                bas = Emu(forme.top).cm + hauteur_tableau(forme.table)
                if bas > Emu(hauteur).cm - 1.1:
                    problemes.append(
                        f"diapositive {numero} : un tableau descend jusqu'à {bas:.1f} cm, sur le pied"
                    )
                continue
            if not forme.has_text_frame or not forme.text_frame.text:
                continue
            paragraphes = forme.text_frame.paragraphs
            taille = max((p.font.size.pt for p in paragraphes if p.font.size), default=18)
            textes = [p.text for p in paragraphes]
            avant = max((p.space_before.pt for p in paragraphes if p.space_before), default=0)
            if place(textes, Emu(forme.width).cm, taille, avant) > Emu(forme.height).cm + 1e-6:
                problemes.append(f"diapositive {numero} : « {textes[0][:40]} » déborde de son cadre")
    return problemes
