"""Le suivi d'un contrat imagerie – service demandeur : les objectifs chiffrés de sa feuille
« Indicateurs de suivi » (annexe écrite par ``coaching-xl generate``), mesurés sur la grille,
ligne par ligne et période par période.

Un objectif de délai est atteint quand le délai moyen mesuré est au plus la cible ; un objectif
de part de RDV programmés, quand la part mesurée est au moins la cible. Un service ou une
modalité que la grille ne connaît pas donne un avertissement, pas une erreur.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from moteur import indicateurs as ind
from moteur.lecture import lignes_de, ouvrir
from moteur.resultat import Resultat
from moteur.valeurs import suggestion
from recueil import schema as s
from socle.erreurs import ErreurParametre, GrilleIllisible

TOUTES = "Toutes"
"""La modalité d'un objectif qui n'en nomme pas : toutes les modalités du service."""
STABLE = {"pourcent": 0.01, "jours": 0.5}
"""En deçà de cet écart (1 point, une demi-journée), un indicateur est stable d'une période à
l'autre."""
TENDANCES = ("en progrès", "stable", "en recul")


@dataclass(frozen=True)
class Engagement:
    """Un objectif du contrat : pour un service (et une modalité, ou toutes), une cible sur un
    indicateur ; ``ligne`` est sa ligne dans la feuille du contrat."""

    service: str
    modalite: str | None
    comparaison: s.Comparaison
    cible: float
    ligne: int


@dataclass
class Contrat:
    """Les objectifs lus dans un contrat, et ce qui n'a pas pu l'être."""

    chemin: Path
    engagements: list[Engagement]
    avertissements: list[str] = field(default_factory=list)


@dataclass
class Suivi:
    """Le suivi des engagements d'un contrat sur une grille."""

    contrat: Path
    tableau: pd.DataFrame
    """Une ligne par engagement : service, modalite, cle, indicateur (et son libellé court),
    format, plus_haut_mieux, cible, mesure, examens, atteint (True, False ; None si rien à
    mesurer), tendance (None s'il y a moins de deux périodes mesurées), puis une colonne par
    période (la valeur mesurée)."""
    periodes: list[str]
    avertissements: list[str]


def lire_contrat(chemin: Path) -> Contrat:
    """Les objectifs de la feuille « Indicateurs de suivi » du contrat ``chemin``.

    Une valeur qui n'est pas un nombre plausible donne un avertissement (la ligne et la
    colonne), l'objectif est ignoré. Lève ErreurParametre si le classeur est illisible ou n'a
    pas cette feuille ou son tableau."""
    chemin = Path(chemin)
    try:
        lecteur = ouvrir(chemin, "le contrat", "contrat_imagerie_services.xlsx")
        lignes = lignes_de(lecteur, s.FEUILLE_OBJECTIFS)
    except GrilleIllisible as e:
        raise ErreurParametre(f"--contrat : {e}") from None
    attendu = f"la feuille « {s.FEUILLE_OBJECTIFS} » du contrat écrit par coaching-xl generate"
    if lignes is None:
        raise ErreurParametre(
            f"{chemin} : feuille « {s.FEUILLE_OBJECTIFS} » introuvable ; utilisez {attendu}."
        )
    entetes = {s.forme_entete(c.entete): c for c in s.COLONNES_OBJECTIFS}
    for rang, cellules in enumerate(lignes):
        colonnes = {
            j: entetes[s.forme_entete(v)]
            for j, v in enumerate(cellules)
            if v and s.forme_entete(v) in entetes
        }
        if {c.cle for c in colonnes.values()} >= {"service", "modalite"}:
            return _objectifs(chemin, lignes[rang + 1 :], rang + 2, colonnes)
    raise ErreurParametre(
        f"{chemin} : tableau des objectifs introuvable (en-têtes « {s.COLONNES_OBJECTIFS[0].entete} », "
        f"« {s.COLONNES_OBJECTIFS[1].entete} »…) ; utilisez {attendu}."
    )


def _objectifs(chemin: Path, lignes: list[list[object]], premiere: int, colonnes: dict) -> Contrat:
    """Les engagements des lignes sous l'en-tête (``premiere`` : n° de la première ligne)."""
    contrat = Contrat(chemin, [])
    for numero, cellules in enumerate(lignes, start=premiere):
        valeurs = {
            c.cle: str(cellules[j]).strip()
            for j, c in colonnes.items()
            if j < len(cellules) and cellules[j] is not None
        }
        service, modalite = valeurs.get("service", ""), valeurs.get("modalite", "")
        cibles = {c: valeurs[c.cle] for c in colonnes.values() if c.comparaison and valeurs.get(c.cle)}
        if not service:
            if cibles:
                contrat.avertissements.append(
                    f"{s.FEUILLE_OBJECTIFS}, ligne {numero} : objectif sans service, ignoré."
                )
            continue
        for colonne, texte in cibles.items():
            cible = _cible(texte, colonne.comparaison)
            if cible is None:
                attendu = (
                    "une part (80 % ou 0,8)"
                    if colonne.comparaison.format == "pourcent"
                    else "un nombre de jours"
                )
                contrat.avertissements.append(
                    f"{s.FEUILLE_OBJECTIFS}, ligne {numero}, « {colonne.entete} » : « {texte} » n'est pas "
                    f"{attendu} ; objectif ignoré."
                )
                continue
            contrat.engagements.append(
                Engagement(service, modalite or None, colonne.comparaison, cible, numero)
            )
    return contrat


def _cible(texte: str, comparaison: s.Comparaison) -> float | None:
    """Une cible lue : des jours entre 0 et 365, ou une part entre 0 et 1 (« 80 » ou « 80 % »
    valent 0,8)."""
    nettoye = texte.replace("\u202f", "").replace(" ", "").replace(",", ".").removesuffix("%")
    try:
        valeur = float(nettoye)
    except ValueError:
        return None
    if not math.isfinite(valeur) or valeur < 0:
        return None
    if comparaison.format == "pourcent":
        if texte.rstrip().endswith("%") or valeur > 1:
            valeur /= 100
        return valeur if valeur <= 1 else None
    return valeur if valeur <= s.DELAI_MAX else None


def suivre(resultat: Resultat, contrat: Contrat) -> Suivi:
    """Chaque engagement du contrat mesuré sur la grille : sur tout le recueil et par période,
    atteint ou non, et sa tendance (dernière période mesurée face à la première)."""
    donnees = resultat.controle.donnees
    lignes = ind.Lignes.depuis(donnees)
    periodes = ind.par_periode(lignes, resultat.calendrier)
    listes = resultat.grille.listes
    avertissements = list(contrat.avertissements)
    mesures: dict[tuple[str, str | None], tuple[pd.Series, pd.DataFrame] | None] = {}
    rangees = []
    for engagement in contrat.engagements:
        cle = (engagement.service, engagement.modalite)
        if cle not in mesures:
            masque = _masque(donnees, engagement, listes, avertissements)
            mesures[cle] = None if masque is None else _mesurer(lignes, periodes, masque)
        rangees.append(_rangee(engagement, mesures[cle], list(periodes.etiquettes)))
    tableau = pd.DataFrame(rangees, columns=_COLONNES + list(periodes.etiquettes))
    for colonne in ("atteint", "tendance"):  # None reste None (pas NaN) : « rien à mesurer »
        tableau[colonne] = tableau[colonne].astype(object).where(tableau[colonne].notna(), None)
    return Suivi(contrat.chemin, tableau, list(periodes.etiquettes), list(dict.fromkeys(avertissements)))


_COLONNES = [
    "service", "modalite", "cle", "indicateur", "court", "format", "plus_haut_mieux",
    "cible", "mesure", "examens", "atteint", "tendance",
]  # fmt: skip


def _masque(
    donnees: pd.DataFrame, engagement: Engagement, listes: dict, avertissements: list[str]
) -> np.ndarray | None:
    """Les lignes du service (et de la modalité) de l'engagement ; None, avec un avertissement,
    si la grille ne connaît pas l'un d'eux."""
    masque = np.ones(len(donnees), dtype=bool)
    for liste, valeur in ((s.PROVENANCES, engagement.service), (s.MODALITES, engagement.modalite)):
        if valeur is None:
            continue
        libelles = tuple(listes[liste.cle])
        connu = next((lib for lib in libelles if s.normaliser(lib) == s.normaliser(valeur)), None)
        if connu is None:
            proche = suggestion(valeur, libelles)
            avertissements.append(
                f"{s.FEUILLE_OBJECTIFS}, ligne {engagement.ligne} : « {valeur} » n'est pas dans la liste des "
                f"{liste.titre.lower()} de la grille"
                + (f" (vouliez-vous dire « {proche} » ?)" if proche else "")
                + " ; écrivez-le comme dans la feuille Listes de la grille."
            )
            return None
        masque &= (donnees[liste.colonne] == connu).fillna(False).to_numpy(dtype=bool)
    return masque


def _mesurer(
    lignes: ind.Lignes, periodes: ind.Decoupage, masque: np.ndarray
) -> tuple[pd.Series, pd.DataFrame]:
    """Les indicateurs des lignes du masque, sur tout le recueil et par période."""
    ensemble = ind.Decoupage(np.where(masque, 0, -1), pd.Index(["ensemble"]))
    par_periode = ind.Decoupage(np.where(masque, periodes.groupes, -1), periodes.etiquettes)
    return (
        ind.indicateurs(ind.agreger(lignes, ensemble)).iloc[0],
        ind.indicateurs(ind.agreger(lignes, par_periode)),
    )


def _rangee(
    engagement: Engagement, mesure: tuple[pd.Series, pd.DataFrame] | None, periodes: list[str]
) -> list:
    c = engagement.comparaison
    ensemble, par_periode = mesure if mesure is not None else (None, None)
    valeur = float(ensemble[c.cle]) if ensemble is not None else math.nan
    examens = int(sum(ensemble[t.cle] for t in s.TYPES_RDV)) if ensemble is not None else 0
    atteint = (
        None
        if math.isnan(valeur)
        else bool(valeur >= engagement.cible if c.plus_haut_mieux else valeur <= engagement.cible)
    )
    serie = [float(par_periode.loc[p, c.cle]) if par_periode is not None else math.nan for p in periodes]
    identite = [engagement.service, engagement.modalite or TOUTES, c.cle, c.libelle, c.court, c.format]
    return [
        *identite,
        c.plus_haut_mieux,
        engagement.cible,
        valeur,
        examens,
        atteint,
        tendance(serie, c),
        *serie,
    ]


def tendance(serie: list[float], comparaison: s.Comparaison) -> str | None:
    """« en progrès », « stable » ou « en recul » : la dernière période mesurée face à la
    première, dans le sens du progrès de l'indicateur ; None s'il y a moins de deux mesures."""
    mesurees = [v for v in serie if not math.isnan(v)]
    if len(mesurees) < 2:
        return None
    ecart = mesurees[-1] - mesurees[0]
    if abs(ecart) < STABLE[comparaison.format]:
        return TENDANCES[1]
    return TENDANCES[0] if (ecart > 0) == comparaison.plus_haut_mieux else TENDANCES[2]
