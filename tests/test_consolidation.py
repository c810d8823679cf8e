"""`coaching-xl consolidate` : la région en rapports de sommes (vérifiés à la main sur trois
petites grilles), les grilles illisibles, étrangères ou en double listées sans arrêter les
autres, le JSON de SPEC §8, la complétude, le calendrier, et le classeur relu par LibreOffice."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from coaching_xl.cli import main
from moteur.consolidation import (
    REGION,
    classement,
    consolider,
    document_consolidation,
    periodes_jusqua,
    positions,
    trouver_grilles,
)
from moteur.resultat import analyser
from rapports import feuilles
from rapports.consolidation import FEUILLES, ecrire_consolidation
from recueil import annexes
from recueil import schema as s
from recueil.attendus import lire_attendus
from recueil.calendrier import CALENDRIER_DEFAUT, lire_calendrier
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from socle.erreurs import ErreurParametre
from tests.libreoffice import cellule
from tests.test_grille_libreoffice import nombre

H, NH, NP = (t.libelle for t in s.TYPES_RDV)

# Trois petites grilles ; consolidées au jalon J2 (10/11/2010) : périodes « avant J1 » (jusqu'au
# 11/10/2010) et « J1→J2 » (du 12/10 au 09/11/2010).
ALPHA = [
    (date(2010, 9, 6), "Scanner", "Externe", H, 10, 1),
    (date(2010, 9, 7), "Scanner", "Externe", NH, 20, None),
    (date(2010, 10, 13), "IRM", "Externe", H, 30, 2),
    (date(2010, 10, 14), "IRM", "Urgences", NP, None, 0),
]  # H 2, NH 1, NP 1
BETA = [
    (date(2010, 10, 20), "Scanner", "Externe", NH, 40, None),
    (date(2010, 10, 21), "Scanner", "Externe", NH, 50, None),
    (date(2010, 10, 22), "IRM", "Externe", H, 4, 5),
]  # H 1, NH 2, NP 0
GAMMA = [
    *((date(2010, 9, 13 + i), "Scanner", "Externe", H, 1 + i, 0) for i in range(8)),
    (date(2010, 10, 25), "Scanner", "Externe", H, 2, 1),
    (date(2010, 10, 26), "Scanner", "Urgences", NP, None, 1),
]  # H 9, NH 0, NP 1
# Cumul : H 12, NH 3, NP 2. Taux de non-honorés de la région = 3 / 15 = 0,2 — la moyenne des
# taux des établissements (1/3, 2/3, 0) vaudrait 1/3. Programmés : 15 / 17 (moyenne : 0,8833).
# Délais d'obtention mis en commun : 10 20 30 | 40 50 4 | 1…8 2 → n 15, somme 192, moyenne 12,8 ;
# triés 1 2 2 3 4 4 5 6 7 8 10 20 30 40 50 : médiane 6 (la moyenne des médianes serait 14,7).
# Dernière période (J1→J2) : Alpha H 1 NP 1 ; Beta H 1 NH 2 ; Gamma H 1 NP 1 → NH 2 / 5 = 0,4.
ETABLISSEMENTS = {
    "Centre hospitalier Alpha": ("990000011", "DT Nord", ALPHA),
    "Centre hospitalier Beta": ("990000022", "DT Sud", BETA),
    "Centre hospitalier Gamma": ("990000033", "DT Est", GAMMA),
}


def ecrire(
    dossier: Path, nom: str, finess: str = "", dt: str = "", lignes=(), fichier: str | None = None
) -> Path:
    options = OptionsGrille(identite=Identite(etablissement=nom, finess=finess, dt=dt), lignes=100)
    return ecrire_grille(
        dossier, options, lignes, nom=fichier or f"{s.normaliser(nom).replace(' ', '_')}.xlsx"
    )


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    dossier = tmp_path_factory.mktemp("region")
    for nom, (finess, dt, lignes) in ETABLISSEMENTS.items():
        ecrire(dossier, nom, finess, dt, lignes)
    return dossier


@pytest.fixture(scope="module")
def consolidation(region):
    return consolider([region], "J2", CALENDRIER_DEFAUT, travailleurs=1)


def consolidate(*arguments):
    return CliRunner().invoke(main, ["consolidate", *map(str, arguments)])


# --- La région : rapports de sommes -------------------------------------------------------------


def test_region_rapport_des_sommes(consolidation):
    region = consolidation.region
    assert (region["honores"], region["non_honores"], region["non_programmes"]) == (12, 3, 2)
    assert region["taux_non_honores"] == pytest.approx(3 / 15)
    assert region["taux_programmes"] == pytest.approx(15 / 17)
    moyenne_des_taux = consolidation.cumuls["taux_non_honores"].mean()
    assert moyenne_des_taux == pytest.approx(1 / 3)  # ce que la région ne doit pas être


def test_region_delais_mis_en_commun(consolidation):
    region = consolidation.region
    assert region["delai_rdv_n"] == 15
    assert region["delai_rdv_moyenne"] == pytest.approx(12.8)
    assert region["delai_rdv_mediane"] == 6


def test_par_etablissement_derniere_periode_et_cumul(consolidation):
    assert consolidation.periodes == ["avant J1", "J1→J2"]
    assert list(consolidation.cumuls.index) == list(ETABLISSEMENTS)
    assert consolidation.cumuls.loc["Centre hospitalier Beta", "taux_non_honores"] == pytest.approx(2 / 3)
    dernieres = consolidation.dernieres
    assert dernieres["honores"].tolist() == [1, 1, 1]
    assert consolidation.region_periodes.loc["J1→J2", "taux_non_honores"] == pytest.approx(2 / 5)
    # Beta n'a rien avant J1 : taux indéfini, pas zéro.
    assert consolidation.par_etablissement["Centre hospitalier Beta"].loc["avant J1", "taux_non_honores"] != 0


def test_par_modalite(consolidation):
    # IRM : Alpha H (30) + NP, Beta H (4) → H 2, NH 0, NP 1.
    irm = consolidation.region_modalites.loc["IRM"]
    assert (irm["honores"], irm["non_honores"], irm["non_programmes"]) == (2, 0, 1)
    assert consolidation.modalites.loc[("Centre hospitalier Beta", "Scanner"), "taux_non_honores"] == 1.0


def test_classement_du_meilleur_au_moins_bon(consolidation):
    non_honores = next(c for c in s.COMPARAISONS if c.cle == "taux_non_honores")
    tableau = classement(consolidation, non_honores)
    # Dernière période : Alpha 0 (H 1), Gamma 0 (H 1), Beta 2/3 ; région 0,4 entre les deux.
    assert list(tableau.index) == ["Centre hospitalier Alpha", "Centre hospitalier Gamma", REGION,
                                   "Centre hospitalier Beta"]  # fmt: skip
    assert tableau["rang"].tolist()[:2] == [1, 1] and tableau["rang"].isna().tolist()[2]
    assert tableau.loc["Centre hospitalier Beta", "rang"] == 3


def test_lecture_en_parallele_identique(region, consolidation):
    parallele = consolider([region], "J2", CALENDRIER_DEFAUT, travailleurs=2)
    assert parallele.cumuls.equals(consolidation.cumuls)
    assert parallele.region.equals(consolidation.region)


def test_periodes_jusqua_un_jalon():
    assert periodes_jusqua(CALENDRIER_DEFAUT, "J1") == ["avant J1"]
    assert periodes_jusqua(CALENDRIER_DEFAUT, "j5")[-1] == "J4→J5"
    with pytest.raises(ErreurParametre, match="aucune période"):
        periodes_jusqua(CALENDRIER_DEFAUT, "J0")


# --- La ligne de commande -----------------------------------------------------------------------


def test_consolidate_texte_et_classeur(region, tmp_path):
    sortie = tmp_path / "consolidation_J2.xlsx"
    resultat = consolidate(region, "--jalon", "J2", "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    assert (
        "Consolidation au jalon J2 (10/11/2010) : 3 grilles reçues, 3 établissements consolidés"
        in resultat.output
    )
    assert re.search(r"Région\s+12\s+3\s+2\s+88,2\s%\s+20,0\s%", resultat.stdout)
    classeur = load_workbook(sortie)
    assert classeur.sheetnames == list(FEUILLES)
    synthese = classeur["Synthèse"]
    regions = [ligne[1:4] for ligne in synthese.iter_rows(values_only=True) if ligne[0] == REGION]
    assert regions == [(3, 2, 2), (12, 3, 2)]  # dernière période, puis cumul


def test_consolidate_json_cles_de_la_spec(region, tmp_path):
    resultat = CliRunner().invoke(
        main,
        ["consolidate", str(region), "--jalon", "J2", "-o", str(tmp_path / "c.xlsx"), "--format", "json"],
    )
    assert resultat.exit_code == 0, resultat.output
    document = json.loads(resultat.stdout)
    # Les clés de SPEC §8, puis celles de l'issue 18 (qualité des données, feuilles de route).
    assert list(document) == ["jalon", "region", "etablissements", "qualite_des_donnees", "avancement"]
    assert document["jalon"] == "J2"
    assert list(document["region"]) == [
        "honores", "non_honores", "non_programmes", "taux_programmes", "taux_non_honores",
        "delai_rdv", "delai_cr", "distribution_cr", "non_honores_par_tranche_delai",
    ]  # fmt: skip
    assert document["region"]["taux_non_honores"] == pytest.approx(0.2)
    assert list(document["region"]["delai_rdv"]) == ["n", "moyenne", "mediane", "p90"]
    assert list(document["region"]["delai_cr"]) == ["n", "moyenne", "mediane", "p90", "part_48h"]
    for etablissement in document["etablissements"]:
        assert list(etablissement) == [
            "etablissement",
            "fichier",
            "statut",
            "raison",
            "global",
            "par_periode",
            "anomalies",
        ]
        assert etablissement["statut"] == "ok" and etablissement["raison"] is None
        assert [p["periode"] for p in etablissement["par_periode"]] == ["avant J1", "J1→J2"]
        assert list(etablissement["par_periode"][0])[1:] == list(document["region"])
    beta = next(e for e in document["etablissements"] if e["etablissement"].endswith("Beta"))
    assert beta["global"]["taux_non_honores"] == pytest.approx(2 / 3)
    assert beta["par_periode"][0]["taux_non_honores"] is None
    assert "Lecture des grilles" not in resultat.stderr


@pytest.fixture
def dossier_fautif(tmp_path):
    """Une grille de chaque établissement, une grille corrompue, un classeur qui n'est pas une
    grille, une seconde grille d'Alpha plus ancienne, un fichier de verrou de tableur."""
    dossier = tmp_path / "grilles"
    for nom, (finess, dt, lignes) in ETABLISSEMENTS.items():
        ecrire(dossier / "dt", nom, finess, dt, lignes)
    ancienne = ecrire(
        dossier, "Centre hospitalier Alpha", "990000011", lignes=ALPHA[:1], fichier="alpha_v1.xlsx"
    )
    os.utime(ancienne, (1_000_000_000, 1_000_000_000))
    (dossier / "corrompue.xlsx").write_bytes(b"PK\x03\x04 ceci n'est pas un classeur")
    budget = Workbook()
    budget.active.title = "Budget"
    budget.active["A1"] = "Budget 2011"
    budget.save(dossier / "budget.xlsx")
    (dossier / "~$budget.xlsx").write_bytes(b"verrou")
    return dossier


def test_fichiers_fautifs_listes_sans_arreter(dossier_fautif, tmp_path):
    sortie = tmp_path / "c.xlsx"
    resultat = consolidate(dossier_fautif, "--jalon", "J2", "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    erreurs = resultat.stderr
    assert re.search(r"corrompue\.xlsx illisible : .+", erreurs)
    assert re.search(r"budget\.xlsx illisible : .+", erreurs)
    assert "Deux grilles pour Centre hospitalier Alpha" in erreurs and "alpha_v1.xlsx est écartée" in erreurs
    assert "~$budget" not in erreurs
    assert "3 établissements consolidés, 2 illisibles, 1 doublon écarté" in resultat.output
    completude = load_workbook(sortie)["Complétude"]
    lignes = [ligne for ligne in completude.iter_rows(values_only=True) if ligne[3] in
              {"Reçue", "Illisible", "Écartée (doublon)"}]  # fmt: skip
    statuts = {(ligne[4], ligne[3]) for ligne in lignes}
    assert statuts == {
        ("centre_hospitalier_alpha.xlsx", "Reçue"), ("centre_hospitalier_beta.xlsx", "Reçue"),
        ("centre_hospitalier_gamma.xlsx", "Reçue"), ("corrompue.xlsx", "Illisible"),
        ("budget.xlsx", "Illisible"), ("alpha_v1.xlsx", "Écartée (doublon)"),
    }  # fmt: skip
    raisons = {ligne[4]: ligne[-1] for ligne in lignes}
    assert raisons["corrompue.xlsx"] and raisons["budget.xlsx"]


def test_json_liste_les_illisibles(dossier_fautif, tmp_path):
    resultat = consolidate(dossier_fautif, "--jalon", "J2", "-o", tmp_path / "c.xlsx", "--format", "json")
    assert resultat.exit_code == 0, resultat.output
    document = json.loads(resultat.stdout)
    illisibles = {
        Path(e["fichier"]).name: e for e in document["etablissements"] if e["statut"] == "illisible"
    }
    assert set(illisibles) == {"corrompue.xlsx", "budget.xlsx"}
    assert all(e["raison"] and e["global"] is None for e in illisibles.values())
    assert len([e for e in document["etablissements"] if e["statut"] == "ok"]) == 3


def test_attendus_et_completude(region, tmp_path):
    attendus = tmp_path / "attendus.csv"
    attendus.write_text(
        "Établissement;FINESS;DT\nCH Alpha (nom différent);990000011;DT Nord\nCentre hospitalier Beta;;\n"
        "Centre hospitalier Delta;990000044;DT Ouest\n",
        encoding="utf-8",
    )
    sortie = tmp_path / "c.xlsx"
    resultat = consolidate(region, "--jalon", "J2", "-o", sortie, "--attendus", attendus)
    assert resultat.exit_code == 0, resultat.output
    assert "Grilles attendues non reçues : Centre hospitalier Delta." in resultat.output
    completude = load_workbook(sortie)["Complétude"]
    statuts = {ligne[0]: ligne[3] for ligne in completude.iter_rows(values_only=True) if ligne[3]}
    assert statuts["Centre hospitalier Alpha"] == "Reçue"  # reconnu par son FINESS
    assert statuts["Centre hospitalier Beta"] == "Reçue"  # reconnu par son nom
    assert statuts["Centre hospitalier Delta"] == "Manquante"
    assert statuts["Centre hospitalier Gamma"] == "Reçue, non attendue"


def test_attendus_sans_colonne_etablissement(tmp_path):
    fichier = tmp_path / "attendus.csv"
    fichier.write_text("hopital;code\nX;1\n", encoding="utf-8")
    with pytest.raises(ErreurParametre, match="colonne « etablissement » introuvable"):
        lire_attendus(fichier)


def test_semaines_sans_donnees_et_derniere_date(consolidation):
    beta = next(g for g in consolidation.retenues if g.nom.endswith("Beta"))
    # Du lundi 30/08/2010 (début du recueil : 01/09) à la semaine du 08/11 : 11 semaines ; Beta
    # n'a saisi que la semaine du 18/10.
    assert beta.semaines == 11 and beta.semaines_sans_donnees == 10
    assert beta.derniere_date == date(2010, 10, 22)


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--jalon", "J9"], 2, "Jalon « J9 » inconnu : le calendrier compte J0, J1, J2, J3, J4, J5."),
        (["--jalon", "J0"], 2, "Au jalon J0, aucune période de recueil n'est achevée"),
        (["--jalon", "J2", "--attendus", "absent.csv"], 2,
         "Fichier introuvable : absent.csv (la liste des établissements attendus, un CSV)"),
        (["--jalon", "J2", "--calendrier", "absent.toml"], 2, "Fichier introuvable : absent.toml (le fichier de calendrier, calendrier.toml)"),
        (["absent/", "--jalon", "J2"], 2, "Dossier ou fichier introuvable : absent"),
        (["--jalon", "J2", "-o", "c.csv"], 2, "la consolidation s'écrit dans un fichier .xlsx"),
    ],
)  # fmt: skip
def test_erreurs_d_usage(region, tmp_path, arguments, code, message):
    sortie = [] if "-o" in arguments else ["-o", tmp_path / "c.xlsx"]
    resultat = consolidate(region, *arguments, *sortie)
    assert resultat.exit_code == code
    assert message in resultat.stderr
    assert "Traceback" not in resultat.output
    assert not (tmp_path / "c.xlsx").exists()


def test_aucune_grille(tmp_path):
    (tmp_path / "notes.txt").write_text("rien")
    resultat = consolidate(tmp_path, "--jalon", "J2", "-o", tmp_path / "c.xlsx")
    assert resultat.exit_code == 1
    assert "Aucune grille trouvée" in resultat.stderr


def test_aucune_grille_lisible(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"pas un zip")
    (tmp_path / "b.xlsx").write_bytes(b"pas un zip non plus")
    resultat = consolidate(tmp_path, "--jalon", "J2", "-o", tmp_path / "c.xlsx")
    assert resultat.exit_code == 1
    assert "Aucune grille lisible parmi 2 fichiers trouvés" in resultat.stderr
    assert "a.xlsx" in resultat.stderr and "b.xlsx" in resultat.stderr
    assert not (tmp_path / "c.xlsx").exists()


def test_sortie_existante(region, tmp_path):
    autre = tmp_path / "budget.xlsx"
    shutil.copy(next(region.glob("*.xlsx")), autre)
    avant = autre.read_bytes()
    resultat = consolidate(region, "--jalon", "J2", "-o", autre)
    assert resultat.exit_code == 1
    assert "n'est pas un classeur de consolidation" in resultat.stderr and "--ecraser" in resultat.stderr
    assert autre.read_bytes() == avant
    # Une consolidation précédente est remplacée sans demander.
    sortie = tmp_path / "c.xlsx"
    assert consolidate(region, "--jalon", "J1", "-o", sortie).exit_code == 0
    assert consolidate(region, "--jalon", "J2", "-o", sortie).exit_code == 0
    assert load_workbook(sortie)["Synthèse"]["A1"].value.startswith("Synthèse régionale — jalon J2")


def test_la_sortie_n_est_pas_relue(region, tmp_path):
    dossier = tmp_path / "region"
    shutil.copytree(region, dossier)
    for _ in range(2):
        resultat = consolidate(dossier, "--jalon", "J2", "-o", dossier / "consolidation.xlsx")
        assert resultat.exit_code == 0, resultat.output
        assert "3 grilles reçues" in resultat.output


def test_les_classeurs_de_coaching_xl_ne_sont_pas_des_grilles(region, tmp_path):
    """Les annexes générées, un classeur de résultats à part (d'une grille .ods ou .xls) ou une
    consolidation précédente, rangés dans le dossier des grilles : ni lus ni comptés comme
    illisibles."""
    dossier = tmp_path / "region"
    shutil.copytree(region, dossier)
    grille = sorted(dossier.glob("*.xlsx"))[0]
    resultats = feuilles.classeur_resultats(analyser(grille))
    (dossier / "centre_resultats.xlsx").write_bytes(resultats.octets())
    for fabrique in (annexes.convention, annexes.equipe_projet, annexes.contrat, annexes.feuille_de_route):
        fabrique(OptionsGrille()).save(dossier / f"{fabrique.__name__}.xlsx")
    assert consolidate(dossier, "--jalon", "J2", "-o", dossier / "ancienne.xlsx").exit_code == 0
    assert [p.name for p in trouver_grilles([dossier])] == sorted(p.name for p in region.glob("*.xlsx"))
    resultat = consolidate(dossier, "--jalon", "J2", "-o", tmp_path / "nouvelle.xlsx")
    assert resultat.exit_code == 0, resultat.output
    assert "3 grilles reçues" in resultat.output and "0 illisible" in resultat.output


def test_une_grille_sous_deux_formats_compte_une_fois(region, tmp_path):
    """grille.xlsx générée, vierge, et grille.xlsm (même nom) où la saisie a continué : la plus
    récente seule est consolidée, l'autre écartée comme doublon."""
    dossier = tmp_path / "region"
    shutil.copytree(region, dossier)
    remplie = sorted(dossier.glob("*.xlsx"))[0]
    vierge = ecrire(tmp_path / "vierge", "", fichier=remplie.name)
    shutil.copyfile(remplie, remplie.with_suffix(".xlsm"))
    shutil.move(vierge, remplie)
    os.utime(remplie, (1_000_000_000, 1_000_000_000))
    resultat = consolidate(dossier, "--jalon", "J2", "-o", tmp_path / "c.xlsx")
    assert resultat.exit_code == 0, resultat.output
    assert "4 grilles reçues, 3 établissements consolidés" in resultat.output
    assert "1 doublon écarté" in resultat.output


# --- Le calendrier ------------------------------------------------------------------------------

CALENDRIER_2025 = "".join(
    f'[[jalon]]\ncode = "{code}"\ndate = {jour}\nlibelle = "{libelle}"\n\n'
    for code, jour, libelle in [
        ("J0", "2025-09-30", "Préparation"), ("J1", "2025-10-13", "Lancement"),
        ("J2", "2025-11-12", "Point d'étape"), ("J3", "2025-12-09", "Point d'étape"),
        ("J4", "2026-01-15", "Point d'étape"), ("J5", "2026-02-17", "Clôture"),
    ]
).replace('libelle = "Lancement"', 'libelle = "Lancement"\nlieu = "ARS, salle Jade"')  # fmt: skip


def test_lire_calendrier(tmp_path):
    fichier = tmp_path / "calendrier.toml"
    fichier.write_text(CALENDRIER_2025, encoding="utf-8")
    calendrier = lire_calendrier(fichier)
    assert [j.code for j in calendrier.jalons] == ["J0", "J1", "J2", "J3", "J4", "J5"]
    assert calendrier.jalon("J1").lieu == "ARS, salle Jade"
    assert calendrier.jalon("J5").date == date(2026, 2, 17)
    assert [p.libelle for p in calendrier.periodes()][:2] == ["avant J1", "J1→J2"]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        ("[[jalon]\ncode=", "est illisible"),
        ('[[jalon]]\ncode = "J0"\ndate = 2025-09-30\n', "le dispositif compte 6 jalons"),
        (CALENDRIER_2025.replace("date = 2025-10-13", 'date = "13/10/2025"'), "jalon n° 2"),
        (CALENDRIER_2025.replace("2025-11-12", "2025-10-01"), "le jalon J2 (01/10/2025) ne suit pas J1"),
        (CALENDRIER_2025.replace('code = "J2"', 'code = "J1"'), "deux jalons portent le même code"),
    ],
)
def test_calendrier_invalide(tmp_path, contenu, message):
    fichier = tmp_path / "calendrier.toml"
    fichier.write_text(contenu, encoding="utf-8")
    with pytest.raises(ErreurParametre, match=re.escape(message)) as erreur:
        lire_calendrier(fichier)
    assert str(fichier) in str(erreur.value)


def test_calendrier_de_l_exemple_est_le_calendrier_par_defaut():
    from tests.conftest import RACINE

    assert lire_calendrier(RACINE / "exemples" / "calendrier.toml") == CALENDRIER_DEFAUT


def test_calendrier_partout(tmp_path):
    """Le même fichier fixe les jalons de la grille, des annexes, du calcul et de la consolidation."""
    fichier = tmp_path / "calendrier.toml"
    fichier.write_text(CALENDRIER_2025, encoding="utf-8")
    resultat = CliRunner().invoke(
        main, ["generate", "-o", str(tmp_path / "g"), "--calendrier", str(fichier), "--lignes", "100"]
    )
    assert resultat.exit_code == 0, resultat.output
    parametres = load_workbook(tmp_path / "g" / "grille_recueil.xlsx")["Paramètres"]
    dates = [c.value.date() for ligne in parametres.iter_rows() for c in ligne if hasattr(c.value, "date")]
    assert date(2025, 10, 13) in dates and date(2010, 10, 12) not in dates
    feuille_de_route = load_workbook(tmp_path / "g" / "feuille_de_route.xlsx")["Calendrier"]
    textes = " ".join(str(c.value) for ligne in feuille_de_route.iter_rows() for c in ligne if c.value)
    assert "2025" in textes and "2010" not in textes

    lignes = [
        (date(2025, 10, 1), "IRM", "Externe", H, 20, 1),
        (date(2025, 10, 20), "IRM", "Externe", NH, 30, None),
    ]
    grille = ecrire_grille(tmp_path / "r", OptionsGrille(identite=Identite(etablissement="CH Test"), lignes=100),
                           lignes)  # fmt: skip
    resultat = CliRunner().invoke(
        main, ["compute", str(grille), "--calendrier", str(fichier), "--format", "json"]
    )
    assert resultat.exit_code == 0, resultat.output
    periodes = {
        p["periode"]: p["honores"] + p["non_honores"] for p in json.loads(resultat.stdout)["par_periode"]
    }
    assert periodes == {"avant J1": 1, "J1→J2": 1, "J2→J3": 0, "J3→J4": 0, "J4→J5": 0}

    resultat = consolidate(
        tmp_path / "r", "--jalon", "J2", "--calendrier", fichier, "-o", tmp_path / "c.xlsx"
    )
    assert resultat.exit_code == 0, resultat.output
    assert "Périodes : avant J1, J1→J2." in resultat.output
    # La grille porte encore le calendrier 2010 dans sa feuille Paramètres : c'est signalé.
    assert "porte d'autres dates de jalons" in resultat.stderr


# --- Le classeur dans un vrai tableur -----------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_relit_la_consolidation(consolidation, libreoffice, tmp_path):
    classeur = ecrire_consolidation(consolidation, tmp_path / "consolidation.xlsx")
    feuilles = libreoffice.feuilles_csv(classeur, tmp_path / "csv")
    assert set(feuilles) == set(FEUILLES)
    synthese = feuilles["Synthèse"]
    regions = [i + 1 for i, ligne in enumerate(synthese) if ligne and ligne[0] == REGION]
    assert len(regions) == 2  # dernière période, puis cumul
    colonnes = {"B": "honores", "C": "non_honores", "D": "non_programmes", "F": "taux_programmes",
                "G": "taux_non_honores"}  # fmt: skip
    for lettre, cle in colonnes.items():
        assert nombre(cellule(synthese, f"{lettre}{regions[1]}")) == pytest.approx(consolidation.region[cle])
        attendu = consolidation.region_periodes.loc["J1→J2", cle]
        assert nombre(cellule(synthese, f"{lettre}{regions[0]}")) == pytest.approx(attendu)
    pdf = libreoffice.convertir(classeur, "pdf", tmp_path / "pdf")
    texte = libreoffice.texte_pdf(pdf)
    for titre in ("Synthèse régionale — jalon J2", "Classements — jalon J2", "Complétude — jalon J2"):
        assert titre in texte


def test_graphiques_references_valides(consolidation, tmp_path):
    """Chaque série de chaque graphique pointe vers une feuille du classeur et des cellules
    remplies : un graphique vide ou cassé ne passe pas."""
    classeur = ecrire_consolidation(consolidation, tmp_path / "c.xlsx")
    valeurs = load_workbook(classeur)
    with zipfile.ZipFile(classeur) as paquet:
        graphiques = [n for n in paquet.namelist() if n.startswith("xl/charts/chart")]
        assert len(graphiques) == 2 + 2 * len(s.COMPARAISONS) + 2 + 1
        for nom in graphiques:
            xml = paquet.read(nom).decode()
            references = re.findall(r"<f>'([^']+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)</f>", xml)
            assert references, nom
            for feuille, c1, l1, c2, l2 in references:
                cellules = valeurs[feuille][f"{c1}{l1}:{c2}{l2}"]
                remplies = [c.value for ligne in cellules for c in ligne if c.value is not None]
                assert remplies, (nom, feuille, c1, l1, c2, l2)


def test_document_consolidation_sans_doublons(consolidation):
    document = document_consolidation(consolidation)
    assert [e["etablissement"] for e in document["etablissements"]] == list(ETABLISSEMENTS)


def test_homonymes_distingues_par_leur_finess(tmp_path):
    ecrire(tmp_path, "Centre hospitalier", "990000011", lignes=ALPHA, fichier="ch_nord.xlsx")
    ecrire(tmp_path, "Centre hospitalier", "990000022", lignes=BETA, fichier="ch_sud.xlsx")
    consolidation = consolider([tmp_path], "J2", CALENDRIER_DEFAUT, travailleurs=1)
    assert not consolidation.doublons
    assert list(consolidation.cumuls.index) == [
        "Centre hospitalier (990000011)",
        "Centre hospitalier (990000022)",
    ]
    assert consolidation.region["non_honores"] == 3


def test_lecture_en_parallele_avec_des_fichiers_fautifs(dossier_fautif):
    progression = []
    consolidation = consolider(
        [dossier_fautif], "J2", CALENDRIER_DEFAUT, travailleurs=2, progression=progression.append
    )
    assert sorted(g.fichier.name for g in consolidation.illisibles) == ["budget.xlsx", "corrompue.xlsx"]
    assert len(consolidation.retenues) == 3 and len(consolidation.doublons) == 1
    assert len(progression) == 6  # chaque grille lue, illisibles compris ; pas le fichier de verrou


def test_positions_d_un_etablissement(consolidation):
    beta = positions(consolidation, "Centre hospitalier Beta")
    # Dernière période, non-honorés : Alpha 0, Gamma 0, Beta 2/3 → médiane 0, Beta 3e sur 3.
    ligne = beta.loc["taux_non_honores"]
    assert ligne["valeur"] == pytest.approx(2 / 3) and ligne["mediane"] == 0
    assert ligne["region"] == pytest.approx(2 / 5)
    assert (ligne["rang"], ligne["classes"]) == (3, 3)
    assert list(beta.index) == [c.cle for c in s.COMPARAISONS]
