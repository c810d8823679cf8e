"""Propriétés des indicateurs sur des grilles tirées au hasard (hypothesis) : les découpages
s'additionnent, les taux restent dans [0, 1], l'ordre des lignes et les lignes vides ne
changent rien."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moteur.controles import controler
from moteur.indicateurs import COLONNES_ENTIERES
from moteur.lecture import Grille, lire_grille
from moteur.resultat import Resultat, calculer, document_compute
from recueil import schema as s
from recueil.grille import OptionsGrille, ecrire_grille

DEBUT = date(2010, 9, 1)
dates = st.one_of(
    st.integers(0, 200).map(lambda j: (DEBUT + timedelta(days=j)).isoformat() + " 00:00:00"),
    st.sampled_from([None, "32/13/2010", "06/10/2010", "lundi 4 octobre 2010"]),
)
modalites = st.sampled_from([*s.MODALITES.defaut, "scanner", "Scaner", None])
provenances = st.sampled_from([*s.PROVENANCES.defaut[:4], "urgences ", "Cardio", None])
types = st.sampled_from([*(t.libelle for t in s.TYPES_RDV), "programmé honoré", "Annulé", None])
delais = st.one_of(st.integers(0, 400).map(str), st.sampled_from([None, "2.5", "x", "3.0"]))
ligne = st.tuples(dates, modalites, provenances, types, delais, delais).filter(
    lambda valeurs: any(v is not None for v in valeurs)
)
lignes = st.lists(ligne, min_size=0, max_size=60)


def grille_en_memoire(lignes: list[tuple]) -> Grille:
    """Ce que la lecture rendrait d'un fichier contenant ces lignes (valeurs en texte)."""
    colonnes = list(zip(*lignes, strict=True)) if lignes else [()] * len(s.COLONNES)
    return Grille(
        chemin=Path("memoire.xlsx"),
        feuille=s.FEUILLE_RECUEIL,
        ligne_entete=s.LIGNE_ENTETE,
        lettres={c.cle: c.lettre for c in s.COLONNES},
        lignes=np.arange(s.PREMIERE_LIGNE, s.PREMIERE_LIGNE + len(lignes)),
        valeurs={c.cle: pa.array(list(v), pa.string()) for c, v in zip(s.COLONNES, colonnes, strict=True)},
        listes={liste.cle: liste.defaut for liste in s.LISTES},
        listes_du_classeur=True,
    )


def resultat(lignes: list[tuple]) -> Resultat:
    return calculer(controler(grille_en_memoire(lignes), date(2011, 3, 1)))


def indicateurs_seuls(document: dict) -> dict:
    """Le document sans ce qui dépend de l'emplacement des lignes (cellules des anomalies)."""
    sans = {k: v for k, v in document.items() if k not in ("fichier", "anomalies")}
    sans["anomalies"] = document["anomalies"]["par_code"]
    return sans


@settings(max_examples=150, deadline=None)
@given(lignes)
def test_les_decoupages_s_additionnent(lignes):
    r = resultat(lignes)
    donnees = r.controle.donnees
    types_valides = donnees["type"].notna()
    datees = types_valides & donnees["date"].notna()
    comptes = ["honores", "non_honores", "non_programmes"]
    assert r.ensemble[comptes].sum() == types_valides.sum()
    for nom in ("semaine", "mois", "periode"):
        assert r.par[nom][comptes].to_numpy().sum() == datees.sum(), nom
        assert (r.par[nom][COLONNES_ENTIERES].sum() <= r.ensemble[COLONNES_ENTIERES]).all()
    for nom in ("modalite", "provenance"):
        assert r.par[nom][comptes].to_numpy().sum() == (types_valides & donnees[nom].notna()).sum()
    croise = r.par["provenance_modalite"][comptes].to_numpy().sum()
    assert croise == (types_valides & donnees["modalite"].notna() & donnees["provenance"].notna()).sum()
    assert (
        r.ensemble["delai_cr_n"]
        == r.ensemble[[c for c in r.ensemble.index if c.startswith("distribution_cr_")]].sum()
    )


@settings(max_examples=150, deadline=None)
@given(lignes)
def test_taux_entre_0_et_1(lignes):
    r = resultat(lignes)
    for tableau in (r.ensemble.to_frame().T, *r.par.values()):
        for colonne in (*(t.cle for t in s.TAUX), "delai_cr_part_48h"):
            valeurs = tableau[colonne].to_numpy(dtype=float)
            valeurs = valeurs[~np.isnan(valeurs)]
            assert ((valeurs >= 0) & (valeurs <= 1)).all()
        for colonne in [c for c in tableau.columns if c.startswith("non_honores_par_tranche")]:
            valeurs = tableau[colonne].to_numpy(dtype=float)
            assert np.all(np.isnan(valeurs) | ((valeurs >= 0) & (valeurs <= 1)))


@settings(max_examples=100, deadline=None)
@given(lignes, st.randoms(use_true_random=False))
def test_l_ordre_des_lignes_ne_change_rien(lignes, hasard):
    melangees = list(lignes)
    hasard.shuffle(melangees)
    assert indicateurs_seuls(document_compute(resultat(melangees))) == indicateurs_seuls(
        document_compute(resultat(lignes))
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ligne, min_size=1, max_size=15), st.integers(0, 15))
def test_une_ligne_vide_ne_change_rien(tmp_path, lignes, position):
    """Dans un vrai fichier : une ligne vide insérée n'est ni lue ni comptée."""
    avec_vide = list(lignes)
    avec_vide.insert(min(position, len(lignes)), (None,) * 6)
    sans = lire_grille(ecrire_grille(tmp_path / "sans", OptionsGrille(lignes=100), lignes, ecraser=True))
    avec = lire_grille(ecrire_grille(tmp_path / "avec", OptionsGrille(lignes=100), avec_vide, ecraser=True))
    assert len(avec.lignes) == len(sans.lignes) == len(lignes)
    aujourdhui = date(2011, 3, 1)
    assert indicateurs_seuls(document_compute(calculer(controler(avec, aujourdhui)))) == indicateurs_seuls(
        document_compute(calculer(controler(sans, aujourdhui)))
    )
