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


def parties_brutes(chemin: Path) -> dict[str, bytes]:
    """Les octets compressés de chaque partie, tels qu'ils sont dans le fichier."""
    import struct

    brutes = {}
    with zipfile.ZipFile(chemin) as paquet, open(chemin, "rb") as fichier:
        for info in paquet.infolist():
            fichier.seek(info.header_offset + 26)
            longueurs = struct.unpack("<HH", fichier.read(4))
            fichier.seek(info.header_offset + 30 + sum(longueurs))
            brutes[info.filename] = fichier.read(info.compress_size)
    return brutes


def ajouter_grille(classeur: Path, lignes, feuille: str = "Recueil") -> None:
    """Ajoute une feuille de grille remplie (en-têtes en ligne 4) au classeur d'un utilisateur,
    sans toucher au reste : la greffe de coaching-xl elle-même, en place."""
    import io
    import shutil
    import tempfile

    from openpyxl import Workbook

    from rapports.greffe import Greffon, greffer
    from recueil import schema as s

    wb = Workbook()
    ws = wb.active
    ws.title = feuille
    for j, entete in enumerate(s.ENTETES, start=1):
        ws.cell(s.LIGNE_ENTETE, j, entete)
    for i, ligne in enumerate(lignes, start=s.PREMIERE_LIGNE):
        for j, valeur in enumerate(ligne, start=1):
            if valeur is not None:
                cellule = ws.cell(i, j, valeur)
                if j == 1:
                    cellule.number_format = "dd/mm/yyyy"
    tampon = io.BytesIO()
    wb.save(tampon)
    with tempfile.TemporaryDirectory() as dossier:
        sortie = Path(dossier) / classeur.name
        greffer(classeur, sortie, Greffon.depuis_paquet(tampon.getvalue(), {feuille: "grille_de_test"}))
        shutil.copyfile(sortie, classeur)
