"""Les références de tableur vers une feuille (« 'Tableau de bord'!$A$1 ») : une seule façon de
citer un nom de feuille, partout — formules, noms définis, séries des graphiques, liens,
marques. Rien d'autre que la bibliothèque standard : le moteur s'en sert sans tableur."""

from __future__ import annotations


def reference_feuille(nom: str) -> str:
    """Le nom d'une feuille dans une référence : tel quel s'il n'est fait que de lettres et de
    chiffres ASCII et de « _ » (et ne commence pas par un chiffre), sinon entre apostrophes, les
    apostrophes du nom doublées (« 'Mode d''emploi' », « 'Paramètres' »)."""
    if nom.isascii() and nom.replace("_", "").isalnum() and not nom[0].isdigit():
        return nom
    return "'" + nom.replace("'", "''") + "'"


def plage(feuille: str, lettre: str, premiere: int, derniere: int | None = None) -> str:
    """« 'Recueil'!$B$5:$B$50004 » (une cellule si ``derniere`` manque : « Calculs!$H$1 »)."""
    fin = f":${lettre}${derniere}" if derniere is not None else ""
    return f"{reference_feuille(feuille)}!${lettre}${premiere}{fin}"
