"""L'équipe projet relue dans son annexe (``equipe_projet.xlsx``, écrite par ``generate`` et
remplie par l'établissement) : qui tient chaque rôle — pour la présentation à la CME."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moteur.lecture import lignes_de, ouvrir, texte_de_cellule
from recueil import schema as s
from socle.erreurs import ErreurParametre
from socle.ouvrages import TITRES_ANNEXES, titre

FEUILLE = "Équipe projet"


@dataclass(frozen=True)
class Membre:
    instance: str
    role: str
    nom: str
    fonction: str


def lire_equipe(chemin: Path) -> list[Membre]:
    """Les membres nommés de l'équipe projet, dans l'ordre de l'annexe. Lève GrilleIllisible
    (fichier abîmé) ou ErreurParametre (pas l'annexe équipe projet)."""
    chemin = Path(chemin)
    classeur = ouvrir(chemin, "l'équipe projet", "equipe_projet.xlsx")
    lignes = lignes_de(classeur, FEUILLE)
    if lignes is None or (titre(chemin) not in (None, TITRES_ANNEXES["equipe"])):
        raise ErreurParametre(
            f"{chemin} n'est pas l'annexe « équipe projet » (feuille « {FEUILLE} » introuvable) : donnez le "
            "fichier equipe_projet.xlsx écrit par coaching-xl generate."
        )
    colonnes: dict[str, int] = {}
    membres, instance = [], ""
    for ligne in lignes:
        cellules = [texte_de_cellule(v) for v in ligne]
        if not colonnes:
            formes = {s.normaliser(c): j for j, c in enumerate(cellules)}
            if {"role", "nom"} <= set(formes):
                colonnes = formes
            continue

        lu = {cle: cellules[j] if j < len(cellules) else "" for cle, j in colonnes.items()}
        instance = lu.get("instance") or instance
        if lu.get("role") and lu.get("nom"):
            membres.append(Membre(instance, lu["role"], lu["nom"], lu.get("fonction", "")))
    return membres
