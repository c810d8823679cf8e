"""L'analyse des services demandeurs (SPEC §3, actions 6 à 8 : contrats, créneaux
pré-attribués, demandes anticipées) : volume et régularité des demandes de chaque provenance,
part de non programmé, non-honorés, délais, éligibilité aux créneaux pré-attribués."""

from __future__ import annotations

import numpy as np
import pandas as pd

from moteur.indicateurs import Decoupage, Lignes, rapport
from moteur.valeurs import jours_de_semaine
from recueil import schema as s

COLONNES_JOURS = [f"par_{jour}" for jour in s.JOURS]


def services_demandeurs(
    lignes: Lignes, provenances: Decoupage, semaines: Decoupage, par_provenance: pd.DataFrame
) -> pd.DataFrame:
    """Une ligne par provenance qui a au moins une demande, de la plus demandeuse à la moins.

    Colonnes : volume ; par_jour (demandes datées par jour ouvert, c.-à-d. par jour où la grille
    compte au moins une ligne) et par_lundi … par_dimanche ; part_non_programmes ;
    taux_non_honores ; délais moyens ; cv_hebdomadaire (écart-type / moyenne des volumes
    hebdomadaires, semaines sans demande comprises) ; eligible_creneaux et jours_eligibles
    (au moins ``SEUIL_CRENEAUX`` demandes par jour, en moyenne ou certains jours) ; rangs par
    volume et par marge de progrès (part de non programmé)."""
    p = provenances.groupes
    n = len(provenances.etiquettes)
    datees = ~np.isnat(lignes.jour)
    jours_ouverts = np.unique(lignes.jour[datees])
    jour_semaine = np.where(datees, jours_de_semaine(lignes.jour), -1)
    ouverts_par_jour = np.bincount(jours_de_semaine(jours_ouverts), minlength=7)

    volume = np.bincount(p[p >= 0], minlength=n)
    volume_date = np.bincount(p[(p >= 0) & datees], minlength=n)
    garde = (p >= 0) & datees
    par_jour_semaine = np.bincount(p[garde] * 7 + jour_semaine[garde], minlength=n * 7).reshape(n, 7)

    table = pd.DataFrame(index=provenances.etiquettes)
    table["volume"] = volume
    table["par_jour"] = rapport(volume_date, np.full(n, len(jours_ouverts)))
    moyennes_jour = rapport(par_jour_semaine, np.broadcast_to(ouverts_par_jour, (n, 7)))
    for i, colonne in enumerate(COLONNES_JOURS):
        table[colonne] = moyennes_jour[:, i]
    total = par_provenance[[s.HONORE.cle, s.NON_HONORE.cle, s.NON_PROGRAMME.cle]].sum(axis=1)
    table["part_non_programmes"] = rapport(par_provenance[s.NON_PROGRAMME.cle].to_numpy(), total.to_numpy())
    table["taux_non_honores"] = par_provenance[s.TAUX_NON_HONORES.cle]
    for delai in s.DELAIS:
        table[f"{delai.cle}_moyenne"] = par_provenance[f"{delai.cle}_moyenne"]
    table["cv_hebdomadaire"] = _variation_hebdomadaire(p, semaines, n)
    eligibles = moyennes_jour >= s.SEUIL_CRENEAUX
    table["jours_eligibles"] = [[s.JOURS[j] for j in np.flatnonzero(ligne)] for ligne in eligibles]
    table["eligible_creneaux"] = (table["par_jour"] >= s.SEUIL_CRENEAUX) | eligibles.any(axis=1)
    table = table[table["volume"] > 0].sort_values("volume", ascending=False, kind="stable")
    table["rang_volume"] = table["volume"].rank(ascending=False, method="min").astype(np.int64)
    table["rang_progression"] = (
        table["part_non_programmes"].rank(ascending=False, method="min", na_option="bottom").astype(np.int64)
    )
    return table


def _variation_hebdomadaire(p: np.ndarray, semaines: Decoupage, n: int) -> np.ndarray:
    w = len(semaines.etiquettes)
    if w < 2:
        return np.full(n, np.nan)
    garde = (p >= 0) & (semaines.groupes >= 0)
    volumes = np.bincount(p[garde] * w + semaines.groupes[garde], minlength=n * w).reshape(n, w)
    return rapport(volumes.std(axis=1), volumes.mean(axis=1))
