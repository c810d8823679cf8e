"""La région simulée : déterministe, réaliste (les ordres de grandeur publiés en imagerie),
marquée par l'effet du coaching, parsemée d'erreurs de saisie ; la démonstration et les
exemples qui en sont tirés."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from coaching_xl.cli import main
from moteur.resultat import analyser
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.simulation import (
    ABSENT,
    CONVENTIONNELLE,
    EXTERNE,
    IRM,
    NH,
    NP,
    SCANNER,
    URGENCES,
    annee_mal_frappee,
    ecrire_exemples,
    region,
    simuler,
)
from tests.conftest import RACINE
from tests.outils import differences

EXEMPLES = RACINE / "exemples"


@pytest.fixture(scope="module")
def lignes() -> pd.DataFrame:
    """Les lignes de vingt établissements simulés, mises bout à bout."""
    recueils = [simuler(p) for p in region(20)]
    return pd.DataFrame({
        cle: np.concatenate([getattr(r, cle) for r in recueils])
        for cle in ("dates", "modalites", "provenances", "types", "delai_rdv", "delai_cr")
    })  # fmt: skip


def _avant(lignes: pd.DataFrame, code: str) -> pd.DataFrame:
    return lignes[lignes["dates"] < np.datetime64(CALENDRIER_DEFAUT.jalon(code).date)]


def _apres(lignes: pd.DataFrame, code: str) -> pd.DataFrame:
    return lignes[lignes["dates"] >= np.datetime64(CALENDRIER_DEFAUT.jalon(code).date)]


def _taux_non_honores(lignes: pd.DataFrame) -> float:
    programmes = lignes[lignes["types"] != NP]
    return float((programmes["types"] == NH).mean())


def test_deterministe():
    a, b = simuler(region(3)[1]), simuler(region(3)[1])
    assert np.array_equal(a.dates, b.dates) and np.array_equal(a.types, b.types)
    assert a.saisies == b.saisies
    autre = simuler(region(3, graine=7)[1])
    assert len(autre) != len(a) or not np.array_equal(autre.types, a.types)
    assert [p.identite.etablissement for p in region(3)] == [p.identite.etablissement for p in region(5)][:3]


def test_etablissements_distincts():
    profils = region(40)
    assert len({p.identite.etablissement for p in profils}) == 40
    assert len({p.identite.finess for p in profils}) == 40


def test_non_honores_comme_en_imagerie(lignes):
    """Avant le coaching : IRM ≈ 4 %, scanner ≈ 7 %, radiologie conventionnelle au-dessus."""
    avant = _avant(lignes, "J1")
    par_modalite = {
        m: _taux_non_honores(avant[avant["modalites"] == m]) for m in (IRM, SCANNER, CONVENTIONNELLE)
    }
    assert 0.025 <= par_modalite[IRM] <= 0.06
    assert 0.05 <= par_modalite[SCANNER] <= 0.095
    assert par_modalite[CONVENTIONNELLE] > par_modalite[SCANNER] > par_modalite[IRM]


@pytest.mark.parametrize("modalite", [CONVENTIONNELLE, SCANNER, IRM])
def test_non_honores_plus_nombreux_quand_le_rdv_est_lointain(lignes, modalite):
    """À modalité égale (l'IRM, aux délais longs, a peu d'absents : tous ensemble, les deux
    effets se mêlent)."""
    programmes = lignes[(lignes["types"] != NP) & (lignes["modalites"] == modalite)]
    proches = _taux_non_honores(programmes[programmes["delai_rdv"] <= 7])
    lointains = _taux_non_honores(programmes[programmes["delai_rdv"] > 30])
    assert lointains > 1.5 * proches


def test_delais_d_obtention(lignes):
    programmes = lignes[lignes["types"] != NP]
    irm = programmes[programmes["modalites"] == IRM]
    externes = irm[irm["provenances"] == EXTERNE]["delai_rdv"].median()
    hospitalises = irm[irm["provenances"] >= 2]["delai_rdv"].median()
    assert 14 <= externes <= 45  # quelques semaines
    assert 3 <= hospitalises <= 12  # une semaine environ


def test_non_programmes_selon_la_provenance(lignes):
    part = lignes.groupby("provenances")["types"].apply(lambda t: float((t == NP).mean()))
    assert part[URGENCES] > 0.8
    assert part[EXTERNE] < 0.1


def test_comptes_rendus_surtout_a_j0_j2_avec_une_traine(lignes):
    delais = lignes.loc[lignes["delai_cr"] >= 0, "delai_cr"]
    assert (delais <= 2).mean() > 0.7
    assert (delais > 7).mean() > 0.01
    assert delais.max() > 14


def test_effet_du_coaching(lignes):
    avant, apres = _avant(lignes, "J2"), _apres(lignes, "J4")
    assert _taux_non_honores(apres) < 0.85 * _taux_non_honores(avant)
    services_avant = avant[avant["provenances"] >= 2]
    services_apres = apres[apres["provenances"] >= 2]
    assert (services_apres["types"] == NP).mean() < 0.85 * (services_avant["types"] == NP).mean()


def test_interruption_et_arret():
    profils = region(5)
    interrompu, arrete = simuler(profils[2]), simuler(profils[4])
    debut, fin = (np.datetime64(j) for j in profils[2].interruption)
    assert not ((interrompu.dates >= debut) & (interrompu.dates <= fin)).any()
    assert arrete.dates.max() < np.datetime64(profils[4].arret)


def test_erreurs_de_saisie_relevees_par_le_controle(tmp_path):
    from recueil.simulation import ecrire_region

    (grille,) = ecrire_region(tmp_path, region(2)[1:])
    controle = analyser(grille).controle
    codes = set(controle.par_code())
    assert {"valeur-hors-liste", "champ-manquant", "delai-invalide"} <= codes
    erreurs = controle.compte(s.ERREUR)
    assert 0 < erreurs < 0.01 * controle.lignes_lues


def test_exemples_a_jour(tmp_path):
    ecrits = ecrire_exemples(tmp_path)
    for chemin in ecrits:
        reference = EXEMPLES / chemin.name
        assert reference.exists(), f"exemples/{chemin.name} manque"
        if chemin.suffix == ".xlsx":
            ecarts = differences(chemin, reference)
        else:
            ecarts = [] if chemin.read_bytes() == reference.read_bytes() else [chemin.name]
        assert not ecarts, (
            f"exemples/{chemin.name} ne correspond plus à la simulation ({ecarts}). Régénérez : "
            "python -c 'from recueil.simulation import ecrire_exemples; ecrire_exemples(\"exemples\", ecraser=True)'"
        )


def test_demo(tmp_path):
    dossier = tmp_path / "demo"
    resultat = CliRunner().invoke(main, ["demo", "-o", str(dossier)])
    assert resultat.exit_code == 0, resultat.output
    assert f"Démonstration écrite dans {dossier}/" in resultat.stdout
    assert f"Ouvrez d'abord {dossier / 'consolidation_J5.xlsx'}" in resultat.stdout
    assert len(list((dossier / "fiches_J5").glob("fiche_*.pdf"))) == 5
    assert (dossier / "fiches_J5" / "synthese_regionale.pdf").exists()
    assert sorted(p.name for p in (dossier / "modeles").iterdir()) == sorted(
        p.name for p in (RACINE / "templates_xlsx").iterdir()
    )
    grilles = sorted((dossier / "region").glob("grille_*.xlsx"))
    assert len(grilles) == 5
    for grille in grilles:
        assert {"Indicateurs", "Services demandeurs", "Anomalies"} <= set(
            load_workbook(grille, read_only=True).sheetnames
        )
    completude = load_workbook(dossier / "consolidation_J5.xlsx")["Complétude"]
    statuts = {ligne[0]: ligne[3] for ligne in completude.iter_rows(values_only=True) if ligne[3]}
    assert statuts[ABSENT.etablissement] == "Manquante"
    assert sum(statut == "Reçue" for statut in statuts.values()) == 5
    # La campagne (generate --attendus), la base (consolidate --base), un signalement de qualité des
    # données et une feuille de route en retard.
    campagne = sorted(p.name for p in (dossier / "campagne").iterdir() if p.is_dir())
    assert len(campagne) == 6 and "centre_hospitalier_de_vervonne" in campagne
    assert (dossier / "campagne" / "index_campagne.csv").exists()
    assert (dossier / "base_J5.parquet").exists() and (dossier / "base_J5.xlsx").exists()
    qualite = [ligne for ligne in load_workbook(dossier / "consolidation_J5.xlsx")["Qualité des données"]
               .iter_rows(values_only=True) if ligne[3] == "à vérifier"]  # fmt: skip
    assert any(ligne[1] == "Grille pas à jour au jalon" for ligne in qualite)
    avancement = load_workbook(dossier / "consolidation_J5.xlsx")["Avancement"]
    assert any(ligne[4] == "À faire" for ligne in avancement.iter_rows(values_only=True))
    assert "de feuille de route en retard" in resultat.stdout
    assert sorted(p.name for p in (dossier / "presentations").iterdir()) == [
        "cme_centre_hospitalier_de_valbrune.pptx", "point_etape_J3.pptx", "point_etape_J5.pptx",
    ]  # fmt: skip

    # Une seconde démonstration au même endroit ne remplace rien sans --ecraser.
    avant = {p: p.read_bytes() for p in dossier.rglob("*.xlsx")}
    resultat = CliRunner().invoke(main, ["demo", "-o", str(dossier)])
    assert resultat.exit_code == 1
    assert "existe déjà" in resultat.stderr and "--ecraser" in resultat.stderr
    assert {p: p.read_bytes() for p in dossier.rglob("*.xlsx")} == avant


def test_annee_mal_frappee_un_29_fevrier():
    """Une campagne qui couvre un 29 février ne fait pas échouer la simulation."""
    assert annee_mal_frappee(date(2024, 2, 29)) == date(2001, 2, 28)
    assert annee_mal_frappee(date(2010, 9, 6)) == date(2001, 9, 6)
