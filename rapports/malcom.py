"""Malcom : les feuilles « Malcom résultats » et « Malcom anomalies », greffées dans le classeur
de l'utilisateur comme celles de ``compute`` (rien du reste n'est réécrit, remplacement atomique,
un nouveau calcul remplace les feuilles du précédent), le résumé du terminal et la page A4 PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moteur.lecture import debut_de_feuille
from moteur.malcom import ResultatMalcom, calculer, hmm, lire, orientations
from rapports.greffage import greffer_feuilles
from rapports.greffe import Greffon
from rapports.xlsx import Classeur, Feuille, styles_xml
from recueil import graphiques
from recueil import malcom_schema as m
from socle import version
from socle.erreurs import GrilleIllisible
from socle.fichiers import fichier_reel, verrou
from socle.francais import decimal, pluriel

SIGNATURE = "Feuille recalculée à chaque « coaching-xl malcom compute »"
"""Le début de la note (ligne 3) des feuilles de résultats Malcom : un nouveau calcul reconnaît
à elle, non à une marque que n'importe qui peut copier, la feuille à remplacer."""
ROLES = {"malcom_resultats": m.FEUILLE_RESULTATS, "malcom_anomalies": m.FEUILLE_ANOMALIES}
COLONNE_GRAPHIQUES = "P"
ORIENTATIONS = {"insuffisant": "Insuffisant", "adequat": "En adéquation", "marge": "Marge notable"}


@dataclass(frozen=True)
class EcritureMalcom:
    classeur: Path
    feuilles: dict[str, str]
    resultat: ResultatMalcom


def calculer_fichier(chemin: Path) -> EcritureMalcom:
    """Relit, revalide et calcule le classeur Malcom ``chemin``, puis y greffe ses feuilles de
    résultats — sous verrou : un second calcul du même fichier attend le premier, puis relit le
    classeur à jour. Un fichier absent n'est pas réservé : la lecture dira pourquoi."""
    cible = fichier_reel(Path(chemin))
    if not cible.is_file():
        return ecrire(calculer(lire(Path(chemin))))
    with verrou(cible):
        return ecrire(calculer(lire(Path(chemin))))


def ecrire(resultat: ResultatMalcom) -> EcritureMalcom:
    """Greffe « Malcom résultats » et « Malcom anomalies » dans le classeur lu."""
    saisie = resultat.saisie
    cible = fichier_reel(saisie.chemin)
    classeur_lu = saisie.classeur

    def est_a_nous(nom: str) -> bool:
        try:
            lignes = debut_de_feuille(classeur_lu, nom)
        except GrilleIllisible:
            return False
        return any(isinstance(c, str) and c.startswith(SIGNATURE) for ligne in lignes[:6] for c in ligne[:2])

    noms = greffer_feuilles(
        saisie.paquet,
        cible,
        lambda _: dict(ROLES),
        lambda noms: greffon(resultat, noms),
        est_a_nous,
        m.FEUILLE_TABLEAU,
        "coaching-xl malcom compute",
    )
    return EcritureMalcom(cible, noms, resultat)


def greffon(resultat: ResultatMalcom, noms: dict[str, str]) -> Greffon:
    classeur = Classeur()
    ecrire_resultats(classeur.feuille(noms["malcom_resultats"]), resultat)
    ecrire_anomalies(classeur.feuille(noms["malcom_anomalies"]), resultat)
    return Greffon(
        {nom: role for role, nom in noms.items()},
        styles_xml().encode("utf-8"),
        lambda correspondance: classeur.octets(correspondance, compresse=False),
    )


def _nom_du_service(resultat: ResultatMalcom) -> str:
    s = resultat.saisie
    morceaux = [x for x in (s.etablissement, s.service) if x]
    return " — ".join(morceaux) or s.chemin.name


def _entete(feuille: Feuille, resultat: ResultatMalcom, titre: str) -> None:
    anomalies = resultat.anomalies
    erreurs = sum(a.gravite == m.E for a in anomalies)
    avertissements = sum(a.gravite == m.A for a in anomalies)
    feuille.ecrire(1, 1, f"{titre} — {_nom_du_service(resultat)}", "titre")
    feuille.ecrire(
        2,
        1,
        (
            f"{pluriel(len(resultat.praticiens), 'praticien')}, "
            f"{pluriel(len(resultat.lignes), 'ligne')} de PDS, "
            f"{pluriel(len(resultat.activites), 'activité')} ; "
            f"{pluriel(erreurs, 'erreur')} (valeurs écartées), "
            f"{pluriel(avertissements, 'avertissement')} — coaching-xl {version()}"
        ),
        "gras",
    )
    feuille.ecrire(
        3,
        1,
        f"{SIGNATURE} : ne la modifiez pas, vos changements seraient remplacés. Vos saisies "
        f"restent dans les onglets {m.FEUILLE_ACTIVITES} et {m.FEUILLE_TABLEAU}.",
        "note",
    )


def ecrire_resultats(feuille: Feuille, resultat: ResultatMalcom) -> None:
    """Les tables de §3.4 en valeurs (heures décimales), et quatre graphiques natifs :
    potentiels et objectifs, écarts relatifs, part du temps par praticien, heures par ½ journée."""
    _entete(feuille, resultat, "Malcom — résultats")
    nom = feuille.nom
    ligne = 5
    # Synthèse par activité.
    feuille.ecrire(ligne, 1, "Synthèse par activité (heures décimales ; potentiels par an)", "section")
    feuille.ligne(ligne + 1, list(m.ENTETES_ACTIVITES_SYNTHESE), "entete")
    feuille.hauteurs[ligne + 1] = 45
    premiere_a = ligne + 2
    for k, a in enumerate(resultat.activites):
        r = premiere_a + k
        feuille.ligne(r, [a.activite.libelle, a.activite.id, a.activite.marqueur or ""], "texte")
        feuille.ligne(r, [a.heures_semaine, a.heures_annuelles, a.heures_redressees], "jours", colonne=4)
        feuille.ecrire(r, 7, a.part, "pourcent")
        feuille.ecrire(r, 8, a.potentiel, "entier")
        feuille.ecrire(r, 9, a.activite.objectif, "entier")
        feuille.ecrire(r, 10, a.ecart, "entier")
        feuille.ecrire(r, 11, a.ecart_relatif, "ecart_pourcent")
        feuille.ecrire(r, 12, ORIENTATIONS.get(a.orientation or "", ""), "texte")
        feuille.ecrire(r, 13, a.a_ajuster, "ecart_jours")
    derniere_a = premiere_a + len(resultat.activites) - 1
    ligne = derniere_a + 2
    for texte_ in orientations(resultat):
        feuille.ecrire(ligne, 1, texte_, "normal")
        ligne += 1
    # Synthèse par praticien.
    ligne += 1
    feuille.ecrire(ligne, 1, "Synthèse par praticien", "section")
    feuille.ligne(ligne + 1, list(m.ENTETES_PRATICIENS), "entete")
    feuille.hauteurs[ligne + 1] = 45
    premiere_p = ligne + 2
    for k, p in enumerate(resultat.praticiens):
        r = premiere_p + k
        feuille.ecrire(r, 1, p.nom, "texte")
        feuille.ecrire(r, 2, p.bloc.quotite, "pourcent")
        feuille.ecrire(r, 3, m.OUI if p.bloc.participe else m.NON, "texte")
        feuille.ecrire(r, 4, p.part_ventilation, "pourcent")
        feuille.ligne(r, [p.total_semaine, p.total_annuel, p.recuperation_h], "jours", colonne=5)
        feuille.ecrire(r, 8, p.coefficient, "pourcent")
        feuille.ecrire(r, 9, p.total_redresse, "jours")
        feuille.ecrire(r, 10, resultat.part_service(p), "pourcent")
        feuille.ligne(r, [p.par_an(t) for t in m.IDS_PDS], "jours", colonne=11)
    derniere_p = premiere_p + len(resultat.praticiens) - 1
    ligne = max(derniere_p, premiere_p) + 3
    # PDS par mois.
    feuille.ecrire(ligne, 1, "Permanence des soins : PDS par mois (redressées)", "section")
    feuille.ligne(ligne + 1, ["Praticien", "PDS", *(c.libelle for c in m.CATEGORIES)], "entete")
    feuille.hauteurs[ligne + 1] = 45
    r = ligne + 2
    for p in resultat.praticiens:
        for t in m.TYPES_PDS:
            mois = p.par_mois(t.id)
            if not any(mois.values()):
                continue
            feuille.ligne(r, [p.nom, t.ligne_tableau_de_bord], "texte")
            feuille.ligne(r, [mois[c.code] for c in m.CATEGORIES], "jours", colonne=3)
            r += 1
    if r == ligne + 2:
        feuille.ecrire(r, 1, "Aucune PDS.", "note")
        r += 1
    ligne = r + 2
    # Heures par ½ journée (service).
    feuille.ecrire(ligne, 1, "Heures par ½ journée (semaine type, service)", "section")
    ids = [a.activite.id for a in resultat.activites]
    feuille.ligne(ligne + 1, ["½ journée", *ids, "Total"], "entete")
    premiere_d = ligne + 2
    for k, d in enumerate(m.DEMI_JOURNEES):
        r = premiere_d + k
        valeurs = [
            sum(p.heures_par_demi_journee.get(d.code, {}).get(i, 0.0) for p in resultat.praticiens)
            for i in ids
        ]
        feuille.ecrire(r, 1, d.libelle, "texte")
        feuille.ligne(r, [*valeurs, sum(valeurs)], "jours", colonne=2)
    derniere_d = premiere_d + len(m.DEMI_JOURNEES) - 1
    _graphiques(
        feuille, nom, resultat, (premiere_a, derniere_a), (premiere_p, derniere_p), (premiere_d, derniere_d)
    )
    feuille.largeurs = {1: 30, **dict.fromkeys(range(2, 14), 12)}
    feuille.volets = "A5"


def _graphiques(
    feuille: Feuille,
    nom: str,
    resultat: ResultatMalcom,
    activites: tuple[int, int],
    praticiens: tuple[int, int],
    demi: tuple[int, int],
) -> None:
    from openpyxl.utils import get_column_letter as L

    p1, d1 = activites
    if d1 >= p1:
        feuille.graphique(
            graphiques.colonnes(
                "Potentiels et objectifs annuels",
                graphiques.plage(nom, "A", p1, d1),
                [
                    (graphiques.plage(nom, "H", p1, d1), "Potentiel"),
                    (graphiques.plage(nom, "I", p1, d1), "Objectif annuel"),
                ],
                titre_categories="",
                titre_valeurs="par an",
                format_valeurs="#,##0",
                rotation=-30,
            ),
            f"{COLONNE_GRAPHIQUES}5",
        )
        ecarts = graphiques.barres_classees(
            "Écart relatif du potentiel à l'objectif",
            graphiques.plage(nom, "A", p1, d1),
            graphiques.plage(nom, "K", p1, d1),
            titre_valeurs="écart relatif",
            format_valeurs="0\\ %",
        )
        ecarts.y_axis.scaling.min = None
        feuille.graphique(ecarts, f"{COLONNE_GRAPHIQUES}24")
    p2, d2 = praticiens
    if d2 >= p2:
        feuille.graphique(
            graphiques.barres_classees(
                "Part du temps du service par praticien",
                graphiques.plage(nom, "A", p2, d2),
                graphiques.plage(nom, "J", p2, d2),
                titre_valeurs="part des heures redressées",
                format_valeurs="0\\ %",
            ),
            f"{COLONNE_GRAPHIQUES}43",
        )
    p3, d3 = demi
    n = len(resultat.activites)
    if n:
        feuille.graphique(
            graphiques.colonnes(
                "Heures par ½ journée (semaine type)",
                graphiques.plage(nom, "A", p3, d3),
                [
                    (graphiques.plage(nom, L(2 + k), p3, d3), a.activite.id)
                    for k, a in enumerate(resultat.activites)
                ],
                titre_categories="",
                titre_valeurs="heures",
                format_valeurs="0",
                rotation=-45,
                empile=True,
            ),
            f"{COLONNE_GRAPHIQUES}62",
        )


def ecrire_anomalies(feuille: Feuille, resultat: ResultatMalcom) -> None:
    _entete(feuille, resultat, "Malcom — anomalies")
    anomalies = resultat.anomalies
    feuille.ecrire(
        4,
        1,
        (
            "Cliquez une cellule pour y aller ; corrigez-la, puis relancez coaching-xl malcom compute."
            if anomalies
            else "Aucune anomalie : chaque cellule a passé les contrôles."
        ),
        "gras",
    )
    feuille.ligne(6, ["Cellule", "Gravité", "Code", "Valeur", "Message"], "entete")
    for rang, a in enumerate(anomalies, start=7):
        if a.cellule:
            feuille.ecrire(rang, 1, a.cellule, "lien")
            feuille.liens.append((f"A{rang}", a.cellule))
        else:
            feuille.ecrire(rang, 1, a.feuille, "texte")
        feuille.ligne(rang, [a.gravite, a.code, a.valeur or "", a.message], "texte", colonne=2)
    feuille.largeurs = dict(enumerate((24, 14, 28, 18, 120), start=1))
    feuille.volets = "A7"


# --- Terminal ------------------------------------------------------------------------------


def resume(resultat: ResultatMalcom) -> str:
    """Une ligne par activité (potentiel, objectif, orientation), puis une par praticien (heures,
    récupération, gardes par mois)."""
    lignes = [f"Malcom — {_nom_du_service(resultat)}"]
    lignes.append("Activités (potentiel / an, objectif, orientation) :")
    for a in resultat.activites:
        if a.potentiel is None:
            lignes.append(
                f"  {a.activite.libelle} : {decimal(a.heures_redressees, 0)} h redressées, "
                "pas de temps alloué"
            )
            continue
        objectif = (
            f", objectif {decimal(a.activite.objectif, 0)} ({ORIENTATIONS.get(a.orientation or '', '—')}"
            f"{', écart ' + _signe(a.ecart_relatif) if a.ecart_relatif is not None else ''})"
            if a.activite.objectif is not None
            else ", sans objectif"
        )
        lignes.append(
            f"  {a.activite.libelle} : {decimal(a.potentiel, 0)} {a.activite.marqueur or ''}{objectif}"
        )
    lignes.append("Praticiens (heures semaine type, annuelles, récupération, gardes / mois) :")
    for p in resultat.praticiens:
        lignes.append(
            f"  {p.nom} : {hmm(p.total_semaine)} / semaine, {decimal(p.total_annuel, 0)} h / an, "
            f"récupération {decimal(p.recuperation_h, 1)} h, "
            f"{decimal(p.par_an('Ga') / 12, 1)} garde(s) / mois"
        )
    return "\n".join(lignes)


def _signe(x: float) -> str:
    v = round(100 * x, 1)
    return f"{'+' if v > 0 else chr(0x2212) if v < 0 else ''}{decimal(abs(v), 1)}\u202f%"
