"""Écrire un fichier sans jamais laisser d'état intermédiaire : ou l'ancien, ou le nouveau."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coaching_xl.erreurs import ErreurEcriture


@contextmanager
def ecriture_atomique(cible: Path) -> Iterator[Path]:
    """Donne un fichier temporaire du dossier de ``cible`` ; à la sortie sans erreur, il prend la
    place de ``cible`` d'un seul renommage (même disque, donc atomique), avec les droits de
    l'ancien fichier, ou ceux d'un fichier neuf. Sur erreur, le temporaire disparaît et
    ``cible`` est intact ; une OSError devient une ErreurEcriture qui dit pourquoi."""
    cible = Path(cible)
    try:
        cible.parent.mkdir(parents=True, exist_ok=True)
        descripteur, nom = tempfile.mkstemp(prefix=f".{cible.name}.", suffix=".tmp", dir=cible.parent)
    except OSError as e:
        raise ErreurEcriture(message_ecriture(cible, e)) from None
    os.close(descripteur)
    temporaire = Path(nom)
    try:
        yield temporaire
        os.chmod(temporaire, mode_du_fichier(cible))
        os.replace(temporaire, cible)
    except OSError as e:
        raise ErreurEcriture(message_ecriture(cible, e)) from None
    finally:
        temporaire.unlink(missing_ok=True)


def mode_du_fichier(chemin: Path) -> int:
    """Les droits du fichier remplacé, sinon ceux d'un nouveau fichier (umask) : mkstemp crée
    en 0600, ce qui rendrait le classeur illisible aux collègues d'un dossier partagé."""
    try:
        return chemin.stat().st_mode & 0o777
    except FileNotFoundError:
        masque = os.umask(0)
        os.umask(masque)
        return 0o666 & ~masque


def message_ecriture(chemin: Path, e: OSError) -> str:
    """Pourquoi ``chemin`` n'a pas pu être écrit, et quoi faire."""
    if e.errno == errno.ENOSPC:
        cause = "le disque est plein : libérez de la place puis relancez"
    elif isinstance(e, PermissionError):
        cause = (
            "accès refusé : le fichier est peut-être ouvert dans un tableur, en lecture seule, "
            "ou le dossier protégé en écriture"
        )
    else:
        cause = e.strerror or str(e)
    return f"Impossible d'écrire {chemin} : {cause}."
