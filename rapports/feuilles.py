"""Les feuilles de résultats — Indicateurs, Services demandeurs, Anomalies — et leurs graphiques
Excel natifs, écrites dans un petit classeur (le greffon) que ``rapports.greffe`` ajoute au
fichier de l'utilisateur."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from moteur.contrat import Suivi
from moteur.resultat import Resultat, dates_saisies
from rapports.greffe import Greffon
from rapports.xlsx import Classeur, Feuille, styles_xml
from recueil import graphiques
from recueil import schema as s
from recueil.references import reference_feuille
from socle import version
from socle.francais import objectif, pluriel
from socle.ouvrages import MODELE_RESULTATS, SIGNATURE, TITRE_RESULTATS

FEUILLES = {
    "indicateurs": "Indicateurs",
    "services": "Services demandeurs",
    "anomalies": "Anomalies",
}
"""Rôle → nom souhaité de la feuille de résultats."""
SUIVI = {"suivi": "Suivi des engagements"}
"""La feuille du suivi d'un contrat (--contrat), greffée en plus des trois autres."""
ANOMALIES_MAX = 10_000
"""Au-delà, la feuille Anomalies renvoie à la liste complète en CSV, à côté de la grille."""
NOTE_RECALCUL = (
    SIGNATURE + " : ne la modifiez pas, vos changements seraient remplacés. Vos saisies restent "
    "dans la feuille {feuille}."
)


COLONNE_GRAPHIQUES = "Q"
"""Les graphiques se placent à droite des tableaux."""
COLONNE_ETIQUETTES = 40
"""Colonne masquée (AN) : les semaines en texte (« 06/09 »), catégories des graphiques par
semaine. Des dates y feraient un axe chronologique dans Excel, et dans LibreOffice après un
enregistrement (barres fines, une étiquette tous les quelques jours)."""


@dataclass(frozen=True)
class Colonne:
    """Une colonne d'un tableau de résultats : clé, en-tête, style de la palette."""

    cle: str
    entete: str
    style: str


COLONNES_INDICATEURS = tuple(Colonne(a.cle, a.libelle, a.format) for a in s.AFFICHES)
"""Les colonnes des tableaux d'indicateurs : celles de ``schema.AFFICHES`` ; le format est le
style de la palette."""


def _nom(resultat: Resultat) -> str:
    return resultat.etablissement or resultat.grille.chemin.name


NOTE_SUIVI = (
    SIGNATURE + " : seules les colonnes Suivi et Commentaire sont à vous — elles sont gardées d'un calcul à "
    "l'autre, tant que la valeur de la cellule ne change pas. Vos saisies restent dans la feuille {feuille}."
)


def _entete_resultats(feuille: Feuille, resultat: Resultat, titre: str, note: str = NOTE_RECALCUL) -> None:
    """Lignes 1 à 3 : titre, ce que la feuille résume, qu'elle est recalculée."""
    controle = resultat.controle
    premiere, derniere, hors_periode = dates_saisies(controle)
    periode = f", du {premiere:%d/%m/%Y} au {derniere:%d/%m/%Y}" if premiere else ""
    if hors_periode:
        periode += f" ({pluriel(hors_periode, 'date')} hors de la période du recueil)"
    feuille.ecrire(1, 1, f"{titre} — {_nom(resultat)}", "titre")
    feuille.ecrire(2, 1, (
        f"{pluriel(controle.lignes_lues, 'ligne lue', 'lignes lues')}{periode} ; "
        f"{pluriel(controle.compte(s.ERREUR), 'erreur')} (valeurs écartées), "
        f"{pluriel(controle.compte(s.AVERTISSEMENT), 'avertissement')} — coaching-xl {version()}"
    ), "gras")  # fmt: skip
    feuille.ecrire(3, 1, note.format(feuille=controle.grille.feuille), "note")


def tableau_indicateurs(
    feuille: Feuille, ligne: int, intitule: str, etiquette: str, tableau: pd.DataFrame,
    libelle: Callable[[Any], Any], style_etiquette: str = "texte",
    total: tuple[str, pd.Series] | None = None,
) -> tuple[int, int]:  # fmt: skip
    """Un tableau d'indicateurs (une ligne par groupe) sous son intitulé, et sa ligne ``total``
    (libellé, indicateurs) en gras ; rend (première, dernière) ligne de données, total compris."""
    feuille.ecrire(ligne, 1, intitule, "section")
    feuille.ligne(ligne + 1, [etiquette, *(c.entete for c in COLONNES_INDICATEURS)], "entete")
    feuille.hauteurs[ligne + 1] = 45
    donnees = tableau.assign(total=tableau[[t.cle for t in s.TYPES_RDV]].sum(axis=1))
    etiquettes = pd.Series([libelle(groupe) for groupe in donnees.index], dtype=object)
    feuille.bloc(
        ligne + 2,
        1,
        [(etiquettes, style_etiquette), *((donnees[c.cle], c.style) for c in COLONNES_INDICATEURS)],
    )
    derniere = ligne + 1 + len(donnees)
    if total is not None:
        libelle_total, valeurs = total
        derniere += 1
        valeurs = valeurs.copy()
        valeurs["total"] = sum(valeurs[t.cle] for t in s.TYPES_RDV)
        feuille.ecrire(derniere, 1, libelle_total, "texte_gras")
        for j, colonne in enumerate(COLONNES_INDICATEURS, start=2):
            feuille.ecrire(derniere, j, valeurs[colonne.cle], f"{colonne.style}_gras")
    return ligne + 2, derniere


def _synthese(feuille: Feuille, ligne: int, resultat: Resultat) -> int:
    """Le bloc de synthèse : les quatre indicateurs et leurs compléments ; rend la ligne suivante."""
    e = resultat.ensemble
    feuille.ecrire(ligne, 1, "Synthèse sur l'ensemble du recueil", "section")
    feuille.ligne(ligne + 1, ["Indicateur", "Valeur", "Médiane", "90e centile", "Calcul"], "entete")
    lignes = [
        *((f"{t.libelle} ({t.code})", int(e[t.cle]), None, None, "entier", "") for t in s.TYPES_RDV),
        *((t.libelle, e[t.cle], None, None, "pourcent", t.formule) for t in s.TAUX),
        *(
            (d.libelle, e[f"{d.cle}_moyenne"], e[f"{d.cle}_mediane"], e[f"{d.cle}_p90"], "jours",
             pluriel(int(e[f'{d.cle}_n']), "délai valide", "délais valides"))
            for d in s.DELAIS
        ),
        (s.DELAI_CR.libelle_part, e[f"delai_cr_{s.DELAI_CR.cle_part}"], None, None, "pourcent",
         f"délai ≤ {s.DELAI_CR.seuil_part} jours"),
    ]  # fmt: skip
    for rang, (libelle, valeur, mediane, p90, style, calcul) in enumerate(lignes, start=ligne + 2):
        feuille.ecrire(rang, 1, libelle, "texte")
        feuille.ecrire(rang, 2, valeur, f"{style}_gras")
        feuille.ecrire(rang, 3, mediane, style)
        feuille.ecrire(rang, 4, p90, style)
        feuille.ecrire(rang, 5, calcul, "note")
    return ligne + 2 + len(lignes) + 1


def _repartitions(feuille: Feuille, ligne: int, resultat: Resultat) -> tuple[int, tuple[int, int]]:
    """Distribution des délais de compte-rendu et non-honorés par tranche de délai d'obtention ;
    rend la ligne suivante et les lignes de la distribution (pour son graphique)."""
    e = resultat.ensemble
    feuille.ecrire(ligne, 1, s.TITRE_GRAPHIQUE_CR, "section")
    feuille.ligne(ligne + 1, ["Délai de compte-rendu", "Comptes-rendus", "Part"], "entete")
    feuille.hauteurs[ligne + 1] = 30
    total = sum(int(e[f"distribution_cr_{t.cle}"]) for t in s.TRANCHES_CR)
    premiere = ligne + 2
    for rang, tranche in enumerate(s.TRANCHES_CR, start=premiere):
        nombre = int(e[f"distribution_cr_{tranche.cle}"])
        feuille.ecrire(rang, 1, tranche.libelle, "texte")
        feuille.ecrire(rang, 2, nombre, "entier")
        feuille.ecrire(rang, 3, nombre / total if total else None, "pourcent")
    distribution = (premiere, premiere + len(s.TRANCHES_CR) - 1)
    ligne = distribution[1] + 2
    feuille.ecrire(ligne, 1, "Non-honorés selon le délai d'obtention du RDV", "section")
    feuille.ligne(ligne + 1, ["Délai d'obtention", s.TAUX_NON_HONORES.libelle], "entete")
    feuille.hauteurs[ligne + 1] = 30
    for rang, tranche in enumerate(s.TRANCHES_DELAI_RDV, start=ligne + 2):
        feuille.ecrire(rang, 1, tranche.libelle, "texte")
        feuille.ecrire(rang, 2, e[f"non_honores_par_tranche_delai_{tranche.cle}"], "pourcent")
    return ligne + 2 + len(s.TRANCHES_DELAI_RDV) + 1, distribution


def lettre_de(cle: str) -> str:
    """La lettre de la colonne ``cle`` dans un tableau d'indicateurs (A : l'étiquette)."""
    return get_column_letter(2 + [c.cle for c in COLONNES_INDICATEURS].index(cle))


DECOUPAGES = (
    ("semaine", "Par semaine", "Semaine du", lambda g: g.to_pydatetime(), "date"),
    ("mois", "Par mois", "Mois", lambda g: g.to_timestamp().to_pydatetime(), "mois"),
    ("periode", "Par période entre jalons", "Période", str, "texte"),
    ("modalite", "Par modalité", s.COLONNES_PAR_CLE["modalite"].entete, str, "texte"),
    ("provenance", "Par provenance", s.COLONNES_PAR_CLE["provenance"].entete, str, "texte"),
    ("provenance_modalite", "Par provenance et modalité", "Provenance × modalité",
     lambda g: f"{g[0]} × {g[1]}", "texte"),
)  # fmt: skip
"""(clé du découpage, intitulé, en-tête de la première colonne, libellé d'un groupe, style)."""


def ecrire_indicateurs(feuille: Feuille, resultat: Resultat) -> None:
    """La feuille Indicateurs : synthèse, répartitions, tableaux par semaine, mois, période,
    modalité, provenance et provenance × modalité, et cinq graphiques."""
    _entete_resultats(feuille, resultat, "Indicateurs")
    ligne = _synthese(feuille, 5, resultat)
    ligne_repartitions = ligne
    ligne, (d1, d2) = _repartitions(feuille, ligne, resultat)
    nom = feuille.nom
    feuille.graphique(graphiques.colonnes(
        s.TITRE_GRAPHIQUE_CR, graphiques.plage(nom, "A", d1, d2),
        [(graphiques.plage(nom, "C", d1, d2), "Part des comptes-rendus")],
        titre_categories="Délai de compte-rendu", titre_valeurs="Part des comptes-rendus",
    ), f"{COLONNE_GRAPHIQUES}5")  # fmt: skip
    positions = {}
    for cle, intitule, etiquette, libelle, style in DECOUPAGES:
        premiere, derniere = tableau_indicateurs(
            feuille, ligne, intitule, etiquette, resultat.par[cle], libelle, style
        )
        positions[cle] = (ligne, premiere, derniere)
        if cle == "semaine":
            for rang, lundi in enumerate(resultat.par["semaine"].index, start=premiere):
                feuille.ecrire(rang, COLONNE_ETIQUETTES, f"{lundi:%d/%m}")
            feuille.masquees.add(COLONNE_ETIQUETTES)
        ligne = max(derniere, premiere) + 3
    _graphiques_indicateurs(feuille, positions, ligne_repartitions)
    feuille.largeurs = {1: 42, **dict.fromkeys(range(2, len(COLONNES_INDICATEURS) + 2), 13)}
    feuille.volets = "B4"


def _graphiques_indicateurs(
    feuille: Feuille, positions: dict[str, tuple[int, int, int]], ligne_nh: int
) -> None:
    nom = feuille.nom
    _, p, d = positions["semaine"]
    if d >= p:
        semaines = graphiques.plage(nom, get_column_letter(COLONNE_ETIQUETTES), p, d)
        feuille.graphique(graphiques.colonnes_et_courbe(
            s.TITRE_GRAPHIQUE_NH, semaines,
            (graphiques.plage(nom, lettre_de(s.TAUX_NON_HONORES.cle), p, d), s.TAUX_NON_HONORES.libelle),
            (graphiques.plage(nom, lettre_de("delai_rdv_moyenne"), p, d), s.DELAI_RDV.libelle),
            titre_categories="Semaine du", titre_colonnes="Taux de non-honorés",
            titre_courbe="Délai moyen (jours)",
        ), f"{COLONNE_GRAPHIQUES}{ligne_nh}")  # fmt: skip
        feuille.graphique(graphiques.colonnes(
            "Taux de RDV programmés par semaine", semaines,
            [(graphiques.plage(nom, lettre_de(s.TAUX_PROGRAMMES.cle), p, d), s.TAUX_PROGRAMMES.libelle)],
            titre_categories="Semaine du", titre_valeurs="Taux de RDV programmés", rotation=-45,
        ), f"{COLONNE_GRAPHIQUES}{ligne_nh + 18}")  # fmt: skip
    for cle, intitule in (("modalite", "Modalité"), ("provenance", "Provenance")):
        debut, p, d = positions[cle]
        if d < p:
            continue
        feuille.graphique(graphiques.colonnes(
            f"Taux par {intitule.lower()}", graphiques.plage(nom, "A", p, d),
            [(graphiques.plage(nom, lettre_de(t.cle), p, d), t.libelle) for t in s.TAUX],
            titre_categories=intitule, titre_valeurs="Taux",
            rotation=-30 if cle == "provenance" else None,
        ), f"{COLONNE_GRAPHIQUES}{debut}")  # fmt: skip


COLONNES_SERVICES = (
    Colonne("volume", "Demandes", "entier"),
    Colonne("par_jour", "Par jour ouvert", "jours"),
    *(Colonne(f"par_{jour}", f"Par {jour} ouvert", "jours") for jour in s.JOURS),
    Colonne("part_non_programmes", "Part de non programmé", "pourcent"),
    Colonne("taux_non_honores", s.TAUX_NON_HONORES.libelle, "pourcent"),
    Colonne("delai_rdv_moyenne", s.DELAI_RDV.libelle, "jours"),
    Colonne("delai_cr_moyenne", s.DELAI_CR.libelle, "jours"),
    Colonne("cv_hebdomadaire", "Variation hebdomadaire (écart-type / moyenne)", "pourcent"),
    Colonne("eligible_creneaux", "Éligible aux créneaux pré-attribués", "texte"),
    Colonne("jours_eligibles", "Jours éligibles", "texte"),
    Colonne("rang_volume", "Rang (volume)", "rang"),
    Colonne("rang_progression", "Rang (part de non programmé)", "rang"),
)


def ecrire_services(feuille: Feuille, resultat: Resultat) -> None:
    """La feuille Services demandeurs (SPEC §3, actions 6 à 8)."""
    _entete_resultats(feuille, resultat, "Services demandeurs")
    feuille.ecrire(4, 1, (
        f"Éligible aux créneaux pré-attribués : au moins {s.SEUIL_CRENEAUX} demandes par jour ouvert, en "
        "moyenne ou certains jours de la semaine. Jour ouvert : jour où la grille compte au moins une "
        "ligne. Rangs : 1 = le plus de demandes, ou la plus forte part de non programmé (la plus grande "
        "marge de progrès)."
    ), "note")  # fmt: skip
    entetes = [s.COLONNES_PAR_CLE["provenance"].entete, *(c.entete for c in COLONNES_SERVICES)]
    feuille.ligne(6, entetes, "entete")
    feuille.hauteurs[6] = 60
    for rang, (provenance, service) in enumerate(resultat.services.iterrows(), start=7):
        feuille.ecrire(rang, 1, str(provenance), "texte_gras")
        for j, colonne in enumerate(COLONNES_SERVICES, start=2):
            valeur = service[colonne.cle]
            if colonne.cle == "eligible_creneaux":
                valeur = "Oui" if valeur else "Non"
            elif colonne.cle == "jours_eligibles":
                valeur = ", ".join(valeur)
            feuille.ecrire(rang, j, valeur, colonne.style)
    feuille.largeurs = {1: 30}
    for j, colonne in enumerate(COLONNES_SERVICES, start=2):
        feuille.largeurs[j] = 24 if colonne.cle == "jours_eligibles" else 12
    feuille.volets = "B7"


def bilan(controle) -> str:
    """« 3 erreurs, 1 avertissement, 0 info »."""
    return ", ".join((
        pluriel(controle.compte(s.ERREUR), "erreur"),
        pluriel(controle.compte(s.AVERTISSEMENT), "avertissement"),
        pluriel(controle.compte(s.INFO), "info"),
    ))  # fmt: skip


def ecrire_anomalies(feuille: Feuille, resultat: Resultat, csv: str | None, liens: bool = True) -> None:
    """La feuille Anomalies : une ligne par anomalie (au plus ``ANOMALIES_MAX``) avec un lien vers
    sa cellule (``liens`` : la grille est dans le même classeur), son suivi et le commentaire de
    l'établissement (gardés d'un calcul à l'autre, menu déroulant : une erreur ne peut être que
    corrigée), et les comptes par code à droite."""
    controle = resultat.controle
    _entete_resultats(feuille, resultat, "Anomalies", NOTE_SUIVI)
    conduite = (
        "Cliquez une cellule pour y aller ; corrigez-la dans la feuille de saisie, puis relancez "
        "coaching-xl compute."
        if liens
        else f"Les cellules sont celles de {controle.grille.chemin.name} : corrigez-les là, puis relancez "
        f"coaching-xl compute {controle.grille.chemin.name}."
    )
    verifiees = controle.verifiees()
    deja = f" {pluriel(verifiees, 'vérifiée et exacte', 'vérifiées et exactes')}." if verifiees else ""
    feuille.ecrire(4, 1, f"{bilan(controle)}.{deja} {conduite}", "gras")
    feuille.ecrire(5, 1, (
        f"Suivi : « {s.VERIFIEE} » pour un avertissement ou une info vérifiés (la valeur est juste), avec un "
        "commentaire ; une erreur reste « À corriger » jusqu'à ce que la cellule soit corrigée."
    ), "note")  # fmt: skip
    feuille.ligne(6, list(s.ENTETES_ANOMALIES), "entete")
    montrees = controle.anomalies.head(ANOMALIES_MAX)
    cellules = controle.cellules(montrees)
    prefixe = reference_feuille(controle.grille.feuille) + "!"
    feuille.bloc(7, 1, [
        (cellules.str.removeprefix(prefixe), "lien" if liens else "texte"),
        (montrees["ligne"], "rang"),
        *((montrees[cle], "texte") for cle in ("gravite", "code", "valeur", "message")),
        (montrees["suivi"], "texte"), (montrees["commentaire"], "texte"),
    ])  # fmt: skip
    if liens:
        feuille.liens += [(f"A{rang}", cellule) for rang, cellule in enumerate(cellules, start=7)]
    erreurs = (montrees["gravite"] == s.ERREUR).to_numpy()
    rangs = np.arange(7, 7 + len(montrees))
    for masque, libelles in ((erreurs, (s.A_CORRIGER,)), (~erreurs, s.SUIVIS)):
        if masque.any():
            feuille.validations.append((plages("G", rangs[masque]), libelles))
    suite = 7 + len(montrees)
    reste = len(controle.anomalies) - len(montrees)
    if reste:
        feuille.ecrire(suite, 1, (
            f"… et {pluriel(reste, 'autre anomalie', 'autres anomalies')} : la liste complète est dans "
            f"{csv}, à côté de la grille."
        ), "gras")  # fmt: skip
    elif montrees.empty:
        feuille.ecrire(suite, 1, "Aucune anomalie : chaque cellule a passé les contrôles.", "gras")
    feuille.ligne(6, ["Code", "Gravité", "Intitulé", "Nombre"], "entete", colonne=10)
    for rang, (code, nombre) in enumerate(controle.par_code().items(), start=7):
        anomalie = s.ANOMALIES[code]
        feuille.ecrire(rang, 10, code, "texte_clair")
        feuille.ligne(rang, [anomalie.gravite, anomalie.intitule], "texte", colonne=11)
        feuille.ecrire(rang, 13, nombre, "entier")
    feuille.largeurs = dict(enumerate((14, 9, 14, 25, 24, 100, 17, 40, 3, 25, 14, 40, 10), start=1))
    feuille.volets = "A7"


def plages(lettre: str, rangs: np.ndarray) -> str:
    """Les cellules de la colonne ``lettre`` aux lignes ``rangs`` (croissantes), en plages
    contiguës : « G7:G9 G12 »."""
    if len(rangs) == 0:
        return ""
    coupures = np.flatnonzero(np.diff(rangs) != 1) + 1
    morceaux = []
    for bloc in np.split(rangs, coupures):
        premier, dernier = int(bloc[0]), int(bloc[-1])
        morceaux.append(
            f"{lettre}{premier}" if premier == dernier else f"{lettre}{premier}:{lettre}{dernier}"
        )
    return " ".join(morceaux)


def ecrire_suivi(feuille: Feuille, resultat: Resultat, suivi: Suivi | None) -> None:
    """La feuille Suivi des engagements : chaque objectif du contrat, sa cible, la valeur
    mesurée, atteint ou non, et son évolution par période. Sans contrat à ce calcul, une note
    le dit (la feuille d'un calcul précédent ne garde pas des chiffres périmés)."""
    _entete_resultats(feuille, resultat, "Suivi des engagements")
    if suivi is None:
        feuille.ecrire(5, 1, (
            "Ce calcul n'a pas reçu de contrat : les engagements ne sont pas mesurés. Relancez "
            "« coaching-xl compute grille.xlsx --contrat contrat_imagerie_services.xlsx »."
        ), "gras")  # fmt: skip
        feuille.largeurs = {1: 30}
        return
    ligne = feuille.paragraphe(4, (
        f"Objectifs lus dans {suivi.contrat.name}, feuille « Indicateurs de suivi ». Un délai est atteint "
        "quand le délai moyen mesuré est au plus la cible ; une part de RDV programmés, quand la part "
        "mesurée est au moins la cible. Tendance : dernière période mesurée face à la première."
    ), largeur=150)  # fmt: skip
    for avertissement in suivi.avertissements:
        ligne = feuille.paragraphe(ligne, f"Attention : {avertissement}", "gras", largeur=150)
    ligne += 1
    entetes = ["Service demandeur", "Modalité", "Indicateur", "Objectif", "Mesuré", "Examens", "Atteint",
               "Tendance", *suivi.periodes]  # fmt: skip
    feuille.ligne(ligne, entetes, "entete")
    feuille.hauteurs[ligne] = 30
    for rang, (_, engagement) in enumerate(suivi.tableau.iterrows(), start=ligne + 1):
        format_ = engagement["format"]
        feuille.ligne(
            rang, [engagement["service"], engagement["modalite"], engagement["indicateur"]], "texte"
        )
        feuille.ecrire(
            rang, 4, objectif(engagement["cible"], format_, engagement["plus_haut_mieux"]), "texte"
        )
        feuille.ecrire(rang, 5, engagement["mesure"], f"{format_}_gras")
        feuille.ecrire(rang, 6, engagement["examens"], "entier")
        feuille.ecrire(rang, 7, *VERDICTS[engagement["atteint"]])
        feuille.ecrire(rang, 8, engagement["tendance"] or "—", "texte")
        for j, periode in enumerate(suivi.periodes, start=9):
            feuille.ecrire(rang, j, engagement[periode], format_)
    if suivi.tableau.empty:
        feuille.ecrire(ligne + 1, 1, "Le contrat ne fixe aucun objectif chiffré.", "gras")
    feuille.largeurs = {1: 26, 2: 16, 3: 36, 4: 12, 5: 11, 6: 10, 7: 9, 8: 12,
                        **dict.fromkeys(range(9, 9 + len(suivi.periodes)), 11)}  # fmt: skip
    feuille.volets = f"D{ligne + 1}"


VERDICTS = {True: ("Oui", "atteint"), False: ("Non", "manque"), None: ("—", "texte")}
"""Objectif atteint, manqué, ou rien à mesurer → (texte, style)."""


def _feuilles_de_resultats(
    classeur: Classeur, resultat: Resultat, noms: dict[str, str], csv: str | None, suivi: Suivi | None,
    liens: bool = True,
) -> None:  # fmt: skip
    ecrire_indicateurs(classeur.feuille(noms["indicateurs"]), resultat)
    ecrire_services(classeur.feuille(noms["services"]), resultat)
    ecrire_anomalies(classeur.feuille(noms["anomalies"]), resultat, csv, liens)
    if "suivi" in noms:
        ecrire_suivi(classeur.feuille(noms["suivi"]), resultat, suivi)


def classeur_resultats(resultat: Resultat, csv: str | None = None, suivi: Suivi | None = None) -> Classeur:
    """Les feuilles de résultats dans un classeur à elles (pour une grille .ods ou .xls, qui ne
    peut pas les porter) : les feuilles de ``greffon``, sans liens vers les cellules (elles
    sont dans l'autre fichier), et une feuille Métadonnées masquée qui dit de quelle grille."""
    noms = FEUILLES | (SUIVI if suivi is not None else {})
    classeur = Classeur(TITRE_RESULTATS.format(source=resultat.grille.chemin.name))
    _feuilles_de_resultats(classeur, resultat, noms, csv, suivi, liens=False)
    meta = classeur.feuille(s.FEUILLE_META)
    meta.masquee = True
    for rang, (cle, valeur) in enumerate(
        (("modele", MODELE_RESULTATS), ("source", resultat.grille.chemin.name),
         ("generateur", f"coaching-xl {version()}")), start=1,
    ):  # fmt: skip
        meta.ligne(rang, [cle, valeur])
    return classeur


def greffon(
    resultat: Resultat, noms: dict[str, str], csv: str | None = None, suivi: Suivi | None = None
) -> Greffon:
    """Le classeur des feuilles de résultats, sous leurs noms définitifs (``noms`` : rôle →
    nom ; « suivi » s'il y est), prêt à greffer. ``csv`` nomme le fichier de la liste complète
    des anomalies quand la feuille Anomalies ne les montre pas toutes."""
    classeur = Classeur()
    _feuilles_de_resultats(classeur, resultat, noms, csv, suivi)
    return Greffon(
        {nom: role for role, nom in noms.items()},
        styles_xml().encode("utf-8"),
        lambda correspondance: classeur.octets(correspondance, compresse=False),
    )
