"""Les résumés en français que la ligne de commande affiche : contrôle d'une grille (check),
indicateurs (compute), consolidation régionale (consolidate). Ils rendent du texte ; c'est la
ligne de commande qui l'imprime."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from moteur.consolidation import REGION, Consolidation, completude
from moteur.contrat import Suivi
from moteur.controles import Controle
from moteur.resultat import Resultat, dates_saisies, etiquette, invraisemblances
from recueil import schema as s
from socle.francais import decimal, entier, objectif, pluriel, pourcent

if TYPE_CHECKING:
    from rapports.ecriture import Ecriture

VIDE = "—"


def _pourcent(x: float) -> str:
    return VIDE if x is None or math.isnan(x) else pourcent(x)


def _jours(x: float) -> str:
    return VIDE if x is None or math.isnan(x) else decimal(x)


def entete(controle: Controle) -> str:
    """« Grille : … — feuille Recueil, en-têtes en ligne 4, 1 234 lignes lues »."""
    grille = controle.grille
    nom = grille.parametres.get("etablissement")
    titre = f"Grille : {grille.chemin}" + (f" — {nom}" if nom else "")
    detail = (
        f"  feuille {grille.feuille}, en-têtes en ligne {grille.ligne_entete}, "
        f"{pluriel(controle.lignes_lues, 'ligne lue', 'lignes lues')}"
    )
    premiere, derniere, hors_periode = dates_saisies(controle)
    if premiere:
        detail += f", du {premiere:%d/%m/%Y} au {derniere:%d/%m/%Y}"
    if hors_periode:
        detail += f" ({pluriel(hors_periode, 'date')} hors de la période du recueil)"
    if not grille.listes_du_classeur:
        detail += " (pas de feuille Listes : listes par défaut)"
    return f"{titre}\n{detail}"


def bilan_anomalies(controle: Controle) -> str:
    """« Anomalies : 3 erreurs, 12 avertissements, 1 info »."""
    return "Anomalies : " + ", ".join((
        pluriel(controle.compte(s.ERREUR), "erreur"),
        pluriel(controle.compte(s.AVERTISSEMENT), "avertissement"),
        pluriel(controle.compte(s.INFO), "info"),
    )) + _dont_verifiees(controle)  # fmt: skip


def _dont_verifiees(controle: Controle) -> str:
    """« (dont 2 vérifiés et exacts, colonne Suivi de la feuille Anomalies) », ou rien."""
    n = controle.verifiees()
    return (
        f" (dont {pluriel(n, 'vérifié et exact', 'vérifiés et exacts')}, colonne Suivi de la feuille "
        "Anomalies)"
        if n
        else ""
    )


def resume_check(controle: Controle, premieres: int = 20) -> str:
    """Le compte rendu de ``coaching-xl check`` : anomalies par code, puis les premières avec
    leur cellule, puis la conduite à tenir."""
    lignes = [entete(controle), "", bilan_anomalies(controle)]
    for code, nombre in controle.par_code().items():
        anomalie = s.ANOMALIES[code]
        lignes.append(f"  {anomalie.gravite:<14} {code:<25} {entier(nombre):>9}   {anomalie.intitule}")
    if len(controle.anomalies):
        montrees = controle.anomalies.head(premieres)
        lignes += [
            "",
            f"Premières anomalies ({entier(len(montrees))} sur {entier(len(controle.anomalies))}) :",
        ]
        for cellule, (_, a) in zip(controle.cellules(montrees), montrees.iterrows(), strict=True):
            lignes.append(f"  {cellule:<14} {a['gravite']:<14} {a['message']}")
    erreurs = controle.compte(s.ERREUR)
    lignes.append("")
    if erreurs:
        lignes.append(
            f"{pluriel(erreurs, 'erreur')} à corriger dans la grille : chaque valeur fautive est "
            "écartée des indicateurs qui en ont besoin."
        )
    else:
        lignes.append("Aucune erreur : tous les indicateurs peuvent être calculés.")
    return "\n".join(lignes)


def _ligne_indicateurs(nom: str, ligne: pd.Series, largeur: int) -> str:
    h, nh, np_ = (entier(int(ligne[t.cle])) for t in s.TYPES_RDV)
    return (
        f"  {nom:<{largeur}} {h:>8} {nh:>7} {np_:>7} {_pourcent(ligne[s.TAUX_PROGRAMMES.cle]):>10}"
        f" {_pourcent(ligne[s.TAUX_NON_HONORES.cle]):>9} {_jours(ligne['delai_rdv_moyenne']):>10}"
        f" {_jours(ligne['delai_cr_moyenne']):>9}"
    )


def _tableau(titre: str, tableau: pd.DataFrame) -> list[str]:
    if tableau.empty:
        return []
    noms = [etiquette(g) if not isinstance(g, tuple) else " × ".join(map(str, g)) for g in tableau.index]
    largeur = max(12, *(len(n) for n in noms))
    entetes = (
        f"  {'':<{largeur}} {'H':>8} {'NH':>7} {'NP':>7} {'programmés':>10} {'non hon.':>9}"
        f" {'délai RDV':>10} {'délai CR':>9}"
    )
    lignes = ["", titre, entetes]
    lignes += [
        _ligne_indicateurs(nom, ligne, largeur)
        for nom, (_, ligne) in zip(noms, tableau.iterrows(), strict=True)
    ]
    return lignes


def resume_compute(resultat: Resultat) -> str:
    """Le résumé de ``coaching-xl compute`` : les quatre indicateurs, leur évolution par
    période, les répartitions par modalité et provenance, les services éligibles aux créneaux
    pré-attribués, le bilan des anomalies."""
    e = resultat.ensemble
    rdv, cr = s.DELAI_RDV, s.DELAI_CR
    lignes = [entete(resultat.controle), "", "Indicateurs sur l'ensemble du recueil"]
    largeur = 42
    for t in s.TYPES_RDV:
        libelle = f"RDV « {t.libelle} » ({t.code})"
        lignes.append(f"  {libelle:<{largeur}} {entier(int(e[t.cle])):>9}")
    for taux in s.TAUX:
        lignes.append(f"  {taux.libelle:<{largeur}} {_pourcent(e[taux.cle]):>9}   {taux.formule}")
    lignes.append(
        f"  {rdv.libelle:<{largeur}} {_jours(e['delai_rdv_moyenne']):>9}   médiane "
        f"{_jours(e['delai_rdv_mediane'])}, 90e centile {_jours(e['delai_rdv_p90'])}"
    )
    lignes.append(
        f"  {cr.libelle:<{largeur}} {_jours(e['delai_cr_moyenne']):>9}   médiane "
        f"{_jours(e['delai_cr_mediane'])}, 90e centile {_jours(e['delai_cr_p90'])}, "
        f"en 48 h ou moins {_pourcent(e[f'delai_cr_{cr.cle_part}'])}"
    )
    lignes += _tableau("Par période (jalons)", resultat.par["periode"])
    lignes += _tableau("Par modalité", resultat.par["modalite"])
    lignes += _tableau("Par provenance", resultat.par["provenance"])
    eligibles = resultat.services[resultat.services["eligible_creneaux"]]
    if not eligibles.empty:
        lignes += [
            "",
            f"Services éligibles aux créneaux pré-attribués (≥ {s.SEUIL_CRENEAUX} demandes par jour) :",
        ]
        for provenance, service in eligibles.iterrows():
            ligne = f"  {provenance} : {decimal(service['par_jour'])} par jour ouvert en moyenne"
            if jours := list(service["jours_eligibles"]):
                liste = jours[0] if len(jours) == 1 else f"{', '.join(jours[:-1])} et le {jours[-1]}"
                ligne += f", au moins {s.SEUIL_CRENEAUX} le {liste}"
            lignes.append(ligne)
    lignes += ["", bilan_anomalies(resultat.controle) + " — détail : coaching-xl check"]
    alertes = alertes_vraisemblance(resultat)
    if alertes:
        lignes += ["", *alertes]
    return "\n".join(lignes)


def alertes_vraisemblance(resultat: Resultat) -> list[str]:
    """« Attention : … » pour chaque indicateur peu vraisemblable en imagerie."""

    def valeur(v: s.Vraisemblance, x: float) -> str:
        return pourcent(x) if v.format == "pourcent" else f"{decimal(x)} jour{'s' * (abs(x) >= 2)}"

    return [
        f"Attention : {v.libelle.lower()} de {valeur(v, x)}, hors de la plage habituelle en "
        f"imagerie ({valeur(v, v.minimum)} à {valeur(v, v.maximum)}) : {v.conseil}. "
        "Le calcul est fait ; ce n'est qu'un signal."
        for v, x in invraisemblances(resultat.ensemble)
    ]


def resume_ecriture(ecriture: Ecriture) -> str:
    """Où sont allés les résultats, et ce qu'il faut ouvrir."""
    noms = ", ".join(ecriture.feuilles.values())
    lignes = [f"Résultats écrits dans {ecriture.classeur} : feuilles {noms}, avec leurs graphiques."]
    if ecriture.a_part:
        lignes.append(
            f"Un classeur {ecriture.source.suffix} ne porte pas ces graphiques : {ecriture.classeur.name} "
            "ne contient que les résultats. Vos données, commentaires, couleurs et autres feuilles restent "
            f"dans {ecriture.source.name}, qui n'a pas été modifié : continuez-y la saisie, et relancez "
            f"« coaching-xl compute {ecriture.source.name} » pour mettre les résultats à jour (le même "
            "classeur de résultats est alors remplacé)."
        )
    if ecriture.csv_anomalies:
        lignes.append(f"Liste complète des anomalies : {ecriture.csv_anomalies}")
    return "\n".join(lignes)


def resume_consolidation(consolidation: Consolidation, classeur: Path) -> str:
    """Le résumé de ``coaching-xl consolidate`` : les grilles lues, chaque établissement et la
    région sur la dernière période et en cumul, où est le classeur et quoi y regarder."""
    c = consolidation
    recues = len(c.retenues) + len(c.illisibles) + len(c.doublons)
    lignes = [
        f"Consolidation au jalon {c.jalon} ({c.date_jalon:%d/%m/%Y}) : "
        f"{pluriel(recues, 'grille reçue', 'grilles reçues')}, "
        f"{pluriel(len(c.retenues), 'établissement consolidé', 'établissements consolidés')}, "
        f"{pluriel(len(c.illisibles), 'illisible')}, "
        f"{pluriel(len(c.doublons), 'doublon écarté', 'doublons écartés')}.",
        f"Périodes : {', '.join(c.periodes)}. Région : rapports de sommes, délais mis en commun.",
    ]
    manquants = [ligne.etablissement for ligne in completude(c) if ligne.statut == "manquante"]
    if manquants:
        lignes.append(f"Grilles attendues non reçues : {', '.join(manquants)}.")
    derniere = c.periodes[-1]
    lignes += _tableau(
        f"Dernière période ({derniere})", _avec_region(c.dernieres, c.region_periodes.loc[derniere])
    )
    lignes += _tableau(f"Cumul au jalon {c.jalon}", _avec_region(c.cumuls, c.region))
    q = c.qualite
    lignes += ["", f"Qualité des données ({q.periode}) : {pluriel(len(q.signalements), 'signalement')}"
               + (f" — {q.note}" if q.note else ".")]  # fmt: skip
    lignes += [f"  {sig.etablissement} : {sig.intitule}" + (f" ({sig.indicateur})" if sig.indicateur else "")
               for sig in q.signalements[:10]]  # fmt: skip
    if len(q.signalements) > 10:
        lignes.append(f"  … et {len(q.signalements) - 10} autres (feuille « Qualité des données »).")
    verifiees = sum(g.verifiees for g in c.retenues)
    if verifiees:
        lignes.append(f"Anomalies vérifiées et exactes (colonne Suivi des grilles) : {entier(verifiees)}.")
    if c.avancement is not None:
        retards = c.avancement.en_retard()
        lignes.append(
            f"Feuilles de route : {pluriel(len(c.avancement.routes), 'lue')}, "
            f"{pluriel(len(retards), 'point en retard', 'points en retard')} au jalon {c.jalon} "
            "(feuille Avancement)."
        )
        lignes += [f"  {note}" for note in c.avancement.notes]
    lignes += [
        "",
        f"Classeur écrit : {classeur} — ouvrez d'abord la feuille Synthèse, puis Classements "
        "(du meilleur au moins bon), Complétude et Qualité des données.",
    ]
    return "\n".join(lignes)


def _avec_region(tableau: pd.DataFrame, region: pd.Series) -> pd.DataFrame:
    return pd.concat([tableau, region.to_frame(REGION).T])


def resume_suivi(suivi: Suivi) -> str:
    """Le bilan du suivi d'un contrat : combien d'objectifs atteints, et lesquels manquent."""
    tableau = suivi.tableau
    mesures = tableau[tableau["atteint"].notna()]
    manques = mesures[~mesures["atteint"].astype(bool)]
    bilan = (
        f"Suivi des engagements ({suivi.contrat.name}) : "
        f"{pluriel(len(mesures) - len(manques), 'objectif atteint', 'objectifs atteints')} sur "
        f"{pluriel(len(mesures), 'mesuré')}"
    )
    if len(mesures) < len(tableau):
        bilan += (
            f", {entier(len(tableau) - len(mesures))} sans mesure (service ou modalité inconnus, ou sans RDV)"
        )
    lignes = [bilan + "."]
    for _, engagement in manques.iterrows():
        format_ = engagement["format"]
        mesure = (
            _pourcent(engagement["mesure"]) if format_ == "pourcent" else f"{_jours(engagement['mesure'])} j"
        )
        cible = objectif(engagement["cible"], format_, engagement["plus_haut_mieux"])
        lignes.append(
            f"  non atteint : {engagement['service']} · {engagement['modalite']} · {engagement['court']} "
            f"{mesure} (objectif {cible})"
        )
    lignes.append("  Détail par période : feuille Suivi des engagements.")
    return "\n".join(lignes)
