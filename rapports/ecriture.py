"""Écrire les résultats dans le classeur de l'utilisateur, sans jamais l'abîmer.

Le fichier n'est remplacé qu'une fois le nouveau écrit à côté, puis relu et vérifié (chaque
partie d'origine identique) ; au moindre échec, l'original reste intact et aucun fichier
temporaire ne demeure. Un classeur .xls ou .ods ne peut pas porter de graphiques : ses données
les résultats vont dans un classeur à part, à côté (la grille n'est pas touchée).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from moteur.contrat import Suivi
from moteur.lecture import Grille, debut_de_feuille
from moteur.paquet import inspecter
from moteur.resultat import Resultat
from rapports import feuilles
from rapports.greffage import greffer_feuilles, verifier_cible
from socle.erreurs import ErreurEcriture, ErreurUsage, FichierExistant, GrilleIllisible
from socle.fichiers import ecrire_csv, ecriture_atomique, fichier_reel, message_ecriture, verrou
from socle.ouvrages import RESULTATS_A_PART, est_feuille_de_resultats, resultats_de

FORMATS_GREFFABLES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Ecriture:
    """Ce que ``ecrire_resultats`` a écrit."""

    source: Path
    """La grille analysée."""
    classeur: Path
    feuilles: dict[str, str]
    """Rôle → nom de la feuille de résultats."""
    a_part: bool
    """Vrai si les résultats sont allés dans un classeur à part (grille .ods ou .xls)."""
    csv_anomalies: Path | None
    resultat: Resultat


def cible_des_resultats(source: Path, sortie: Path | None = None) -> Path:
    """Le classeur où ``ecrire_resultats`` écrira : ``sortie``, la grille elle-même, ou le .xlsx
    voisin d'une grille .xls ou .ods ; à travers un lien symbolique, le fichier qu'il désigne."""
    if sortie:
        return fichier_reel(Path(sortie))
    source = Path(source)
    if source.suffix.lower() in FORMATS_GREFFABLES:
        return fichier_reel(source)
    return source.with_name(RESULTATS_A_PART.format(stem=source.stem))


def verifier_sortie(source: Path, sortie: Path | None, ecraser: bool = False) -> None:
    """Avant toute lecture : ``--sortie`` désigne un classeur .xlsx ou .xlsm qui n'existe pas
    encore (ou ``ecraser``), ou la grille elle-même. Lève ErreurUsage ou FichierExistant."""
    if sortie is None:
        return
    sortie = Path(sortie)
    try:
        existe = os.stat(sortie)
    except FileNotFoundError:
        existe = None
    except OSError as e:
        raise ErreurEcriture(message_ecriture(sortie, e)) from None
    if existe is not None and stat.S_ISDIR(existe.st_mode):
        raise ErreurUsage(
            f"--sortie {sortie} est un dossier : donnez le nom du classeur à écrire, par exemple "
            f"--sortie {sortie / 'bilan.xlsx'}."
        )
    a_part = Path(source).suffix.lower() not in FORMATS_GREFFABLES
    if a_part and sortie.suffix.lower() == ".xlsm":
        raise ErreurUsage(
            f"--sortie {sortie} : les résultats de {Path(source).name} s'écrivent dans un classeur .xlsx, "
            f"par exemple --sortie {sortie.with_suffix('.xlsx').name}."
        )
    if sortie.suffix.lower() not in FORMATS_GREFFABLES:
        raise ErreurUsage(
            f"--sortie {sortie} : les résultats s'écrivent dans un classeur .xlsx (.xlsm pour une grille à "
            f"macros), avec leurs graphiques ; par exemple --sortie {sortie.with_suffix('.xlsx').name}."
        )
    if a_part and existe is not None and not ecraser and resultats_de(sortie) != Path(source).name:
        raise FichierExistant(
            f"{sortie} existe déjà et n'est pas le classeur des résultats de {Path(source).name} : "
            "coaching-xl ne le remplace pas. Choisissez un autre nom, ou ajoutez --ecraser."
        )
    if not a_part and existe is not None and not ecraser and not _meme_fichier(source, sortie):
        raise FichierExistant(
            f"{sortie} existe déjà et contient peut-être des saisies : choisissez un autre nom, ou ajoutez "
            "--ecraser pour le remplacer."
        )


def _meme_fichier(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def reserver(source: Path, sortie: Path | None = None) -> Iterator[None]:
    """Réserve le classeur que le calcul écrira, de la lecture de la grille à l'écriture des
    résultats : un second coaching-xl sur le même fichier attend, puis relit la grille à jour.
    Une grille absente n'est rien réservé : la lecture dira pourquoi ; une sortie dans un dossier
    qui n'existe pas encore est réservée au moment de l'écrire."""
    cible = cible_des_resultats(source, sortie)
    if not Path(source).is_file() or not cible.parent.is_dir():
        yield
        return
    with verrou(cible):
        yield


def ecrire_resultats(
    resultat: Resultat, sortie: Path | None = None, suivi: Suivi | None = None, ecraser: bool = False
) -> Ecriture:
    """Ajoute (ou remplace) les feuilles Indicateurs, Services demandeurs et Anomalies — et
    Suivi des engagements avec ``suivi``, ou si un calcul précédent l'a écrite — dans le
    classeur de la grille, ou dans ``sortie`` en laissant la grille intacte (``ecraser`` : une
    sortie existante peut être remplacée).

    Les feuilles greffées le sont sur le fichier tel qu'il a été lu ; si la grille a changé sur
    le disque pendant le calcul (enregistrée depuis un tableur), rien n'est écrit. Lève
    ErreurEcriture si la cible est ouverte dans un tableur, en lecture seule, protégée ou
    impossible à écrire, ErreurUsage ou FichierExistant pour une sortie qui ne convient pas ;
    l'original est alors inchangé."""
    grille = resultat.grille
    source = grille.chemin
    cible = cible_des_resultats(source, sortie)
    if source.suffix.lower() not in FORMATS_GREFFABLES:
        return _ecrire_a_part(resultat, cible, suivi, ecraser)
    verifier_sortie(source, sortie, ecraser)
    trop = len(resultat.controle.anomalies) > feuilles.ANOMALIES_MAX
    csv_anomalies = cible.with_name(f"{cible.stem}_anomalies.csv") if trop else None

    def roles(marquees: set[str]) -> dict[str, str]:
        return feuilles.FEUILLES | (feuilles.SUIVI if suivi or "suivi" in marquees else {})

    noms = greffer_feuilles(
        grille.paquet or inspecter(source), cible, roles,
        lambda noms: feuilles.greffon(resultat, noms, csv_anomalies.name if csv_anomalies else None, suivi),
        lambda nom: _est_a_nous(grille, nom), grille.feuille, "coaching-xl compute",
        (lambda: ecrire_csv_anomalies(resultat, csv_anomalies)) if csv_anomalies else None,
    )  # fmt: skip
    return Ecriture(source, cible, noms, False, csv_anomalies, resultat)


def _est_a_nous(grille: Grille, nom: str) -> bool:
    """Vrai si la feuille ``nom`` du classeur de la grille est une feuille de résultats (sa note
    le dit), et non une feuille de l'utilisateur qui porterait une marque."""
    if grille.classeur is None:
        return False
    try:
        return est_feuille_de_resultats(debut_de_feuille(grille.classeur, nom))
    except GrilleIllisible:
        return False


def ecrire_csv_anomalies(resultat: Resultat, chemin: Path) -> None:
    """Toutes les anomalies, en CSV (point-virgule, UTF-8 avec BOM : Excel l'ouvre tel quel) ;
    une valeur saisie qui commence comme une formule y reste du texte."""
    controle = resultat.controle
    anomalies = controle.anomalies.assign(cellule=controle.cellules())
    colonnes = ["cellule", "ligne", "gravite", "code", "valeur", "message", "suivi", "commentaire"]
    ecrire_csv(chemin, colonnes, anomalies[colonnes].itertuples(index=False, name=None))


def _ecrire_a_part(resultat: Resultat, cible: Path, suivi: Suivi | None, ecraser: bool) -> Ecriture:
    """Pour un .ods ou un .xls, qui ne peut pas porter les graphiques : un classeur de résultats
    à lui, à côté (``<grille>_resultats.xlsx``), que chaque calcul de la même grille remplace ;
    la grille, elle, n'est ni copiée ni touchée. Un fichier qui n'est pas ce classeur n'est
    remplacé qu'avec ``ecraser``."""
    source = resultat.grille.chemin
    if cible.suffix.lower() != ".xlsx":
        raise ErreurUsage(
            f"--sortie {cible} : les résultats de {source.name} s'écrivent dans un classeur .xlsx, par "
            f"exemple --sortie {cible.with_suffix('.xlsx').name}."
        )
    if cible.is_dir():
        raise ErreurUsage(f"--sortie {cible} est un dossier : donnez le nom du classeur à écrire.")
    if cible.exists() and not ecraser and resultats_de(cible) != source.name:
        raise FichierExistant(
            f"{cible} existe déjà et n'est pas le classeur des résultats de {source.name} : coaching-xl ne "
            "le remplace pas. Choisissez un autre nom (--sortie AUTRE.xlsx), ou ajoutez --ecraser."
        )
    verifier_cible(cible)
    trop = len(resultat.controle.anomalies) > feuilles.ANOMALIES_MAX
    csv_anomalies = cible.with_name(f"{cible.stem}_anomalies.csv") if trop else None
    classeur = feuilles.classeur_resultats(resultat, csv_anomalies.name if csv_anomalies else None, suivi)
    contenu = classeur.octets()
    with ecriture_atomique(cible) as temporaire:
        temporaire.write_bytes(contenu)
        if csv_anomalies:
            ecrire_csv_anomalies(resultat, csv_anomalies)
    noms = {role: nom for role, nom in (feuilles.FEUILLES | (feuilles.SUIVI if suivi else {})).items()}
    return Ecriture(source, cible, noms, True, csv_anomalies, resultat)


def plus_recents_a_cote(grille: Path) -> list[Path]:
    """Les autres fichiers de la même grille (même nom, autre format : .xlsx, .xlsm, .ods,
    .xls) enregistrés après elle, à côté d'elle : c'est peut-être là que la saisie continue."""
    grille = Path(grille)
    try:
        date = grille.stat().st_mtime
    except OSError:
        return []
    voisins = []
    for suffixe in (".xlsx", ".xlsm", ".ods", ".xls"):
        autre = grille.with_suffix(suffixe)
        if suffixe != grille.suffix.lower() and autre.is_file():
            with contextlib.suppress(OSError):
                if autre.stat().st_mtime > date + 1:
                    voisins.append(autre)
    return voisins
