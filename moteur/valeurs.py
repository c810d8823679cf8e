"""Reconnaître chaque valeur d'une grille, quelle que soit sa forme (SPEC §4).

Dates : cellule date d'Excel ou de LibreOffice, numéro de série, ou texte « 06/09/2010 »,
« 2010-09-06 », « 6 septembre 2010 », « lundi 6 septembre 2010 », « 6-sept-2010 » (l'heure est
ignorée).
Délais : nombre ou texte d'un nombre entier de jours (3 = 3,0 = « 3 » ; 2,5 est refusé).
Libellés : égaux à un libellé des listes à la casse, aux accents et aux espaces près.

Chaque valeur distincte d'une colonne n'est examinée qu'une fois ; le résultat est ensuite
réparti sur toutes les cellules par indexation numpy, sans boucle Python par ligne.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recueil import schema as s

_HEURE = r"(?:[ t]+\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?(?:z|[+-]\d{2}(?::?\d{2})?))?)?"
"""Une heure (ignorée), éventuellement suivie de son fuseau : « 08:30 », « 08:30:00Z »,
« 08:30:00+02:00 » (ISO 8601, tel que l'écrivent les exports de logiciels)."""
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _HEURE + "$", re.ASCII)
_NUMERIQUE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _HEURE + "$", re.ASCII)
_MOIS = {
    **{s.normaliser(m): i for i, m in enumerate(s.MOIS, start=1)},
    "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_JOURS = "|".join(s.JOURS)
_TEXTE = re.compile(
    rf"^(?:(?:{_JOURS}),?\s+)?(\d{{1,2}})(?:er)?(?:\s+|-)([a-z]+)\.?(?:\s+|-)(\d{{4}}|\d{{2}})"
    + _HEURE
    + "$",
    re.ASCII,
)
_SERIE = re.compile(r"^\d+(?:\.\d+)?$", re.ASCII)
_NOMBRE = re.compile(r"^[+-]?\d+(?:[.,]\d*)?(?:e[+-]?\d+)?$", re.ASCII | re.IGNORECASE)
"""Un nombre tel qu'un tableur l'écrit : chiffres ASCII, virgule ou point décimal, exposant.
(« 1_0 » ou « ٣ », que Python accepterait, n'en sont pas.)"""
_ORIGINE_1900 = date(1899, 12, 30)
_ORIGINE_1904 = date(1904, 1, 1)
_SERIE_MAX = 2_958_465
"""Le 31/12/9999, dernier jour qu'Excel sache afficher."""


def _date(annee: int, mois: int, jour: int) -> date | None:
    try:
        return date(annee, mois, jour)
    except ValueError:
        return None


PIVOT_SIECLE = 30
"""Une année écrite sur deux chiffres : 00 à 29 → 2000 à 2029, 30 à 99 → 1930 à 1999, comme
Excel et LibreOffice (« 06/09/45 » est le 6 septembre 1945)."""


def _annee(chiffres: str) -> int:
    """L'année d'un texte de date : sur un ou deux chiffres, au siècle du pivot."""
    annee = int(chiffres)
    if len(chiffres) > 2:
        return annee
    return annee + (2000 if annee < PIVOT_SIECLE else 1900)


def lire_date(texte: str | None, date1904: bool = False) -> date | None:
    """La date que désigne ``texte``, ou None s'il n'en désigne aucune (31/02 compris)."""
    if not texte:
        return None
    forme = s.normaliser(str(texte))
    if m := _ISO.match(forme):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIQUE.match(forme):
        return _date(_annee(m[3]), int(m[2]), int(m[1]))
    if m := _TEXTE.match(forme):
        mois = _MOIS.get(m[2])
        return _date(_annee(m[3]), mois, int(m[1])) if mois else None
    if _SERIE.match(forme):
        serie = float(forme)
        if 1 <= serie <= _SERIE_MAX:
            return (_ORIGINE_1904 if date1904 else _ORIGINE_1900) + timedelta(days=int(serie))
    return None


def jours_de_semaine(jours: np.ndarray) -> np.ndarray:
    """Le jour de la semaine de chaque date (datetime64[D]) : 0 pour lundi … 6 pour dimanche,
    comme ``date.weekday()`` (le 1er janvier 1970, jour 0, était un jeudi). NaT : sans valeur
    utile, à masquer par l'appelant."""
    return (jours.astype("datetime64[D]").view("int64") + 3) % 7


def lundis(jours: np.ndarray) -> np.ndarray:
    """Le lundi de la semaine ISO de chaque date (datetime64[D]) : ``calendrier.lundi`` sur un
    tableau."""
    return jours - jours_de_semaine(jours).astype("timedelta64[D]")


def lire_dates(valeurs: pa.Array, date1904: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Les dates d'une colonne : (datetime64[D], NaT si vide ou illisible ; masque des cellules
    remplies mais illisibles).

    Chaque valeur distincte n'est analysée qu'une fois (une colonne d'un million de lignes
    compte rarement plus de quelques centaines de dates distinctes)."""
    codes, distinctes = distinguer(valeurs)
    lues = np.array(
        [lire_date(v, date1904) or np.datetime64("NaT") for v in distinctes] + [np.datetime64("NaT")],
        dtype="datetime64[D]",
    )
    dates = lues[codes]
    illisibles = (codes >= 0) & np.isnat(dates)
    return dates, illisibles


def distinguer(valeurs: pa.Array) -> tuple[np.ndarray, list[str]]:
    """(code de chaque cellule dans la liste des valeurs distinctes, −1 si vide ; valeurs
    distinctes). Le code −1 indexe aussi le dernier élément d'un tableau construit sur
    ``distinctes + [valeur_du_vide]``."""
    encodees = pc.dictionary_encode(valeurs)
    if isinstance(encodees, pa.ChunkedArray):
        encodees = encodees.combine_chunks()
    codes = pc.fill_null(encodees.indices, -1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64, copy=False), encodees.dictionary.to_pylist()


def lire_delai(texte: str | None) -> int | None:
    """Le nombre entier de jours que désigne ``texte`` (0 à 365), ou None s'il n'en est pas un."""
    if texte is None:
        return None
    forme = str(texte).strip()
    if not _NOMBRE.match(forme):
        return None
    valeur = float(forme.replace(",", "."))
    if not valeur.is_integer() or not s.DELAI_MIN <= valeur <= s.DELAI_MAX:
        return None
    return int(valeur)


def lire_delais(valeurs: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Les délais d'une colonne : (float, NaN si vide ou invalide ; masque des invalides)."""
    codes, distinctes = distinguer(valeurs)
    lus = np.array([_ou_nan(lire_delai(v)) for v in distinctes] + [np.nan], dtype=float)
    delais = lus[codes]
    return delais, (codes >= 0) & np.isnan(delais)


def _ou_nan(valeur: int | None) -> float:
    return np.nan if valeur is None else float(valeur)


SIMILARITE = 0.8
"""Ressemblance minimale (difflib) pour suggérer un libellé : « Scaner » → « Scanner », mais
« Programme annulé » ne suggère pas « Programmé honoré » (0,75)."""


@dataclass(frozen=True)
class Reconnaissance:
    """Ce que désigne chaque cellule d'une colonne à liste (modalité, provenance, type)."""

    indices: np.ndarray
    """Par ligne : indice du libellé reconnu dans la liste, −1 si vide ou inconnu."""
    inconnues: np.ndarray
    """Par ligne : vrai si la cellule est remplie d'une valeur absente de la liste."""
    suggestions: dict[str, str]
    """Valeur inconnue → libellé le plus proche de la liste, quand il y en a un."""


def reconnaitre(valeurs: pa.Array, libelles: tuple[str, ...]) -> Reconnaissance:
    """Le libellé des listes que désigne chaque cellule, à la casse, aux accents et aux
    espaces près ; pour chaque valeur inconnue, le libellé le plus proche (suggestion)."""
    formes = {s.normaliser(lib): i for i, lib in enumerate(libelles)}
    codes, distinctes = distinguer(valeurs)
    reconnus = np.array([formes.get(s.normaliser(v), -2) for v in distinctes] + [-1], dtype=np.int64)
    indices = reconnus[codes]
    suggestions = {}
    for code in np.flatnonzero(reconnus[:-1] == -2):
        valeur = distinctes[code]
        if (proche := suggestion(valeur, libelles)) is not None:
            suggestions[valeur] = proche
    return Reconnaissance(np.where(indices == -2, -1, indices), indices == -2, suggestions)


def suggestion(valeur: str, libelles: tuple[str, ...]) -> str | None:
    """Le libellé le plus proche d'une valeur inconnue (« Scaner » → « Scanner »), ou None."""
    formes = {s.normaliser(lib): lib for lib in libelles}
    proches = difflib.get_close_matches(s.normaliser(valeur), list(formes), n=1, cutoff=SIMILARITE)
    return formes[proches[0]] if proches else None
