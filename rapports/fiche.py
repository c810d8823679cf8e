"""La fiche synthétique d'un établissement (SPEC §7) et la synthèse régionale, en PDF A4 :
ce qu'un établissement reçoit à chaque jalon, comme la fiche du benchmark régional.

Dessinée avec matplotlib (figures sans pyplot, police DejaVu Sans livrée avec matplotlib :
le même rendu partout), lisible imprimée en noir et blanc (gris, hachures, marqueurs), et
déterministe : deux écritures donnent les mêmes octets (aucune date de création).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from moteur.consolidation import REGION, STATUTS, Consolidation, classement, completude, positions
from moteur.contrat import Suivi
from moteur.resultat import Essentiel
from rapports.feuilles import VERDICTS
from recueil import schema as s
from recueil.calendrier import Calendrier
from socle import couleurs, version
from socle.couleurs import en_html
from socle.fichiers import ecriture_atomique
from socle.francais import VIDE, entier, objectif, pluriel, pourcent, valeur

A4 = (8.27, 11.69)
"""Portrait, en pouces."""
MARGE = 0.06
"""Marges gauche et droite, en fraction de la largeur."""
PIED = 0.04
"""Le bas de page réservé au pied, en fraction de la hauteur."""
ENCRE = "#1A1A1A"
GRIS = en_html(couleurs.GRIS)
BARRES = "#7F9CC0"
"""Un bleu moyen : gris moyen une fois imprimé en noir et blanc."""
REFERENCE = en_html(couleurs.ACCENT)
TRAIT = en_html(couleurs.TRAIT)
FOND_ENTETE = "#D9D9D9"
INDICATEURS = tuple(
    (s.AFFICHE[cle].libelle, cle, s.AFFICHE[cle].format)
    for cle in (s.TAUX_PROGRAMMES.cle, s.TAUX_NON_HONORES.cle, "delai_rdv_moyenne", "delai_rdv_mediane",
                "delai_cr_moyenne", f"delai_cr_{s.DELAI_CR.cle_part}")
)  # fmt: skip
"""(libellé, colonne du tableau d'indicateurs, format) : les lignes du tableau de la fiche."""
RESUME = (INDICATEURS[0], INDICATEURS[1], INDICATEURS[2], INDICATEURS[4], INDICATEURS[5])
ENTETES_RESUME = (
    "RDV",
    "Taux\nprogrammés",
    "Taux de\nnon-honorés",
    "Délai\nd'obtention\n(jours)",
    "Délai de\ncompte-rendu\n(jours)",
    "Comptes-\nrendus\nen 48 h",
)
"""Les colonnes d'un tableau résumé (par modalité, par établissement) : volume et indicateurs."""
LARGEURS_RESUME = (0.8, 1.1, 1.1, 1.2, 1.3, 1.3)
SERVICES_MONTRES = 8
ANOMALIES_MONTREES = 5
QUALITE_MONTREE = 5
"""Signalements de la qualité des données montrés sur la fiche ; les autres sont dans le classeur."""


def volume(indicateurs: pd.Series) -> str:
    """Le nombre de RDV recueillis (H + NH + NP) d'un groupe, à la française."""
    return entier(int(sum(indicateurs[t.cle] for t in s.TYPES_RDV)))


def resume(libelle: str, indicateurs: pd.Series) -> list[str]:
    """Une rangée de tableau résumé : libellé, volume, indicateurs de ``RESUME``."""
    return [libelle, volume(indicateurs), *(valeur(indicateurs[cle], f) for _, cle, f in RESUME)]


# --- Mise en page -------------------------------------------------------------------------------


class Page:
    """Une page A4 que l'on remplit de haut en bas : textes, tableaux, graphiques."""

    def __init__(self, pied: str) -> None:
        self.figure = Figure(figsize=A4)
        self.y = 0.965
        self.pied = pied

    def texte(
        self,
        texte: str,
        taille: float = 9,
        gras: bool = False,
        couleur: str = ENCRE,
        avant: float = 0.0,
        apres: float = 0.004,
    ) -> None:
        """Une ligne de texte à la marge gauche."""
        self.y -= avant + taille / 72 / A4[1] * 1.25
        self.figure.text(
            MARGE,
            self.y,
            texte,
            fontsize=taille,
            fontweight="bold" if gras else "normal",
            color=couleur,
            va="baseline",
        )
        self.y -= apres

    def paragraphe(self, texte: str, taille: float = 8.5, couleur: str = ENCRE) -> None:
        """Un texte long, coupé en lignes à la largeur de la page."""
        caracteres = int((1 - 2 * MARGE) * A4[0] * 72 / (taille * 0.52))
        for morceau in textwrap.wrap(texte, caracteres):
            self.texte(morceau, taille, couleur=couleur, apres=0.001)

    def section(self, titre: str) -> None:
        self.texte(titre, 11, gras=True, avant=0.012, apres=0.006)

    def tableau(
        self,
        entetes: Sequence[str],
        lignes: Sequence[Sequence[str]],
        largeurs: Sequence[float],
        taille: float = 7.5,
        gras: Sequence[int] = (),
        a_gauche: Sequence[int] = (0,),
    ) -> None:
        """Un tableau : en-têtes sur fond gris, une ligne par rangée ; les colonnes ``a_gauche``
        (la première) alignées à gauche, les autres (des nombres) à droite ; ``largeurs`` en
        fractions de la largeur utile ; ``gras`` : les rangées à mettre en gras."""

        def position(j: int) -> tuple[float, str]:
            return (bords[j] + 0.004, "left") if j in a_gauche else (bords[j + 1] - 0.004, "right")

        utile = 1 - 2 * MARGE
        bords = MARGE + utile * np.concatenate([[0], np.cumsum(largeurs) / sum(largeurs)])
        hauteur = taille / 72 / A4[1] * 1.7
        lignes_entete = max(entete.count("\n") + 1 for entete in entetes)
        haut_entete = hauteur * (0.35 + 0.8 * lignes_entete)
        self.figure.add_artist(
            Rectangle(
                (MARGE, self.y - haut_entete),
                utile,
                haut_entete,
                transform=self.figure.transFigure,
                color=FOND_ENTETE,
                lw=0,
            )
        )
        for j, entete in enumerate(entetes):
            x, ha = position(j)
            self.figure.text(
                x,
                self.y - haut_entete / 2,
                entete,
                fontsize=taille - 0.5,
                fontweight="bold",
                ha=ha,
                va="center",
                color=ENCRE,
                linespacing=1.05,
            )
        self.y -= haut_entete
        for rang, ligne in enumerate(lignes):
            self.y -= hauteur
            for j, cellule in enumerate(ligne):
                x, ha = position(j)
                self.figure.text(
                    x,
                    self.y + hauteur * 0.3,
                    cellule,
                    fontsize=taille,
                    ha=ha,
                    va="baseline",
                    color=ENCRE,
                    fontweight="bold" if rang in gras else "normal",
                )
            self.figure.add_artist(
                matplotlib.lines.Line2D(
                    [MARGE, 1 - MARGE],
                    [self.y, self.y],
                    lw=0.4,
                    color=TRAIT,
                    transform=self.figure.transFigure,
                )
            )
        self.y -= 0.004

    def axes(
        self,
        hauteur: float,
        gauche: float = 0.0,
        largeur: float = 1.0,
        bas: float = 0.035,
        etiquettes: float = 0.055,
    ) -> Any:
        """Un graphique sous le texte courant (sans descendre : ``descendre`` ensuite) :
        ``hauteur`` en fraction de page ; ``gauche`` et ``largeur`` en fractions de la largeur
        utile (graphiques côte à côte) ; ``bas`` et ``etiquettes`` : la place des graduations
        sous l'axe et à sa gauche."""
        utile = 1 - 2 * MARGE
        x = MARGE + utile * gauche + etiquettes
        axes = self.figure.add_axes(
            (x, self.y - hauteur + bas, utile * largeur - etiquettes - 0.03, hauteur - bas - 0.025)
        )
        axes.tick_params(labelsize=7, colors=ENCRE)
        for cote in ("top", "right"):
            axes.spines[cote].set_visible(False)
        return axes

    def descendre(self, hauteur: float) -> None:
        self.y -= hauteur

    def finir(self, pdf: PdfPages, numero: int, total: int) -> None:
        self.figure.text(
            0.5, 0.02, f"{self.pied} — page {numero} / {total}", fontsize=7, color=GRIS, ha="center"
        )
        pdf.savefig(self.figure)


@contextmanager
def document_pdf(chemin: Path, titre: str) -> Iterator[PdfPages]:
    """Un PDF écrit d'un bloc (fichier temporaire, puis renommage), sans date de création ; la
    police livrée avec matplotlib, embarquée en TrueType (texte extractible)."""
    with (
        matplotlib.rc_context(
            {
                "font.family": "DejaVu Sans",
                "pdf.fonttype": 42,
                "axes.unicode_minus": False,
                "hatch.linewidth": 0.6,
            }
        ),
        ecriture_atomique(chemin) as temporaire,
    ):
        metadonnees = {
            "Title": titre,
            "Creator": "coaching-xl",
            "Producer": f"coaching-xl {version()}",
            "CreationDate": None,
        }
        with PdfPages(temporaire, metadata=metadonnees) as pdf:
            yield pdf


# --- Graphiques ---------------------------------------------------------------------------------


def _nh_et_delais(axes: Any, semaines: pd.DataFrame, calendrier: Calendrier | None) -> None:
    """Le graphique de la grille d'origine : taux de non-honorés par semaine (barres) et délai
    moyen d'obtention (courbe, axe de droite) ; les jalons en traits pointillés."""
    x = np.arange(len(semaines))
    taux = semaines[s.TAUX_NON_HONORES.cle].to_numpy(dtype=float)
    axes.bar(
        x, np.nan_to_num(taux), color=BARRES, edgecolor=ENCRE, linewidth=0.3, label="Taux de non-honorés"
    )
    axes.set_ylabel("Taux de non-honorés", fontsize=7.5)
    axes.yaxis.set_major_formatter(_graduations("pourcent"))
    axes.set_ylim(0, max(0.05, float(np.nanmax(taux)) * 1.2) if np.isfinite(taux).any() else 0.05)
    droite = axes.twinx()
    droite.plot(
        x,
        semaines["delai_rdv_moyenne"].to_numpy(dtype=float),
        color=ENCRE,
        marker="o",
        markersize=2.5,
        linewidth=1.2,
        label=s.DELAI_RDV.libelle,
    )
    droite.set_ylabel("Délai moyen (jours)", fontsize=7.5)
    droite.yaxis.set_major_formatter(_graduations("jours"))
    droite.set_ylim(bottom=0)
    droite.tick_params(labelsize=7)
    droite.spines["top"].set_visible(False)
    lundis = [pd.Timestamp(lundi) for lundi in semaines.index]
    pas = max(1, math.ceil(len(lundis) / 14))
    axes.set_xticks(x[::pas], [f"{lundi:%d/%m}" for lundi in lundis[::pas]], rotation=45, ha="right")
    axes.set_xlim(-0.6, len(x) - 0.4)
    if calendrier is not None and lundis:
        for jalon in calendrier.jalons[1:]:
            position = (pd.Timestamp(jalon.date) - lundis[0]).days / 7 - 0.5
            if -0.5 <= position <= len(x) - 0.5:
                axes.axvline(position, color=GRIS, linestyle=":", linewidth=0.8)
                axes.text(
                    position,
                    axes.get_ylim()[1],
                    jalon.code,
                    fontsize=6.5,
                    color=GRIS,
                    ha="center",
                    va="bottom",
                )
    poignees = axes.get_legend_handles_labels()[0] + droite.get_legend_handles_labels()[0]
    axes.legend(
        poignees,
        [p.get_label() for p in poignees],
        fontsize=7,
        loc="upper left",
        frameon=False,
        ncol=2,
        bbox_to_anchor=(0, -0.22),
    )
    axes.set_title(s.TITRE_GRAPHIQUE_NH, fontsize=9, fontweight="bold", loc="left", pad=10)


def _barres(axes: Any, titre: str, etiquettes: list[str], valeurs: list[float], format_: str,
            titre_x: str) -> None:  # fmt: skip
    """Un histogramme simple, chaque barre étiquetée de sa valeur."""
    x = np.arange(len(etiquettes))
    propres = np.nan_to_num(np.array(valeurs, dtype=float))
    axes.bar(x, propres, color=BARRES, edgecolor=ENCRE, linewidth=0.3)
    for xi, v, brut in zip(x, propres, valeurs, strict=True):
        axes.text(xi, v, valeur(brut, format_), fontsize=6.5, ha="center", va="bottom", color=ENCRE)
    axes.set_xticks(x, etiquettes, fontsize=7)
    axes.set_ylim(0, max(propres.max(initial=0) * 1.2, 0.01))
    axes.yaxis.set_major_formatter(_graduations("pourcent"))
    axes.set_xlabel(titre_x, fontsize=7.5)
    axes.set_title(titre, fontsize=9, fontweight="bold", loc="left")


def _classement(axes: Any, titre: str, tableau: pd.DataFrame, format_: str) -> None:
    """Barres horizontales du meilleur (en haut) au moins bon ; la région hachurée."""
    donnees = tableau.dropna(subset=["derniere"])
    y = np.arange(len(donnees))
    region = np.array([nom == REGION for nom in donnees.index])
    barres = axes.barh(
        y,
        donnees["derniere"].to_numpy(dtype=float),
        color=np.where(region, REFERENCE, BARRES),
        edgecolor=ENCRE,
        linewidth=0.3,
    )
    for barre, est_region in zip(barres, region, strict=True):
        if est_region:
            barre.set_hatch("////")
    axes.set_yticks(y, [_court(n, 34) for n in donnees.index], fontsize=6.5)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(_graduations(format_))
    axes.set_title(titre, fontsize=8.5, fontweight="bold", loc="left")


def _graduations(format_: str) -> matplotlib.ticker.FuncFormatter:
    """Des graduations à la française : « 20 % », « 2,5 »."""
    if format_ == "pourcent":
        return matplotlib.ticker.FuncFormatter(lambda v, _: pourcent(v, 0))
    return matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}".replace(".", ","))


def _court(texte: str, longueur: int) -> str:
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


# --- La fiche d'un établissement ----------------------------------------------------------------


@dataclass(frozen=True)
class Contexte:
    """Ce qui situe la fiche : le calendrier, et au jalon d'une consolidation, le jalon et la
    place de l'établissement dans la région."""

    calendrier: Calendrier | None = None
    jalon: str | None = None
    date_jalon: date | None = None
    positions: pd.DataFrame | None = None
    """``moteur.consolidation.positions`` de l'établissement."""
    qualite: tuple[str, ...] = ()
    """Les signalements de la qualité des données de l'établissement au jalon (ce qu'il faut
    vérifier, ``moteur.qualite``)."""


def ecrire_fiche(
    essentiel: Essentiel, chemin: Path, contexte: Contexte = Contexte(), suivi: Suivi | None = None
) -> Path:
    """Écrit la fiche synthétique de l'établissement dans ``chemin`` (PDF A4, deux pages)."""
    nom = essentiel.etablissement or essentiel.fichier.stem
    pied = f"Fiche synthétique — {nom} — coaching-xl {version()}"
    with document_pdf(Path(chemin), f"Fiche synthétique — {nom}") as pdf:
        premiere = Page(pied)
        _entete_fiche(premiere, essentiel, nom, contexte)
        _indicateurs_fiche(premiere, essentiel, contexte)
        _graphiques_fiche(premiere, essentiel, contexte)
        seconde = Page(pied)
        # Le tableau par modalité finit la première page s'il y tient (dix modalités au plus).
        place = premiere.y - PIED - 0.07 - 0.0175 * len(essentiel.par["modalite"])
        _modalites_fiche(premiere if place > 0 else seconde, essentiel)
        premiere.finir(pdf, 1, 2)
        _details_fiche(seconde, essentiel, suivi, contexte)
        seconde.finir(pdf, 2, 2)
    return Path(chemin)


def _entete_fiche(page: Page, e: Essentiel, nom: str, contexte: Contexte) -> None:
    page.texte(
        f"{s.TITRE_ORGANISME} — Coaching imagerie « Programmer dans les meilleurs délais »", 8, couleur=GRIS
    )
    page.texte(f"Fiche synthétique — {nom}", 16, gras=True, avant=0.004)
    identite = [f"FINESS {e.finess}" if e.finess else None, e.dt]
    if e.premiere_date and e.derniere_date:
        identite.append(f"dates saisies du {e.premiere_date:%d/%m/%Y} au {e.derniere_date:%d/%m/%Y}")
    identite.append(pluriel(e.lignes_lues, "ligne lue", "lignes lues"))
    if e.dates_hors_periode:
        identite.append(f"{pluriel(e.dates_hors_periode, 'date')} hors de la période du recueil")
    page.descendre(0.004)
    page.paragraphe(" · ".join(x for x in identite if x), 9)
    if contexte.jalon:
        page.texte(
            f"Situation au jalon {contexte.jalon} du {contexte.date_jalon:%d/%m/%Y} : les données d'avant "
            "le jalon, comparées à celles des autres établissements de la région.",
            8.5,
            couleur=GRIS,
        )


def _indicateurs_fiche(page: Page, e: Essentiel, contexte: Contexte) -> None:
    page.section("Les indicateurs, sur tout le recueil et par période entre jalons")
    periodes = e.par["periode"]
    entetes = ["Indicateur", "Ensemble", *periodes.index]
    largeurs = [3.4, 1.0, *[1.0] * len(periodes)]
    if contexte.positions is not None:
        entetes += ["Médiane\nrégionale", "Rang"]
        largeurs += [1.0, 0.8]
    lignes = []
    for libelle, cle, format_ in INDICATEURS:
        ligne = [libelle, valeur(e.ensemble[cle], format_), *(valeur(v, format_) for v in periodes[cle])]
        if contexte.positions is not None:
            position = contexte.positions.loc[cle] if cle in contexte.positions.index else None
            if position is None:
                ligne += ["", ""]
            else:
                rang = (
                    VIDE
                    if math.isnan(position["rang"])
                    else f"{int(position['rang'])} / {int(position['classes'])}"
                )
                ligne += [valeur(position["mediane"], format_), rang]
        lignes.append(ligne)
    volumes = [volume(e.ensemble), *(volume(indicateurs) for _, indicateurs in periodes.iterrows())]
    lignes.append(["RDV recueillis (H + NH + NP)", *volumes, *([""] * (len(entetes) - 1 - len(volumes)))])
    page.tableau(entetes, lignes, largeurs)
    if contexte.positions is not None and len(periodes):
        page.texte(
            f"Médiane des établissements de la région et rang (1 = le meilleur) sur la dernière période, "
            f"{periodes.index[-1]}.",
            7,
            couleur=GRIS,
        )


def _graphiques_fiche(page: Page, e: Essentiel, contexte: Contexte) -> None:
    page.descendre(0.01)
    semaines = e.par["semaine"]
    if len(semaines):
        _nh_et_delais(page.axes(0.27, bas=0.075), semaines, contexte.calendrier)
        page.descendre(0.28)
    cr = [float(e.ensemble[f"distribution_cr_{t.cle}"]) for t in s.TRANCHES_CR]
    total = sum(cr)
    _barres(
        page.axes(0.2, 0, 0.5, bas=0.05),
        s.TITRE_GRAPHIQUE_CR,
        [t.cle for t in s.TRANCHES_CR],
        [v / total if total else math.nan for v in cr],
        "pourcent",
        "Délai de compte-rendu (part des examens réalisés)",
    )
    _barres(
        page.axes(0.2, 0.5, 0.5, bas=0.05),
        "Non-honorés selon le délai d'obtention",
        [t.cle for t in s.TRANCHES_DELAI_RDV],
        [float(e.ensemble[f"non_honores_par_tranche_delai_{t.cle}"]) for t in s.TRANCHES_DELAI_RDV],
        "pourcent",
        "Délai d'obtention du RDV (jours)",
    )
    page.descendre(0.2)


def _modalites_fiche(page: Page, e: Essentiel) -> None:
    page.section("Par modalité")
    page.tableau(
        ["Modalité", *ENTETES_RESUME],
        [resume(str(modalite), indicateurs) for modalite, indicateurs in e.par["modalite"].iterrows()],
        [2.6, *LARGEURS_RESUME],
    )


def _details_fiche(page: Page, e: Essentiel, suivi: Suivi | None, contexte: Contexte = Contexte()) -> None:
    page.section(f"Services demandeurs (les {SERVICES_MONTRES} plus demandeurs)")
    services = e.services.head(SERVICES_MONTRES)
    page.tableau(
        [
            "Provenance",
            "Demandes",
            "Par jour\nouvert",
            "Part de non\nprogrammé",
            "Taux de\nnon-honorés",
            "Créneaux pré-attribués\n(≥ 3 demandes / jour)",
        ],
        [_service(str(provenance), service) for provenance, service in services.iterrows()],
        [2.4, 1.0, 1.0, 1.1, 1.1, 3.0],
        a_gauche=(0, 5),
    )
    page.section("Qualité du recueil")
    a = e.anomalies
    page.texte(
        f"{pluriel(a.get(s.ERREUR, 0), 'erreur')} (valeurs écartées des calculs), "
        f"{pluriel(a.get(s.AVERTISSEMENT, 0), 'avertissement')}, {pluriel(a.get(s.INFO, 0), 'information')}.",
        8.5,
    )
    codes = sorted(e.par_code.items(), key=lambda c: -c[1])[:ANOMALIES_MONTREES]
    if codes:
        page.tableau(
            ["Anomalie", "Gravité", "Nombre"],
            [[s.ANOMALIES[c].intitule, s.ANOMALIES[c].gravite, entier(n)] for c, n in codes],
            [4.0, 1.5, 1.0],
        )
    if contexte.jalon:
        _qualite_fiche(page, contexte)
    if suivi is not None:
        _suivi_fiche(page, suivi)


def _qualite_fiche(page: Page, contexte: Contexte) -> None:
    """Les signalements de la qualité des données au jalon : à vérifier, sans changer un chiffre."""
    page.section(f"Qualité des données au jalon {contexte.jalon}")
    if not contexte.qualite:
        page.texte("Aucun signalement : chaque contrôle de la consolidation est passé.", 8.5)
    for message in contexte.qualite[:QUALITE_MONTREE]:
        page.paragraphe(f"• {message}", 7.5)
    if len(contexte.qualite) > QUALITE_MONTREE:
        reste = len(contexte.qualite) - QUALITE_MONTREE
        page.texte(f"… et {reste} autres : feuille « Qualité des données » de la consolidation.", 7.5,
                   couleur=GRIS)  # fmt: skip


def _service(provenance: str, service: pd.Series) -> list[str]:
    """Une rangée du tableau des services demandeurs."""
    jours = ", ".join(jour[:3] for jour in service["jours_eligibles"])
    eligible = (f"Oui ({jours})" if jours else "Oui (en moyenne)") if service["eligible_creneaux"] else "Non"
    return [
        provenance,
        entier(int(service["volume"])),
        valeur(service["par_jour"], "jours"),
        valeur(service["part_non_programmes"], "pourcent"),
        valeur(service["taux_non_honores"], "pourcent"),
        eligible,
    ]


def _suivi_fiche(page: Page, suivi: Suivi) -> None:
    page.section(f"Suivi des engagements du contrat ({suivi.contrat.name})")
    if suivi.tableau.empty:
        page.texte("Le contrat ne fixe aucun objectif chiffré.", 8.5)
    else:
        page.tableau(
            ["Service", "Modalité", "Indicateur", "Objectif", "Mesuré", "Atteint", "Tendance"],
            [_engagement(engagement) for _, engagement in suivi.tableau.iterrows()],
            [2.0, 1.6, 2.6, 0.9, 0.8, 0.7, 1.0],
            a_gauche=(0, 1, 2),
        )
    for avertissement in suivi.avertissements:
        page.paragraphe(f"Attention : {avertissement}", 7, couleur=GRIS)


def _engagement(engagement: pd.Series) -> list[str]:
    """Une rangée du suivi des engagements."""
    format_ = engagement["format"]
    return [
        _court(str(engagement["service"]), 24),
        str(engagement["modalite"]),
        str(engagement["court"]),
        objectif(engagement["cible"], format_, engagement["plus_haut_mieux"]),
        valeur(engagement["mesure"], format_),
        VERDICTS[engagement["atteint"]][0],
        engagement["tendance"] or VIDE,
    ]


# --- La synthèse régionale ----------------------------------------------------------------------


def ecrire_synthese_regionale(consolidation: Consolidation, chemin: Path) -> Path:
    """Écrit la synthèse régionale au jalon dans ``chemin`` (PDF A4, deux pages) : la région par
    période, les classements, chaque établissement sur la dernière période, la complétude."""
    c = consolidation
    pied = f"Synthèse régionale au jalon {c.jalon} — coaching-xl {version()}"
    with document_pdf(Path(chemin), f"Synthèse régionale — jalon {c.jalon}") as pdf:
        page = Page(pied)
        page.texte(
            f"{s.TITRE_ORGANISME} — Coaching imagerie « Programmer dans les meilleurs délais »",
            8,
            couleur=GRIS,
        )
        page.texte(
            f"Synthèse régionale — jalon {c.jalon} du {c.date_jalon:%d/%m/%Y}", 16, gras=True, avant=0.004
        )
        page.descendre(0.004)
        page.paragraphe(
            f"{pluriel(len(c.retenues), 'établissement consolidé', 'établissements consolidés')}, "
            f"{pluriel(len(c.illisibles), 'grille illisible', 'grilles illisibles')}. Région : rapports de "
            "sommes et délais mis en commun, jamais une moyenne des taux.",
            9,
        )
        page.section("La région, par période")
        entetes = ["Indicateur", f"Cumul au\njalon {c.jalon}", *c.periodes]
        page.tableau(
            entetes,
            [
                [libelle, valeur(c.region[cle], f), *(valeur(v, f) for v in c.region_periodes[cle])]
                for libelle, cle, f in INDICATEURS
            ],
            [3.4, 1.1, *[1.0] * len(c.periodes)],
        )
        page.section(f"Classements sur la dernière période ({c.periodes[-1]}) — la région hachurée")
        hauteur = min(0.3, 0.06 + 0.014 * (len(c.retenues) + 1))
        for debut in range(0, len(s.COMPARAISONS), 2):
            for colonne, comparaison in enumerate(s.COMPARAISONS[debut : debut + 2]):
                axes = page.axes(hauteur, 0.5 * colonne, 0.5, bas=0.03, etiquettes=0.19)
                _classement(axes, comparaison.court, classement(c, comparaison), comparaison.format)
            page.descendre(hauteur)
        page.finir(pdf, 1, 2)

        page = Page(pied)
        page.section(f"Chaque établissement sur la dernière période ({c.periodes[-1]})")
        dernieres = pd.concat([c.dernieres, c.region_periodes.loc[[c.periodes[-1]]].set_axis([REGION])])
        page.tableau(
            ["Établissement", *ENTETES_RESUME],
            [resume(_court(str(nom), 40), indicateurs) for nom, indicateurs in dernieres.iterrows()],
            [3.4, *LARGEURS_RESUME],
            gras=[len(dernieres) - 1],
        )
        _completude(page, c)
        _qualite_regionale(page, c)
        page.finir(pdf, 2, 2)
    return Path(chemin)


def _completude(page: Page, c: Consolidation) -> None:
    """Les grilles reçues, et celles qui manquent, sont illisibles, écartées ou incomplètes."""
    lignes = completude(c)
    lues = sum(ligne.statut in ("recue", "non_attendue") for ligne in lignes)
    attendues = f" sur {pluriel(len(c.attendus), 'attendue')}" if c.attendus is not None else ""
    page.section("Complétude")
    page.texte(f"{pluriel(lues, 'grille reçue et lue', 'grilles reçues et lues')}{attendues}.", 8.5)
    situations = [
        [_court(ligne.etablissement, 45), _court(f"{STATUTS[ligne.statut]}. {ligne.remarque}".strip(), 90)]
        for ligne in lignes
        if ligne.statut in ("manquante", "illisible", "ecartee")
    ]
    for grille in c.retenues:
        if grille.semaines_sans_donnees:
            derniere = f"{grille.derniere_date:%d/%m/%Y}" if grille.derniere_date else VIDE
            situations.append(
                [
                    _court(grille.nom, 45),
                    f"{grille.semaines_sans_donnees} semaine(s) sans données sur {grille.semaines} ; "
                    f"dernière date saisie : {derniere}.",
                ]
            )
    if situations:
        page.tableau(["Établissement", "Situation"], situations, [2.2, 5.0], a_gauche=(0, 1))


def _qualite_regionale(page: Page, c: Consolidation) -> None:
    """Les signalements de la qualité des données, hors complétude (déjà dite au-dessus)."""
    deja = ("manquante", "semaines_sans_donnees")
    signalements = [sig for sig in c.qualite.signalements if sig.controle not in deja]
    page.section(f"Qualité des données ({c.qualite.periode})")
    if c.qualite.note:
        page.paragraphe(c.qualite.note, 7.5, couleur=GRIS)
    if not signalements:
        page.texte("Aucun signalement.", 8.5)
        return
    lignes = []
    for sig in signalements[:12]:
        controle = sig.intitule + (f" — {sig.indicateur}" if sig.indicateur else "")
        lignes.append([_court(sig.etablissement, 45), _court(controle, 70), sig.niveau])
    page.tableau(["Établissement", "Contrôle", "Niveau"], lignes, [2.2, 3.8, 1.0], a_gauche=(0, 1))
    if len(signalements) > 12:
        reste = len(signalements) - 12
        page.texte(f"… et {reste} autres : feuille « Qualité des données ».", 7.5, couleur=GRIS)


def chemin_fiche(classeur: Path) -> Path:
    """La fiche d'une grille, à côté d'elle : « grille_fiche.pdf »."""
    return Path(classeur).with_name(f"{Path(classeur).stem}_fiche.pdf")


def dossier_fiches(consolidation: Path, jalon: str) -> Path:
    """Le dossier des fiches d'une consolidation, à côté de son classeur : « fiches_J3 »."""
    return Path(consolidation).parent / f"fiches_{jalon}"


def ecrire_fiches(consolidation: Consolidation, dossier: Path) -> list[Path]:
    """Une fiche par établissement retenu (``fiche_<nom>.pdf``), situé dans la région, et la
    synthèse régionale (``synthese_regionale.pdf``) dans ``dossier`` ; les synthèses doivent
    porter leur essentiel (``consolider(…, fiches=True)``)."""
    c = consolidation
    dossier = Path(dossier)
    chemins = []
    for grille in c.retenues:
        if grille.essentiel is None:
            raise ValueError("consolider(…, fiches=True) garde l'essentiel de chaque grille")
        signalements = tuple(sig.message for sig in c.qualite.de(grille.nom))
        contexte = Contexte(c.calendrier, c.jalon, c.date_jalon, positions(c, grille.nom), signalements)
        chemin = dossier / f"fiche_{s.nom_de_fichier(grille.nom)}.pdf"
        chemins.append(ecrire_fiche(grille.essentiel, chemin, contexte))
    chemins.append(ecrire_synthese_regionale(consolidation, dossier / "synthese_regionale.pdf"))
    return chemins
