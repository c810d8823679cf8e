"""Le résultat d'une analyse : la grille contrôlée et tous ses tableaux d'indicateurs, que les
rapports écrivent, que la consolidation agrège, et que ``--format json`` publie (SPEC §8)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from moteur import indicateurs as ind
from moteur.controles import Controle, controler
from moteur.lecture import ClasseurLu, Grille, lire_grille
from moteur.services import services_demandeurs
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT, Calendrier, lundi

DECOUPAGES = ("semaine", "mois", "periode", "modalite", "provenance")
"""Les découpages publiés en JSON (« par_semaine »…), dans l'ordre de SPEC §8."""


@dataclass
class Resultat:
    """Une grille analysée."""

    controle: Controle
    calendrier: Calendrier
    ensemble: pd.Series
    par: dict[str, pd.DataFrame]
    """« semaine », « mois », « periode », « modalite », « provenance », « provenance_modalite »
    → tableau d'indicateurs (une ligne par groupe, colonnes ``COLONNES_INDICATEURS``)."""
    services: pd.DataFrame
    agregats: dict[str, ind.Agregats]
    """Les statistiques additives de chaque découpage (et de « periode_modalite ») : ce que la
    consolidation additionne d'un établissement à l'autre."""

    @property
    def grille(self) -> Grille:
        return self.controle.grille

    @property
    def etablissement(self) -> str | None:
        """Le nom de l'établissement (feuille Paramètres), ou None."""
        return self.grille.parametres.get("etablissement") or None


@dataclass(frozen=True)
class Essentiel:
    """Ce qu'une fiche synthétique montre d'une grille analysée : quelques petits tableaux, sans
    les lignes (un processus de lecture le renvoie sans recopier un million de lignes)."""

    fichier: Path
    etablissement: str | None
    finess: str | None
    dt: str | None
    lignes_lues: int
    premiere_date: date | None
    derniere_date: date | None
    """Les dates extrêmes saisies dans la période du recueil."""
    dates_hors_periode: int
    ensemble: pd.Series
    par: dict[str, pd.DataFrame]
    """« semaine » (les semaines de la période du recueil), « periode », « modalite » →
    tableau d'indicateurs."""
    services: pd.DataFrame
    anomalies: dict[str, int]
    """Gravité → nombre d'anomalies."""
    par_code: dict[str, int]


def invraisemblances(ensemble: pd.Series) -> list[tuple[s.Vraisemblance, float]]:
    """Les indicateurs d'ensemble hors de leur plage habituelle en imagerie
    (``schema.VRAISEMBLANCES``), avec leur valeur ; un indicateur sans valeur n'y est pas."""
    return [
        (v, float(ensemble[v.cle]))
        for v in s.VRAISEMBLANCES
        if pd.notna(ensemble[v.cle]) and not v.minimum <= ensemble[v.cle] <= v.maximum
    ]


def dates_saisies(controle: Controle) -> tuple[date | None, date | None, int]:
    """La première et la dernière date saisies dans la période du recueil, et le nombre de
    dates hors de la période (une année mal frappée ne fait pas remonter le recueil à 2001)."""
    dates = controle.donnees["date"].dropna()
    dans = dates[(dates >= pd.Timestamp(controle.debut)) & (dates <= pd.Timestamp(controle.fin))]
    if dans.empty:
        return None, None, len(dates)
    return dans.min().date(), dans.max().date(), len(dates) - len(dans)


def essentiel(
    resultat: Resultat, lignes_lues: int | None = None, periodes: list[str] | None = None
) -> Essentiel:
    """L'essentiel de ``resultat`` pour une fiche. Quand le résultat ne porte que sur une
    partie de la grille (jusqu'à un jalon), ``lignes_lues`` est le compte des lignes de toute la
    grille et ``periodes`` les périodes à montrer."""
    controle = resultat.controle
    parametres = resultat.grille.parametres
    premiere, derniere, hors_periode = dates_saisies(controle)
    fin = pd.Timestamp(controle.fin)
    semaines = resultat.par["semaine"]
    semaines = semaines[(semaines.index >= pd.Timestamp(lundi(controle.debut))) & (semaines.index <= fin)]
    return Essentiel(
        fichier=resultat.grille.chemin,
        etablissement=resultat.etablissement,
        finess=parametres.get("finess") or None,
        dt=parametres.get("dt") or None,
        lignes_lues=controle.lignes_lues if lignes_lues is None else lignes_lues,
        premiere_date=premiere,
        derniere_date=derniere,
        dates_hors_periode=hors_periode,
        ensemble=resultat.ensemble,
        par={
            "semaine": semaines,
            "periode": resultat.par["periode"]
            if periodes is None
            else resultat.par["periode"].reindex(periodes),
            "modalite": resultat.par["modalite"],
        },
        services=resultat.services,
        anomalies={gravite: controle.compte(gravite) for gravite in s.GRAVITES},
        par_code=controle.par_code(),
    )


def calculer(controle: Controle, calendrier: Calendrier | None = None) -> Resultat:
    """Les indicateurs d'une grille contrôlée. Le calendrier des périodes est ``calendrier``,
    sinon celui de la feuille Paramètres, sinon celui de SPEC §6."""
    calendrier = calendrier or controle.grille.calendrier or CALENDRIER_DEFAUT
    lignes = ind.Lignes.depuis(controle.donnees)
    dans_la_periode = (lignes.jour >= np.datetime64(controle.debut)) & (
        lignes.jour <= np.datetime64(controle.fin)
    )
    decoupages = {
        "semaine": ind.par_semaine(lignes, dans_la_periode),
        "mois": ind.par_mois(lignes, dans_la_periode),
        "periode": ind.par_periode(lignes, calendrier),
        "modalite": ind.par_liste(controle.donnees["modalite"].array, "modalite"),
        "provenance": ind.par_liste(controle.donnees["provenance"].array, "provenance"),
    }
    decoupages["provenance_modalite"] = ind.croise(decoupages["provenance"], decoupages["modalite"])
    decoupages["periode_modalite"] = ind.croise(decoupages["periode"], decoupages["modalite"])
    agregats = {nom: ind.agreger(lignes, decoupage) for nom, decoupage in decoupages.items()}
    par = {nom: ind.indicateurs(a) for nom, a in agregats.items() if nom != "periode_modalite"}
    # La régularité d'un service se mesure sur les semaines du recueil, pas sur une date égarée.
    hors_periode = ~dans_la_periode & ~np.isnat(lignes.jour)
    semaines = (
        ind.par_semaine(lignes, dans_la_periode, isolees=False)
        if hors_periode.any()
        else decoupages["semaine"]
    )
    services = services_demandeurs(lignes, decoupages["provenance"], semaines, par["provenance"])
    ensemble = ind.indicateurs(ind.agreger(lignes, ind.tout(lignes))).iloc[0]
    return Resultat(controle, calendrier, ensemble, par, services, agregats)


def analyser(
    source: Path | ClasseurLu, *, calendrier: Calendrier | None = None, aujourdhui: date | None = None
) -> Resultat:
    """Relit, contrôle et calcule la grille ``source`` — un fichier, ou un classeur ouvert
    (voir ``lire_grille`` pour les erreurs)."""
    return calculer(controler(lire_grille(source), aujourdhui), calendrier)


def _nombre(valeur: Any) -> Any:
    """Une valeur JSON : NaN → null, types numpy → types Python."""
    if isinstance(valeur, (np.integer, int)) and not isinstance(valeur, bool):
        return int(valeur)
    if isinstance(valeur, (np.floating, float)):
        return None if math.isnan(valeur) else float(valeur)
    if isinstance(valeur, np.bool_):
        return bool(valeur)
    return valeur


_ENTIERES = frozenset(ind.COLONNES_ENTIERES)


def bloc_indicateurs(ligne: pd.Series) -> dict[str, Any]:
    """Les indicateurs d'un groupe, dans la forme de « global » (SPEC §8)."""

    def valeur(colonne: str) -> Any:
        # Une ligne mêle comptes et taux : pandas l'a passée en flottants.
        v = ligne[colonne]
        return int(v) if colonne in _ENTIERES else _nombre(v)

    bloc: dict[str, Any] = {cle: valeur(cle) for cle in ind.COMPTES.values()}
    bloc.update({t.cle: valeur(t.cle) for t in s.TAUX})
    for delai in s.DELAIS:
        bloc[delai.cle] = {
            colonne.removeprefix(delai.cle + "_"): valeur(colonne) for colonne in ind.colonnes_delai(delai)
        }
    bloc["distribution_cr"] = {t.cle: valeur(ind.DISTRIBUTION + t.cle) for t in s.TRANCHES_CR}
    bloc["non_honores_par_tranche_delai"] = {
        t.cle: valeur(ind.NH_PAR_TRANCHE + t.cle) for t in s.TRANCHES_DELAI_RDV
    }
    return bloc


def etiquette(valeur: Any) -> str:
    """Le libellé JSON d'un groupe : lundi « 2010-09-06 », mois « 2010-09 », ou le libellé."""
    if isinstance(valeur, pd.Timestamp):
        return valeur.date().isoformat()
    return str(valeur)


def liste_indicateurs(tableau: pd.DataFrame, cle: str) -> list[dict[str, Any]]:
    """Un découpage en liste JSON : [{cle: libellé, …indicateurs…}]."""
    return [{cle: etiquette(groupe), **bloc_indicateurs(ligne)} for groupe, ligne in tableau.iterrows()]


def document_anomalies(controle: Controle) -> dict[str, Any]:
    """Le bloc « anomalies » de SPEC §8 : comptes par gravité et par code, liste complète."""
    anomalies = controle.anomalies
    liste = pd.DataFrame({
        "code": anomalies["code"],
        "gravite": anomalies["gravite"],
        "ligne": anomalies["ligne"].astype(np.int64),
        "cellule": controle.cellules(),
        "valeur": anomalies["valeur"],
        "message": anomalies["message"],
        "suivi": anomalies["suivi"],
        "commentaire": anomalies["commentaire"].where(anomalies["commentaire"] != "", None),
    })  # fmt: skip
    return {
        "erreurs": controle.compte(s.ERREUR),
        "avertissements": controle.compte(s.AVERTISSEMENT),
        "infos": controle.compte(s.INFO),
        "par_code": controle.par_code(),
        "liste": [{k: _nombre(v) for k, v in ligne.items()} for ligne in liste.to_dict("records")],
        # Au-delà de SPEC §8 (issue 18) : le suivi saisi par l'établissement dans la feuille Anomalies.
        "verifiees": controle.verifiees(),
    }


def document_check(controle: Controle) -> dict[str, Any]:
    """Ce que ``coaching-xl check --format json`` publie."""
    return {
        "fichier": str(controle.grille.chemin),
        "etablissement": controle.grille.parametres.get("etablissement") or None,
        "lignes_lues": controle.lignes_lues,
        "anomalies": document_anomalies(controle),
    }


def document_compute(resultat: Resultat) -> dict[str, Any]:
    """Le document JSON de SPEC §8, clés dans l'ordre de la spécification."""
    services = [
        {
            "provenance": etiquette(provenance),
            "volume": _nombre(ligne["volume"]),
            "par_jour": _nombre(ligne["par_jour"]),
            "part_non_programmes": _nombre(ligne["part_non_programmes"]),
            "cv_hebdomadaire": _nombre(ligne["cv_hebdomadaire"]),
            "eligible_creneaux": bool(ligne["eligible_creneaux"]),
            "jours_eligibles": list(ligne["jours_eligibles"]),
        }
        for provenance, ligne in resultat.services.iterrows()
    ]
    return {
        "fichier": str(resultat.grille.chemin),
        "etablissement": resultat.etablissement,
        "lignes_lues": resultat.controle.lignes_lues,
        "global": bloc_indicateurs(resultat.ensemble),
        **{f"par_{nom}": liste_indicateurs(resultat.par[nom], nom) for nom in DECOUPAGES},
        "services_demandeurs": services,
        "anomalies": document_anomalies(resultat.controle),
    }
