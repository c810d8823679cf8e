"""``coaching-xl generate`` : la grille de recueil et les quatre annexes, dans un dossier ; avec
``--attendus``, celles de chaque établissement de la campagne, chacun dans son dossier."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from recueil import schema as s
from recueil.annexes import ANNEXES
from recueil.attendus import Attendu, lire_attendus, verifier_attendus
from recueil.classeur import sauver, verifier_cible
from recueil.grille import NOM_FICHIER, Identite, OptionsGrille, construire_grille
from socle.erreurs import ErreurUsage
from socle.fichiers import ecrire_csv, ecriture_atomique

INDEX_CAMPAGNE = "index_campagne.csv"
"""La liste de ce que ``generate --attendus`` a écrit, à la racine du dossier de la campagne."""


def _fabriques(annexes: bool) -> dict[str, Callable[[OptionsGrille], object]]:
    fabriques: dict[str, Callable[[OptionsGrille], object]] = {NOM_FICHIER: construire_grille}
    return fabriques | (ANNEXES if annexes else {})


def _verifier_dossier(dossier: Path) -> None:
    if Path(dossier).exists() and not Path(dossier).is_dir():
        raise ErreurUsage(f"-o {dossier} est un fichier : indiquez le dossier où écrire la grille.")


def _ecrire_tout(travaux: list[tuple[Path, Callable[[OptionsGrille], object], OptionsGrille]],
                 ecraser: bool, apres: Callable[[Path], None] | None = None,
                 autres: dict[Path, Callable[[Path], None]] | None = None) -> None:  # fmt: skip
    """Écrit chaque classeur (chemin, fabrique, options) et chaque ``autres`` fichier (chemin →
    écriture dans le temporaire) : tout s'écrit d'abord à côté, et ne prend sa place qu'une
    fois tout écrit — une panne n'en laisse aucun (ni les dossiers créés pour eux)."""
    autres = autres or {}
    for chemin in [*(t[0] for t in travaux), *autres]:
        verifier_cible(chemin, ecraser)
    with ExitStack() as pile:
        for chemin, fabrique, options in travaux:
            sauver(fabrique(options), pile.enter_context(ecriture_atomique(chemin)))
            if apres is not None:
                apres(chemin)
        for chemin, ecrire in autres.items():
            ecrire(pile.enter_context(ecriture_atomique(chemin)))


def generer(
    dossier: Path, options: OptionsGrille, *, annexes: bool = True, ecraser: bool = False
) -> list[Path]:
    """Écrit la grille (et, sauf ``annexes=False``, les annexes) dans ``dossier`` ; rend les
    chemins écrits, la grille en premier.

    Rien n'est écrit si l'un des fichiers existe déjà et que ``ecraser`` est faux
    (FichierExistant) ; une écriture qui échoue n'en laisse aucun (ErreurEcriture)."""
    _verifier_dossier(dossier)
    travaux = [(Path(dossier) / nom, fabrique, options) for nom, fabrique in _fabriques(annexes).items()]
    _ecrire_tout(travaux, ecraser)
    return [chemin for chemin, _, _ in travaux]


@dataclass(frozen=True)
class Envoi:
    """Ce que la campagne a préparé pour un établissement : son dossier et ses fichiers."""

    attendu: Attendu
    dossier: Path
    fichiers: list[Path]


def identite(attendu: Attendu) -> Identite:
    """L'identité de la feuille Paramètres d'un établissement attendu (FINESS vérifié)."""
    return Identite(etablissement=attendu.etablissement, finess=attendu.finess or "", dt=attendu.dt or "",
                    referent_dt=attendu.referent_dt or "")  # fmt: skip


def dossiers_des_attendus(attendus: list[Attendu]) -> list[str]:
    """Le nom du dossier de chaque établissement (« centre_hospitalier_de_valbrune ») ; deux
    noms qui se confondent reçoivent leur FINESS (ou leur ligne) en plus."""
    noms = [s.nom_de_fichier(a.etablissement) for a in attendus]
    doublons = {n for n in noms if noms.count(n) > 1}
    return [f"{n}_{a.finess or a.ligne}" if n in doublons else n for n, a in zip(noms, attendus, strict=True)]


def generer_campagne(
    dossier: Path,
    fichier_attendus: Path,
    options: OptionsGrille,
    *,
    annexes: bool = True,
    ecraser: bool = False,
    progression: Callable[[Path], None] | None = None,
) -> list[Envoi]:
    """``generate --attendus`` : pour chaque établissement du CSV, un dossier à son nom avec sa
    grille pré-remplie (nom, FINESS, DT, référent DT) et ses annexes, et ``index_campagne.csv``
    à la racine. Chaque ligne du CSV est vérifiée avant d'écrire quoi que ce soit
    (ErreurParametre, avec la ligne) ; rien n'est écrit si un fichier existe sans ``ecraser``,
    et une panne n'en laisse aucun. ``progression`` est appelée après chaque classeur écrit."""
    _verifier_dossier(dossier)
    attendus = lire_attendus(fichier_attendus)
    verifier_attendus(attendus, fichier_attendus, identite)
    envois, travaux = [], []
    for attendu, nom in zip(attendus, dossiers_des_attendus(attendus), strict=True):
        propres = dataclasses.replace(options, identite=identite(attendu))
        sous_dossier = Path(dossier) / nom
        fichiers = [sous_dossier / fichier for fichier in _fabriques(annexes)]
        travaux += [(chemin, fabrique, propres) for chemin, fabrique in
                    zip(fichiers, _fabriques(annexes).values(), strict=True)]  # fmt: skip
        envois.append(Envoi(attendu, sous_dossier, fichiers))
    index = Path(dossier) / INDEX_CAMPAGNE

    def ecrire_index(temporaire: Path) -> None:
        ecrire_csv(temporaire, ["etablissement", "finess", "dt", "referent_dt", "dossier", "fichiers"], (
            (e.attendu.etablissement, e.attendu.finess, e.attendu.dt, e.attendu.referent_dt, e.dossier.name,
             ", ".join(f.name for f in e.fichiers)) for e in envois
        ))  # fmt: skip

    _ecrire_tout(travaux, ecraser, progression, {index: ecrire_index})
    return envois
