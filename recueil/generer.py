"""``coaching-xl generate`` : la grille de recueil et les quatre annexes, dans un dossier."""

from __future__ import annotations

from pathlib import Path

from recueil.annexes import ANNEXES
from recueil.classeur import enregistrer, verifier_cible
from recueil.grille import NOM_FICHIER, OptionsGrille, construire_grille


def generer(
    dossier: Path, options: OptionsGrille, *, annexes: bool = True, ecraser: bool = False
) -> list[Path]:
    """Écrit la grille (et, sauf ``annexes=False``, les annexes) dans ``dossier`` ; rend les
    chemins écrits, la grille en premier.

    Rien n'est écrit si l'un des fichiers existe déjà et que ``ecraser`` est faux
    (FichierExistant) ; chaque fichier est écrit d'un bloc (ErreurEcriture sinon)."""
    fabriques = {NOM_FICHIER: construire_grille}
    if annexes:
        fabriques |= ANNEXES
    chemins = {nom: Path(dossier) / nom for nom in fabriques}
    for chemin in chemins.values():
        verifier_cible(chemin, ecraser)
    return [enregistrer(fabrique(options), chemins[nom]) for nom, fabrique in fabriques.items()]
