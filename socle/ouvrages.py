"""Les classeurs que coaching-xl écrit — la grille, ses annexes, les résultats à part d'une grille
.ods ou .xls, la consolidation régionale — et comment les reconnaître : leurs propriétés
(docProps/core.xml d'un .xlsx, meta.xml d'un .ods) portent l'auteur « coaching-xl » et un titre
qui dit ce qu'ils sont. Un tableur qui enregistre le classeur garde ces propriétés (vérifié
avec LibreOffice : tests/test_cycle_utilisateur.py).

Une seule définition, lue par la génération (qui inscrit ces titres), par l'écriture (qui ne
remplace sans --ecraser que ce qu'elle a écrit) et par la consolidation (qui ne prend ni les
annexes ni les classeurs de résultats pour des grilles).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree

PRODUCTEUR = "coaching-xl"
SUFFIXE = " — Coaching Imagerie"
TITRE_GRILLE = f"Grille de recueil{SUFFIXE}"
TITRES_ANNEXES = {
    "convention": f"Convention établissement / ARS{SUFFIXE}",
    "equipe": f"Équipe projet{SUFFIXE}",
    "contrat": f"Contrat imagerie – pôles/services demandeurs{SUFFIXE}",
    "feuille_de_route": f"Feuille de route{SUFFIXE}",
}
TITRE_RESULTATS = "Résultats coaching-xl — {source}"
"""Le titre du classeur de résultats à part ; ``source`` est le nom de la grille."""
MODELE_RESULTATS = "coaching-xl/resultats"
"""Le modèle inscrit dans la feuille Métadonnées (masquée) du classeur de résultats à part :
la relecture le reconnaît et renvoie vers la grille."""
TITRE_CONSOLIDATION = "Consolidation régionale — jalon {jalon} ({date:%d/%m/%Y})"
SIGNATURE = "Feuille recalculée à chaque « coaching-xl compute »"
"""Le début de la note (ligne 3) de chaque feuille de résultats : c'est à lui, et non à une
marque que n'importe qui peut poser, qu'un nouveau calcul reconnaît la feuille à remplacer."""
MARQUE = "_coachingxl_"
"""Le préfixe du nom défini, local à une feuille de résultats, qui dit son rôle
(« _coachingxl_anomalies ») : la greffe le pose, la relecture et la greffe suivante le lisent."""
RESULTATS_A_PART = "{stem}_resultats.xlsx"
"""Le classeur de résultats voisin d'une grille .ods ou .xls."""


def est_feuille_de_resultats(lignes: list[list[object]]) -> bool:
    """Vrai si les premières lignes d'une feuille (ses cellules, en texte) portent la note des
    feuilles de résultats."""
    return any(
        isinstance(cellule, str) and cellule.startswith(SIGNATURE)
        for ligne in lignes[:6]
        for cellule in ligne[:2]
    )


_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_TAILLE_MAX = 1 << 20
"""Des propriétés de plus d'un Mo ne sont pas les nôtres : on ne les lit pas."""


def proprietes(chemin: Path) -> tuple[str, str] | None:
    """(auteur, titre) d'un classeur .xlsx ou .ods, ou None s'il n'en a pas (ou illisible)."""
    try:
        with zipfile.ZipFile(chemin) as paquet:
            noms = set(paquet.namelist())
            partie = next((n for n in ("docProps/core.xml", "meta.xml") if n in noms), None)
            if partie is None or paquet.getinfo(partie).file_size > _TAILLE_MAX:
                return None
            racine = ElementTree.fromstring(paquet.read(partie))
    except Exception:  # fichier absent, pas un zip, XML hostile ou mal formé : pas des nôtres
        return None
    auteur = racine.findtext(f".//{_DC}creator") or racine.findtext(f".//{_META}initial-creator") or ""
    return auteur.strip(), (racine.findtext(f".//{_DC}title") or "").strip()


def titre(chemin: Path) -> str | None:
    """Le titre d'un classeur écrit par coaching-xl, ou None (un autre classeur, ou illisible)."""
    lues = proprietes(chemin)
    if lues is None or not (lues[0] == PRODUCTEUR or lues[0].startswith(f"{PRODUCTEUR} ")):
        return None
    return lues[1]


def resultats_de(chemin: Path) -> str | None:
    """Le nom de la grille dont ``chemin`` est le classeur de résultats à part, ou None."""
    return _source_des_resultats(titre(chemin))


def est_consolidation(chemin: Path) -> bool:
    """Vrai si ``chemin`` est un classeur de consolidation écrit par coaching-xl."""
    return _consolidation(titre(chemin))


def pas_une_grille(chemin: Path) -> bool:
    """Vrai pour un classeur de coaching-xl qui n'est pas une grille : une annexe générée
    (convention, équipe projet, contrat, feuille de route), remplie ou non, des résultats à
    part, une consolidation."""
    texte = titre(chemin)
    annexe = texte in TITRES_ANNEXES.values()
    return annexe or _source_des_resultats(texte) is not None or _consolidation(texte)


def _source_des_resultats(texte: str | None) -> str | None:
    debut = TITRE_RESULTATS.format(source="")
    return texte[len(debut) :] if texte and texte.startswith(debut) else None


def _consolidation(texte: str | None) -> bool:
    return bool(texte) and texte.startswith(TITRE_CONSOLIDATION.split("{", 1)[0])
