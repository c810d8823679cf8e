"""Les indicateurs de SPEC §3, calculés à partir de leurs déclarations (``recueil.schema`` :
types au numérateur et au dénominateur d'un taux, colonne et types d'un délai, tranches) —
les mêmes que celles dont le tableau de bord de la grille tire ses formules.

Chaque découpage (semaine, mois, période, modalité…) attribue à chaque ligne un numéro de
groupe ; tout se calcule ensuite par ``np.bincount`` sur ces numéros, sans boucle Python par
ligne ni ``groupby``. Les délais validés étant des nombres entiers de 0 à 365 jours, médiane
et 90e centile se lisent exactement sur l'histogramme de chaque groupe (interpolation
linéaire, comme numpy). Un taux dont le dénominateur est nul vaut NaN (null en JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from moteur.valeurs import lundis
from recueil import schema as s
from recueil.calendrier import Calendrier

QUANTILES = {"mediane": 0.5, "p90": 0.9}
TYPES = tuple(t.code for t in s.TYPES_RDV)
COMPTES = {t.code: t.cle for t in s.TYPES_RDV}
"""Code de type → colonne du compte (« H » → « honores »)."""
DISTRIBUTION = "distribution_cr_"
NH_PAR_TRANCHE = "non_honores_par_tranche_delai_"
_VALEURS_DELAI = s.DELAI_MAX + 1


def colonnes_delai(delai: s.Delai) -> list[str]:
    """Les colonnes d'un délai dans un tableau d'indicateurs : n, moyenne, médiane, p90, part."""
    colonnes = [f"{delai.cle}_{stat}" for stat in ("n", "moyenne", *QUANTILES)]
    if delai.cle_part:
        colonnes.append(f"{delai.cle}_{delai.cle_part}")
    return colonnes


COLONNES_INDICATEURS = [
    *COMPTES.values(),
    *(t.cle for t in s.TAUX),
    *(c for d in s.DELAIS for c in colonnes_delai(d)),
    *(DISTRIBUTION + t.cle for t in s.TRANCHES_CR),
    *(NH_PAR_TRANCHE + t.cle for t in s.TRANCHES_DELAI_RDV),
]
"""Les colonnes de tout tableau d'indicateurs, dans l'ordre de SPEC §8."""
COLONNES_ENTIERES = [
    *COMPTES.values(),
    *(f"{d.cle}_n" for d in s.DELAIS),
    *(DISTRIBUTION + t.cle for t in s.TRANCHES_CR),
]
"""Les comptes (0, et non vide, pour un groupe sans données)."""


@dataclass(frozen=True)
class Lignes:
    """Les données propres d'une grille réduites à des tableaux numpy, une fois pour tous les
    découpages."""

    jour: np.ndarray
    """Date (datetime64[D]), NaT si absente ou écartée."""
    type: np.ndarray
    """Indice du type de rendez-vous dans ``TYPES`` ; −1 si écarté."""
    delais: dict[str, np.ndarray]
    """Colonne de délai → délai entier, −1 si absent ou écarté."""
    _retenus: dict[tuple[str, tuple[str, ...]], np.ndarray] = field(default_factory=dict)

    @classmethod
    def depuis(cls, donnees: pd.DataFrame) -> Lignes:
        """Depuis les données propres d'un contrôle (``Controle.donnees``)."""
        delais = {
            d.colonne: np.nan_to_num(donnees[d.colonne].to_numpy(dtype=float), nan=-1).astype(np.int64)
            for d in s.DELAIS
        }
        return cls(
            jour=donnees["date"].to_numpy(dtype="datetime64[D]"),
            type=pd.Categorical(donnees["type"], categories=list(TYPES)).codes.astype(np.int64),
            delais=delais,
        )

    def retenus(self, colonne: str, types: tuple[str, ...]) -> np.ndarray:
        """Les délais de ``colonne`` des seules lignes de ces types (−1 ailleurs)."""
        cle = (colonne, types)
        if cle not in self._retenus:
            de_type = np.isin(self.type, [TYPES.index(c) for c in types])
            self._retenus[cle] = np.where(de_type, self.delais[colonne], -1)
        return self._retenus[cle]


@dataclass(frozen=True)
class Decoupage:
    """Un découpage des lignes : numéro de groupe de chaque ligne (−1 : hors de tout groupe) et
    étiquette de chaque groupe."""

    groupes: np.ndarray
    etiquettes: pd.Index


Histogramme = tuple[str, tuple[str, ...]]
"""(colonne de délai, types de rendez-vous retenus)."""
HISTOGRAMMES: tuple[Histogramme, ...] = tuple(
    dict.fromkeys([
        *((d.colonne, d.types) for d in s.DELAIS),
        (s.DELAI_RDV.colonne, s.TAUX_NON_HONORES.numerateur),
        (s.DELAI_RDV.colonne, s.TAUX_NON_HONORES.denominateur),
    ])
)  # fmt: skip
"""Les histogrammes de délais dont les indicateurs déclarés ont besoin."""


@dataclass(frozen=True)
class Agregats:
    """Les statistiques suffisantes de chaque groupe : nombre de lignes de chaque type et
    histogramme de chaque délai. Elles s'additionnent — d'un découpage à un regroupement, d'un
    établissement à la région — et tous les indicateurs s'en déduisent (``indicateurs``) : un
    taux régional est ainsi un rapport de sommes, une médiane régionale celle des délais mis
    en commun."""

    etiquettes: pd.Index
    comptes: np.ndarray
    """n groupes × types de rendez-vous."""
    histogrammes: dict[Histogramme, np.ndarray]
    """n groupes × 366 valeurs de délai (0 à 365 jours)."""

    def selection(self, etiquettes: list | pd.Index) -> Agregats:
        """Les groupes ``etiquettes``, dans cet ordre (un groupe absent est vide)."""
        positions = self.etiquettes.get_indexer(etiquettes)
        present = positions >= 0

        def prendre(tableau: np.ndarray) -> np.ndarray:
            resultat = np.zeros((len(positions), tableau.shape[1]), dtype=tableau.dtype)
            resultat[present] = tableau[positions[present]]
            return resultat

        return Agregats(
            pd.Index(etiquettes, name=self.etiquettes.name),
            prendre(self.comptes),
            {cle: prendre(h) for cle, h in self.histogrammes.items()},
        )

    def regrouper(self, cles: list, nom: str | list[str] | None = None) -> Agregats:
        """Les groupes de même clé additionnés (``cles`` : une clé par groupe), dans l'ordre où
        les clés apparaissent ; des clés en n-uplets donnent un index à plusieurs niveaux
        (``nom`` : leurs noms)."""
        uniques = list(dict.fromkeys(cles))
        rangs = {cle: i for i, cle in enumerate(uniques)}
        groupes = np.array([rangs[cle] for cle in cles], dtype=np.int64)

        def sommer(tableau: np.ndarray) -> np.ndarray:
            somme = np.zeros((len(uniques), tableau.shape[1]), dtype=tableau.dtype)
            np.add.at(somme, groupes, tableau)
            return somme

        return Agregats(
            _index(uniques, nom), sommer(self.comptes), {c: sommer(h) for c, h in self.histogrammes.items()}
        )

    def total(self, etiquette: object = "ensemble") -> Agregats:
        """Un seul groupe : la somme de tous."""
        return Agregats(
            pd.Index([etiquette]),
            self.comptes.sum(axis=0, keepdims=True),
            {cle: h.sum(axis=0, keepdims=True) for cle, h in self.histogrammes.items()},
        )

    @staticmethod
    def empiler(agregats: list[Agregats]) -> Agregats:
        """Les groupes de plusieurs agrégats, les uns sous les autres (niveaux d'étiquettes
        nommés comme ceux du premier)."""
        noms = agregats[0].etiquettes.names if agregats else [None]
        return Agregats(
            _index([e for a in agregats for e in a.etiquettes], list(noms) if len(noms) > 1 else noms[0]),
            np.concatenate([a.comptes for a in agregats]),
            {cle: np.concatenate([a.histogrammes[cle] for a in agregats]) for cle in HISTOGRAMMES},
        )


def _index(etiquettes: list, nom: str | list[str] | None) -> pd.Index:
    """Un index d'étiquettes ; des n-uplets donnent un index à plusieurs niveaux."""
    if isinstance(nom, list) or (etiquettes and isinstance(etiquettes[0], tuple)):
        return pd.MultiIndex.from_tuples(etiquettes, names=nom)
    return pd.Index(etiquettes, name=nom)


def agreger(lignes: Lignes, decoupage: Decoupage) -> Agregats:
    """Les agrégats de chaque groupe du découpage (tous, même vides)."""
    g, n = decoupage.groupes, len(decoupage.etiquettes)
    return Agregats(
        decoupage.etiquettes,
        _compter(g, lignes.type, len(TYPES), n),
        {(c, types): _compter(g, lignes.retenus(c, types), _VALEURS_DELAI, n) for c, types in HISTOGRAMMES},
    )


def indicateurs(agregats: Agregats) -> pd.DataFrame:
    """Le tableau des indicateurs : une ligne par groupe, colonnes ``COLONNES_INDICATEURS``."""
    tableau: dict[str, np.ndarray] = {}
    for i, code in enumerate(TYPES):
        tableau[COMPTES[code]] = agregats.comptes[:, i]
    for taux in s.TAUX:
        numerateur = sum(tableau[COMPTES[c]] for c in taux.numerateur)
        denominateur = sum(tableau[COMPTES[c]] for c in taux.denominateur)
        tableau[taux.cle] = rapport(numerateur, denominateur)
    histogrammes = agregats.histogrammes
    for delai in s.DELAIS:
        tableau.update(_stats_delai(histogrammes[delai.colonne, delai.types], delai))
    cr = histogrammes[s.DELAI_CR.colonne, s.DELAI_CR.types]
    for t in s.TRANCHES_CR:
        tableau[DISTRIBUTION + t.cle] = _dans(cr, t)
    taux, rdv = s.TAUX_NON_HONORES, s.DELAI_RDV.colonne
    numerateurs, denominateurs = histogrammes[rdv, taux.numerateur], histogrammes[rdv, taux.denominateur]
    for t in s.TRANCHES_DELAI_RDV:
        tableau[NH_PAR_TRANCHE + t.cle] = rapport(_dans(numerateurs, t), _dans(denominateurs, t))
    return pd.DataFrame(tableau, index=agregats.etiquettes)[COLONNES_INDICATEURS]


def _dans(histogrammes: np.ndarray, tranche: s.Tranche) -> np.ndarray:
    """Par groupe, le nombre de délais de la tranche."""
    fin = _VALEURS_DELAI if tranche.maximum is None else tranche.maximum + 1
    return histogrammes[:, tranche.minimum : fin].sum(axis=1)


def tout(lignes: Lignes) -> Decoupage:
    """Un seul groupe : toutes les lignes."""
    return Decoupage(np.zeros(len(lignes.type), dtype=np.int64), pd.Index(["ensemble"]))


def _compter(g: np.ndarray, valeurs: np.ndarray, modalites: int, n: int) -> np.ndarray:
    """Tableau n × modalites : nombre de lignes de chaque groupe par valeur (0…modalites−1) ;
    les lignes hors groupe ou de valeur −1 vont dans une case en trop, puis écartée."""
    cles = g * modalites + valeurs
    cles[(g < 0) | (valeurs < 0)] = n * modalites
    return np.bincount(cles, minlength=n * modalites + 1)[:-1].reshape(n, modalites)


def rapport(numerateur: np.ndarray, denominateur: np.ndarray) -> np.ndarray:
    """numerateur / denominateur, NaN là où le dénominateur est nul (jamais 0 ni une erreur)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominateur > 0, numerateur / np.maximum(denominateur, 1), np.nan)


def _stats_delai(histogrammes: np.ndarray, delai: s.Delai) -> dict[str, np.ndarray]:
    """n, moyenne, médiane, p90 (et la part sous le seuil) d'un délai, par groupe, à partir de
    l'histogramme de ses valeurs."""
    effectifs = histogrammes.sum(axis=1)
    sommes = histogrammes @ np.arange(_VALEURS_DELAI)
    stats = {
        f"{delai.cle}_n": effectifs,
        f"{delai.cle}_moyenne": rapport(sommes, effectifs),
    }
    cumuls = histogrammes.cumsum(axis=1)
    for nom, q in QUANTILES.items():
        stats[f"{delai.cle}_{nom}"] = _quantile(cumuls, effectifs, q)
    if delai.seuil_part is not None:
        stats[f"{delai.cle}_{delai.cle_part}"] = rapport(cumuls[:, delai.seuil_part], effectifs)
    return stats


def _quantile(cumuls: np.ndarray, effectifs: np.ndarray, q: float) -> np.ndarray:
    """Le quantile q de chaque groupe, lu sur ses effectifs cumulés par valeur : entre les
    valeurs de rang ⌊q(n−1)⌋ et ⌈q(n−1)⌉, interpolation linéaire (numpy « linear »)."""
    position = q * np.maximum(effectifs - 1, 0)
    bas, haut = np.floor(position), np.ceil(position)
    valeur_bas = (cumuls <= bas[:, None]).sum(axis=1)
    valeur_haut = (cumuls <= haut[:, None]).sum(axis=1)
    quantiles = valeur_bas + (position - bas) * (valeur_haut - valeur_bas)
    return np.where(effectifs > 0, quantiles, np.nan)


def par_semaine(lignes: Lignes, dans_la_periode: np.ndarray | None = None, isolees: bool = True) -> Decoupage:
    """Semaines ISO, désignées par leur lundi : toutes, de la première à la dernière semaine
    datée dans la période du recueil (``dans_la_periode`` : masque des lignes ; None : toutes),
    puis, si ``isolees``, chaque semaine hors période qui a des lignes (une date mal frappée,
    « 2001 », n'étire pas le tableau sur dix ans). Sans aucune date dans la période, toutes
    les semaines de la première à la dernière datée."""
    return _suite(lundis(lignes.jour), np.timedelta64(7, "D"), "semaine", dans_la_periode, isolees)


def par_mois(lignes: Lignes, dans_la_periode: np.ndarray | None = None) -> Decoupage:
    """Mois civils, comme les semaines (``par_semaine``)."""
    suite = _suite(lignes.jour.astype("datetime64[M]"), np.timedelta64(1, "M"), "mois", dans_la_periode)
    return Decoupage(suite.groupes, pd.PeriodIndex(suite.etiquettes, freq="M", name="mois"))


def _suite(
    debuts: np.ndarray, pas: np.timedelta64, nom: str, dans: np.ndarray | None, isolees: bool = True
) -> Decoupage:
    datees = ~np.isnat(debuts)
    continues = datees if dans is None else datees & dans
    if not continues.any():  # aucune date dans la période : c'est la période qui est fausse
        continues = datees
    suite = (
        np.arange(debuts[continues].min(), debuts[continues].max() + pas, pas)
        if continues.any()
        else debuts[:0]
    )
    hors = datees & ~continues if isolees else np.zeros_like(datees)
    etiquettes = np.union1d(suite, debuts[hors]) if hors.any() else suite
    rangs = np.full(len(debuts), -1, dtype=np.int64)
    if len(suite):
        # Dans la suite continue, le rang se calcule ; seules les rares dates hors période se cherchent.
        avant = int(np.searchsorted(etiquettes, suite[0]))
        rangs[continues] = avant + (debuts[continues] - suite[0]) // pas
    rangs[hors] = np.searchsorted(etiquettes, debuts[hors])
    return Decoupage(rangs, pd.Index(etiquettes, name=nom))


def par_periode(lignes: Lignes, calendrier: Calendrier) -> Decoupage:
    """Périodes entre jalons : « avant J1 » … jusqu'au dernier jalon, et « après » s'il y a des
    données au-delà."""
    periodes = calendrier.periodes()
    bornes = np.array([p.debut for p in periodes[1:]], dtype="datetime64[D]")
    rangs = np.searchsorted(bornes, lignes.jour, side="right")
    rangs = np.where(np.isnat(lignes.jour), -1, rangs)
    montrees = len(periodes) if (rangs == len(periodes) - 1).any() else len(periodes) - 1
    return Decoupage(rangs, pd.Index([p.libelle for p in periodes[:montrees]], name="periode"))


def par_liste(valeurs: pd.Categorical, nom: str) -> Decoupage:
    """Les libellés d'une liste (modalités, provenances) qui ont au moins une ligne, dans
    l'ordre de la liste."""
    codes = np.asarray(valeurs.codes, dtype=np.int64)
    presents = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(valeurs.categories)))
    renumerotes = np.full(len(valeurs.categories) + 1, -1)
    renumerotes[presents] = np.arange(len(presents))
    return Decoupage(renumerotes[codes], pd.Index(valeurs.categories[presents], name=nom))


def croise(a: Decoupage, b: Decoupage) -> Decoupage:
    """Le découpage croisé (provenance × modalité) : les couples présents, dans l'ordre."""
    nb = len(b.etiquettes)
    codes = np.where((a.groupes >= 0) & (b.groupes >= 0), a.groupes * nb + b.groupes, -1)
    presents = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(a.etiquettes) * nb))
    renumerotes = np.full(len(a.etiquettes) * nb + 1, -1)
    renumerotes[presents] = np.arange(len(presents))
    etiquettes = pd.MultiIndex.from_arrays(
        [a.etiquettes[presents // nb], b.etiquettes[presents % nb]],
        names=[a.etiquettes.name, b.etiquettes.name],
    )
    return Decoupage(renumerotes[codes], etiquettes)
