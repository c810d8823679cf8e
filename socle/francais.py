"""Les nombres écrits à la française, pour les messages, les classeurs et la fiche PDF."""

from __future__ import annotations

import math
import re

ESPACE_FINE = "\u202f"


def entier(n: int) -> str:
    """50 000 (espace fine insécable entre les milliers)."""
    return f"{n:,}".replace(",", ESPACE_FINE)


def decimal(x: float, chiffres: int = 1) -> str:
    """2,5 (virgule décimale, milliers séparés par une espace fine)."""
    return f"{x:,.{chiffres}f}".replace(",", ESPACE_FINE).replace(".", ",")


VIDE = "—"
"""Une valeur indéfinie (taux sans dénominateur), dans un tableau."""


def valeur(x: object, format_: str) -> str:
    """Un nombre à la française pour un tableau : « 7,4 % », « 12,3 », « 1 234 » ; « — » s'il
    est indéfini (None, NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return VIDE
    if format_ == "pourcent":
        return pourcent(float(x))
    if format_ == "entier":
        return entier(int(x))
    return decimal(float(x))


def pluriel(n: int, singulier: str, pluriel: str | None = None) -> str:
    """« 0 erreur », « 1 erreur », « 2 erreurs » (en français, 0 et 1 sont au singulier) ; le
    nombre écrit comme ``entier``. ``pluriel`` : la forme du pluriel, si elle n'est pas
    ``singulier`` + « s » (« lignes lues », « établissements consolidés »)."""
    return f"{entier(n)} {singulier if abs(n) < 2 else (pluriel or singulier + 's')}"


def signe(x: float, chiffres: int = 1) -> str:
    """« +1,5 », « −0,4 » (le signe moins typographique), « 0,0 »."""
    return ("+" if x > 0 else "−" if x < 0 else "") + decimal(abs(x), chiffres)


def pourcent(x: float, chiffres: int = 1) -> str:
    """7,4 % à partir de la fraction 0,074 (espace fine insécable avant %)."""
    return f"{decimal(100 * x, chiffres)}{ESPACE_FINE}%"


def objectif(cible: float, format_: str, plus_haut_mieux: bool) -> str:
    """« ≤ 14 j », « ≥ 80 % », « ≤ 2,5 j » : une cible et son sens (``format_`` : « pourcent »
    ou « jours »)."""
    sens = "≥" if plus_haut_mieux else "≤"
    if format_ == "pourcent":
        return f"{sens} {pourcent(cible, 0 if float(100 * cible).is_integer() else 1)}"
    return f"{sens} {decimal(cible, 0 if float(cible).is_integer() else 1)} j"


_CONTROLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def affichable(texte: str) -> str:
    """``texte`` sans caractère de contrôle (hors tabulation et saut de ligne), chacun remplacé
    par « \ufffd » : une cellule ne doit pas pouvoir piloter le terminal où on la cite
    (séquences d'échappement) ni casser une ligne de rapport."""
    return _CONTROLE.sub("\ufffd", texte)
