"""Le calcul d'une grille, d'un bout à l'autre : lire, contrôler, calculer, suivre le contrat,
écrire les résultats, et la fiche PDF si elle est demandée. Une seule définition, appelée par
la ligne de commande (``coaching-xl compute``), la démonstration et Excel en direct (bouton,
``--live``) : la ligne de commande lit ses options et imprime, la bibliothèque travaille.

Rien n'est imprimé ici : ce qu'il faut dire à l'utilisateur (avertissements, où sont les
résultats) revient dans ``Calcul``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from moteur.contrat import Contrat, Suivi, suivre
from moteur.resultat import Resultat, analyser
from rapports.ecriture import Ecriture, ecrire_resultats, plus_recents_a_cote, reserver, verifier_sortie
from recueil.calendrier import Calendrier

E = TypeVar("E")


@dataclass
class Calcul(Generic[E]):
    """Ce qu'un calcul a produit : le résultat, le suivi du contrat, ce que l'écriture en dit
    (``Ecriture`` pour un fichier, l'écriture d'Excel en direct), la fiche PDF, et les
    avertissements à montrer (une version plus récente de la grille à côté, le contrat)."""

    resultat: Resultat
    suivi: Suivi | None
    ecriture: E
    fiche: Path | None = None
    avertissements: list[str] = field(default_factory=list)


def calculer(
    source: Any,
    ecrire: Callable[[Resultat, Suivi | None], E],
    *,
    calendrier: Calendrier | None = None,
    contrat: Contrat | None = None,
    fiche_a_cote_de: Path | None = None,
) -> Calcul[E]:
    """Le calcul de ``source`` (un chemin, ou un classeur ouvert que ``analyser`` sait lire),
    ses résultats remis à ``ecrire`` ; la fiche PDF à côté de ``fiche_a_cote_de`` si donnée."""
    resultat = analyser(source, calendrier=calendrier)
    suivi = suivre(resultat, contrat) if contrat is not None else None
    ecriture = ecrire(resultat, suivi)
    calcul = Calcul(resultat, suivi, ecriture, avertissements=list(suivi.avertissements if suivi else ()))
    if fiche_a_cote_de is not None:
        calcul.fiche = ecrire_la_fiche(resultat, suivi, fiche_a_cote_de)
    return calcul


def calculer_fichier(
    grille: Path,
    *,
    sortie: Path | None = None,
    ecraser: bool = False,
    calendrier: Calendrier | None = None,
    contrat: Contrat | None = None,
    pdf: bool = False,
) -> Calcul[Ecriture]:
    """``coaching-xl compute grille.xlsx`` : la sortie vérifiée avant toute lecture, le classeur
    réservé de la lecture à l'écriture (un second coaching-xl attend), les résultats greffés dans
    la grille (ou dans ``sortie``, ou à part pour un .ods / .xls), la fiche à côté avec ``pdf``.
    Lève les erreurs de ``verifier_sortie``, ``analyser`` et ``ecrire_resultats`` ; la grille est
    alors intacte."""
    grille = Path(grille)
    verifier_sortie(grille, sortie, ecraser)
    plus_recents = [
        f"{autre.name}, à côté, a été enregistré après {grille.name} : si c'est là que la saisie "
        f"continue, c'est lui qu'il faut calculer (coaching-xl compute {autre.name})."
        for autre in plus_recents_a_cote(grille)
    ]
    with reserver(grille, sortie):
        calcul = calculer(
            grille,
            lambda resultat, suivi: ecrire_resultats(resultat, sortie, suivi, ecraser),
            calendrier=calendrier,
            contrat=contrat,
        )
    if pdf:
        calcul.fiche = ecrire_la_fiche(calcul.resultat, calcul.suivi, calcul.ecriture.classeur)
    calcul.avertissements[:0] = plus_recents
    return calcul


def ecrire_la_fiche(resultat: Resultat, suivi: Suivi | None, a_cote_de: Path) -> Path:
    """La fiche synthétique PDF, à côté de ``a_cote_de`` (« <classeur>_fiche.pdf »). matplotlib
    n'est importé qu'ici : un calcul sans fiche ne le charge pas."""
    from moteur.resultat import essentiel
    from rapports.fiche import Contexte, chemin_fiche, ecrire_fiche

    return ecrire_fiche(essentiel(resultat), chemin_fiche(a_cote_de), Contexte(resultat.calendrier), suivi)
