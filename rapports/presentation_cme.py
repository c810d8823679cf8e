"""La présentation type à la CME (seed 000, §2.a.1) : le service d'imagerie présente le projet
à sa commission médicale d'établissement pour obtenir un aval institutionnel avant de
contractualiser avec les services demandeurs. Ses chiffres sont ceux de ``compute`` sur la
grille de l'établissement (``moteur.resultat.Essentiel``), rien n'est recalculé ici."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from moteur.equipe import Membre
from moteur.resultat import Essentiel
from rapports.diaporama import LARGEUR_CM, MARGE_CM, Diaporama
from recueil import dispositif as d
from recueil import schema as s
from recueil.calendrier import Calendrier
from socle import couleurs
from socle.francais import entier, pluriel, valeur

HORS_CONTRAT = ("externe", "urgences")
"""Les provenances qui ne sont pas des pôles ou services avec qui contractualiser."""
SERVICES_MONTRES = 6
CHIFFRES = (
    (s.TAUX_PROGRAMMES.cle, "RDV programmés", "pourcent"),
    (s.TAUX_NON_HONORES.cle, "RDV programmés non honorés", "pourcent"),
    (f"{s.DELAI_RDV.cle}_moyenne", "délai moyen d'obtention (jours)", "jours"),
    (f"{s.DELAI_CR.cle}_moyenne", "délai moyen de compte-rendu (jours)", "jours"),
)
DEMANDES_CME = (
    "Un aval institutionnel au projet, porté par la direction et le chef de service d'imagerie.",
    "Un interlocuteur médical dans chaque pôle ou service demandeur ciblé, pour négocier le contrat.",
    "Des créneaux pré-attribués et des demandes anticipées (la veille, avant 16 h), en échange de "
    "délais de rendez-vous et de compte-rendu garantis.",
    "Un point en CME à la clôture du coaching, sur les indicateurs de la grille de recueil.",
)


def a_cibler(services: pd.DataFrame) -> pd.DataFrame:
    """Les services demandeurs à cibler en premier : les pôles et services (ni externes ni
    urgences), par nombre de demandes non programmées (volume × part de non programmé), celles
    qu'un contrat peut faire anticiper ; les éligibles aux créneaux pré-attribués d'abord."""
    tableau = services[[s.normaliser(str(p)) not in HORS_CONTRAT for p in services.index]].copy()
    tableau["non_programmees"] = tableau["volume"] * tableau["part_non_programmes"].fillna(0)
    return tableau.sort_values(
        ["eligible_creneaux", "non_programmees", "volume"], ascending=False, kind="stable"
    )


def construire_cme(
    e: Essentiel,
    calendrier: Calendrier,
    equipe: list[Membre] | None = None,
    source_equipe: Path | None = None,
) -> Diaporama:
    """Le diaporama de la CME de l'établissement de ``e``."""
    nom = e.etablissement or e.fichier.stem
    deck = Diaporama(f"Présentation à la CME — {nom} — coaching imagerie")
    source = f"Grille de recueil {e.fichier.name} ({pluriel(e.lignes_lues, 'ligne lue', 'lignes lues')}"
    if e.premiere_date and e.derniere_date:
        source += f", du {e.premiere_date:%d/%m/%Y} au {e.derniere_date:%d/%m/%Y}"
    source += "), calculée par coaching-xl compute."

    # 1. Titre.
    diapo = deck.diapo()
    diapo.texte(MARGE_CM, 4.5, LARGEUR_CM - 2 * MARGE_CM, 3.5, "Programmer dans les meilleurs délais", 40, 24,
                gras=True)  # fmt: skip
    diapo.texte(MARGE_CM, 8.3, LARGEUR_CM - 2 * MARGE_CM, 2.5,
                f"Le service d'imagerie de {nom} dans le coaching imagerie de l'ARS Île-de-France", 24, 14)  # fmt: skip
    diapo.texte(MARGE_CM, 11.3, LARGEUR_CM - 2 * MARGE_CM, 1.5, "Présentation à la commission médicale "
                "d'établissement", 18, 12, couleur=couleurs.GRIS)  # fmt: skip
    diapo.notes(f"Présentation type à la CME (réunion interne d du dispositif). Chiffres : {source}")

    # 2. Le dispositif et son calendrier.
    diapo = deck.diapo()
    y = diapo.titre("Le coaching imagerie : trois axes, six jalons", d.TITRE_DISPOSITIF)
    diapo.texte(
        MARGE_CM, y, 14, 9, [f"{i}. {axe}" for i, axe in enumerate(d.AXES, start=1)], 18, 11, puces=False
    )
    diapo.tableau(16.5, y, LARGEUR_CM - 16.5 - MARGE_CM, ["Jalon", "Date", "Étape"],
                  [[j.code, f"{j.date:%d/%m/%Y}", j.libelle] for j in calendrier.jalons],
                  [1, 1.6, 3.4], hauteur_max=12, taille=14, a_gauche=(0, 2))  # fmt: skip
    diapo.notes("Le dispositif et les dates des jalons : recueil/dispositif.py et le calendrier de la "
                "campagne (feuille Paramètres de la grille, ou --calendrier).")  # fmt: skip

    # 3. L'équipe projet.
    diapo = deck.diapo()
    y = diapo.titre("L'équipe projet", "Qui pilote, qui surveille, qui recueille les indicateurs")
    if equipe:
        diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Instance", "Rôle", "Nom", "Fonction"],
                      [[m.instance, m.role, m.nom, m.fonction] for m in equipe], [3, 2.5, 2.5, 2.5],
                      hauteur_max=13.5, taille=14, a_gauche=(0, 1, 2, 3))  # fmt: skip
        diapo.notes(f"Membres lus dans {source_equipe.name if source_equipe else 'l’annexe équipe projet'}.")
    else:
        diapo.tableau(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, ["Instance", "Rôle", "Mission"],
                      [[r.groupe, r.libelle, r.mission or "—"] for r in d.ROLES if r.mission],
                      [2.5, 2, 6], hauteur_max=13.5, taille=14, a_gauche=(0, 1, 2))  # fmt: skip
        diapo.notes("Les rôles du dispositif (recueil/dispositif.py) ; passez --equipe equipe_projet.xlsx pour "
                    "y mettre les noms de l'annexe remplie.")  # fmt: skip

    # 4. Le point de départ.
    diapo = deck.diapo()
    periode = f"du {e.premiere_date:%d/%m/%Y} au {e.derniere_date:%d/%m/%Y}" if e.premiere_date else ""
    y = diapo.titre(
        "Notre point de départ", f"Mesuré par le service sur {entier(e.lignes_lues)} rendez-vous {periode}"
    )
    largeur = (LARGEUR_CM - 2 * MARGE_CM - 3 * 0.6) / 4
    for i, (cle, libelle, format_) in enumerate(CHIFFRES):
        x = MARGE_CM + i * (largeur + 0.6)
        diapo.texte(x, y + 0.3, largeur, 2.2, valeur(e.ensemble[cle], format_), 40, 24, gras=True, centre=True,
                    couleur=couleurs.ACCENT)  # fmt: skip
        diapo.texte(x, y + 2.6, largeur, 1.6, libelle, 16, 10, centre=True, couleur=couleurs.GRIS)
    modalites = e.par["modalite"]
    diapo.graphique("colonnes", MARGE_CM, y + 4.5, LARGEUR_CM - 2 * MARGE_CM, 9.5, [str(m) for m in modalites.index],
                    [(t.libelle, modalites[t.cle].tolist()) for t in s.TAUX], "pourcent",
                    titre="Par modalité")  # fmt: skip
    diapo.notes(f"Indicateurs de tout le recueil et par modalité (feuille Indicateurs) : {source}")

    # 5. Les délais par modalité.
    diapo = deck.diapo()
    y = diapo.titre("Délais d'obtention et de compte-rendu, par modalité", "Moyennes en jours")
    diapo.graphique("colonnes", MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, 13.5, [str(m) for m in modalites.index],
                    [(dl.libelle, modalites[f"{dl.cle}_moyenne"].tolist()) for dl in s.DELAIS], "jours")  # fmt: skip
    diapo.notes(f"Délais moyens par modalité (feuille Indicateurs, tableau par modalité) : {source}")

    # 6. Les huit actions.
    diapo = deck.diapo()
    y = diapo.titre("Huit actions, de la gouvernance aux contrats")
    largeur = (LARGEUR_CM - 2 * MARGE_CM - 2 * 0.6) / 3
    for i, axe in enumerate(d.AXES):
        x = MARGE_CM + i * (largeur + 0.6)
        diapo.texte(x, y, largeur, 2.2, axe, 16, 11, gras=True)
        diapo.texte(x, y + 2.4, largeur, 11, [f"{a.numero}. {a.libelle}" for a in d.ACTIONS if a.axe == axe], 18,
                    11, puces=True, couleur="000000")  # fmt: skip
    diapo.notes(
        "Les actions du dispositif et leurs check-lists : la feuille de route (feuille_de_route.xlsx)."
    )

    # 7. Les services demandeurs à cibler.
    diapo = deck.diapo()
    cibles = a_cibler(e.services).head(SERVICES_MONTRES)
    y = diapo.titre("Les services demandeurs à cibler en premier",
                    "Là où le plus de demandes non programmées pourraient être anticipées")  # fmt: skip
    lignes = [[str(p), entier(int(v["volume"])), valeur(v["part_non_programmes"], "pourcent"),
               valeur(v["par_jour"], "jours"), "Oui" if v["eligible_creneaux"] else "Non"]
              for p, v in cibles.iterrows()]  # fmt: skip
    if lignes:
        diapo.tableau(MARGE_CM, y, 17, ["Service", "Demandes", "Non programmé", "Par jour ouvert",
                                        "Créneaux pré-attribués"], lignes, [3.0, 1.6, 1.6, 1.5, 1.8],
                      hauteur_max=13.5, taille=14)  # fmt: skip
        diapo.graphique("barres", 19, y, LARGEUR_CM - 19 - MARGE_CM, 13.5, [str(p) for p in cibles.index],
                        [("Part de non programmé", cibles["part_non_programmes"].tolist())], "pourcent")  # fmt: skip
    else:
        diapo.texte(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, 3, "La grille ne compte encore aucune demande d'un "
                    "pôle ou service d'hospitalisation.", 20, 12)  # fmt: skip
    diapo.notes(
        f"Analyse des services demandeurs (feuille Services demandeurs) : {source} Créneaux "
        f"pré-attribués : au moins {s.SEUIL_CRENEAUX:g} demandes par jour ouvert, en moyenne ou un jour donné."
    )

    # 8. La démarche de contractualisation.
    diapo = deck.diapo()
    y = diapo.titre("Contractualiser avec les pôles et services demandeurs",
                    "Un contrat type imagerie – service demandeur – transport, revu chaque année")  # fmt: skip
    diapo.texte(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, 13.5, list(d.OBJECTIFS_CONTRAT), 20, 11, puces=True,
                couleur="000000")  # fmt: skip
    diapo.notes("Objectifs du contrat type (annexe contrat_imagerie_services.xlsx, recueil/dispositif.py).")

    # 9. Ce que nous demandons à la CME.
    diapo = deck.diapo()
    y = diapo.titre("Ce que nous demandons à la CME")
    diapo.texte(MARGE_CM, y, LARGEUR_CM - 2 * MARGE_CM, 13.5, list(DEMANDES_CME), 22, 12, puces=True,
                couleur="000000")  # fmt: skip
    prochain = next((j for j in calendrier.jalons if e.derniere_date and j.date > e.derniere_date), None)
    if prochain:
        diapo.notes(
            f"Prochain jalon du coaching : {prochain.code} le {prochain.date:%d/%m/%Y} ({prochain.libelle})."
        )
    return deck


def chemin_cme(grille: Path) -> Path:
    """« grille_recueil_cme.pptx », à côté de la grille."""
    return Path(grille).with_name(f"{Path(grille).stem}_cme.pptx")


def ecrire_cme(
    grille: Path, sortie: Path | None = None, *, equipe: Path | None = None, calendrier: Calendrier | None = None,
    ecraser: bool = False,
) -> Path:  # fmt: skip
    """``coaching-xl presentation cme`` : le diaporama de la CME de ``grille`` (la grille n'est
    pas modifiée), avec les noms de l'annexe ``equipe`` si elle est donnée. La sortie est
    vérifiée avant toute lecture ; une erreur n'écrit rien."""
    from moteur.equipe import lire_equipe
    from moteur.resultat import analyser, essentiel
    from rapports.diaporama import verifier_sortie

    cible = Path(sortie) if sortie else chemin_cme(grille)
    verifier_sortie(cible, ecraser)
    membres = lire_equipe(equipe) if equipe else None
    resultat = analyser(grille, calendrier=calendrier)
    return construire_cme(essentiel(resultat), resultat.calendrier, membres, equipe).ecrire(cible, ecraser)
