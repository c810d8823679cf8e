"""Le classeur de la consolidation régionale à un jalon : Synthèse, Évolution, Classements,
Par modalité, Complétude, avec leurs graphiques Excel natifs (SPEC §6)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from moteur.consolidation import REGION, STATUTS, Consolidation, classement, completude
from moteur.qualite import Z_A_VERIFIER
from rapports.feuilles import COLONNES_INDICATEURS, lettre_de, tableau_indicateurs
from rapports.greffage import verrous
from rapports.xlsx import Classeur, Feuille
from recueil import graphiques
from recueil import schema as s
from socle import formats, version
from socle.erreurs import ErreurEcriture, ErreurUsage, FichierExistant
from socle.fichiers import ecriture_atomique
from socle.francais import entier, pluriel
from socle.ouvrages import TITRE_CONSOLIDATION, est_consolidation

FEUILLES = ("Synthèse", "Évolution", "Classements", "Par modalité", "Complétude", "Qualité des données")
NOTE_REGION = (
    "Ligne « Région » : chaque taux est le rapport des sommes de la région (par exemple, tous les "
    "non-honorés sur tous les RDV programmés), chaque délai est calculé sur l'ensemble des délais "
    "mis en commun — jamais une moyenne des taux des établissements."
)
LIGNES_PAR_GRAPHIQUE = 20
"""Hauteur d'un graphique de 9,5 cm, en lignes de 15 points."""
COURBES_MAX = 15
"""Au-delà de ce nombre d'établissements, les courbes d'évolution ne montrent que la région."""


def titre_classeur(consolidation: Consolidation) -> str:
    """Le titre des propriétés du classeur, qui le signale comme une consolidation."""
    return TITRE_CONSOLIDATION.format(jalon=consolidation.jalon, date=consolidation.date_jalon)


def nom_par_defaut(jalon: str) -> str:
    """« consolidation_J3.xlsx »."""
    return f"consolidation_{jalon}.xlsx"


def construire(consolidation: Consolidation) -> Classeur:
    """Le classeur de la consolidation, prêt à sérialiser."""
    classeur = Classeur(titre_classeur(consolidation))
    synthese, evolution, classements, modalites, complet, qualite = (
        classeur.feuille(nom) for nom in FEUILLES
    )
    ecrire_synthese(synthese, consolidation)
    ecrire_evolution(evolution, consolidation)
    ecrire_classements(classements, consolidation)
    ecrire_modalites(modalites, consolidation)
    ecrire_completude(complet, consolidation)
    ecrire_qualite(qualite, consolidation)
    if consolidation.avancement is not None:
        ecrire_avancement(classeur.feuille("Avancement"), consolidation)
    return classeur


def verifier_sortie(chemin: Path, ecraser: bool = False) -> None:
    """Vérifie, avant toute lecture, que la consolidation pourra s'écrire dans ``chemin`` : un
    .xlsx, pas ouvert dans un tableur, et nouveau ou déjà une consolidation (sinon ``ecraser``).
    Lève ErreurEcriture ou FichierExistant."""
    chemin = Path(chemin)
    if chemin.is_dir() or chemin.suffix.lower() != ".xlsx":
        raise ErreurUsage(
            f"-o {chemin} : la consolidation s'écrit dans un fichier .xlsx, par exemple -o region_J3.xlsx."
        )
    ouverts = verrous(chemin)
    if ouverts:
        raise ErreurEcriture(
            f"{chemin} est ouvert dans un tableur ({ouverts[0].name} présent) : fermez-le, puis relancez."
        )
    if chemin.exists() and not ecraser and not est_consolidation(chemin):
        raise FichierExistant(
            f"{chemin} existe et n'est pas un classeur de consolidation : choisissez un autre nom avec "
            "-o, ou ajoutez --ecraser pour le remplacer."
        )


def ecrire_consolidation(consolidation: Consolidation, chemin: Path, ecraser: bool = False) -> Path:
    """Écrit le classeur de la consolidation dans ``chemin`` (d'un seul renommage) ; un classeur
    de consolidation précédent est remplacé, tout autre fichier seulement avec ``ecraser``
    (voir ``verifier_sortie`` pour les erreurs)."""
    verifier_sortie(chemin, ecraser)
    contenu = construire(consolidation).octets()
    with ecriture_atomique(Path(chemin)) as temporaire:
        temporaire.write_bytes(contenu)
    return Path(chemin)


# --- En-têtes -----------------------------------------------------------------------------------


def _entete(feuille: Feuille, consolidation: Consolidation, titre: str, note: str) -> int:
    """Titre, bilan des grilles, note ; rend la première ligne libre après une ligne vide."""
    c = consolidation
    recues = len(c.retenues) + len(c.illisibles) + len(c.doublons)
    attendus = (
        f" ; {pluriel(len(c.attendus), 'établissement attendu', 'établissements attendus')}"
        if c.attendus is not None
        else ""
    )
    feuille.ecrire(1, 1, f"{titre} — jalon {c.jalon} du {c.date_jalon:%d/%m/%Y}", "titre")
    feuille.ecrire(2, 1, (
        f"{pluriel(len(c.retenues), 'établissement consolidé', 'établissements consolidés')}, "
        f"{pluriel(recues, 'grille reçue', 'grilles reçues')}, {pluriel(len(c.illisibles), 'illisible')}"
        f"{attendus} — périodes {c.periodes[0]} à {c.periodes[-1]} "
        f"— coaching-xl {version()}"
    ), "gras")  # fmt: skip
    return feuille.paragraphe(3, note) + 1


def _etiquettes_periodes(consolidation: Consolidation) -> dict[str, str]:
    """Période → son libellé avec ses dates (« J2→J3 (10/11/2010 – 06/12/2010) »)."""
    libelles = {}
    for periode in consolidation.calendrier.periodes():
        if periode.libelle in consolidation.periodes:
            debut = f"{periode.debut:%d/%m/%Y}" if periode.debut else "début du recueil"
            fin = pd.Timestamp(periode.fin) - pd.Timedelta(days=1)
            libelles[periode.libelle] = f"{periode.libelle} ({debut} – {fin:%d/%m/%Y})"
    return libelles


# --- Synthèse -----------------------------------------------------------------------------------


def ecrire_synthese(feuille: Feuille, consolidation: Consolidation) -> None:
    """Par établissement, la dernière période puis le cumul jusqu'au jalon, chacun avec la
    ligne de la région ; sous les tableaux, un graphique par taux sur la dernière période."""
    c = consolidation
    ligne = _entete(feuille, c, "Synthèse régionale", NOTE_REGION)
    derniere = c.periodes[-1]
    p, d = tableau_indicateurs(
        feuille, ligne, f"Dernière période : {_etiquettes_periodes(c)[derniere]}", "Établissement",
        c.dernieres, str, total=(REGION, c.region_periodes.loc[derniere]),
    )  # fmt: skip
    feuille.garder_ensemble(ligne, d)
    ligne = d + 3
    _, fin = tableau_indicateurs(
        feuille, ligne, f"Cumul du début du recueil au jalon {c.jalon}", "Établissement", c.cumuls, str,
        total=(REGION, c.region),
    )  # fmt: skip
    feuille.garder_ensemble(ligne, fin)
    ligne = fin + 3
    nom = feuille.nom
    for taux, ancre in zip(s.TAUX, ("A", "G"), strict=True):
        feuille.graphique(graphiques.colonnes(
            f"{taux.libelle} — {derniere}", graphiques.plage(nom, "A", p, d),
            [(graphiques.plage(nom, lettre_de(taux.cle), p, d), taux.libelle)],
            titre_categories="Établissement", titre_valeurs="Taux", rotation=-30,
        ), f"{ancre}{ligne}", 17, 10)  # fmt: skip
    feuille.garder_ensemble(ligne, ligne + LIGNES_PAR_GRAPHIQUE)
    feuille.largeurs = {1: 40, **dict.fromkeys(range(2, len(COLONNES_INDICATEURS) + 2), 13)}
    feuille.volets = "B4"


# --- Évolution ----------------------------------------------------------------------------------


def ecrire_evolution(feuille: Feuille, consolidation: Consolidation) -> None:
    """Pour chaque indicateur comparé, un tableau établissement × période et ses courbes ; puis
    le détail de tous les indicateurs par établissement et par période."""
    c = consolidation
    ligne = _entete(feuille, c, "Évolution par période", NOTE_REGION)
    periodes = c.periodes
    noms = list(c.par_etablissement)
    derniere_colonne = get_column_letter(1 + len(periodes))
    for comparaison in s.COMPARAISONS:
        feuille.ecrire(ligne, 1, comparaison.libelle, "section")
        feuille.ligne(ligne + 1, ["Établissement", *periodes], "entete")
        lignes = {nom: c.par_etablissement[nom][comparaison.cle] for nom in noms}
        lignes[REGION] = c.region_periodes[comparaison.cle]
        for rang, (nom, valeurs) in enumerate(lignes.items(), start=ligne + 2):
            region = nom == REGION
            feuille.ecrire(rang, 1, nom, "texte_gras" if region else "texte")
            for j, periode in enumerate(periodes, start=2):
                style = f"{comparaison.format}_gras" if region else comparaison.format
                feuille.ecrire(rang, j, valeurs.get(periode), style)
        premiere, derniere = ligne + 2, ligne + 1 + len(lignes)
        tous = len(noms) <= COURBES_MAX
        montrees = range(premiere, derniere + 1) if tous else [derniere]
        series = [
            (graphiques.ligne(feuille.nom, r, "B", derniere_colonne), list(lignes)[r - premiere])
            for r in montrees
        ]
        feuille.graphique(graphiques.courbes(
            comparaison.libelle + ("" if tous else " (région)"),
            graphiques.ligne(feuille.nom, ligne + 1, "B", derniere_colonne), series,
            titre_categories="Période", titre_valeurs=_unite(comparaison),
            format_valeurs=_format_axe(comparaison), reference=len(series) - 1,
        ), f"{get_column_letter(len(periodes) + 3)}{ligne}", 18, 9.5)  # fmt: skip
        fin = max(derniere, ligne + LIGNES_PAR_GRAPHIQUE - 1)
        feuille.garder_ensemble(ligne, fin)
        ligne = fin + 2
    detail = pd.concat(
        {nom: c.par_etablissement[nom] for nom in noms} | {REGION: c.region_periodes},
        names=["etablissement", "periode"],
    )
    feuille.garder_ensemble(ligne, ligne + 2)
    tableau_indicateurs(
        feuille, ligne, "Détail : tous les indicateurs, par établissement et par période",
        "Établissement — période", detail, lambda g: f"{g[0]} — {g[1]}",
    )  # fmt: skip
    feuille.largeurs = {1: 48, **dict.fromkeys(range(2, len(COLONNES_INDICATEURS) + 2), 13)}
    feuille.volets = "B4"


def _unite(comparaison: s.Comparaison) -> str:
    return "Jours" if comparaison.format == "jours" else "Taux"


def _format_axe(comparaison: s.Comparaison) -> str:
    return formats.GENERAL if comparaison.format == "jours" else formats.POURCENT_ENTIER


# --- Classements --------------------------------------------------------------------------------


def ecrire_classements(feuille: Feuille, consolidation: Consolidation) -> None:
    """Un classement et son graphique en barres par indicateur comparé."""
    c = consolidation
    reference = c.periodes[0]
    ligne = _entete(feuille, c, "Classements", (
        f"Classement sur la dernière période ({c.periodes[-1]}), du meilleur au moins bon ; la région "
        f"(en orange sur les graphiques) à sa place, sans rang. Écart : dernière période moins la "
        f"période de référence ({reference}). " + NOTE_REGION
    ))  # fmt: skip
    for comparaison in s.COMPARAISONS:
        tableau = classement(c, comparaison)
        sens = "le plus élevé en tête" if comparaison.plus_haut_mieux else "le plus bas en tête"
        feuille.ecrire(ligne, 1, f"{comparaison.libelle} — {sens}", "section")
        entetes = [
            "Rang",
            "Établissement",
            f"Dernière période ({c.periodes[-1]})",
            f"Cumul au jalon {c.jalon}",
            f"Référence ({reference})",
            "Écart à la référence",
        ]
        feuille.ligne(ligne + 1, entetes, "entete")
        feuille.hauteurs[ligne + 1] = 30
        for rang, (nom, valeurs) in enumerate(tableau.iterrows(), start=ligne + 2):
            gras = "_gras" if nom == REGION else ""
            feuille.ecrire(rang, 1, None if math.isnan(valeurs["rang"]) else int(valeurs["rang"]), "rang")
            feuille.ecrire(rang, 2, nom, f"texte{gras}")
            for j, cle in enumerate(("derniere", "cumul", "reference"), start=3):
                feuille.ecrire(rang, j, valeurs[cle], f"{comparaison.format}{gras}")
            feuille.ecrire(rang, 6, valeurs["ecart"], f"ecart_{comparaison.format}")
        premiere, derniere = ligne + 2, ligne + 1 + len(tableau)
        hauteur_cm = max(9.5, 0.45 * len(tableau) + 3)
        feuille.graphique(graphiques.barres_classees(
            comparaison.libelle, graphiques.plage(feuille.nom, "B", premiere, derniere),
            graphiques.plage(feuille.nom, "C", premiere, derniere),
            titre_valeurs=f"Dernière période ({c.periodes[-1]})", format_valeurs=_format_axe(comparaison),
            reference=list(tableau.index).index(REGION),
        ), f"H{ligne}", 18, hauteur_cm)  # fmt: skip
        fin = max(derniere, ligne + math.ceil(hauteur_cm / (15 * 2.54 / 72)))
        feuille.garder_ensemble(ligne, fin)
        ligne = fin + 2
    feuille.largeurs = {1: 7, 2: 40, 3: 15, 4: 15, 5: 15, 6: 15}
    feuille.volets = "A4"


# --- Par modalité -------------------------------------------------------------------------------


def ecrire_modalites(feuille: Feuille, consolidation: Consolidation) -> None:
    """La région par modalité (cumul) et ses graphiques, les taux de non-honorés et délais
    d'obtention par établissement et modalité, puis le détail complet."""
    c = consolidation
    ligne = _entete(feuille, c, "Par modalité", NOTE_REGION)
    nom = feuille.nom
    p, d = tableau_indicateurs(
        feuille, ligne, f"Région, par modalité — cumul au jalon {c.jalon}", "Modalité",
        c.region_modalites, str, total=(REGION, c.region),
    )  # fmt: skip
    if d > p:
        feuille.graphique(graphiques.colonnes(
            "Taux par modalité (région)", graphiques.plage(nom, "A", p, d - 1),
            [(graphiques.plage(nom, lettre_de(t.cle), p, d - 1), t.libelle) for t in s.TAUX],
            titre_categories="Modalité", titre_valeurs="Taux", rotation=-20,
        ), f"A{d + 3}", 17, 9.5)  # fmt: skip
        feuille.graphique(graphiques.colonnes(
            "Délais moyens par modalité (région)", graphiques.plage(nom, "A", p, d - 1),
            [(graphiques.plage(nom, lettre_de(f"{delai.cle}_moyenne"), p, d - 1), delai.libelle)
             for delai in s.DELAIS],
            titre_categories="Modalité", titre_valeurs="Jours", format_valeurs=formats.NOMBRE, rotation=-20,
        ), f"F{d + 3}", 17, 9.5)  # fmt: skip
    fin = d + 2 + (LIGNES_PAR_GRAPHIQUE if d > p else 0)
    feuille.garder_ensemble(ligne, fin)
    ligne = fin + 2
    modalites = list(c.region_modalites.index)
    for cle, libelle, format_ in (
        (s.TAUX_NON_HONORES.cle, s.TAUX_NON_HONORES.libelle, "pourcent"),
        ("delai_rdv_moyenne", s.DELAI_RDV.libelle, "jours"),
    ):
        debut = ligne
        feuille.ecrire(ligne, 1, f"{libelle}, par établissement et modalité (cumul)", "section")
        feuille.ligne(ligne + 1, ["Établissement", *modalites, "Toutes modalités"], "entete")
        feuille.hauteurs[ligne + 1] = 45
        rang = ligne + 2
        for etablissement in c.cumuls.index:
            feuille.ecrire(rang, 1, etablissement, "texte")
            for j, modalite in enumerate(modalites, start=2):
                valeur = c.modalites[cle].get((etablissement, modalite))
                feuille.ecrire(rang, j, valeur, format_)
            feuille.ecrire(rang, 2 + len(modalites), c.cumuls.loc[etablissement, cle], f"{format_}_gras")
            rang += 1
        feuille.ecrire(rang, 1, REGION, "texte_gras")
        for j, modalite in enumerate(modalites, start=2):
            feuille.ecrire(rang, j, c.region_modalites.loc[modalite, cle], f"{format_}_gras")
        feuille.ecrire(rang, 2 + len(modalites), c.region[cle], f"{format_}_gras")
        feuille.garder_ensemble(debut, rang)
        ligne = rang + 3
    feuille.garder_ensemble(ligne, ligne + 2)
    tableau_indicateurs(
        feuille, ligne, "Détail : tous les indicateurs, par établissement et par modalité (cumul)",
        "Établissement × modalité", c.modalites, lambda g: f"{g[0]} × {g[1]}",
    )  # fmt: skip
    feuille.largeurs = {1: 48, **dict.fromkeys(range(2, len(COLONNES_INDICATEURS) + 2), 15)}
    feuille.volets = "B4"


# --- Complétude ---------------------------------------------------------------------------------

COLONNES_COMPLETUDE = (
    ("Établissement", 40), ("FINESS", 12), ("DT", 12), ("Statut", 20), ("Fichier", 36),
    ("Lignes lues", 11), ("Dernière date saisie", 13), ("Semaines de recueil", 11),
    ("Semaines avec données", 11), ("Semaines sans données", 11), ("Erreurs", 10),
    ("Avertissements", 15), ("dont vérifiés et exacts", 12), ("Infos", 9), ("Remarque", 70),
)  # fmt: skip


def ecrire_completude(feuille: Feuille, consolidation: Consolidation) -> None:
    """Grilles attendues et reçues, dernière date saisie, semaines sans données, anomalies ;
    un graphique des semaines avec et sans données par établissement."""
    c = consolidation
    lignes = completude(c)
    comptes = {statut: sum(ligne.statut == statut for ligne in lignes) for statut in STATUTS}
    resume = " ; ".join(f"{STATUTS[statut]} : {entier(n)}" for statut, n in comptes.items() if n)
    ligne_entete = _entete(feuille, c, "Complétude", (
        f"{resume or 'Aucune grille'}. Semaine sans données : semaine (du lundi au dimanche), entre le "
        f"début du recueil et le jalon, où la grille ne compte aucune ligne. Erreurs : valeurs écartées "
        "des calculs (détail dans la feuille Anomalies de la grille, après « coaching-xl compute »). "
        f"Vérifiés et exacts : avertissements et infos que l'établissement a marqués « {s.VERIFIEE} »."
    ))  # fmt: skip
    feuille.ligne(ligne_entete, [titre for titre, _ in COLONNES_COMPLETUDE], "entete")
    feuille.hauteurs[ligne_entete] = 45
    largeur_remarque = COLONNES_COMPLETUDE[-1][1]
    for rang, ligne in enumerate(lignes, start=ligne_entete + 1):
        g = ligne.grille
        lue = g is not None and g.statut == "ok"
        valeurs = [
            (ligne.etablissement, "texte_gras" if ligne.statut in ("manquante", "illisible") else "texte"),
            (ligne.finess, "texte"), (ligne.dt, "texte"), (STATUTS[ligne.statut], "texte"),
            (g.fichier.name if g else None, "texte"),
            (g.lignes_lues if lue else None, "entier"),
            (g.derniere_date if lue else None, "date"),
            (g.semaines if lue else None, "entier"),
            (g.semaines - g.semaines_sans_donnees if lue else None, "entier"),
            (g.semaines_sans_donnees if lue else None, "entier"),
            (g.anomalies.get(s.ERREUR, 0) if lue else None, "entier"),
            (g.anomalies.get(s.AVERTISSEMENT, 0) if lue else None, "entier"),
            (g.verifiees if lue else None, "entier"),
            (g.anomalies.get(s.INFO, 0) if lue else None, "entier"),
            (ligne.remarque, "texte_long"),
        ]  # fmt: skip
        for j, (valeur, style) in enumerate(valeurs, start=1):
            feuille.ecrire(rang, j, valeur, style)
        if len(ligne.remarque) > largeur_remarque:
            feuille.hauteurs[rang] = 15 * math.ceil(len(ligne.remarque) / largeur_remarque)
    premiere, derniere = ligne_entete + 1, ligne_entete + len(lignes)
    if lignes:
        nom = feuille.nom
        feuille.graphique(graphiques.colonnes(
            "Semaines avec et sans données", graphiques.plage(nom, "A", premiere, derniere),
            [(graphiques.plage(nom, "I", premiere, derniere), "Semaines avec données"),
             (graphiques.plage(nom, "J", premiere, derniere), "Semaines sans données")],
            titre_categories="Établissement", titre_valeurs="Semaines", format_valeurs=formats.NOMBRE,
            rotation=-30, empile=True, couleurs=(graphiques.COULEUR_COLONNES, graphiques.COULEUR_REFERENCE),
        ), f"A{derniere + 3}", 24, 11)  # fmt: skip
        feuille.garder_ensemble(derniere + 3, derniere + 3 + LIGNES_PAR_GRAPHIQUE)
    feuille.largeurs = {j: largeur for j, (_, largeur) in enumerate(COLONNES_COMPLETUDE, start=1)}
    feuille.volets = f"B{ligne_entete + 1}"


# --- Qualité des données ------------------------------------------------------------------------

COLONNES_SIGNALEMENTS = (("Établissement", 36), ("Contrôle", 26), ("Indicateur", 26), ("Niveau", 12),
                         ("Ce qui a été vu, ce qu'il faut vérifier", 72))  # fmt: skip


def ecrire_qualite(feuille: Feuille, consolidation: Consolidation) -> None:
    """Les signalements de la qualité des données (ce qu'il faut vérifier, établissement par
    établissement), puis, par établissement, l'actualité de la grille, chaque indicateur de la
    dernière période, son score z modifié et son évolution face aux périodes précédentes."""
    c, q = consolidation, consolidation.qualite
    ligne = _entete(feuille, c, "Qualité des données", (
        f"Contrôles de la dernière période ({q.periode}), comme à chaque remontée des systèmes "
        "d'information sanitaire : valeur aberrante dans la région (score z modifié 0,6745 × (x − médiane) / "
        "MAD ; |z| ≥ 3,5 à vérifier, ≥ 5 extrême), rupture dans le temps (hors ± 33 % de la moyenne des "
        "périodes précédentes), vraisemblance de la grille (100 % honorés, aucun non programmé, une seule "
        "modalité, délais "
        "identiques), actualité (dernière date saisie à 7 jours du jalon au plus) et complétude. Un "
        "signalement dit quoi vérifier ; il ne change aucun chiffre. " + (q.note or "")
    ))  # fmt: skip
    feuille.ecrire(ligne, 1, f"Signalements ({entier(len(q.signalements))})", "section")
    feuille.ligne(ligne + 1, [titre for titre, _ in COLONNES_SIGNALEMENTS], "entete")
    rang = ligne + 2
    largeur = COLONNES_SIGNALEMENTS[-1][1]
    for sig in q.signalements:
        style = "manque" if sig.niveau == "extrême" else "texte_long"
        feuille.ligne(rang, [sig.etablissement, sig.intitule, sig.indicateur or "—"], "texte_long")
        feuille.ecrire(rang, 4, sig.niveau, style)
        feuille.ecrire(rang, 5, sig.message, "texte_long")
        feuille.hauteurs[rang] = 15 * max(1, math.ceil(len(sig.message) / (1.3 * largeur)))
        rang += 1
    if not q.signalements:
        feuille.ecrire(rang, 1, "Aucun signalement : chaque contrôle est passé.", "gras")
        rang += 1
    ligne = rang + 2
    feuille.ecrire(ligne, 1, f"Actualité de chaque grille au jalon {c.jalon}", "section")
    feuille.ligne(ligne + 1, ["Établissement", "Dernière date saisie", f"Lignes de {q.periode}", "À jour",
                              "Semaines sans données"], "entete")  # fmt: skip
    rang = ligne + 2
    for rang, nom in enumerate(q.valeurs.index, start=ligne + 2):
        actualite = q.actualite.loc[nom]
        feuille.ecrire(rang, 1, nom, "texte")
        feuille.ecrire(rang, 2, actualite["derniere_date"], "date")
        feuille.ecrire(rang, 3, int(actualite["lignes"]), "entier")
        feuille.ecrire(rang, 4, *(("Oui", "atteint") if actualite["a_jour"] else ("Non", "manque")))
        feuille.ecrire(rang, 5, int(actualite["semaines_sans_donnees"]), "entier")
    feuille.garder_ensemble(ligne, rang)
    ligne = rang + 3
    feuille.ecrire(ligne, 1, f"Chaque indicateur de {q.periode}, face aux autres établissements et au passé",
                   "section")  # fmt: skip
    feuille.ligne(ligne + 1, ["Établissement", "Indicateur", "Valeur", "Score z modifié",
                              "Évolution face à la moyenne des périodes précédentes"], "entete")  # fmt: skip
    feuille.hauteurs[ligne + 1] = 30
    rang = ligne + 2
    for nom in q.valeurs.index:
        for comparaison in s.COMPARAISONS:
            cle = comparaison.cle
            z, evolution = q.scores.loc[nom, cle], q.evolutions.loc[nom, cle]
            feuille.ligne(rang, [nom, comparaison.court], "texte")
            feuille.ecrire(rang, 3, q.valeurs.loc[nom, cle], comparaison.format)
            feuille.ecrire(rang, 4, z, "manque" if abs(z) >= Z_A_VERIFIER else "jours")
            feuille.ecrire(rang, 5, evolution - 1, "ecart_pourcent")
            rang += 1
    feuille.largeurs = {j: largeur for j, (_, largeur) in enumerate(COLONNES_SIGNALEMENTS, start=1)}
    feuille.volets = "B4"


# --- Avancement des feuilles de route ---------------------------------------------------------------


def ecrire_avancement(feuille: Feuille, consolidation: Consolidation) -> None:
    """Par établissement × action × période, la part des points « Fait » de la feuille de
    route ; puis les points encore « À faire » des périodes que le jalon a closes."""
    c, avancement = consolidation, consolidation.avancement
    ligne = _entete(feuille, c, "Avancement des feuilles de route", (
        "Part des points de la check-list marqués « Fait », sans compter ceux « Sans objet », lue dans la "
        "feuille de route de chaque établissement (feuille_de_route.xlsx, dans son dossier). En retard : un "
        f"point encore « À faire » ou « En cours » d'une période close au jalon {c.jalon}."
    ))  # fmt: skip
    for note in avancement.notes:
        ligne = feuille.paragraphe(ligne, note, "gras")
    ligne += 1
    periodes = avancement.periodes
    feuille.ligne(ligne, ["Établissement", "Action", *periodes, "Ensemble"], "entete")
    feuille.hauteurs[ligne] = 30
    rang = ligne + 1
    for route in avancement.routes:
        for numero, libelle in route.actions():
            feuille.ecrire(rang, 1, route.etablissement, "texte")
            feuille.ecrire(rang, 2, f"{numero}. {libelle}", "texte")
            for j, periode in enumerate(periodes, start=3):
                feuille.ecrire(rang, j, route.part(numero, periode), "pourcent")
            feuille.ecrire(rang, 3 + len(periodes), route.part(numero, None), "pourcent_gras")
            rang += 1
        feuille.ecrire(rang, 1, route.etablissement, "texte_gras")
        feuille.ecrire(rang, 2, "Toutes les actions", "texte_gras")
        for j, periode in enumerate(periodes, start=3):
            feuille.ecrire(rang, j, route.part(None, periode), "pourcent_gras")
        feuille.ecrire(rang, 3 + len(periodes), route.part(None, None), "pourcent_gras")
        rang += 2
    ligne = rang + 1
    retards = avancement.en_retard()
    feuille.ecrire(ligne, 1, f"En retard au jalon {c.jalon} : {entier(len(retards))} point(s)", "section")
    feuille.ligne(ligne + 1, ["Établissement", "Point de la check-list", "Action", "Période", "Statut",
                              "Échéance", "Responsable"], "entete")  # fmt: skip
    for rang, point in enumerate(retards, start=ligne + 2):
        feuille.ecrire(rang, 1, point.etablissement, "texte")
        feuille.ecrire(
            rang, 2, f"{point.tache} (action {point.action} : {point.libelle_action})", "texte_long"
        )
        feuille.ligne(rang, [point.action, point.periode], "texte", colonne=3)
        feuille.ecrire(rang, 5, point.statut, "manque")
        feuille.ecrire(rang, 6, point.echeance, "date")
        feuille.ecrire(rang, 7, point.responsable, "texte")
        feuille.hauteurs[rang] = 15 * max(
            1, math.ceil((len(point.tache) + len(point.libelle_action) + 14) / 45)
        )
    if not retards:
        feuille.ecrire(ligne + 2, 1, "Aucun point en retard.", "gras")
    feuille.largeurs = {1: 40, 2: 50, **dict.fromkeys(range(3, 4 + max(len(periodes), 5)), 12)}
    feuille.volets = "C4"
