"""La palette de coaching-xl : les couleurs (RVB hexadécimal, sans « # ») de tous nos classeurs
— grille, tableau de bord, résultats, consolidation, annexes —, de leurs graphiques et des
fiches PDF (``en_html`` pour matplotlib). Une seule définition."""

from __future__ import annotations

BLEU = "1F4E79"
"""Titres, en-têtes de tableaux."""
BLEU_CLAIR = "DDEBF7"
GRIS = "595959"
"""Notes, textes secondaires."""
TRAIT = "A6A6A6"
"""Bordures fines, axes."""
BLANC = "FFFFFF"
JAUNE_SAISIE = "FFF9E5"
"""Les cellules à remplir."""
LIEN = "0563C1"
ROUGE_TEXTE, ROUGE_FOND = "9C0006", "FFC7CE"
"""Une erreur, un objectif manqué (les couleurs « mauvais » d'Excel)."""
ORANGE_TEXTE, ORANGE_FOND = "9C5700", "FFEB9C"
"""Un avertissement."""
VERT_TEXTE, VERT_FOND = "006100", "C6EFCE"
"""Un objectif atteint."""
COLONNES = "2E75B6"
"""Les barres des graphiques."""
ACCENT = "C55A11"
"""Les courbes et les repères (jalons, objectifs)."""
SERIES = (
    "2E75B6", "70AD47", "FFC000", "7030A0", "00B0F0", "A5A5A5", "9E480E", "264478",
    "636363", "43682B", "997300", "B4C7E7", "E91E63", "00897B", "8D6E63",
)  # fmt: skip
"""Une couleur par série (établissement) dans les courbes."""


def en_html(couleur: str) -> str:
    """« #2E75B6 », pour matplotlib."""
    return f"#{couleur}"
