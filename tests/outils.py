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


def forme_xml(contenu: bytes) -> tuple:
    """Ce que dit une partie XML, indépendamment de la façon de l'écrire : éléments et attributs
    par espace de noms (et non par préfixe, ni selon l'élément où l'espace est déclaré — ce
    qu'openpyxl fait différemment selon que lxml est installé ou non), textes, ordre."""
    from lxml import etree

    def cle(element) -> tuple:
        if not isinstance(element.tag, str):
            return ("#", element.text or "")
        texte = element.text if element.text and element.text.strip() else ""
        return (element.tag, tuple(sorted(element.attrib.items())), texte, tuple(cle(e) for e in element))

    return cle(etree.fromstring(contenu))


def differences(a: Path, b: Path, ignorer: set[str] = PARTIES_VARIABLES) -> list[str]:
    """Les parties qui diffèrent entre deux paquets (absentes d'un côté, ou contenu différent —
    pour une partie XML, ce qu'elle dit, voir ``forme_xml``), sans celles à ignorer ; liste vide
    = mêmes classeurs."""
    pa, pb = parties(a), parties(b)
    noms = (set(pa) | set(pb)) - ignorer

    def differe(nom: str) -> bool:
        if nom not in pa or nom not in pb:
            return True
        if nom.endswith((".xml", ".rels")):
            return forme_xml(pa[nom]) != forme_xml(pb[nom])
        return pa[nom] != pb[nom]

    return sorted(n for n in noms if differe(n))


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
    import shutil
    import tempfile
    from datetime import date

    from moteur.paquet import inspecter
    from rapports.greffe import Greffon, greffer, lire_index
    from rapports.xlsx import Classeur, styles_xml
    from recueil import schema as s

    greffon = Classeur()
    recueil = greffon.feuille(feuille)
    recueil.ligne(s.LIGNE_ENTETE, list(s.ENTETES))
    for i, ligne in enumerate(lignes, start=s.PREMIERE_LIGNE):
        for j, valeur in enumerate(ligne, start=1):
            if valeur is not None:
                recueil.ecrire(i, j, valeur, "date" if isinstance(valeur, date) else "normal")
    paquet = inspecter(classeur)
    with tempfile.TemporaryDirectory() as dossier:
        sortie = Path(dossier) / classeur.name
        greffer(paquet, lire_index(paquet), sortie, Greffon({feuille: "grille_de_test"}, styles_xml().encode(),
                                                             greffon.octets))  # fmt: skip
        shutil.copyfile(sortie, classeur)


def proches(a, b, tol: float = 1e-9) -> bool:
    """Deux documents JSON égaux, leurs nombres à ``tol`` près."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(proches(a[k], b[k], tol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(proches(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) <= tol * max(1.0, abs(a), abs(b))
    return a == b
