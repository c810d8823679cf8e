"""Écrire un fichier sans jamais laisser d'état intermédiaire : ou l'ancien, ou le nouveau ; et
un seul coaching-xl à la fois sur un même fichier."""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from socle.erreurs import ErreurEcriture, ErreurOption, ErreurParametre

ATTENTE_VERROU = 60.0
"""Secondes pendant lesquelles une écriture attend qu'un autre coaching-xl ait fini avec le même
fichier (un calcul d'un million de lignes prend moins de 10 s), avant de renoncer."""
_PAUSE = 0.1
_TENUS: set[Path] = set()
"""Verrous que ce processus tient déjà : les reprendre ne bloque pas."""


PREFIXE_TEMPORAIRE = "coaching-xl-"
"""Les fichiers temporaires s'appellent « .<cible>.coaching-xl-XXXXXXXX.tmp » : assez distinctifs
pour qu'un nettoyage ne prenne jamais le temporaire d'un autre fichier (« a[1].xlsx » et
« a1.xlsx », « a.xlsx » et « a.xlsx.b.xlsx »)."""
_ALEA = re.compile(r"[a-z0-9_]{8}")
"""La partie aléatoire d'un nom de ``tempfile.mkstemp``."""


def temporaires_de(cible: Path) -> list[Path]:
    """Les fichiers temporaires de ``cible`` présents dans son dossier (ceux qu'un processus tué
    a laissés, si aucun autre ne tient le verrou de ``cible``)."""
    debut, fin = f".{cible.name}.{PREFIXE_TEMPORAIRE}", ".tmp"
    try:
        noms = os.listdir(cible.parent)
    except OSError:
        return []
    return [
        cible.parent / nom
        for nom in noms
        if nom.startswith(debut) and nom.endswith(fin) and _ALEA.fullmatch(nom[len(debut) : -len(fin)])
    ]


def creer_dossier(dossier: Path) -> list[Path]:
    """Crée ``dossier`` et ses parents manquants ; rend ceux qui ont été créés (du plus profond au
    moins profond), pour les retirer si l'écriture échoue. Lève ErreurEcriture."""
    crees = []
    courant = Path(dossier)
    while not courant.exists() and courant != courant.parent:
        crees.append(courant)
        courant = courant.parent
    try:
        Path(dossier).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        retirer_dossiers(crees)
        raise ErreurEcriture(message_ecriture(Path(dossier), e)) from None
    return crees


def retirer_dossiers(dossiers: list[Path]) -> None:
    """Retire les dossiers créés par ``creer_dossier`` s'ils sont restés vides."""
    for dossier in dossiers:
        with contextlib.suppress(OSError):
            dossier.rmdir()


@contextmanager
def ecriture_atomique(cible: Path, avant_remplacement: Callable[[], None] | None = None) -> Iterator[Path]:
    """Donne un fichier temporaire du dossier de ``cible`` ; à la sortie sans erreur, il prend la
    place de ``cible`` d'un seul renommage (même disque, donc atomique), avec les droits de
    l'ancien fichier, ou ceux d'un fichier neuf. ``avant_remplacement`` peut encore tout annuler
    en levant une exception. Sur erreur ou interruption, le temporaire disparaît, ``cible`` est
    intact et les dossiers créés pour lui sont retirés ; une OSError devient une ErreurEcriture
    qui dit pourquoi.

    Un lien symbolique reste un lien : c'est le fichier qu'il désigne qui est remplacé.
    Pendant ce temps, ``cible`` est verrouillé (``verrou``) : un second coaching-xl qui veut
    l'écrire attend son tour ; les temporaires qu'un processus tué aurait laissés sont retirés."""
    cible = fichier_reel(Path(cible))
    crees = creer_dossier(cible.parent)
    reussi = False
    try:
        with verrou(cible):
            for perime in temporaires_de(cible):
                perime.unlink(missing_ok=True)
            try:
                descripteur, nom = tempfile.mkstemp(
                    prefix=f".{cible.name}.{PREFIXE_TEMPORAIRE}", suffix=".tmp", dir=cible.parent
                )
            except OSError as e:
                raise ErreurEcriture(message_ecriture(cible, e)) from None
            os.close(descripteur)
            temporaire = Path(nom)
            try:
                yield temporaire
                if avant_remplacement is not None:
                    avant_remplacement()
                os.chmod(temporaire, mode_du_fichier(cible))
                os.replace(temporaire, cible)
                reussi = True
            except OSError as e:
                raise ErreurEcriture(message_ecriture(cible, e)) from None
            finally:
                temporaire.unlink(missing_ok=True)
    finally:
        if not reussi:
            retirer_dossiers(crees)


def fichier_reel(chemin: Path) -> Path:
    """Le fichier que désigne ``chemin`` : lui-même, ou la cible d'un lien symbolique (qu'on
    écrit à travers le lien plutôt que de remplacer le lien par une copie)."""
    return Path(os.path.realpath(chemin)) if chemin.is_symlink() else chemin


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


def message_lecture(chemin: Path, e: OSError, document: str = "le fichier de la grille") -> str:
    """Pourquoi ``chemin`` n'a pas pu être lu, et quoi faire (``document`` : ce qu'il doit être)."""
    if isinstance(e, FileNotFoundError):
        return f"Fichier introuvable : {chemin} ({document}). Vérifiez le chemin et le nom."
    if isinstance(e, IsADirectoryError):
        return f"{chemin} est un dossier : indiquez {document}."
    if isinstance(e, PermissionError):
        return f"{chemin} : lecture refusée (droits du fichier) ; demandez l'accès ou copiez-le ailleurs."
    if e.errno == errno.ENAMETOOLONG:
        return f"{chemin} : nom de fichier trop long pour le système ; renommez le fichier ou son dossier."
    if e.errno == errno.ENOTDIR:
        return f"{chemin} : une partie du chemin est un fichier, pas un dossier ; vérifiez le chemin."
    return (
        f"{chemin} n'a pas pu être lu (erreur système {e.errno}) : vérifiez le disque, ou copiez le "
        "fichier ailleurs et relancez."
    )


def lire_texte(chemin: Path, document: str, encodage: str = "utf-8") -> str:
    """Le texte du fichier ``chemin`` (``document`` : ce qu'il doit être, pour les messages) ;
    lève ErreurOption (code 2) s'il n'existe pas ou n'est pas un fichier, ErreurParametre s'il ne
    peut pas être lu ou n'est pas du texte ; en français."""
    try:
        etat = os.stat(chemin)
    except FileNotFoundError as e:
        raise ErreurOption(message_lecture(chemin, e, document)) from None
    except OSError as e:
        raise ErreurParametre(message_lecture(chemin, e, document)) from None
    if stat.S_ISDIR(etat.st_mode):
        raise ErreurOption(f"{chemin} est un dossier : indiquez {document}.")
    if not stat.S_ISREG(etat.st_mode):
        raise ErreurOption(f"{chemin} n'est pas un fichier ordinaire : indiquez {document}.")
    try:
        return Path(chemin).read_text(encoding=encodage)
    except OSError as e:
        raise ErreurParametre(message_lecture(chemin, e, document)) from None
    except UnicodeDecodeError:
        raise ErreurParametre(
            f"{chemin} n'est pas du texte UTF-8 : enregistrez {document} en UTF-8 (dans un éditeur de "
            "texte, « Enregistrer sous », codage UTF-8), puis relancez."
        ) from None


def position_toml(e: Exception) -> str:
    """Où se trouve l'erreur d'un fichier TOML (« ligne 3, colonne 8 »), sans le message anglais
    de tomllib."""
    trouve = re.search(r"line (\d+), column (\d+)", str(e))
    return f"ligne {trouve[1]}, colonne {trouve[2]}" if trouve else "position inconnue"


def message_ecriture(chemin: Path, e: OSError) -> str:
    """Pourquoi ``chemin`` n'a pas pu être écrit, et quoi faire."""
    dossier = chemin.parent if chemin.parent != Path("") else Path(".")
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        cause = "le disque est plein (ou votre quota atteint) : libérez de la place puis relancez"
    elif e.errno == errno.EFBIG:
        cause = (
            "le fichier dépasse la taille que le système permet d'écrire ici : écrivez ailleurs (--sortie)"
        )
    elif e.errno == errno.EROFS:
        cause = "le disque est en lecture seule : écrivez ailleurs (--sortie, -o)"
    elif e.errno == errno.ENAMETOOLONG:
        cause = "le nom du fichier (ou de son dossier) est trop long pour le système : raccourcissez-le"
    elif e.errno == errno.ENOTDIR:
        cause = "une partie du chemin est un fichier, pas un dossier : vérifiez le chemin"
    elif isinstance(e, PermissionError):
        if dossier.exists() and not os.access(dossier, os.W_OK):
            cause = (
                f"le dossier {dossier} est protégé en écriture : écrivez ailleurs (--sortie AUTRE.xlsx, "
                "-o AUTRE_DOSSIER), ou demandez le droit d'y écrire"
            )
        else:
            cause = (
                "accès refusé : le fichier est peut-être ouvert dans un tableur ou en lecture seule ; "
                "fermez-le, ou écrivez ailleurs (--sortie AUTRE.xlsx, -o AUTRE_DOSSIER)"
            )
    elif isinstance(e, FileNotFoundError):
        cause = "le dossier n'existe plus ou n'est pas accessible : vérifiez le chemin"
    else:
        cause = f"erreur système {e.errno} ; vérifiez le disque, ou écrivez ailleurs (--sortie, -o)"
    return f"Impossible d'écrire {chemin} : {cause}."


_DEBUT_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
_NOMBRE_SIMPLE = re.compile(r"-?\d+(?:[.,]\d+)?")


def cellule_csv(valeur: object) -> object:
    """Une valeur à écrire dans un CSV qu'Excel ou LibreOffice ouvrira : un texte qui commence
    comme une formule (« = », « + », « - », « @ », tabulation, retour chariot) y est précédé
    d'une apostrophe, pour rester du texte (injection de formules, OWASP) ; un nombre, même
    négatif (« -3 », « -2,5 »), reste un nombre."""
    if (
        isinstance(valeur, str)
        and valeur.startswith(_DEBUT_DE_FORMULE)
        and not _NOMBRE_SIMPLE.fullmatch(valeur)
    ):
        return "'" + valeur
    return valeur


def ecrire_csv(chemin: Path, entetes: list[str], lignes) -> Path:
    """Un CSV pour les tableurs français (point-virgule, UTF-8 avec BOM : Excel l'ouvre tel
    quel), écrit d'un seul renommage ; chaque cellule passe par ``cellule_csv``."""
    with (
        ecriture_atomique(Path(chemin)) as temporaire,
        open(temporaire, "w", encoding="utf-8-sig", newline="") as f,
    ):
        ecrivain = csv.writer(f, delimiter=";")
        ecrivain.writerow([cellule_csv(e) for e in entetes])
        ecrivain.writerows([cellule_csv(v) for v in ligne] for ligne in lignes)
    return Path(chemin)
