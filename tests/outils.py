"""Petits outils des tests : lire les parties d'un paquet xlsx, comparer deux paquets."""

from __future__ import annotations

import zipfile
from pathlib import Path

PARTIES_VARIABLES = {"docProps/core.xml"}
"""Ce qui change d'une génération à l'autre (dates de création) et ne compte pas."""


def parties(chemin: Path) -> dict[str, bytes]:
    """Le contenu décompressé de chaque partie du paquet."""
    with zipfile.ZipFile(chemin) as paquet:
        return {nom: paquet.read(nom) for nom in paquet.namelist()}


def differences(a: Path, b: Path, ignorer: set[str] = PARTIES_VARIABLES) -> list[str]:
    """Les parties qui diffèrent entre deux paquets (absentes d'un côté, ou contenu différent),
    sans celles à ignorer ; liste vide = mêmes classeurs."""
    pa, pb = parties(a), parties(b)
    noms = (set(pa) | set(pb)) - ignorer
    return sorted(n for n in noms if pa.get(n) != pb.get(n))
