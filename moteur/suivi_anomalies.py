"""Le suivi des anomalies : dans la feuille Anomalies d'un calcul précédent, l'établissement
marque chaque anomalie « À corriger » ou « Vérifiée — exacte » et la commente. La relecture
retrouve ces colonnes ; le contrôle les rattache aux anomalies du nouveau calcul, appariées
sur la cellule, le code et la valeur — une valeur changée rouvre l'anomalie. Une erreur ne peut
être que corrigée : marquée « vérifiée », elle reste « À corriger »."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from recueil import schema as s
from socle.ouvrages import MARQUE, RESULTATS_A_PART, est_feuille_de_resultats, resultats_de

if TYPE_CHECKING:
    from moteur.lecture import ClasseurLu

Cle = tuple[str, str, str]
"""(cellule sans le nom de la feuille, code, valeur citée)."""
ROLE = "anomalies"
_ENTETES = {s.normaliser(e): j for j, e in enumerate(s.ENTETES_ANOMALIES)}
_SUIVIS = {s.normaliser(v): v for v in s.SUIVIS} | {"verifiee": s.VERIFIEE, "exacte": s.VERIFIEE}


def _texte(valeur: object) -> str:
    return "" if valeur is None else str(valeur).strip()


def _marquee(classeur: ClasseurLu) -> str | None:
    """La feuille que la greffe a marquée comme feuille Anomalies (nom défini local)."""
    paquet = getattr(classeur, "paquet", None)
    if paquet is None or "content.xml" in getattr(paquet, "infos", {}):
        return None
    racine = paquet.xml("xl/workbook.xml")
    if racine is None:
        return None
    feuilles = [e.get("name", "") for e in racine.iter() if e.tag.endswith("}sheet")]
    for element in racine.iter():
        position = element.get("localSheetId") or ""
        if (
            element.tag.endswith("}definedName")
            and element.get("name") == MARQUE + ROLE
            and position.isdigit()
        ):
            return feuilles[int(position)] if int(position) < len(feuilles) else None
    return None


def _candidates(classeur: ClasseurLu, feuille_donnees: str) -> list[str]:
    marquee = _marquee(classeur)
    noms = [marquee] if marquee else []
    noms += [n for n in classeur.sheet_names if s.normaliser(n).startswith(ROLE) and n not in noms]
    return [n for n in noms if n in classeur.sheet_names and n != feuille_donnees]


def lire_suivis(classeur: ClasseurLu, feuille_donnees: str) -> dict[Cle, tuple[str, str]]:
    """Le suivi saisi dans la feuille Anomalies du classeur : (cellule, code, valeur) → (suivi,
    commentaire), pour les lignes où l'établissement a écrit quelque chose. Vide s'il n'y a pas
    de feuille Anomalies écrite par coaching-xl (une feuille de l'utilisateur qui s'appellerait
    ainsi n'est pas lue)."""
    from moteur.lecture import lignes_de

    for nom in _candidates(classeur, feuille_donnees):
        lignes = lignes_de(classeur, nom) or []
        if not est_feuille_de_resultats(lignes[:6]):
            continue
        for rang, ligne in enumerate(lignes[:12]):
            colonnes: dict[int, int] = {}
            for j, v in enumerate(ligne):  # la première colonne de chaque en-tête : pas les comptes à droite
                if isinstance(v, str) and s.normaliser(v) in _ENTETES:
                    colonnes.setdefault(_ENTETES[s.normaliser(v)], j)
            if {0, 3, 4, 6} <= set(colonnes):
                return _suivis(lignes[rang + 1 :], colonnes)
    return {}


def _suivis(lignes: list[list[object]], colonnes: dict[int, int]) -> dict[Cle, tuple[str, str]]:
    suivis: dict[Cle, tuple[str, str]] = {}
    for ligne in lignes:
        lu = {j: _texte(ligne[c]) if c < len(ligne) else "" for j, c in colonnes.items()}
        if not lu[0] or not lu[3]:
            continue
        suivi = _SUIVIS.get(s.normaliser(lu[6]), s.A_CORRIGER if lu[6] else "")
        commentaire = lu.get(7, "")
        if suivi or commentaire:
            suivis[(lu[0], lu[3], lu[4])] = (suivi, commentaire)
    return suivis


def lire_suivis_a_part(chemin: Path) -> dict[Cle, tuple[str, str]]:
    """Pour une grille .ods ou .xls : le suivi du classeur de résultats voisin, s'il est bien le
    sien. Un classeur illisible ne donne aucun suivi (le calcul le remplacera)."""
    from moteur.lecture import ouvrir
    from socle.erreurs import GrilleIllisible

    voisin = Path(chemin).with_name(RESULTATS_A_PART.format(stem=Path(chemin).stem))
    if not voisin.is_file() or resultats_de(voisin) != Path(chemin).name:
        return {}
    try:
        return lire_suivis(ouvrir(voisin, "le classeur de résultats"), "")
    except GrilleIllisible:
        return {}


def suivre(anomalies: pd.DataFrame, suivis: dict[Cle, tuple[str, str]]) -> pd.DataFrame:
    """Les anomalies avec leurs colonnes ``suivi`` (« À corriger » par défaut, « Vérifiée —
    exacte » gardée d'un calcul précédent pour un avertissement ou une info) et ``commentaire``."""
    n = len(anomalies)
    suivi = np.full(n, s.A_CORRIGER, dtype=object)
    commentaire = np.full(n, "", dtype=object)
    if suivis and n:
        cles = zip(
            (anomalies["colonne"].astype(str) + anomalies["ligne"].astype(str)).tolist(),
            anomalies["code"].tolist(), anomalies["valeur"].astype(str).tolist(), strict=True,
        )  # fmt: skip
        erreurs = (anomalies["gravite"] == s.ERREUR).to_numpy()
        for i, cle in enumerate(cles):
            trouve = suivis.get(cle)
            if trouve is not None:
                suivi[i] = s.A_CORRIGER if erreurs[i] or not trouve[0] else trouve[0]
                commentaire[i] = trouve[1]
    return anomalies.assign(suivi=suivi, commentaire=commentaire)
