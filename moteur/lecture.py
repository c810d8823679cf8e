"""Relire une grille : trouver la feuille de données, ses en-têtes et ses colonnes, puis les
listes, les paramètres et les métadonnées du classeur.

Lecteur : fastexcel (calamine, en Rust), toutes les cellules lues comme du texte — une date
devient « 2010-09-06 00:00:00 », un nombre « 3 » ou « 2.5 » — pour que les contrôles voient
chaque valeur telle quelle, quel que soit son type dans le fichier. openpyxl n'ouvre jamais le
fichier d'un utilisateur ici (trop lent, et il ne sert qu'à écrire).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from coaching_xl.erreurs import GrilleIllisible
from moteur.paquet import Paquet, inspecter
from moteur.valeurs import lire_date
from recueil import schema as s
from recueil.calendrier import Calendrier, Jalon

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")
LIGNES_EXPLOREES = 30
"""Les en-têtes sont cherchés dans les 30 premières lignes de la feuille."""


@dataclass
class Grille:
    """Une grille relue, avant tout contrôle : valeurs brutes (texte) des lignes non vides."""

    chemin: Path
    feuille: str
    ligne_entete: int
    lettres: dict[str, str]
    """Clé de colonne (« date », « delai_cr »…) → lettre Excel, pour les colonnes présentes."""
    lignes: np.ndarray
    """Numéro de ligne Excel de chaque ligne non vide."""
    valeurs: dict[str, pa.Array]
    """Clé de colonne → valeurs brutes alignées sur ``lignes`` (texte, ou null si vide)."""
    listes: dict[str, tuple[str, ...]]
    listes_du_classeur: bool
    """Faux quand la feuille Listes manque (grilles v1.2) : les listes par défaut s'appliquent."""
    parametres: dict[str, str] = field(default_factory=dict)
    calendrier: Calendrier | None = None
    meta: dict[str, str] = field(default_factory=dict)
    date1904: bool = False


def reference_feuille(nom: str) -> str:
    """Le nom d'une feuille dans une référence : entre apostrophes s'il le faut."""
    if nom.replace("_", "").isalnum() and not nom[0].isdigit():
        return nom
    return "'" + nom.replace("'", "''") + "'"


class ClasseurLu(Protocol):
    """Ce que la relecture demande à un classeur : un fichier relu par calamine (``Classeur``),
    ou un classeur ouvert dans Excel (``coaching_xl.excel.ClasseurExcel``)."""

    @property
    def chemin(self) -> Path: ...

    @property
    def sheet_names(self) -> list[str]: ...

    @property
    def date1904(self) -> bool: ...

    def charger(self, nom: str) -> tuple[pa.RecordBatch, list[int]]:
        """Toute la feuille ``nom``, cellules en texte (None si vides), à partir de la ligne 1 ;
        et l'indice (0 = A) de chaque colonne lue."""
        ...


def lire_grille(source: Path | ClasseurLu) -> Grille:
    """Relit la grille ``source`` : un fichier (.xlsx, .xlsm, .xls ou .ods), ou un classeur
    déjà ouvert.

    Cherche la feuille « Recueil » (ou, à défaut, la première feuille qui porte les en-têtes),
    la ligne d'en-têtes dans ses 30 premières lignes (casse, accents et espaces indifférents),
    puis lit les listes, les paramètres et les métadonnées. Lève GrilleIllisible, avec un
    message qui nomme le fichier et dit quoi faire, si le fichier manque, n'est pas un classeur,
    ou ne contient aucune grille reconnaissable.
    """
    classeur = ouvrir(Path(source)) if isinstance(source, (str, Path)) else source
    chemin = classeur.chemin
    meta = _lire_paires(classeur, s.FEUILLE_META)
    _verifier_modele(chemin, meta)
    feuille, table, ligne_entete, colonnes, absolus = _trouver_donnees(classeur)
    lettres = {cle: _lettre(index) for cle, index in absolus.items()}
    lignes, valeurs = _lignes_non_vides(table, ligne_entete, colonnes)
    listes, du_classeur = _lire_listes(classeur)
    parametres, calendrier = _lire_parametres(classeur)
    return Grille(
        chemin=chemin,
        feuille=feuille,
        ligne_entete=ligne_entete + 1,
        lettres=lettres,
        lignes=lignes,
        valeurs=valeurs,
        listes=listes,
        listes_du_classeur=du_classeur,
        parametres=parametres,
        calendrier=calendrier,
        meta=meta,
        date1904=classeur.date1904,
    )


class Classeur:
    """Un classeur ouvert : le lecteur calamine, et le paquet inspecté qui vérifie chaque
    feuille avant que le lecteur ne la décompresse (voir ``moteur.paquet``)."""

    def __init__(self, chemin: Path, lecteur: fastexcel.ExcelReader, paquet: Paquet) -> None:
        self.chemin = chemin
        self.lecteur = lecteur
        self.paquet = paquet

    @property
    def sheet_names(self) -> list[str]:
        return self.lecteur.sheet_names

    def charger(self, nom: str) -> tuple[pa.RecordBatch, list[int]]:
        """Toute la feuille, cellules en texte, à partir de la ligne 1 ; et l'indice (0 = A) de
        chaque colonne lue, qui ne commence pas forcément en A. La partie de la feuille est
        vérifiée avant que le lecteur ne la décompresse."""
        indices: list[int] = []

        def retenir(colonne: fastexcel.ColumnInfoNoDtype) -> bool:
            indices.append(colonne.absolute_index)
            return True

        self.paquet.verifier_feuille(nom)
        try:
            table = self.lecteur.load_sheet(
                nom, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True, eager=True,
                use_columns=retenir,
            )  # fmt: skip
        except Exception as e:
            raise GrilleIllisible(_illisible(self.chemin, e)) from None
        return table, indices

    @property
    def date1904(self) -> bool:
        """Vrai si le classeur compte ses dates depuis 1904 (Excel pour Mac d'autrefois) : les
        numéros de série saisis comme nombres en dépendent."""
        if self.chemin.suffix.lower() not in (".xlsx", ".xlsm"):
            return False
        racine = self.paquet.xml("xl/workbook.xml")
        if racine is None:
            return False
        for element in racine.iter():
            if element.tag.endswith("}workbookPr"):
                return element.get("date1904", "0").lower() in ("1", "true")
        return False


def ouvrir(chemin: Path, document: str = "la grille", exemple: str = "grille_recueil.xlsx") -> Classeur:
    """Le classeur ``chemin`` (``document`` : ce qu'il doit être, pour les messages), inspecté
    avant d'être confié au lecteur. Lève GrilleIllisible si le fichier manque, est un dossier,
    d'un format inconnu, abîmé, chiffré, piégé ou illisible."""
    if not chemin.exists():
        raise GrilleIllisible(f"Fichier introuvable : {chemin}. Vérifiez le chemin et le nom.")
    if chemin.is_dir():
        raise GrilleIllisible(f"{chemin} est un dossier : indiquez le fichier de {document} ({exemple}).")
    if chemin.suffix.lower() not in FORMATS:
        raise GrilleIllisible(
            f"{chemin} : format « {chemin.suffix or 'sans extension'} » non pris en charge. "
            f"Enregistrez {document} au format .xlsx (ou {', '.join(FORMATS[1:])})."
        )
    try:
        paquet = inspecter(chemin)
    except PermissionError:
        raise GrilleIllisible(
            f"{chemin} : lecture refusée (droits du fichier) ; demandez l'accès ou copiez-le ailleurs."
        ) from None
    try:
        return Classeur(chemin, fastexcel.read_excel(str(chemin)), paquet)
    except Exception as e:
        raise GrilleIllisible(_illisible(chemin, e)) from None


def _illisible(chemin: Path, e: Exception) -> str:
    return (
        f"{chemin} n'est pas un classeur lisible ({_cause(e)}). Ouvrez-le dans Excel ou "
        "LibreOffice et enregistrez-le au format .xlsx, puis relancez."
    )


def _cause(e: Exception) -> str:
    texte = " ".join(str(e).split())
    return texte[:200] + ("…" if len(texte) > 200 else "")


def _lettre(index: int) -> str:
    lettres = ""
    index += 1
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(ord("A") + reste) + lettres
    return lettres


def _formes_attendues() -> dict[str, str]:
    """Forme d'en-tête normalisée → clé de colonne."""
    formes = {}
    for colonne in s.COLONNES:
        for entete in (colonne.entete, *colonne.autres_entetes):
            formes[s.forme_entete(entete)] = colonne.cle
    return formes


def _colonnes_de_l_entete(cellules: list[object], indices: list[int]) -> dict[str, list[int]]:
    """Dans une ligne, les colonnes dont l'intitulé est celui d'une colonne de la grille."""
    formes = _formes_attendues()
    trouvees: dict[str, list[int]] = {}
    for valeur, index in zip(cellules, indices, strict=True):
        if isinstance(valeur, str) and (cle := formes.get(s.forme_entete(valeur))):
            trouvees.setdefault(cle, []).append(index)
    return trouvees


def _trouver_entete(table: pa.RecordBatch, indices: list[int]) -> tuple[int, dict[str, list[int]]] | None:
    obligatoires = {c.cle for c in s.COLONNES if c.obligatoire}
    for rang in range(min(LIGNES_EXPLOREES, table.num_rows)):
        cellules = [table.column(j)[rang].as_py() for j in range(table.num_columns)]
        trouvees = _colonnes_de_l_entete(cellules, indices)
        if obligatoires <= trouvees.keys():
            return rang, trouvees
    return None


def _trouver_donnees(
    lecteur: ClasseurLu,
) -> tuple[str, pa.RecordBatch, int, dict[str, int], dict[str, int]]:
    """La feuille de données, sa table, le rang (0 = ligne 1) de ses en-têtes, et pour chaque
    colonne reconnue sa position dans la table et son indice dans la feuille (0 = A)."""
    chemin, noms = lecteur.chemin, lecteur.sheet_names
    recueil = [n for n in noms if s.normaliser(n) == s.normaliser(s.FEUILLE_RECUEIL)]
    candidates = recueil or [n for n in noms if s.normaliser(n) != s.normaliser(s.FEUILLE_META)]
    for nom in candidates:
        table, indices = lecteur.charger(nom)
        trouve = _trouver_entete(table, indices)
        if trouve is None:
            continue
        rang, colonnes = trouve
        doublons = {cle: idx for cle, idx in colonnes.items() if len(idx) > 1}
        if doublons:
            cle, idx = next(iter(doublons.items()))
            raise GrilleIllisible(
                f"{chemin}, feuille {nom} : l'en-tête « {s.COLONNES_PAR_CLE[cle].entete} » "
                f"apparaît deux fois (colonnes {' et '.join(_lettre(i) for i in idx)}). "
                "Renommez ou supprimez la colonne en trop, puis relancez."
            )
        position = {index: j for j, index in enumerate(indices)}
        absolus = {cle: idx[0] for cle, idx in colonnes.items()}
        return nom, table, rang, {cle: position[i] for cle, i in absolus.items()}, absolus
    attendus = ", ".join(f"« {c.entete} »" for c in s.COLONNES if c.obligatoire)
    ou = f"la feuille {recueil[0]}" if recueil else f"aucune feuille ({', '.join(noms)})"
    raise GrilleIllisible(
        f"{chemin} : en-têtes de la grille introuvables dans {ou}, sur les "
        f"{LIGNES_EXPLOREES} premières lignes. Attendus : {attendus} (et les deux délais). "
        "Partez de la grille générée par coaching-xl generate ou rétablissez ces intitulés."
    )


def _lignes_non_vides(
    table: pa.RecordBatch, rang_entete: int, colonnes: dict[str, int]
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """Les lignes sous les en-têtes dont au moins une des colonnes de la grille est remplie."""
    donnees = {cle: _tableau(table.column(j)).slice(rang_entete + 1) for cle, j in colonnes.items()}
    remplie = None
    for colonne in donnees.values():
        valide = pc.is_valid(colonne)
        remplie = valide if remplie is None else pc.or_(remplie, valide)
    if remplie is None or len(remplie) == 0:
        return np.empty(0, dtype=np.int64), {cle: pa.array([], pa.string()) for cle in donnees}
    masque = remplie.to_numpy(zero_copy_only=False)
    lignes = np.flatnonzero(masque) + rang_entete + 2
    valeurs = {cle: pc.filter(colonne, remplie) for cle, colonne in donnees.items()}
    return lignes, valeurs


def _tableau(colonne: pa.Array | pa.ChunkedArray) -> pa.Array:
    return colonne.combine_chunks() if isinstance(colonne, pa.ChunkedArray) else colonne


def _feuille(lecteur: ClasseurLu, nom: str) -> str | None:
    """Le nom exact d'une feuille, retrouvée sans égard à la casse ni aux accents."""
    for n in lecteur.sheet_names:
        if s.normaliser(n) == s.normaliser(nom):
            return n
    return None


def lignes_de(lecteur: ClasseurLu, nom: str) -> list[list[object]] | None:
    """Les cellules (en texte, None si vides) de la feuille ``nom``, retrouvée sans égard à la
    casse ni aux accents, ligne par ligne depuis la ligne 1 ; None si la feuille manque."""
    exact = _feuille(lecteur, nom)
    if exact is None:
        return None
    table, _ = lecteur.charger(exact)
    colonnes = [table.column(j).to_pylist() for j in range(table.num_columns)]
    return [list(ligne) for ligne in zip(*colonnes, strict=True)]


def _lire_listes(lecteur: ClasseurLu) -> tuple[dict[str, tuple[str, ...]], bool]:
    """Les listes de la feuille Listes : sous chaque en-tête (« Modalités », « Provenances »),
    les libellés non vides. Sans feuille Listes, les listes par défaut."""
    par_defaut = {liste.cle: liste.defaut for liste in s.LISTES}
    lignes = lignes_de(lecteur, s.FEUILLE_LISTES)
    if not lignes:
        return par_defaut, False
    titres = {s.normaliser(liste.titre): liste for liste in s.LISTES}
    listes: dict[str, tuple[str, ...]] = {}
    for rang, ligne in enumerate(lignes[:LIGNES_EXPLOREES]):
        for j, valeur in enumerate(ligne):
            liste = titres.get(s.normaliser(valeur)) if isinstance(valeur, str) else None
            if liste is None or liste.cle in listes:
                continue
            libelles = (" ".join(str(v).split()) for v in (r[j] for r in lignes[rang + 1 :]) if v)
            listes[liste.cle] = tuple(dict.fromkeys(lib for lib in libelles if lib))
    if not listes:
        return par_defaut, False
    return {cle: listes.get(cle) or defaut for cle, defaut in par_defaut.items()}, True


def _lire_paires(lecteur: ClasseurLu, nom: str) -> dict[str, str]:
    """Les couples (colonne A, colonne B) d'une feuille clé / valeur."""
    lignes = lignes_de(lecteur, nom) or []
    return {str(ligne[0]): str(ligne[1]) for ligne in lignes if len(ligne) > 1 and ligne[0] and ligne[1]}


def _lire_parametres(lecteur: ClasseurLu) -> tuple[dict[str, str], Calendrier | None]:
    """Les paramètres (par libellé de la colonne A) et le calendrier des jalons s'il est lu."""
    lignes = lignes_de(lecteur, s.FEUILLE_PARAMETRES)
    if not lignes:
        return {}, None
    libelles = {s.normaliser(p.libelle): p.cle for p in s.PARAMETRES}
    parametres: dict[str, str] = {}
    jalons: list[Jalon] = []
    dans_jalons = False
    for ligne in lignes:
        cellules = [*ligne, None, None, None][:3]
        etiquette = s.normaliser(cellules[0]) if isinstance(cellules[0], str) else ""
        if dans_jalons:
            jour = lire_date(cellules[1]) if cellules[1] else None
            if not etiquette or jour is None:
                dans_jalons = bool(etiquette)
                continue
            jalons.append(Jalon(str(cellules[0]).strip().upper(), jour, str(cellules[2] or "")))
        elif etiquette == "jalon":
            dans_jalons = True
        elif (cle := libelles.get(etiquette)) and cellules[1] is not None:
            parametres[cle] = str(cellules[1]).strip()
    calendrier = Calendrier(tuple(sorted(jalons, key=lambda j: j.date))) if len(jalons) >= 2 else None
    return parametres, calendrier


def _verifier_modele(chemin: Path, meta: dict[str, str]) -> None:
    """Refuse un classeur qui se déclare d'un autre modèle ou d'une version plus récente."""
    modele = meta.get("modele")
    if modele is None:
        return
    if modele != s.MODELE:
        raise GrilleIllisible(
            f"{chemin} est un classeur « {modele} », pas une grille de recueil coaching-xl. "
            "Indiquez le fichier grille_recueil.xlsx de l'établissement."
        )
    version = meta.get("version_modele", "0")
    if _majeure(version) > _majeure(s.VERSION_MODELE):
        raise GrilleIllisible(
            f"{chemin} est une grille de version {version}, plus récente que ce coaching-xl "
            f"(version de grille {s.VERSION_MODELE}). Mettez coaching-xl à jour : "
            "pip install --upgrade coaching-xl."
        )


def _majeure(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0
