"""La campagne de la Cellule Performance (issue 18) : préparer les grilles de tous les
établissements (generate --attendus), suivre les anomalies d'un calcul à l'autre, la base
régionale (consolidate --base), la qualité des données entre établissements et dans le temps,
les feuilles de route relues."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from coaching_xl.cli import main
from moteur.consolidation import consolider, document_consolidation
from moteur.controles import controler
from moteur.feuille_de_route import lire_feuille_de_route
from moteur.lecture import lire_grille
from moteur.qualite import score_z_modifie
from rapports.base import ecrire_base
from rapports.consolidation import FEUILLES, construire
from recueil import schema as s
from recueil.attendus import lire_attendus
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.generer import INDEX_CAMPAGNE
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from recueil.simulation import region
from tests import jeux

ATTENDUS = "etablissement;finess;dt;referent_dt\nCH de Valmont;750000001;DT Nord;Mme Durand\nCHU d'Aubrac;750000002;DT Sud;\n"


def invoquer(*arguments: str):
    return CliRunner().invoke(main, [str(a) for a in arguments])


# --- generate --attendus ---------------------------------------------------------------------


def test_campagne_une_grille_pre_remplie_par_etablissement(tmp_path):
    csv = tmp_path / "attendus.csv"
    csv.write_text(ATTENDUS, encoding="utf-8")
    resultat = invoquer("generate", "--attendus", csv, "-o", tmp_path / "campagne", "--lignes", 50)
    assert resultat.exit_code == 0, resultat.output
    assert "2 établissements" in resultat.stdout
    valmont = tmp_path / "campagne" / "ch_de_valmont"
    assert sorted(p.name for p in valmont.iterdir()) == sorted([
        "grille_recueil.xlsx", "convention_etablissement_ars.xlsx", "equipe_projet.xlsx",
        "contrat_imagerie_services.xlsx", "feuille_de_route.xlsx",
    ])  # fmt: skip
    parametres = lire_grille(valmont / "grille_recueil.xlsx").parametres
    assert (parametres["etablissement"], parametres["finess"], parametres["dt"], parametres["referent_dt"]) == (
        "CH de Valmont", "750000001", "DT Nord", "Mme Durand",
    )  # fmt: skip
    route = lire_feuille_de_route(valmont / "feuille_de_route.xlsx")
    assert (route.etablissement, route.finess) == ("CH de Valmont", "750000001")
    index = (tmp_path / "campagne" / INDEX_CAMPAGNE).read_text(encoding="utf-8-sig").splitlines()
    assert index[0] == "etablissement;finess;dt;referent_dt;dossier;fichiers"
    assert index[2].startswith("CHU d'Aubrac;750000002;DT Sud;;chu_d_aubrac;grille_recueil.xlsx")
    # Une seconde campagne au même endroit ne remplace rien sans --ecraser.
    avant = {p: p.read_bytes() for p in (tmp_path / "campagne").rglob("*") if p.is_file()}
    resultat = invoquer("generate", "--attendus", csv, "-o", tmp_path / "campagne", "--lignes", 50)
    assert resultat.exit_code == 1 and "--ecraser" in resultat.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "campagne").rglob("*") if p.is_file()} == avant


def test_campagne_lignes_fautives_citees_rien_n_est_ecrit(tmp_path):
    csv = tmp_path / "attendus.csv"
    csv.write_text(ATTENDUS + "Clinique X;12;;\nch de valmont;;;\n", encoding="utf-8")
    resultat = invoquer("generate", "--attendus", csv, "-o", tmp_path / "campagne")
    assert resultat.exit_code == 1
    assert "ligne 4 (Clinique X) : Numéro FINESS « 12 » invalide" in resultat.stderr
    assert "ligne 5 : « ch de valmont » figure déjà ligne 2." in resultat.stderr
    assert "rien n'a été écrit" in resultat.stderr and "Traceback" not in resultat.output
    assert not (tmp_path / "campagne").exists()
    resultat = invoquer("generate", "--attendus", csv, "--etablissement", "X", "-o", tmp_path / "c")
    assert resultat.exit_code == 2 and "retirez" in resultat.stderr


def test_attendus_referent_dt_facultatif(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("etablissement,finess\nCH A,750000001\n", encoding="utf-8")
    (attendu,) = lire_attendus(csv)
    assert (attendu.etablissement, attendu.finess, attendu.referent_dt, attendu.ligne) == (
        "CH A",
        "750000001",
        None,
        2,
    )


# --- Le suivi des anomalies -------------------------------------------------------------------

LIGNES_SUIVI = [
    *jeux.LIGNES[:6],
    (date(2010, 10, 4), "Scaner", "Externe", jeux.H, 3, 1),  # erreur : valeur hors liste (B11)
    (date(2010, 10, 5), "IRM", "Externe", jeux.H, None, 1),  # avertissement : délai manquant (E12)
]


def _marquer(classeur: Path, suivis: dict[str, tuple[str, str]]) -> None:
    """L'établissement remplit les colonnes Suivi et Commentaire (cellule citée → choix)."""
    livre = load_workbook(classeur)
    feuille = livre["Anomalies"]
    for rang in range(7, feuille.max_row + 1):
        cellule = feuille.cell(rang, 1).value
        if cellule in suivis:
            feuille.cell(rang, 7).value, feuille.cell(rang, 8).value = suivis[cellule]
    livre.save(classeur)


def _suivi(classeur: Path) -> dict[str, tuple]:
    anomalies = controler(lire_grille(classeur)).anomalies
    cellules = anomalies["colonne"] + anomalies["ligne"].astype(str)
    return dict(zip(cellules, zip(anomalies["suivi"], anomalies["commentaire"], strict=True), strict=True))


def test_suivi_garde_d_un_calcul_a_l_autre(tmp_path):
    grille = ecrire_grille(tmp_path, OptionsGrille(), LIGNES_SUIVI)
    assert invoquer("compute", grille).exit_code == 0  # une erreur n'arrête pas le calcul
    assert set(_suivi(grille).values()) == {(s.A_CORRIGER, "")}
    _marquer(grille, {
        "E12": (s.VERIFIEE, "Délai non communiqué : patient parti à l'étranger"),
        "B11": (s.VERIFIEE, "C'est bien un scanner"),
    })  # fmt: skip
    suivi = _suivi(grille)
    assert suivi["E12"] == (s.VERIFIEE, "Délai non communiqué : patient parti à l'étranger")
    # Une erreur ne peut être que corrigée : elle reste « À corriger », son commentaire gardé.
    assert suivi["B11"] == (s.A_CORRIGER, "C'est bien un scanner")
    resultat = invoquer("compute", grille, "--format", "json")
    document = json.loads(resultat.stdout)
    assert document["anomalies"]["verifiees"] == 1
    liste = {a["cellule"]: a for a in document["anomalies"]["liste"]}
    assert liste["Recueil!E12"]["suivi"] == s.VERIFIEE
    # Le nouveau calcul a réécrit la feuille Anomalies avec le suivi, et son menu déroulant.
    feuille = load_workbook(grille)["Anomalies"]
    lignes = {feuille.cell(r, 1).value: r for r in range(7, feuille.max_row + 1)}
    assert feuille.cell(lignes["E12"], 7).value == s.VERIFIEE
    assert feuille.cell(lignes["B11"], 8).value == "C'est bien un scanner"
    menus = {str(v.sqref): v.formula1 for v in feuille.data_validations.dataValidation}
    assert menus[f"G{lignes['B11']}"] == f'"{s.A_CORRIGER}"'
    assert menus[f"G{lignes['E12']}"] == f'"{s.A_CORRIGER},{s.VERIFIEE}"'
    assert "dont 1 vérifié et exact" in invoquer("check", grille).stdout


def test_une_valeur_changee_rouvre_l_anomalie(tmp_path):
    grille = ecrire_grille(tmp_path, OptionsGrille(), LIGNES_SUIVI)
    invoquer("compute", grille)
    _marquer(grille, {"E12": (s.VERIFIEE, "exact")})
    livre = load_workbook(grille)
    livre["Recueil"]["E12"].value = "abc"  # l'établissement change la valeur : une autre anomalie
    livre.save(grille)
    suivi = _suivi(grille)
    assert suivi["E12"] == (s.A_CORRIGER, "")


def test_suivi_compte_a_part_dans_la_consolidation(tmp_path):
    grille = ecrire_grille(tmp_path, OptionsGrille(identite=Identite("CH A", "750000001")), LIGNES_SUIVI)
    invoquer("compute", grille)
    _marquer(grille, {"E12": (s.VERIFIEE, "exact")})
    consolidation = consolider([tmp_path], "J2", CALENDRIER_DEFAUT)
    assert consolidation.retenues[0].verifiees == 1
    document = document_consolidation(consolidation)
    assert document["etablissements"][0]["anomalies"] == {"erreurs": 1, "avertissements": 1, "infos": 0,
                                                          "verifiees": 1}  # fmt: skip
    complet = construire(consolidation)
    assert "Qualité des données" in [f.nom for f in complet.feuilles]


# --- La base régionale ------------------------------------------------------------------------


def test_base_une_ligne_par_ligne_lue(region_simulee, tmp_path):
    sortie = tmp_path / "consolidation_J3.xlsx"
    resultat = invoquer("consolidate", region_simulee, "--jalon", "J3", "-o", sortie, "--base")
    assert resultat.exit_code == 0, resultat.output
    base = pq.read_table(tmp_path / "base_J3.parquet")
    consolidation = consolider([region_simulee], "J3", CALENDRIER_DEFAUT)
    assert base.num_rows == sum(g.lignes_lues for g in consolidation.retenues)
    assert base.column_names == [
        "etablissement", "finess", "dt", "fichier", "ligne_excel", "date_lu", "modalite_lu", "provenance_lu",
        "type_rdv_lu", "delai_rdv_lu", "delai_cr_lu", "date", "modalite", "provenance", "type_rdv", "delai_rdv",
        "delai_cr", "periode", "semaine", "anomalies",
    ]  # fmt: skip
    donnees = base.to_pandas()
    assert set(donnees["etablissement"]) == {g.nom for g in consolidation.retenues}
    copie = donnees[donnees["finess"] == "750009999"]
    assert (copie["type_rdv"] == jeux.H).all() and (copie["delai_rdv"] == 12).all()
    premiere = copie.iloc[0]
    assert premiere["periode"] == "avant J1" and premiere["semaine"] == CALENDRIER_DEFAUT.debut_recueil - timedelta(
        days=CALENDRIER_DEFAUT.debut_recueil.weekday())  # fmt: skip
    # Une ligne à anomalie porte ses codes ; une valeur écartée est vide, la valeur lue reste.
    fautives = donnees[donnees["anomalies"].notna()]
    assert len(fautives) and fautives["anomalies"].str.match(r"^[a-z-]+(, [a-z-]+)*$").all()
    ecartees = donnees[donnees["anomalies"].fillna("").str.contains("valeur-hors-liste")]
    assert len(ecartees) and (ecartees["modalite"].isna() | ecartees["provenance"].isna()).all()
    assert (ecartees["modalite_lu"].notna() & ecartees["provenance_lu"].notna()).all()
    # Le classeur : un vrai tableau Excel avec ses filtres, les dates en dates.
    livre = load_workbook(tmp_path / "base_J3.xlsx")
    feuille = livre["Base"]
    ((nom, plage),) = feuille.tables.items()
    assert nom == "Base" and plage == f"A1:T{base.num_rows + 1}"
    assert feuille["A1"].value == "Établissement" and feuille["L1"].value == "Date"
    assert feuille["L2"].is_date and feuille["S2"].is_date
    assert "Base régionale" in resultat.stdout


def test_base_au_dela_d_une_feuille_excel(region_simulee, tmp_path, monkeypatch):
    import rapports.base

    consolidation = consolider([region_simulee], "J3", CALENDRIER_DEFAUT, base=True)
    monkeypatch.setattr(rapports.base, "LIGNES_EXCEL", 100)
    ecriture = ecrire_base(consolidation.base, tmp_path / "consolidation_J3.xlsx", "J3")
    assert ecriture.xlsx is None and not (tmp_path / "base_J3.xlsx").exists()
    assert (tmp_path / "base_J3.parquet").exists()
    assert "dépasse" in ecriture.message and "Parquet" in ecriture.message


# --- La qualité des données -------------------------------------------------------------------


def test_score_z_modifie():
    valeurs = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0, math.nan], index=list("abcdef"))
    z = score_z_modifie(valeurs)
    # médiane 3, MAD 1 : 0,6745 × (100 − 3) / 1
    assert z["e"] == pytest.approx(0.6745 * 97) and z["c"] == 0 and math.isnan(z["f"])
    # MAD nulle : l'écart absolu moyen prend le relais.
    z = score_z_modifie(pd.Series([5.0, 5.0, 5.0, 5.0, 9.0]))
    assert z.iloc[4] == pytest.approx(0.7978846482 * 4 / 0.8)
    assert score_z_modifie(pd.Series([2.0, 2.0])).isna().all()


def test_qualite_des_donnees(region_simulee):
    consolidation = consolider([region_simulee], "J3", CALENDRIER_DEFAUT)
    qualite = consolidation.qualite
    copie = {sig.controle for sig in qualite.de("Clinique du Copier-Coller")}
    assert {"tout_honore", "une_modalite", "delais_identiques", "aberrante"} <= copie
    aberrante = next(sig for sig in qualite.de("Clinique du Copier-Coller") if sig.controle == "aberrante")
    assert "score z modifié" in aberrante.message and aberrante.niveau in ("à vérifier", "extrême")
    # Aucun signalement ne change un chiffre : la grille reste classée avec ses valeurs.
    assert consolidation.dernieres.loc["Clinique du Copier-Coller", s.TAUX_NON_HONORES.cle] == 0
    document = document_consolidation(consolidation)["qualite_des_donnees"]
    assert document["periode"] == "J2→J3" and document["note"] is None
    assert {e["etablissement"] for e in document["etablissements"]} == {g.nom for g in consolidation.retenues}
    # La grille arrêtée avant la clôture (simulation) n'est pas à jour au jalon J5.
    j5 = consolider([region_simulee], "J5", CALENDRIER_DEFAUT).qualite
    assert any(sig.controle == "pas_a_jour" for sig in j5.signalements)
    assert any(sig.controle == "rupture" for sig in j5.signalements)


def test_qualite_moins_de_cinq_etablissements(tmp_path):
    for i in range(3):
        ecrire_grille(tmp_path, OptionsGrille(identite=Identite(f"CH {i}", f"75000000{i}")), jeux.LIGNES,
                      nom=f"g{i}.xlsx")  # fmt: skip
    qualite = consolider([tmp_path], "J2", CALENDRIER_DEFAUT).qualite
    assert "il en faut au moins 5" in qualite.note
    assert not any(sig.controle == "aberrante" for sig in qualite.signalements)


# --- Les feuilles de route relues -------------------------------------------------------------


def test_avancement_des_feuilles_de_route(region_simulee, tmp_path):
    j3 = consolider([region_simulee], "J3", CALENDRIER_DEFAUT)
    avancement = j3.avancement
    assert avancement is not None and len(avancement.routes) == 6
    assert avancement.closes == ["J1→J2", "J2→J3"]
    noms = {g.nom for g in j3.retenues}
    assert {r.etablissement for r in avancement.routes} <= noms
    for route in avancement.routes:
        faits = [p for p in route.points if p.periode == "J1→J2" and p.statut != "Sans objet"]
        assert route.part(None, "J1→J2") == pytest.approx(sum(p.statut == "Fait" for p in faits) / len(faits))
    assert all(p.periode in avancement.closes for p in avancement.en_retard())
    j5 = consolider([region_simulee], "J5", CALENDRIER_DEFAUT)
    en_retard = {p.etablissement for p in j5.avancement.en_retard()}
    arretee = next(p.identite.etablissement for p in region(6, 2010, CALENDRIER_DEFAUT) if p.arret)
    assert arretee in en_retard
    document = document_consolidation(j5)["avancement"]
    assert document["periodes_closes"] == ["J1→J2", "J2→J3", "J3→J4", "J4→J5"]
    assert len(document["en_retard"]) == len(j5.avancement.en_retard())
    classeur = construire(j5)
    assert [f.nom for f in classeur.feuilles] == [*FEUILLES, "Avancement"]


def test_feuille_de_route_illisible_signalee(region_simulee, tmp_path):
    for fichier in region_simulee.glob("*.xlsx"):
        shutil.copy(fichier, tmp_path)
    route = next(tmp_path.glob("feuille_de_route_*.xlsx"))
    contenu = route.read_bytes()
    route.write_bytes(contenu[: len(contenu) // 2])  # tronquée : plus un zip, plus reconnue
    consolidation = consolider([tmp_path], "J3", CALENDRIER_DEFAUT)
    assert len(consolidation.avancement.routes) == 5


def test_suivi_relu_dans_ses_colonnes_et_non_dans_les_comptes(tmp_path):
    """La ligne 6 de la feuille Anomalies porte deux fois « Code » et « Gravité » (la liste, puis
    les comptes par code à droite) : le suivi se relit dans la liste, quel que soit l'ordre des
    comptes."""
    lignes = [
        *jeux.LIGNES[:6],
        LIGNES_SUIVI[7],
        LIGNES_SUIVI[6],
    ]  # l'avertissement (E11) avant l'erreur (B12)
    grille = ecrire_grille(tmp_path, OptionsGrille(), lignes)
    invoquer("compute", grille)
    feuille = load_workbook(grille)["Anomalies"]
    assert [feuille["D7"].value, feuille["J7"].value] == ["delai-rdv-manquant", "valeur-hors-liste"]
    _marquer(grille, {"E11": (s.VERIFIEE, "exact")})
    assert _suivi(grille)["E11"] == (s.VERIFIEE, "exact")
