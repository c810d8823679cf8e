"""Écrire un fichier sans jamais laisser d'état intermédiaire : ou l'ancien, ou le nouveau ; et
un seul coaching-xl à la fois sur un même fichier."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coaching_xl.erreurs import ErreurEcriture

ATTENTE_VERROU = 60.0
"""Secondes pendant lesquelles une écriture attend qu'un autre coaching-xl ait fini avec le même
fichier (un calcul d'un million de lignes prend moins de 10 s), avant de renoncer."""
_PAUSE = 0.1
_TENUS: set[Path] = set()
"""Verrous que ce processus tient déjà : les reprendre ne bloque pas."""


@contextmanager
def ecriture_atomique(cible: Path) -> Iterator[Path]:
    """Donne un fichier temporaire du dossier de ``cible`` ; à la sortie sans erreur, il prend la
    place de ``cible`` d'un seul renommage (même disque, donc atomique), avec les droits de
    l'ancien fichier, ou ceux d'un fichier neuf. Sur erreur ou interruption, le temporaire
    disparaît et ``cible`` est intact ; une OSError devient une ErreurEcriture qui dit pourquoi.

    Pendant ce temps, ``cible`` est verrouillé (``verrou``) : un second coaching-xl qui veut
    l'écrire attend son tour ; les temporaires qu'un processus tué aurait laissés sont retirés."""
    cible = Path(cible)
    try:
        cible.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ErreurEcriture(message_ecriture(cible, e)) from None
    with verrou(cible):
        for perime in cible.parent.glob(f".{cible.name}.*.tmp"):
            perime.unlink(missing_ok=True)
        try:
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


def fichier_verrou(cible: Path) -> Path:
    """Le fichier de verrou de ``cible`` : caché, à côté d'elle."""
    return cible.with_name(f".{cible.name}.coaching-xl.verrou")


@contextmanager
def verrou(cible: Path, attente: float | None = None) -> Iterator[None]:
    """Réserve ``cible`` à ce processus (verrou du système sur un fichier voisin, libéré même si
    le processus est tué) ; attend jusqu'à ``attente`` secondes qu'un autre coaching-xl la
    libère, puis lève ErreurEcriture. Le fichier de verrou disparaît ensuite. Un processus qui
    tient déjà le verrou peut le reprendre (un calcul réserve la grille, puis l'écrit)."""
    attente = ATTENTE_VERROU if attente is None else attente
    chemin = fichier_verrou(Path(cible))
    cle = chemin.absolute()
    if cle in _TENUS:
        yield
        return
    limite = time.monotonic() + attente
    while True:
        descripteur = _ouvrir_verrou(chemin, Path(cible))
        if _verrouiller(descripteur):
            if _toujours_le_meme(chemin, descripteur):
                break
            # Le verrou vient d'être libéré et son fichier retiré : on recommence sur le nouveau.
            _deverrouiller(descripteur)
        os.close(descripteur)
        if time.monotonic() >= limite:
            raise ErreurEcriture(
                f"{cible} est en cours d'écriture par un autre coaching-xl depuis plus de {attente:.0f} s : "
                f"attendez qu'il se termine, puis relancez. (S'il n'y en a aucun, supprimez {chemin.name}.)"
            )
        time.sleep(_PAUSE)
    _TENUS.add(cle)
    try:
        yield
    finally:
        _TENUS.discard(cle)
        with contextlib.suppress(OSError):  # Windows : un fichier ouvert ailleurs ne se supprime pas
            chemin.unlink(missing_ok=True)
        _deverrouiller(descripteur)
        os.close(descripteur)


def _ouvrir_verrou(chemin: Path, cible: Path) -> int:
    try:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        return os.open(chemin, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise ErreurEcriture(message_ecriture(cible, e)) from None


def _toujours_le_meme(chemin: Path, descripteur: int) -> bool:
    """Vrai si le fichier verrouillé est encore celui qui porte ce nom."""
    try:
        return os.stat(chemin).st_ino == os.fstat(descripteur).st_ino
    except FileNotFoundError:
        return False


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _verrouiller(descripteur: int) -> bool:
        try:
            msvcrt.locking(descripteur, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _deverrouiller(descripteur: int) -> None:
        os.lseek(descripteur, 0, os.SEEK_SET)
        msvcrt.locking(descripteur, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _verrouiller(descripteur: int) -> bool:
        try:
            fcntl.flock(descripteur, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _deverrouiller(descripteur: int) -> None:
        fcntl.flock(descripteur, fcntl.LOCK_UN)


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
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        cause = "le disque est plein (ou votre quota atteint) : libérez de la place puis relancez"
    elif e.errno == errno.EFBIG:
        cause = (
            "le fichier dépasse la taille que le système permet d'écrire ici : écrivez ailleurs (--sortie)"
        )
    elif e.errno == errno.EROFS:
        cause = "le disque est en lecture seule : écrivez ailleurs (--sortie, -o)"
    elif isinstance(e, PermissionError):
        cause = (
            "accès refusé : le fichier est peut-être ouvert dans un tableur, en lecture seule, "
            "ou le dossier protégé en écriture"
        )
    else:
        cause = e.strerror or str(e)
    return f"Impossible d'écrire {chemin} : {cause}."
