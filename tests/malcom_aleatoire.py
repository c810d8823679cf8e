"""Des classeurs Malcom tirés au hasard (graine fixe), tous valides : de quoi comparer les
formules vivantes du classeur, recalculées par LibreOffice, au moteur Python."""

from __future__ import annotations

import random

from recueil import malcom_schema as m
from recueil.malcom import Contenu
from recueil.malcom_exemple import cellules_du_bloc

MARQUEURS = ("actes", "consultations", "rendez-vous", "examens")


def contenu_aleatoire(graine: int, deux_semaines: bool = False) -> Contenu:
    hasard = random.Random(graine)
    n_activites = hasard.randint(3, 8)
    activites = []
    for i in range(n_activites):
        ident = f"A{i}x"
        if hasard.random() < 0.6:
            quantite = hasard.choice((2, 3, 5, 7, 10))
            duree = hasard.choice((1, 2, 3.5, 4)) / 24
            objectif = hasard.choice((None, hasard.randint(100, 5000)))
            taux_b = hasard.choice((None, 0.5, 1, 1.2))
            taux_c = hasard.choice((None, 0, 0.3))
            activites.append(
                (f"Activité {i}", ident, hasard.choice(MARQUEURS), quantite, duree, objectif, taux_b, taux_c)
            )
        else:
            activites.append((f"Activité {i}", ident))
    ids = [a[1] for a in activites]
    blocs = []
    cellules: dict[str, object] = {}
    n_praticiens = hasard.randint(2, 9)
    n_lignes = hasard.randint(0, 2)
    # Des blocs, et parfois un bloc vide entre deux (ignoré sans rien dire).
    rangs = sorted(hasard.sample(range(1, n_praticiens + n_lignes + 3), n_praticiens + n_lignes))
    for k, rang in enumerate(rangs):
        ligne_pds = k >= n_praticiens
        if ligne_pds:
            pds = {
                c.code: [hasard.choice(m.IDS_PDS)] for c in hasard.sample(m.CRENEAUX, hasard.randint(1, 10))
            }
            blocs.append((f"Ligne {k}", "PDS", None))
            semaine: dict = {}
        else:
            quotite = hasard.choice((1, 1, 0.8, 0.5, 0.2))
            non = hasard.choice(("Non", "Non", None, "Oui"))
            blocs.append((f"Dr Praticien {k:02d}", quotite, non))
            semaine = {}
            for d in hasard.sample(m.DEMI_JOURNEES, hasard.randint(1, 10)):
                semaine[d.code] = [
                    (hasard.choice(ids), f"{hasard.randint(0, 4)}:{hasard.choice(('15', '30', '45'))}")
                    for _ in range(hasard.randint(1, 3))
                ]
            pds = {
                c.code: [hasard.choice(m.IDS_PDS)] for c in hasard.sample(m.CRENEAUX, hasard.randint(0, 3))
            }
        cellules.update(cellules_du_bloc(rang, semaine, pds))
        if deux_semaines:
            # La semaine 2 : la même, quelques ½ journées en moins, d'autres durées, d'autres PDS.
            seconde = {
                d: [(a, f"{hasard.randint(1, 3)}:00") for a, _ in liste] if hasard.random() < 0.3 else liste
                for d, liste in semaine.items()
                if hasard.random() < 0.8
            }
            pds2 = {c: types for c, types in pds.items() if hasard.random() < 0.7}
            cellules.update(cellules_du_bloc(rang, seconde, pds2, semaine_type=2))
    parametres = {
        "ventilation": hasard.choice(tuple(m.VENTILATIONS.values())),
        "recup_affectees": hasard.choice((m.OUI, m.NON)),
        "seuil_marge": hasard.choice((0.05, 0.1, 0.2)),
    }
    periodes = {
        "B6": hasard.choice((6, 8)),
        "C6": hasard.choice((0.25, 0.5)),
        "C7": hasard.choice((0.6, 1.1)),
    }
    if deux_semaines:
        periodes["D5"] = 2
    numerotes: list[tuple[str | None, object, object]] = [(None, None, None)] * max(rangs)
    for rang, bloc in zip(rangs, blocs, strict=True):
        numerotes[rang - 1] = bloc
    return Contenu(parametres, activites, periodes, numerotes, cellules)
