"""La base régionale (``consolidate --base``) : chaque ligne lue de chaque grille, une ligne de
la base par ligne de grille — l'établissement, le fichier et la ligne Excel, les six valeurs
telles que lues et telles que validées, la période, la semaine, les codes d'anomalie de la
ligne. Ce que la Cellule Performance filtre, croise ou charge dans un outil décisionnel.

Les valeurs validées sont celles du contrôle (``Controle.donnees``) et la période, celle des
indicateurs (``indicateurs.par_periode``) : une seule définition de chacune."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from moteur import indicateurs as ind
from moteur.controles import Controle
from moteur.valeurs import lundis
from recueil import schema as s
from recueil.calendrier import Calendrier

LIGNES_EXCEL = 1_048_576
"""Lignes d'une feuille Excel, en-tête compris."""
TYPES = {t.code: t.libelle for t in s.TYPES_RDV}


@dataclass(frozen=True)
class ColonneBase:
    cle: str
    entete: str
    format: str
    """« texte », « entier », « date » : le style de la colonne dans le classeur."""


COLONNES_BASE: tuple[ColonneBase, ...] = (
    ColonneBase("etablissement", "Établissement", "texte"),
    ColonneBase("finess", "FINESS", "texte"),
    ColonneBase("dt", "DT", "texte"),
    ColonneBase("fichier", "Fichier", "texte"),
    ColonneBase("ligne_excel", "Ligne Excel", "entier"),
    *(ColonneBase(f"{c.cle}_lu", f"{c.entete} (lu)", "texte") for c in s.COLONNES),
    ColonneBase("date", "Date", "date"),
    ColonneBase("modalite", "Type d'activité", "texte"),
    ColonneBase("provenance", "Provenance du patient", "texte"),
    ColonneBase("type_rdv", "Type de rendez-vous", "texte"),
    ColonneBase("delai_rdv", "Délai d'obtention (jours)", "entier"),
    ColonneBase("delai_cr", "Délai de compte-rendu (jours)", "entier"),
    ColonneBase("periode", "Période", "texte"),
    ColonneBase("semaine", "Semaine (lundi)", "date"),
    ColonneBase("anomalies", "Anomalies de la ligne", "texte"),
)
"""Les colonnes de la base, dans l'ordre : identité, valeurs lues (texte, telles que dans la
cellule), valeurs validées (vides quand une erreur les écarte), période, semaine, anomalies."""


def _constante(valeur: str | None, n: int) -> pa.Array:
    """Une colonne d'une seule valeur répétée, à dictionnaire : la base reste petite."""
    return pa.array([valeur] * n, pa.string()).dictionary_encode()


def lignes_de_base(
    controle: Controle, calendrier: Calendrier, etablissement: str, finess: str | None, dt: str | None
) -> pa.Table:
    """Les lignes de la base pour une grille contrôlée (toutes ses lignes lues)."""
    grille, donnees = controle.grille, controle.donnees
    n = len(donnees)
    lignes = ind.Lignes.depuis(donnees)
    decoupage = ind.par_periode(lignes, calendrier)
    libelles = np.array([*decoupage.etiquettes, None], dtype=object)
    jours = lignes.jour
    codes = controle.anomalies.groupby("ligne", sort=False)["code"].agg(", ".join)
    colonnes: dict[str, pa.Array] = {
        "etablissement": _constante(etablissement, n),
        "finess": _constante(finess, n),
        "dt": _constante(dt, n),
        "fichier": _constante(grille.chemin.name, n),
        "ligne_excel": pa.array(np.asarray(grille.lignes, dtype=np.int32)),
    }
    for colonne in s.COLONNES:
        brutes = grille.valeurs.get(colonne.cle)
        colonnes[f"{colonne.cle}_lu"] = (
            pa.nulls(n, pa.string()) if brutes is None else brutes.cast(pa.string())
        )
    colonnes["date"] = pa.array(jours.astype("datetime64[D]"), pa.date32(), mask=np.isnat(jours))
    for liste in s.LISTES:
        colonnes[liste.colonne] = pa.array(
            donnees[liste.colonne].astype(object), pa.string(), from_pandas=True
        ).dictionary_encode()
    colonnes["type_rdv"] = pa.array(
        donnees["type"].map(TYPES).astype(object), pa.string(), from_pandas=True
    ).dictionary_encode()
    for delai in s.DELAIS:
        valeurs = donnees[delai.colonne].to_numpy(dtype=float)
        colonnes[delai.colonne] = pa.array(
            np.nan_to_num(valeurs, nan=0).astype(np.int16), mask=np.isnan(valeurs)
        )
    colonnes["periode"] = pa.array(libelles[decoupage.groupes], pa.string()).dictionary_encode()
    colonnes["semaine"] = pa.array(lundis(jours).astype("datetime64[D]"), pa.date32(), mask=np.isnat(jours))
    colonnes["anomalies"] = pa.array(
        pd.Series(grille.lignes).map(codes).astype(object).where(lambda v: v.notna(), None), pa.string()
    )
    return pa.table({c.cle: colonnes[c.cle] for c in COLONNES_BASE})


def empiler(tables: list[pa.Table]) -> pa.Table:
    """Les bases des grilles, les unes sous les autres (dictionnaires unifiés)."""
    return pa.concat_tables(tables, promote_options="permissive").unify_dictionaries()
