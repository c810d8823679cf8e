"""La qualité des données d'une consolidation, à chaque jalon — les contrôles que les systèmes
d'information sanitaire les plus suivis mènent à chaque remontée (outil de qualité des données
de l'OMS pour DHIS2) : valeurs aberrantes d'un établissement à l'autre (score z modifié),
cohérence dans le temps, vraisemblance interne de la grille, complétude et actualité.

Chaque signalement dit quoi vérifier ; aucun ne change un chiffre. Tout se lit dans les
agrégats que la consolidation a déjà (``Synthese.periodes``, ``periodes_modalites``) : pas de
seconde lecture des grilles."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from moteur import indicateurs as ind
from moteur.consolidation import Consolidation, Synthese, completude
from recueil import schema as s
from socle.francais import decimal, pluriel, signe, valeur

Z_A_VERIFIER = 3.5
Z_EXTREME = 5.0
K_MAD = 0.6745
"""0,6745·(x − médiane)/MAD (Iglewicz et Hoaglin) ; quand MAD = 0, 0,7978846482·(x − médiane)/
écart absolu moyen (la constante √(2/π) rend les deux comparables pour une loi normale)."""
K_ECART_MOYEN = 0.7978846482
ETABLISSEMENTS_MIN = 5
"""En deçà, un score z ne distingue rien : aucune valeur aberrante n'est signalée."""
ECART_TEMPS = 0.33
"""Cohérence dans le temps : la période rapportée à la moyenne des précédentes, hors 1 ± 33 %."""
LIGNES_MIN = 20
"""Les contrôles de vraisemblance d'une grille portent sur au moins 20 lignes de la période."""
DELAIS_IDENTIQUES = {s.DELAI_RDV.cle: 0.8, s.DELAI_CR.cle: 0.95}
"""Part des délais égaux à la valeur la plus fréquente au-delà de laquelle la grille semble
remplie par copier-coller (un compte-rendu le jour même est courant : seuil plus haut)."""
A_JOUR_JOURS = 7

NIVEAU_A_VERIFIER = "à vérifier"
NIVEAU_EXTREME = "extrême"

CONTROLES = {
    "aberrante": "Valeur aberrante dans la région",
    "rupture": "Rupture dans le temps",
    "tout_honore": "100 % « Programmé honoré »",
    "sans_non_programme": "Aucun « Non programmé »",
    "une_modalite": "Une seule modalité",
    "delais_identiques": "Délais identiques",
    "pas_a_jour": "Grille pas à jour au jalon",
    "semaines_sans_donnees": "Semaines sans données",
    "manquante": "Grille attendue non reçue",
}
"""Code d'un contrôle → son intitulé."""


@dataclass(frozen=True)
class Signalement:
    etablissement: str
    controle: str
    """Une clé de ``CONTROLES``."""
    niveau: str
    message: str
    """Ce qui a été vu et ce qu'il faut vérifier."""
    indicateur: str | None = None
    valeur: float | None = None
    reference: float | None = None
    """La médiane des établissements, la moyenne des périodes précédentes, le jalon…"""

    @property
    def intitule(self) -> str:
        return CONTROLES[self.controle]


@dataclass
class Qualite:
    """Les contrôles de qualité d'une consolidation, sur sa dernière période."""

    periode: str
    valeurs: pd.DataFrame
    """Par établissement : chaque indicateur comparé (dernière période)."""
    scores: pd.DataFrame
    """Par établissement : le score z modifié de chaque indicateur (NaN sans score)."""
    evolutions: pd.DataFrame
    """Par établissement : la dernière période rapportée à la moyenne des précédentes."""
    actualite: pd.DataFrame
    """Par établissement : derniere_date, jours (du dernier jour saisi à la veille du jalon),
    a_jour, semaines_sans_donnees, lignes (de la dernière période)."""
    signalements: list[Signalement] = field(default_factory=list)
    note: str = ""
    """Ce qui n'a pas pu être contrôlé, et pourquoi."""

    def de(self, etablissement: str) -> list[Signalement]:
        return [sig for sig in self.signalements if sig.etablissement == etablissement]


def score_z_modifie(valeurs: pd.Series) -> pd.Series:
    """Le score z modifié de chaque valeur (NaN pour une valeur manquante, ou si toutes les
    valeurs sont égales)."""
    presentes = valeurs.dropna().astype(float)
    scores = pd.Series(np.nan, index=valeurs.index, dtype=float)
    if presentes.empty:
        return scores
    mediane = presentes.median()
    ecarts = (presentes - mediane).abs()
    mad = ecarts.median()
    if mad > 0:
        scores[presentes.index] = K_MAD * (presentes - mediane) / mad
    elif ecarts.mean() > 0:
        scores[presentes.index] = K_ECART_MOYEN * (presentes - mediane) / ecarts.mean()
    return scores


def _format(cle: str, x: float) -> str:
    """« 3,7 % », « 12,3 j »."""
    format_ = s.AFFICHE[cle].format
    return valeur(x, format_) + ("" if format_ == "pourcent" else " j")


def controler_qualite(consolidation: Consolidation) -> Qualite:
    """Les contrôles de qualité de ``consolidation`` à sa dernière période."""
    c = consolidation
    periode = c.periodes[-1]
    cles = [comparaison.cle for comparaison in s.COMPARAISONS]
    valeurs = c.dernieres[cles].astype(float)
    signalements: list[Signalement] = []
    notes = []
    # 1. Valeurs aberrantes d'un établissement à l'autre.
    scores = pd.DataFrame({cle: score_z_modifie(valeurs[cle]) for cle in cles}, index=valeurs.index)
    if len(c.retenues) < ETABLISSEMENTS_MIN:
        scores[:] = np.nan
        notes.append(
            f"Valeurs aberrantes non recherchées : {pluriel(len(c.retenues), 'établissement')} consolidé"
            f"{'s' if len(c.retenues) > 1 else ''}, il en faut au moins {ETABLISSEMENTS_MIN} pour qu'un score z "
            "modifié distingue une valeur de ses voisines."
        )
    for cle in cles:
        libelle, mediane = s.AFFICHE[cle].libelle, valeurs[cle].median()
        for nom, z in scores[cle].dropna().items():
            if abs(z) >= Z_A_VERIFIER:
                niveau = NIVEAU_EXTREME if abs(z) >= Z_EXTREME else NIVEAU_A_VERIFIER
                sens = "au-dessus" if z > 0 else "au-dessous"
                signalements.append(Signalement(nom, "aberrante", niveau, (
                    f"{libelle} : {_format(cle, valeurs.loc[nom, cle])}, loin {sens} de la médiane des "
                    f"établissements ({_format(cle, mediane)} ; score z modifié {signe(z)}). Vérifiez les "
                    "lignes de la période dans la grille (type de RDV, délais) avant de comparer."
                ), libelle, float(valeurs.loc[nom, cle]), float(mediane)))  # fmt: skip
    # 2. Cohérence dans le temps.
    evolutions = pd.DataFrame(np.nan, index=valeurs.index, columns=cles)
    if len(c.periodes) < 2:
        notes.append(f"Cohérence dans le temps non contrôlée : une seule période achevée ({periode}).")
    for grille in c.retenues:
        tableau = c.par_etablissement[grille.nom]
        for cle in cles:
            precedentes = tableau.loc[c.periodes[:-1], cle].astype(float).dropna()
            actuelle = float(tableau.loc[periode, cle])
            if precedentes.empty or math.isnan(actuelle) or precedentes.mean() == 0:
                continue
            rapport = actuelle / precedentes.mean()
            evolutions.loc[grille.nom, cle] = rapport
            if abs(rapport - 1) > ECART_TEMPS:
                libelle = s.AFFICHE[cle].libelle
                signalements.append(Signalement(grille.nom, "rupture", NIVEAU_A_VERIFIER, (
                    f"{libelle} : {_format(cle, actuelle)} sur {periode}, contre {_format(cle, precedentes.mean())} "
                    f"en moyenne sur les périodes précédentes ({signe(100 * (rapport - 1), 0)} %). Une action du coaching peut "
                    "l'expliquer ; sinon, vérifiez la saisie de la période (changement de référent, de méthode)."
                ), libelle, actuelle, float(precedentes.mean())))  # fmt: skip
    # 3. Vraisemblance interne de chaque grille ; 4. actualité et complétude.
    actualite = []
    for grille in c.retenues:
        signalements += _vraisemblance(grille, periode)
        actualite.append(_actualite(grille, c.date_jalon, periode))
        signalements += _actualite_signalements(grille, actualite[-1], c.date_jalon)
    for ligne in completude(c):
        if ligne.statut == "manquante":
            signalements.append(Signalement(ligne.etablissement, "manquante", NIVEAU_A_VERIFIER, (
                f"Aucune grille lisible reçue au jalon {c.jalon} : relancez le référent indicateurs."
            )))  # fmt: skip
    ordre = {nom: i for i, nom in enumerate(c.dernieres.index)}
    signalements.sort(
        key=lambda sig: (ordre.get(sig.etablissement, len(ordre)), list(CONTROLES).index(sig.controle))
    )
    return Qualite(
        periode=periode,
        valeurs=valeurs,
        scores=scores,
        evolutions=evolutions,
        actualite=pd.DataFrame(actualite, index=valeurs.index),
        signalements=signalements,
        note=" ".join(notes),
    )


def _derniere(grille: Synthese, periode: str) -> tuple[np.ndarray, dict[tuple, np.ndarray], int]:
    agregats = grille.periodes.selection([periode])
    comptes = agregats.comptes[0]
    return comptes, {cle: h[0] for cle, h in agregats.histogrammes.items()}, int(comptes.sum())


def _vraisemblance(grille: Synthese, periode: str) -> list[Signalement]:
    """Les signatures d'une grille remplie par copier-coller, sur la dernière période."""
    comptes, histogrammes, lignes = _derniere(grille, periode)
    if lignes < LIGNES_MIN:
        return []
    nom, trouves = grille.nom, []
    par_type = dict(zip(ind.TYPES, comptes, strict=True))
    libelles = {t.code: t.libelle for t in s.TYPES_RDV}
    if par_type["H"] == lignes:
        trouves.append(Signalement(nom, "tout_honore", NIVEAU_A_VERIFIER, (
            f"Les {lignes} lignes de {periode} sont toutes « {libelles['H']} » : aucun non-honoré ni non "
            "programmé. Vérifiez que la colonne Type de rendez-vous n'a pas été recopiée d'une ligne à l'autre."
        )))  # fmt: skip
    elif par_type["NP"] == 0:
        trouves.append(Signalement(nom, "sans_non_programme", NIVEAU_A_VERIFIER, (
            f"Aucun « {libelles['NP']} » parmi les {lignes} lignes de {periode} : les urgences et les patients "
            "ajoutés dans la journée sont-ils saisis ?"
        )))  # fmt: skip
    modalites = grille.periodes_modalites
    presentes = [m for (p, m), n in zip(modalites.etiquettes, modalites.comptes.sum(axis=1), strict=True)
                 if p == periode and n > 0]  # fmt: skip
    if len(presentes) == 1:
        trouves.append(Signalement(nom, "une_modalite", NIVEAU_A_VERIFIER, (
            f"Une seule modalité saisie sur {periode} ({presentes[0]}) : vérifiez que toutes les modalités du "
            "service sont recueillies, ou que le service n'en a qu'une."
        )))  # fmt: skip
    for delai in s.DELAIS:
        histogramme = histogrammes[delai.colonne, delai.types]
        n = int(histogramme.sum())
        if n >= LIGNES_MIN and histogramme.max() / n >= DELAIS_IDENTIQUES[delai.cle]:
            mode = int(histogramme.argmax())
            trouves.append(Signalement(nom, "delais_identiques", NIVEAU_A_VERIFIER, (
                f"{delai.libelle} : {decimal(100 * histogramme.max() / n, 0)} % des {n} délais de {periode} valent {mode} "
                "jour(s). Vérifiez qu'ils n'ont pas été recopiés d'une ligne à l'autre."
            ), delai.libelle, float(mode)))  # fmt: skip
    return trouves


def _actualite(grille: Synthese, date_jalon: date, periode: str) -> dict[str, Any]:
    veille = date_jalon - timedelta(days=1)
    jours = (veille - grille.derniere_date).days if grille.derniere_date else None
    return {
        "derniere_date": grille.derniere_date,
        "jours": jours,
        "a_jour": jours is not None and jours <= A_JOUR_JOURS,
        "semaines_sans_donnees": grille.semaines_sans_donnees,
        "lignes": _derniere(grille, periode)[2],
    }


def _actualite_signalements(
    grille: Synthese, actualite: dict[str, Any], date_jalon: date
) -> list[Signalement]:
    trouves = []
    if not actualite["a_jour"]:
        quand = (f"dernière date saisie le {actualite['derniere_date']:%d/%m/%Y}, {actualite['jours']} jours avant "
                 "la veille du jalon" if actualite["derniere_date"] else "aucune date saisie")  # fmt: skip
        trouves.append(Signalement(grille.nom, "pas_a_jour", NIVEAU_A_VERIFIER, (
            f"Grille pas à jour au jalon du {date_jalon:%d/%m/%Y} ({quand}) : demandez la dernière version, "
            "ou notez que le recueil s'est arrêté."
        )))  # fmt: skip
    if grille.semaines_sans_donnees:
        trouves.append(Signalement(grille.nom, "semaines_sans_donnees", NIVEAU_A_VERIFIER, (
            f"{pluriel(grille.semaines_sans_donnees, 'semaine')} sans aucune ligne sur {grille.semaines} : "
            "fermeture, congés du référent, ou lignes non saisies ?"
        )))  # fmt: skip
    return trouves


def document_qualite(qualite: Qualite) -> dict[str, Any]:
    """Le bloc « qualite_des_donnees » du JSON de la consolidation."""

    def nombre(v: Any) -> Any:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    return {
        "periode": qualite.periode,
        "note": qualite.note or None,
        "etablissements": [
            {
                "etablissement": nom,
                "a_jour": bool(qualite.actualite.loc[nom, "a_jour"]),
                "derniere_date": (
                    d.isoformat() if (d := qualite.actualite.loc[nom, "derniere_date"]) else None
                ),
                "semaines_sans_donnees": int(qualite.actualite.loc[nom, "semaines_sans_donnees"]),
                "indicateurs": {
                    cle: {
                        "valeur": nombre(qualite.valeurs.loc[nom, cle]),
                        "score_z_modifie": nombre(qualite.scores.loc[nom, cle]),
                        "evolution": nombre(qualite.evolutions.loc[nom, cle]),
                    }
                    for cle in qualite.valeurs.columns
                },
            }
            for nom in qualite.valeurs.index
        ],
        "signalements": [
            {
                "etablissement": sig.etablissement,
                "controle": sig.controle,
                "intitule": sig.intitule,
                "niveau": sig.niveau,
                "indicateur": sig.indicateur,
                "valeur": nombre(sig.valeur),
                "reference": nombre(sig.reference),
                "message": sig.message,
            }
            for sig in qualite.signalements
        ],
    }
