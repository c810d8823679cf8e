"""La base régionale écrite à côté de la consolidation (``consolidate --base``) :
``base_J3.parquet`` (pyarrow, pour un outil décisionnel, pandas ou R) et ``base_J3.xlsx``, un
tableau Excel avec ses filtres, les dates en dates — tant qu'elle tient dans une feuille Excel.
Au-delà de 1 048 575 lignes, seul le fichier Parquet s'écrit, et le message le dit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.utils import get_column_letter

from moteur.base import COLONNES_BASE, LIGNES_EXCEL
from rapports.xlsx import Classeur
from socle.erreurs import ErreurEcriture
from socle.fichiers import ecriture_atomique
from socle.francais import entier

TITRE_BASE = "Base régionale — jalon {jalon}"
LARGEURS = {"texte": 18, "entier": 10, "date": 12}


@dataclass(frozen=True)
class EcritureBase:
    lignes: int
    parquet: Path
    xlsx: Path | None
    """None quand la base dépasse une feuille Excel."""
    message: str


def chemins_base(consolidation: Path, jalon: str) -> tuple[Path, Path]:
    """« base_J3.parquet » et « base_J3.xlsx », à côté du classeur de la consolidation."""
    dossier = Path(consolidation).parent
    return dossier / f"base_{jalon}.parquet", dossier / f"base_{jalon}.xlsx"


def classeur_base(base: pa.Table, jalon: str) -> Classeur:
    """Une feuille « Base » : les en-têtes, puis une ligne par ligne lue, en tableau Excel."""
    classeur = Classeur(TITRE_BASE.format(jalon=jalon))
    feuille = classeur.feuille("Base")
    entetes = [c.entete for c in COLONNES_BASE]
    feuille.ligne(1, entetes, "entete")
    donnees = base.to_pandas(date_as_object=False)
    feuille.bloc(2, 1, [(donnees[c.cle], c.format) for c in COLONNES_BASE])
    fin = max(2, base.num_rows + 1)
    feuille.tableau = ("Base", f"A1:{get_column_letter(len(entetes))}{fin}", entetes)
    feuille.largeurs = {j: LARGEURS[c.format] for j, c in enumerate(COLONNES_BASE, start=1)}
    feuille.largeurs[1] = 36
    feuille.hauteurs[1] = 45
    feuille.volets = "B2"
    return classeur


def ecrire_base(base: pa.Table, consolidation: Path, jalon: str) -> EcritureBase:
    """Écrit la base en Parquet et, si elle tient dans une feuille, en classeur .xlsx (chacun
    d'un seul renommage) ; rend ce qui a été écrit et le message à montrer."""
    parquet, xlsx = chemins_base(consolidation, jalon)
    n = base.num_rows
    tient = n + 1 <= LIGNES_EXCEL
    contenu = classeur_base(base, jalon).octets() if tient else None
    try:
        with ecriture_atomique(parquet) as temporaire:
            pq.write_table(base, temporaire, compression="zstd")
    except (OSError, pa.ArrowException) as e:
        raise ErreurEcriture(f"{parquet} : la base n'a pas pu s'écrire ({e}).") from None
    if contenu is None:
        return EcritureBase(n, parquet, None, (
            f"Base régionale : {entier(n)} lignes dans {parquet}. Elle dépasse les "
            f"{entier(LIGNES_EXCEL)} lignes d'une feuille Excel : {xlsx.name} n'est pas écrit ; ouvrez le "
            "fichier Parquet avec Power BI, Excel (Données > Obtenir des données > Parquet), pandas ou R."
        ))  # fmt: skip
    with ecriture_atomique(xlsx) as temporaire:
        temporaire.write_bytes(contenu)
    return EcritureBase(
        n, parquet, xlsx, f"Base régionale : {entier(n)} lignes dans {xlsx} et {parquet.name}."
    )
