"""Les listes des menus déroulants : valeurs par défaut, ou fichier TOML de l'établissement.

Format du fichier (``--listes listes.toml``) ; chaque clé est facultative ::

    modalites = ["Scanner", "IRM", "Radiologie conventionnelle"]
    provenances = ["Externe", "Urgences", "Hospi - Cardiologie"]
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from recueil.schema import LIBELLE_MAX, LISTES, Liste, normaliser
from socle.erreurs import ErreurListes, ErreurOption, ErreurParametre
from socle.fichiers import lire_texte, position_toml

Listes = dict[str, tuple[str, ...]]
"""Clé de liste (« modalites ») → libellés dans l'ordre des menus déroulants."""


def listes_par_defaut() -> Listes:
    """Les listes de SPEC §2 : 5 modalités, 15 provenances."""
    return {liste.cle: liste.defaut for liste in LISTES}


def lire_listes(chemin: Path) -> Listes:
    """Lit un fichier TOML de listes et le complète par les listes par défaut.

    Lève ErreurListes, avec un message qui nomme le fichier et la liste fautive, si le
    fichier est illisible, contient une clé inconnue, une liste vide, un libellé vide,
    trop long ou en double, ou plus de libellés que la grille n'a d'emplacements.
    """
    try:
        texte = lire_texte(chemin, "le fichier de listes, listes.toml")
    except ErreurOption:
        raise
    except ErreurParametre as e:
        raise ErreurListes(str(e)) from None
    try:
        contenu = tomllib.loads(texte)
    except tomllib.TOMLDecodeError as e:
        raise ErreurListes(
            f"Le fichier de listes {chemin} n'est pas un TOML valide ({position_toml(e)}). "
            'Exemple attendu : modalites = ["Scanner", "IRM"]'
        ) from None

    connues = {normaliser(liste.cle): liste for liste in LISTES}
    listes = listes_par_defaut()
    for cle, valeurs in contenu.items():
        liste = connues.get(normaliser(cle))
        if liste is None:
            attendues = ", ".join(liste.cle for liste in LISTES)
            raise ErreurListes(f"{chemin} : clé « {cle} » inconnue. Clés acceptées : {attendues}.")
        listes[liste.cle] = _verifier(chemin, liste, valeurs)
    return listes


def _verifier(chemin: Path, liste: Liste, valeurs: object) -> tuple[str, ...]:
    """Les libellés d'une liste, nettoyés, ou ErreurListes qui dit ce qui ne va pas."""
    if not isinstance(valeurs, list) or not all(isinstance(v, str) for v in valeurs):
        raise ErreurListes(
            f"{chemin} : « {liste.cle} » doit être une liste de textes entre guillemets, "
            f'par exemple {liste.cle} = ["{liste.defaut[0]}", "{liste.defaut[1]}"].'
        )
    libelles = tuple(" ".join(v.split()) for v in valeurs)
    if not libelles:
        raise ErreurListes(f"{chemin} : la liste « {liste.cle} » est vide.")
    if len(libelles) > liste.emplacements:
        raise ErreurListes(
            f"{chemin} : {len(libelles)} {liste.titre.lower()} pour {liste.emplacements} "
            f"emplacements dans la grille. Retirez-en {len(libelles) - liste.emplacements}."
        )
    vus: dict[str, str] = {}
    for rang, libelle in enumerate(libelles, start=1):
        if not libelle:
            raise ErreurListes(f"{chemin} : « {liste.cle} », libellé n° {rang} vide.")
        if len(libelle) > LIBELLE_MAX:
            raise ErreurListes(
                f"{chemin} : « {liste.cle} », libellé n° {rang} trop long "
                f"({len(libelle)} caractères, {LIBELLE_MAX} au plus)."
            )
        forme = normaliser(libelle)
        if forme in vus:
            raise ErreurListes(
                f"{chemin} : « {liste.cle} » contient deux fois le même libellé "
                f"(« {vus[forme]} » et « {libelle} », qui ne diffèrent que par la casse, "
                "les accents ou les espaces). Gardez-en un."
            )
        vus[forme] = libelle
    return libelles
