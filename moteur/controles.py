"""Contrôler chaque cellule d'une grille relue (SPEC §4) : Excel n'impose pas ses validations
à un collage, la relecture contrôle donc tout, et collecte toutes les anomalies.

Une erreur écarte la seule valeur fautive des indicateurs qui en ont besoin (une date
invalide sort la ligne de sa semaine, pas des taux d'ensemble) ; un avertissement ou une info
n'écarte rien.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from moteur.lecture import Grille
from moteur.suivi_anomalies import suivre
from moteur.valeurs import distinguer, lire_date, lire_dates, lire_delais, reconnaitre
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.references import reference_feuille
from socle.francais import affichable

DELAI_ATYPIQUE_JOURS = 180
"""Au-delà, un délai est signalé (info) quelle que soit sa place dans la grille."""
CENTILE_ATYPIQUE = 99
MINIMUM_POUR_CENTILE = 100
"""Sous 100 délais, un 99e centile ne veut rien dire : seule la limite de 180 jours joue."""
LONGUEUR_VALEUR = 80
"""Une valeur citée dans un message est coupée au-delà (cellules de 30 000 caractères)."""

COLONNES_ANOMALIES = ("code", "gravite", "ligne", "colonne", "valeur", "message", "suivi", "commentaire")


@dataclass
class Controle:
    """Une grille contrôlée : ses données propres et toutes ses anomalies."""

    grille: Grille
    donnees: pd.DataFrame
    """Une ligne par ligne non vide : ligne (n° Excel), date (NaT si absente ou fautive),
    modalite, provenance (catégories des listes, manquant si fautif), type (« H », « NH »,
    « NP », manquant si fautif), delai_rdv, delai_cr (NaN si absent ou fautif)."""
    anomalies: pd.DataFrame
    """Colonnes : code, gravite, ligne, colonne (lettre), valeur, message, suivi (« À corriger »,
    « Vérifiée — exacte ») et commentaire (de l'établissement) ; triées par ligne."""
    debut: date
    fin: date
    """La période du recueil (feuille Paramètres, sinon le calendrier des jalons)."""

    @property
    def lignes_lues(self) -> int:
        return len(self.donnees)

    def compte(self, gravite: str) -> int:
        """Nombre d'anomalies de cette gravité."""
        return int((self.anomalies["gravite"] == gravite).sum())

    def verifiees(self) -> int:
        """Nombre d'avertissements et d'infos que l'établissement a vérifiés (exacts)."""
        return int((self.anomalies["suivi"] == s.VERIFIEE).sum())

    def par_code(self) -> dict[str, int]:
        """Nombre d'anomalies par code, dans l'ordre de SPEC §4."""
        comptes = self.anomalies["code"].value_counts()
        return {code: int(comptes[code]) for code in s.ANOMALIES if code in comptes}

    def jusqua(self, jour: date) -> Controle:
        """La même grille réduite à ses lignes datées d'avant ``jour`` (une consolidation à un
        jalon) ; les anomalies restent celles de toute la grille."""
        donnees = self.donnees[self.donnees["date"] < pd.Timestamp(jour)].reset_index(drop=True)
        return dataclasses.replace(self, donnees=donnees)

    def cellules(self, anomalies: pd.DataFrame | None = None) -> pd.Series:
        """La référence de cellule (« Recueil!E42 ») de chaque anomalie."""
        anomalies = self.anomalies if anomalies is None else anomalies
        prefixe = reference_feuille(self.grille.feuille) + "!"
        return prefixe + anomalies["colonne"].astype(str) + anomalies["ligne"].astype(str)


@dataclass
class _Colonnes:
    """Ce que la relecture a reconnu dans chaque colonne, ligne à ligne."""

    brut: dict[str, pa.Array]
    cites: dict[str, pa.Array]
    """Les valeurs telles qu'on les cite : ``brut``, et le texte des cellules spéciales (« #REF! »,
    la formule sans valeur) que le lecteur rend vides."""
    rempli: dict[str, np.ndarray]
    speciales: dict[str, dict[str, np.ndarray]]
    """Clé de colonne → genre (« erreur », « formule ») → masque des lignes."""
    dates: np.ndarray
    date_illisible: np.ndarray
    listes: dict[str, np.ndarray]
    hors_liste: dict[str, np.ndarray]
    suggestions: dict[str, dict[str, str]]
    delais: dict[str, np.ndarray]
    delai_invalide: dict[str, np.ndarray]

    def est(self, *codes: str) -> np.ndarray:
        """Les lignes dont le type de rendez-vous (reconnu) est l'un de ``codes``."""
        indices = [i for i, t in enumerate(s.TYPES_RDV) if t.code in codes]
        return np.isin(self.listes["type_rdv"], indices)


def controler(grille: Grille, aujourdhui: date | None = None) -> Controle:
    """Contrôle chaque cellule de ``grille`` et rend ses données propres et ses anomalies.

    ``aujourdhui`` (par défaut la date du jour) borne les dates futures.
    """
    aujourdhui = aujourdhui or date.today()
    colonnes = _reconnaitre(grille)
    debut, fin = _periode(grille)
    regles = _regles(colonnes, grille, np.datetime64(aujourdhui, "D"), debut, fin)
    anomalies = suivre(_anomalies(grille, colonnes, regles, debut, fin), grille.suivis)
    return Controle(grille, _donnees(grille, colonnes), anomalies, debut, fin)


def _reconnaitre(grille: Grille) -> _Colonnes:
    n = len(grille.lignes)
    vide = pa.nulls(n, pa.string())
    brut = {c.cle: grille.valeurs.get(c.cle, vide) for c in s.COLONNES}
    rempli = {cle: valeurs.is_valid().to_numpy(zero_copy_only=False) for cle, valeurs in brut.items()}
    cites, speciales = dict(brut), {}
    for cle, par_rang in grille.speciales.items():
        rangs = np.fromiter(par_rang, dtype=np.int64, count=len(par_rang))
        genres = np.array([genre for genre, _ in par_rang.values()], dtype=object)
        speciales[cle] = {g: np.isin(np.arange(n), rangs[genres == g]) for g in GENRES_SPECIAUX}
        # Une cellule spéciale est remplie (ni « manquante » ni « champ vide ») ; sa valeur est écartée.
        rempli[cle] = rempli[cle].copy()
        rempli[cle][rangs] = True
        textes = cites[cle].to_pylist()
        for rang, (_, valeur) in par_rang.items():
            textes[rang] = valeur
        cites[cle] = pa.array(textes, pa.string())
        brut[cle] = _vider(brut[cle], rangs)
    dates, illisibles = lire_dates(brut["date"], grille.date1904)
    hors_bornes = ~np.isnat(dates) & (
        (dates < np.datetime64(s.DATE_MIN, "D")) | (dates > np.datetime64(s.DATE_MAX, "D"))
    )
    dates = np.where(hors_bornes, np.datetime64("NaT"), dates)
    libelles = {**grille.listes, "type_rdv": tuple(t.libelle for t in s.TYPES_RDV)}
    listes, hors_liste, suggestions = {}, {}, {}
    for cle in (*(liste.colonne for liste in s.LISTES), "type_rdv"):
        cle_liste = next((li.cle for li in s.LISTES if li.colonne == cle), cle)
        reconnu = reconnaitre(brut[cle], libelles[cle_liste])
        listes[cle], hors_liste[cle], suggestions[cle] = (
            reconnu.indices,
            reconnu.inconnues,
            reconnu.suggestions,
        )
    delais, invalides = {}, {}
    for d in s.DELAIS:
        delais[d.colonne], invalides[d.colonne] = lire_delais(brut[d.colonne])
    return _Colonnes(
        brut, cites, rempli, speciales, dates, illisibles | hors_bornes, listes, hors_liste, suggestions,
        delais, invalides,
    )  # fmt: skip


GENRES_SPECIAUX = {"erreur": "valeur-erreur", "formule": "formule-sans-valeur"}
"""Genre de cellule spéciale (``moteur.lecture.Grille.speciales``) → code d'anomalie."""


def _vider(valeurs: pa.Array, rangs: np.ndarray) -> pa.Array:
    """``valeurs`` où les cellules ``rangs`` sont vides (leur contenu n'est pas une saisie)."""
    masque = np.zeros(len(valeurs), dtype=bool)
    masque[rangs] = True
    return pc.if_else(pa.array(masque), pa.nulls(len(valeurs), pa.string()), valeurs)


def _periode(grille: Grille) -> tuple[date, date]:
    calendrier = grille.calendrier or CALENDRIER_DEFAUT
    debut = lire_date(grille.parametres.get("date_debut"), grille.date1904)
    fin = lire_date(grille.parametres.get("date_fin"), grille.date1904)
    return debut or calendrier.debut_recueil, fin or calendrier.fin_recueil


Regle = tuple[str, str, np.ndarray]
"""(code d'anomalie, clé de colonne, masque des lignes concernées)."""


def _regles(c: _Colonnes, grille: Grille, aujourdhui: np.datetime64, debut: date, fin: date) -> list[Regle]:
    """Chaque contrôle de SPEC §4, en masque booléen sur les lignes."""
    presentes = set(grille.lettres)
    programme = c.est(*s.PROGRAMMES)
    datee = ~np.isnat(c.dates)
    future = datee & (c.dates > aujourdhui)
    hors_periode = datee & ~future & ((c.dates < np.datetime64(debut)) | (c.dates > np.datetime64(fin)))
    regles: list[Regle] = [
        ("date-manquante", "date", ~c.rempli["date"]),
        ("date-invalide", "date", c.date_illisible),
        ("date-future", "date", future),
        ("date-hors-periode", "date", hors_periode),
    ]
    for cle in ("modalite", "provenance", "type_rdv"):
        regles.append(("valeur-hors-liste", cle, c.hors_liste[cle]))
        regles.append(("champ-manquant", cle, ~c.rempli[cle]))
    for cle, masques in c.speciales.items():
        regles += [(GENRES_SPECIAUX[genre], cle, masque) for genre, masque in masques.items()]
    for d in s.DELAIS:
        if d.colonne in presentes:
            regles.append(("delai-invalide", d.colonne, c.delai_invalide[d.colonne]))
            regles.append(("delai-atypique", d.colonne, _atypiques(c.delais[d.colonne])))
    rdv, cr = c.delais["delai_rdv"], c.delais["delai_cr"]
    if "delai_rdv" in presentes:
        regles += [
            ("delai-rdv-manquant", "delai_rdv", programme & ~c.rempli["delai_rdv"]),
            ("delai-rdv-non-programme", "delai_rdv", c.est("NP") & (rdv > 0)),
            ("delai-rdv-nul-programme", "delai_rdv", programme & (rdv == 0)),
        ]
    if "delai_cr" in presentes:
        regles.append(("delai-cr-non-honore", "delai_cr", c.est("NH") & c.rempli["delai_cr"] & ~np.isnan(cr)))
    return regles


def _atypiques(delais: np.ndarray) -> np.ndarray:
    valides = delais[~np.isnan(delais)]
    seuil = float(DELAI_ATYPIQUE_JOURS)
    if len(valides) >= MINIMUM_POUR_CENTILE:
        seuil = min(seuil, float(np.percentile(valides, CENTILE_ATYPIQUE)))
    with np.errstate(invalid="ignore"):
        return delais > seuil


def _affiche(valeur: str) -> str:
    """Une valeur telle qu'on la cite : date d'une cellule date en jj/mm/aaaa, texte coupé, sans
    caractère de contrôle."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}) 00:00:00", valeur):
        return f"{m[3]}/{m[2]}/{m[1]}"
    valeur = affichable(" ".join(valeur.split()))
    return valeur if len(valeur) <= LONGUEUR_VALEUR else valeur[: LONGUEUR_VALEUR - 1] + "…"


def _jj_mm_aaaa(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def _messages(debut: date, fin: date) -> Callable[[str, str, str, str | None], str]:
    """La fabrique des messages : (code, valeur citée, clé de colonne, suggestion) → le modèle
    du code (``schema.ANOMALIES``) rempli."""
    noms_listes = {li.colonne: li.titre.lower() for li in s.LISTES}
    types = ", ".join(t.libelle for t in s.TYPES_RDV[:-1]) + " ou " + s.TYPES_RDV[-1].libelle
    commun = {
        "debut": _jj_mm_aaaa(debut), "fin": _jj_mm_aaaa(fin),
        "date_min": _jj_mm_aaaa(s.DATE_MIN), "date_max": _jj_mm_aaaa(s.DATE_MAX),
        "centile": CENTILE_ATYPIQUE, "seuil": DELAI_ATYPIQUE_JOURS,
    }  # fmt: skip

    def message(code: str, valeur: str, cle: str, suggestion: str | None) -> str:
        if cle == "type_rdv":
            pas_dans_la_liste, choisir = "n'est pas un type de rendez-vous", f"choisissez {types}"
        else:
            pas_dans_la_liste = f"n'est pas dans la liste des {noms_listes.get(cle, '')}"
            choisir = (
                f"choisissez une valeur du menu déroulant, ou ajoutez-la dans la feuille {s.FEUILLE_LISTES}"
            )
        return s.ANOMALIES[code].message.format(
            **commun, valeur=valeur, entete=s.COLONNES_PAR_CLE[cle].entete,
            proposition=f" (vouliez-vous dire « {suggestion} » ?)" if suggestion else "",
            pas_dans_la_liste=pas_dans_la_liste, choisir=choisir,
        )  # fmt: skip

    return message


def _anomalies(grille: Grille, c: _Colonnes, regles: list[Regle], debut: date, fin: date) -> pd.DataFrame:
    """Une ligne par anomalie ; les messages sont composés une fois par valeur distincte."""
    message = _messages(debut, fin)
    ordre_colonnes = {col.cle: i for i, col in enumerate(s.COLONNES)}
    ordre_codes = {code: i for i, code in enumerate(s.ANOMALIES)}
    morceaux = []
    for code, cle, masque in regles:
        rangs = np.flatnonzero(masque)
        if len(rangs) == 0:
            continue
        codes, distinctes = distinguer(c.cites[cle].take(pa.array(rangs)))
        citees = [_affiche(v) for v in distinctes] + [""]
        suggestions = c.suggestions.get(cle, {})
        textes = np.array(
            [
                message(code, v, cle, suggestions.get(brut))
                for v, brut in zip(citees, [*distinctes, None], strict=True)
            ],
            dtype=object,
        )
        morceaux.append(pd.DataFrame({
            "code": code,
            "gravite": s.ANOMALIES[code].gravite,
            "ligne": grille.lignes[rangs],
            "colonne": grille.lettres.get(cle, s.COLONNES_PAR_CLE[cle].lettre),
            "valeur": np.array(citees, dtype=object)[codes],
            "message": textes[codes],
            "_ordre": ordre_colonnes[cle] * 100 + ordre_codes[code],
        }))  # fmt: skip
    premiere = s.COLONNES[0]
    for ligne, texte in grille.totaux:
        valeur = _affiche(texte)
        morceaux.append(pd.DataFrame({
            "code": ["ligne-total-tableau"],
            "gravite": s.ANOMALIES["ligne-total-tableau"].gravite,
            "ligne": np.array([ligne], dtype=np.int64),
            "colonne": grille.lettres.get(premiere.cle, premiere.lettre),
            "valeur": [valeur],
            "message": [message("ligne-total-tableau", valeur, premiere.cle, None)],
            "_ordre": -1,
        }))  # fmt: skip
    if not morceaux:
        return pd.DataFrame({col: pd.Series(dtype=object) for col in COLONNES_ANOMALIES}).astype(
            {"ligne": np.int64}
        )
    anomalies = pd.concat(morceaux, ignore_index=True)
    ordre = np.lexsort((anomalies["_ordre"].to_numpy(), anomalies["ligne"].to_numpy()))
    return anomalies.iloc[ordre].drop(columns="_ordre").reset_index(drop=True)


def _donnees(grille: Grille, c: _Colonnes) -> pd.DataFrame:
    """Les valeurs propres : chaque valeur fautive (erreur) est écartée, rien d'autre."""
    types = pd.Categorical.from_codes(c.listes["type_rdv"], categories=[t.code for t in s.TYPES_RDV])
    donnees = {"ligne": grille.lignes, "date": c.dates}
    for liste in s.LISTES:
        donnees[liste.colonne] = pd.Categorical.from_codes(
            c.listes[liste.colonne], categories=list(grille.listes[liste.cle])
        )
    donnees["type"] = types
    donnees.update({cle: valeurs for cle, valeurs in c.delais.items()})
    return pd.DataFrame(donnees)
