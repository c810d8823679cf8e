"""``coaching-xl generate`` : la grille de recueil et les quatre annexes, dans un dossier."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from recueil.annexes import ANNEXES
from recueil.classeur import sauver, verifier_cible
from recueil.grille import NOM_FICHIER, OptionsGrille, construire_grille
from socle.erreurs import ErreurUsage
from socle.fichiers import ecriture_atomique


def generer(
    dossier: Path, options: OptionsGrille, *, annexes: bool = True, ecraser: bool = False
) -> list[Path]:
    """Écrit la grille (et, sauf ``annexes=False``, les annexes) dans ``dossier`` ; rend les
    chemins écrits, la grille en premier.

    Rien n'est écrit si l'un des fichiers existe déjà et que ``ecraser`` est faux
    (FichierExistant) ; une écriture qui échoue n'en laisse aucun (ErreurEcriture)."""
    if Path(dossier).exists() and not Path(dossier).is_dir():
        raise ErreurUsage(f"-o {dossier} est un fichier : indiquez le dossier où écrire la grille.")
    fabriques = {NOM_FICHIER: construire_grille}
    if annexes:
        fabriques |= ANNEXES
    chemins = {nom: Path(dossier) / nom for nom in fabriques}
    for chemin in chemins.values():
        verifier_cible(chemin, ecraser)
    # Tous les fichiers s'écrivent d'abord à côté ; ils ne prennent leur place qu'une fois tous
    # écrits : une panne n'en laisse aucun (ni le dossier créé pour eux).
    with ExitStack() as pile:
        temporaires = {nom: pile.enter_context(ecriture_atomique(chemin)) for nom, chemin in chemins.items()}
        for nom, fabrique in fabriques.items():
            sauver(fabrique(options), temporaires[nom])
    return list(chemins.values())
