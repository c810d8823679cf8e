"""Le support « point d'étape » que la Cellule Performance diffuse au réseau après chaque jalon
(seed 000, §1.c.1), et à J5 les « fiches bilan » : la région et son évolution, les classements,
la complétude, la qualité des données et l'avancement des feuilles de route, les plus fortes
progressions, puis la feuille de route de la période suivante et le prochain jalon.

Chaque chiffre vient de la consolidation (``moteur.consolidation``, ``moteur.qualite``,
``moteur.feuille_de_route``) : les mêmes résultats que ``consolidate``, rien de recalculé."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from moteur.consolidation import REGION, Consolidation, classement, completude, positions
from rapports.diaporama import HAUTEUR_CM, LARGEUR_CM, MARGE_CM, Diaporama
from recueil import dispositif as d
from recueil import schema as s
from socle import couleurs
from socle.francais import entier, pluriel, signe, valeur

SOURCE = (
    "Consolidation au jalon {jalon} (coaching-xl consolidate, mêmes chiffres que consolidation_{jalon}.xlsx)"
)
PROGRESSIONS_MONTREES = 8


def _ecart(x: float, format_: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{signe(100 * x)} pts" if format_ == "pourcent" else f"{signe(x)} j"


def progressions(c: Consolidation) -> pd.DataFrame:
    """Les plus fortes progressions depuis la première période (« avant J1 ») : pour chaque
    indicateur comparé et chaque établissement, l'écart à la référence, dans le sens du progrès
    (positif = mieux) ; les meilleures d'abord."""
    lignes = []
    for comparaison in s.COMPARAISONS:
        tableau = classement(c, comparaison).drop(index=REGION)
        sens = 1 if comparaison.plus_haut_mieux else -1
        for nom, ligne in tableau.iterrows():
            if pd.notna(ligne["ecart"]):
                lignes.append({"etablissement": nom, "indicateur": comparaison.court, "cle": comparaison.cle,
                               "format": comparaison.format, "reference": ligne["reference"],
                               "derniere": ligne["derniere"], "ecart": ligne["ecart"],
                               "progres": sens * ligne["ecart"] / (abs(ligne["reference"]) or 1)})  # fmt: skip
    tableau = pd.DataFrame(lignes)
    return tableau.sort_values("progres", ascending=False, kind="stable") if len(tableau) else tableau


def construire_jalon(c: Consolidation) -> Diaporama:
    """Le point d'étape du réseau au jalon de ``c`` ; au dernier jalon, une fiche bilan par
    établissement (``c`` doit alors porter l'essentiel de chaque grille : ``fiches=True``)."""
    source = SOURCE.format(jalon=c.jalon)
    deck = Diaporama(f"Coaching imagerie — point d'étape au jalon {c.jalon} du {c.date_jalon:%d/%m/%Y}")
    jalons = c.calendrier.jalons
    rang = [j.code for j in jalons].index(c.jalon)
    suivant = jalons[rang + 1] if rang + 1 < len(jalons) else None
    dernier = suivant is None
    lignes = completude(c)
    recues = sum(ligne.statut in ("recue", "non_attendue") for ligne in lignes)

    # 1. Titre.
    diapo = deck.diapo()
    diapo.texte(MARGE_CM, 4.2, LARGEUR_CM - 2 * MARGE_CM, 3, "Coaching imagerie — programmer dans les meilleurs délais",
                34, 20, gras=True)  # fmt: skip
    diapo.texte(MARGE_CM, 7.8, LARGEUR_CM - 2 * MARGE_CM, 2, (("Bilan" if dernier else "Point d'étape")
                + f" — jalon {c.jalon} du {c.date_jalon:%d/%m/%Y}"), 28, 16)  # fmt: skip
    attendus = f" sur {len(c.attendus)} attendus" if c.attendus is not None else ""
    diapo.texte(MARGE_CM, 10.3, LARGEUR_CM - 2 * MARGE_CM, 2.5, (
        f"{pluriel(recues, 'établissement', 'établissements')}{attendus} · périodes {c.periodes[0]} à {c.periodes[-1]} "
        "· ARS Île-de-France, Cellule Performance"), 18, 11, couleur=couleurs.GRIS)  # fmt: skip
    diapo.notes(
        f"{source}. Région : rapports de sommes (tous les non-honorés sur tous les RDV programmés) et délais mis en commun."
    )

    # 2. La région, par période.
    diapo = deck.diapo()
    y = diapo.titre(
        "La région, période par période",
        "Rapports de sommes et délais mis en commun, jamais une moyenne des taux",
    )
    rp = c.region_periodes
    diapo.tableau(MARGE_CM, y, 15.5, ["Indicateur", *c.periodes],
                  [[comp.court, *(valeur(rp.loc[p, comp.cle], comp.format) for p in c.periodes)] for comp in s.COMPARAISONS],
                  [3, *[1.3] * len(c.periodes)], hauteur_max=8, taille=14)  # fmt: skip
    diapo.graphique("courbes", 17.5, y, LARGEUR_CM - 17.5 - MARGE_CM, 13.5, list(c.periodes),
                    [(t.libelle, rp[t.cle].tolist()) for t in s.TAUX], "pourcent", titre="Taux de la région")  # fmt: skip
    diapo.graphique("colonnes", MARGE_CM, y + 8.3, 15.5, 5.5, list(c.periodes),
                    [(f"{dl.libelle.split(' (')[0]}", rp[f"{dl.cle}_moyenne"].tolist()) for dl in s.DELAIS], "jours",
                    titre="Délais moyens (jours)")  # fmt: skip
    diapo.notes(f"{source}, feuille Évolution (ligne Région).")

    # 3 à 7. Un classement par indicateur comparé.
    for comparaison in s.COMPARAISONS:
        tableau = classement(c, comparaison)
        diapo = deck.diapo()
        sens = "le plus élevé en tête" if comparaison.plus_haut_mieux else "le plus bas en tête"
        y = diapo.titre(f"Classement — {comparaison.libelle}",
                        f"Dernière période ({c.periodes[-1]}), {sens} ; la région en orange, à sa place")  # fmt: skip
        noms = [str(n) for n in tableau.index]
        diapo.graphique("barres", MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, HAUTEUR_CM - y - 1.4, noms,
                        [(f"Dernière période ({c.periodes[-1]})", tableau["derniere"].tolist())], comparaison.format,
                        reperes=[noms.index(REGION)])  # fmt: skip
        diapo.notes(
            f"{source}, feuille Classements : « {comparaison.libelle} ». Région : {valeur(tableau.loc[REGION, 'derniere'], comparaison.format)}."
        )

    # 8. Complétude.
    diapo = deck.diapo()
    y = diapo.titre(
        "Complétude du recueil",
        f"{pluriel(recues, 'grille reçue et lue', 'grilles reçues et lues')}{attendus}",
    )
    situations = [[ligne.etablissement, {"manquante": "Manquante", "illisible": "Illisible", "ecartee": "Écartée (doublon)"}[ligne.statut],
                   ligne.remarque] for ligne in lignes if ligne.statut in ("manquante", "illisible", "ecartee")]  # fmt: skip
    situations += [[g.nom, "Semaines sans données", f"{g.semaines_sans_donnees} sur {g.semaines} ; dernière date saisie "
                    f"{g.derniere_date:%d/%m/%Y}" if g.derniere_date else "aucune date"] for g in c.retenues if g.semaines_sans_donnees]  # fmt: skip
    if situations:
        diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Établissement", "Situation", "Détail"], situations,
                      [3, 2, 5], hauteur_max=HAUTEUR_CM - y - 1.5, taille=14, a_gauche=(0, 1, 2))  # fmt: skip
    else:
        diapo.texte(
            MARGE_CM,
            y,
            LARGEUR_CM - 2 * MARGE_CM,
            3,
            "Toutes les grilles attendues sont reçues, lues, sans semaine vide.",
            22,
            12,
        )
    diapo.notes(f"{source}, feuille Complétude.")

    # 9. Qualité des données.
    q = c.qualite
    diapo = deck.diapo()
    y = diapo.titre("Qualité des données : à vérifier avant de comparer",
                    f"{pluriel(len(q.signalements), 'signalement')} sur {q.periode} ; aucun ne change un chiffre")  # fmt: skip
    if q.signalements:
        diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Établissement", "Contrôle", "Indicateur", "Niveau"],
                      [[sig.etablissement, sig.intitule, sig.indicateur or "—", sig.niveau] for sig in q.signalements],
                      [3, 2.6, 2.6, 1.2], hauteur_max=HAUTEUR_CM - y - 2.2, taille=14, a_gauche=(0, 1, 2, 3))  # fmt: skip
    else:
        diapo.texte(
            MARGE_CM,
            y,
            LARGEUR_CM - 2 * MARGE_CM,
            3,
            "Aucun signalement : chaque contrôle est passé.",
            22,
            12,
        )
    if q.note:
        diapo.texte(
            MARGE_CM, HAUTEUR_CM - 2.2, LARGEUR_CM - 2 * MARGE_CM, 1.0, q.note, 11, 8, couleur=couleurs.GRIS
        )
    diapo.notes(
        f"{source}, feuille Qualité des données (score z modifié, cohérence dans le temps, vraisemblance, actualité). Le détail de chaque signalement y dit quoi vérifier."
    )

    # 10. Avancement des feuilles de route.
    if c.avancement is not None and c.avancement.routes:
        a = c.avancement
        diapo = deck.diapo()
        retards = a.en_retard()
        y = diapo.titre("Avancement des feuilles de route",
                        f"Part des points « Fait » ; {pluriel(len(retards), 'point')} encore à faire sur les périodes closes")  # fmt: skip
        noms = [r.etablissement for r in a.routes]
        diapo.graphique("barres", MARGE_CM, y, 19, HAUTEUR_CM - y - 1.4, noms,
                        [*((p, [r.part(None, p) for r in a.routes]) for p in (a.closes or a.periodes)[-1:]),
                         ("Ensemble", [r.part(None, None) for r in a.routes])], "pourcent")  # fmt: skip
        par = pd.Series([p.etablissement for p in retards], dtype=object).value_counts()
        diapo.tableau(21, y, LARGEUR_CM - 21 - MARGE_CM, ["Établissement", "En retard"],
                      [[nom, entier(int(n))] for nom, n in par.items()] or [["—", "0"]], [3, 1.2],
                      hauteur_max=HAUTEUR_CM - y - 1.5, taille=14)  # fmt: skip
        diapo.notes(f"{source}, feuille Avancement : feuilles de route lues dans les dossiers des grilles.")

    # 11. Les plus fortes progressions.
    diapo = deck.diapo()
    y = diapo.titre(
        f"Les plus fortes progressions depuis « {c.periodes[0]} »",
        f"Dernière période ({c.periodes[-1]}) face à la première",
    )
    meilleures = progressions(c).head(PROGRESSIONS_MONTREES)
    if len(meilleures) and len(c.periodes) > 1:
        diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Établissement", "Indicateur", c.periodes[0], c.periodes[-1], "Écart"],
                      [[v["etablissement"], v["indicateur"], valeur(v["reference"], v["format"]),
                        valeur(v["derniere"], v["format"]), _ecart(v["ecart"], v["format"])] for _, v in meilleures.iterrows()],
                      [3, 2.5, 1.2, 1.2, 1.2], hauteur_max=HAUTEUR_CM - y - 1.5, taille=14, a_gauche=(0, 1))  # fmt: skip
    else:
        diapo.texte(
            MARGE_CM,
            y,
            LARGEUR_CM - 2 * MARGE_CM,
            3,
            "Une seule période achevée : les progressions se liront au jalon suivant.",
            22,
            12,
        )
    diapo.notes(
        f"{source}, feuille Classements (colonne « Écart à la référence »), rapporté à la valeur de référence pour classer."
    )

    # 12. La suite : feuille de route de la période suivante et prochain jalon ; à J5, les fiches bilan.
    if not dernier:
        periodes_route = c.calendrier.periodes()[1 : 1 + len(d.ETAPES)]
        prochaine = next((i for i, p in enumerate(periodes_route) if p.debut == c.date_jalon), None)
        if prochaine is not None:
            etape, periode = d.ETAPES[prochaine], periodes_route[prochaine]
            for moitie in (d.ACTIONS[:4], d.ACTIONS[4:]):
                diapo = deck.diapo()
                y = diapo.titre(
                    f"Feuille de route {periode.libelle} : actions {moitie[0].numero} à {moitie[-1].numero}",
                    etape.objectif,
                )
                lignes_route = [
                    [f"{a.numero}. {a.libelle}", " ; ".join(etape.taches.get(a.numero, ())) or "—"]
                    for a in moitie
                ]
                diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Action", "Points de la check-list"], lignes_route,
                              [2.2, 5], hauteur_max=HAUTEUR_CM - y - 1.5, taille=14, a_gauche=(0, 1))  # fmt: skip
                diapo.notes(
                    f"Check-list de la période {periode.libelle} (recueil/dispositif.py, la même que feuille_de_route.xlsx)."
                )
        diapo = deck.diapo()
        y = diapo.titre(
            f"Prochain jalon : {suivant.code} — {suivant.libelle}",
            f"Le {suivant.date:%d/%m/%Y}" + (f", {suivant.horaire}" if suivant.horaire else ""),
        )
        ordre = [
            f"Lieu : {suivant.lieu}" if suivant.lieu else "Lieu : à préciser",
            "Tour de table : point d'avancement de chaque établissement sur sa feuille de route",
            f"Indicateurs régionaux à {suivant.code}, classements et qualité des données",
            "Retours d'expérience et ateliers entre établissements",
        ]
        if prochaine is not None and prochaine + 1 < len(d.ETAPES):
            ordre.append(f"Lancement de la période suivante : {d.ETAPES[prochaine + 1].objectif}")
        diapo.texte(
            MARGE_CM,
            y,
            LARGEUR_CM - 2 * MARGE_CM,
            HAUTEUR_CM - y - 1.5,
            ordre,
            22,
            12,
            puces=True,
            couleur="000000",
        )
        diapo.notes(
            "Date, horaire et lieu : le calendrier des jalons (feuille Paramètres des grilles, ou --calendrier)."
        )
    else:
        for grille in c.retenues:
            _fiche_bilan(deck, c, grille, source)
    return deck


def _fiche_bilan(deck: Diaporama, c: Consolidation, grille, source: str) -> None:
    """Une fiche bilan : l'établissement avant J1 et sur la dernière période, son rang."""
    diapo = deck.diapo()
    tableau = c.par_etablissement[grille.nom]
    y = diapo.titre(
        f"Bilan — {grille.nom}",
        f"{pluriel(grille.lignes_lues, 'ligne lue', 'lignes lues')} ; de « {c.periodes[0]} » à {c.periodes[-1]}",
    )
    place = positions(c, grille.nom)
    lignes = []
    for comparaison in s.COMPARAISONS:
        debut, fin = tableau.loc[c.periodes[0], comparaison.cle], tableau.loc[c.periodes[-1], comparaison.cle]
        rang = place.loc[comparaison.cle, "rang"]
        lignes.append([comparaison.court, valeur(debut, comparaison.format), valeur(fin, comparaison.format),
                       _ecart(fin - debut, comparaison.format),
                       f"{int(rang)} / {int(place.loc[comparaison.cle, 'classes'])}" if pd.notna(rang) else "—",
                       valeur(place.loc[comparaison.cle, "region"], comparaison.format)])  # fmt: skip
    diapo.tableau(MARGE_CM, y, 17.5, ["Indicateur", c.periodes[0], c.periodes[-1], "Écart", "Rang", "Région"], lignes,
                  [3, 1.3, 1.3, 1.3, 1, 1.3], hauteur_max=8, taille=14)  # fmt: skip
    diapo.graphique("courbes", 19.5, y, LARGEUR_CM - 19.5 - MARGE_CM, 13.5, list(c.periodes),
                    [(t.libelle, tableau[t.cle].tolist()) for t in s.TAUX], "pourcent", titre="Par période")  # fmt: skip
    signalements = [sig.message for sig in c.qualite.de(grille.nom)][:2]
    if signalements:
        diapo.texte(
            MARGE_CM,
            y + 8.5,
            17.5,
            HAUTEUR_CM - y - 10,
            ["Qualité des données :", *signalements],
            13,
            8,
            couleur=couleurs.GRIS,
        )
    diapo.notes(
        f"{source} : feuilles Évolution et Classements, ligne {grille.nom} ; rang sur la dernière période parmi les établissements classés."
    )


def nom_point_etape(jalon: str) -> str:
    return f"point_etape_{jalon}.pptx"


def ecrire_point_etape(consolidation: Consolidation, sortie: Path, ecraser: bool = False) -> Path:
    """Écrit le point d'étape de ``consolidation`` dans ``sortie`` (d'un seul renommage)."""
    return construire_jalon(consolidation).ecrire(Path(sortie), ecraser)
