"""Malcom : le moteur face au cas chiffré de MALCOM.md §8 (les deux ventilations), les cas
d'anomalie de §8.9, la lecture des durées, et les commandes malcom generate | check | compute."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from fractions import Fraction as Fr
from pathlib import Path

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from moteur.malcom import analyser, hmm, lire_duree, lire_fraction, phrases
from recueil import malcom_schema as m
from recueil.classeur import sauver
from recueil.malcom import construire
from recueil.malcom_exemple import TROIS_PRATICIENS
from tests.conftest import RACINE
from tests.outils import differences, proches

FIXTURE = RACINE / "tests" / "fixtures" / "malcom_exemple_3_praticiens.xlsx"
SPEC = RACINE.parent / "shared" / "MALCOM.md"
TOL = 1e-6


def _classeur(
    tmp_path: Path, modifications: dict[tuple[str, str], object] | None = None, nom: str = "m.xlsx"
) -> Path:
    """Le cas de §8.1, avec ``modifications`` ((onglet, cellule) → valeur) appliquées."""
    classeur = construire(contenu=TROIS_PRATICIENS)
    for (feuille, cellule), valeur in (modifications or {}).items():
        classeur[feuille][cellule].value = valeur
    chemin = tmp_path / nom
    sauver(classeur, chemin)
    return chemin


@pytest.fixture(scope="module")
def prorata():
    return analyser(FIXTURE)


@pytest.fixture(scope="module")
def equitable(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("equitable")
    return analyser(_classeur(dossier, {(m.FEUILLE_PARAMETRAGE, "B8"): m.VENTILATIONS["equitable"]}))


def _p(r, nom):
    return next(p for p in r.praticiens if p.nom == nom)


# --- §8.2–8.7 -------------------------------------------------------------------------------


def test_heures_semaine_et_annuelles(prorata):
    attendues = {
        "Docteur A": {"Salle": 12, "Cons": 13, "EnC": 7, "Adm": 8},
        "Docteur B": {"Salle": 16.5, "Cons": 8, "EnC": 10.5, "Adm": 7},
        "Docteur C": {"Salle": 4, "Cons": 11, "EnC": 3.5, "Adm": 1.5},
    }
    annuelles = {"Docteur A": 1912, "Docteur B": 2031, "Docteur C": 944}
    for nom, heures in attendues.items():
        p = _p(prorata, nom)
        assert p.heures_semaine == pytest.approx(heures, abs=TOL)
        assert p.total_annuel == pytest.approx(annuelles[nom], abs=TOL)
    assert {a.activite.id: a.coefficient for a in prorata.activites} == pytest.approx(
        {"Salle": 52, "Cons": 46, "EnC": 46, "Adm": 46}
    )
    assert _p(prorata, "Docteur B").heures_annuelles["Salle"] == pytest.approx(858, abs=TOL)
    assert prorata.saisie.anomalies == [] and prorata.anomalies == []


def test_pds_ventilation_recuperation_prorata(prorata):
    doc = prorata.document()
    assert doc["lignes_pds"] == [
        {"nom": "Part ligne de garde WE", "par_semaine": {"Ga": 7, "AsOp": 0, "AsSec": 0},
         "par_an": {"Ga": 364, "AsOp": 0, "AsSec": 0}, "ventilee": True}
    ]  # fmt: skip
    sigma = {p.nom: p.part_ventilation for p in prorata.praticiens}
    assert sigma == pytest.approx({"Docteur A": 0.4, "Docteur B": 0.4, "Docteur C": 0.2})
    b = _p(prorata, "Docteur B")
    assert b.affectees == {("mar_nuit", "AsSec"): pytest.approx(52)}
    assert b.par_mois("AsSec")["nuit_profonde"] == pytest.approx(52 / 12)
    for nom, par_creneau in (("Docteur A", 20.8), ("Docteur B", 20.8), ("Docteur C", 10.4)):
        p = _p(prorata, nom)
        assert p.par_an("Ga") == pytest.approx(7 * par_creneau)
        mois = p.par_mois("Ga")
        assert mois["soiree"] == mois["nuit_profonde"] == 0
        for cat in ("samedi_apres_midi", "dimanche_matin", "dimanche_apres_midi"):
            assert mois[cat] == pytest.approx(par_creneau / 12)
        for cat in ("soiree_we", "nuit_profonde_we"):
            assert mois[cat] == pytest.approx(2 * par_creneau / 12)
        assert p.recuperation_h == pytest.approx(8 * par_creneau)
    rho = {"Docteur A": Fr(1091, 1195), "Docteur B": Fr(9323, 10155), "Docteur C": Fr(269, 295)}
    for nom, attendu in rho.items():
        assert _p(prorata, nom).coefficient == pytest.approx(float(attendu), abs=1e-12)
    totaux = doc["totaux"]
    assert totaux["heures_redressees"] == pytest.approx(totaux["heures_annuelles"] - totaux["recuperation_h"])
    assert totaux["heures_redressees"] == pytest.approx(4471)


def test_heures_redressees_potentiels_objectifs(prorata):
    rho = {"Docteur A": Fr(1091, 1195), "Docteur B": Fr(9323, 10155), "Docteur C": Fr(269, 295)}
    y = {"Docteur A": {"Salle": 624, "Cons": 598, "EnC": 322, "Adm": 368},
         "Docteur B": {"Salle": 858, "Cons": 368, "EnC": 483, "Adm": 322},
         "Docteur C": {"Salle": 208, "Cons": 506, "EnC": 161, "Adm": 69}}  # fmt: skip
    for nom, heures in y.items():
        p = _p(prorata, nom)
        for a, h in heures.items():
            assert p.heures_redressees[a] == pytest.approx(float(rho[nom] * h), abs=TOL)
        assert p.potentiels["Salle"] is None and p.potentiels["Adm"] is None
        assert p.potentiels["Cons"] == pytest.approx(float(rho[nom] * heures["Cons"] * Fr(5, 2)), abs=TOL)
    assert _p(prorata, "Docteur A").potentiels["Cons"] == pytest.approx(1364.8912, abs=1e-4)
    cons, enc = prorata.activite("Cons"), prorata.activite("EnC")
    assert cons.potentiel == pytest.approx(3363.0240, abs=1e-4)
    assert cons.ecart == pytest.approx(313.0240, abs=1e-4)
    assert cons.ecart_relatif == pytest.approx(0.10263, abs=1e-5) and cons.orientation == "marge"
    assert cons.a_ajuster == pytest.approx(32 * (3050 / cons.potentiel - 1), abs=TOL)
    assert cons.a_ajuster == pytest.approx(-2.9785, abs=1e-4)
    assert hmm(cons.a_ajuster) == "\u22122:59"
    assert enc.potentiel == pytest.approx(1768.4290, abs=1e-4)
    assert enc.orientation == "insuffisant" and enc.a_ajuster == pytest.approx(0.3749, abs=1e-4)
    assert hmm(enc.a_ajuster) == "0:22"
    salle = prorata.activite("Salle")
    assert (salle.potentiel, salle.ecart, salle.ecart_relatif, salle.orientation, salle.a_ajuster) == (
        None,
    ) * 5


def test_parts_et_demi_journees(prorata):
    parts = {p.nom: prorata.part_service(p) for p in prorata.praticiens}
    assert parts == pytest.approx(
        {"Docteur A": 0.390427, "Docteur B": 0.417043, "Docteur C": 0.192530}, abs=1e-6
    )
    assert {a.activite.id: a.part for a in prorata.activites} == pytest.approx(
        {"Salle": 0.346022, "Cons": 0.300874, "EnC": 0.197767, "Adm": 0.155337}, abs=1e-6
    )
    doc = prorata.document()
    a = next(p for p in doc["praticiens"] if p["nom"] == "Docteur A")
    assert a["part_temps_par_activite"] == pytest.approx(
        {"Salle": 624 / 1912, "Cons": 598 / 1912, "EnC": 322 / 1912, "Adm": 368 / 1912}, abs=TOL
    )
    assert a["heures_redressees"]["Cons"] / 4471 == pytest.approx(0.122111, abs=1e-6)
    totaux = {d["demi_journee"]: d["total"] for d in doc["par_demi_journee"]}
    assert list(totaux.values()) == pytest.approx([8, 12, 12, 8, 12, 8, 8, 12, 12, 8, 2])
    lun_am = doc["par_demi_journee"][1]
    assert lun_am["heures_semaine"] == pytest.approx({"Salle": 4, "Cons": 8, "EnC": 0, "Adm": 0})
    assert (
        a["demi_journees"] == 10
        and next(p for p in doc["praticiens"] if p["nom"] == "Docteur B")["demi_journees"] == 11
    )


def test_phrases_de_lecture(prorata):
    f = "\u202f"
    lues = phrases(prorata, "Docteur A", "Cons")
    assert lues["praticien"] == [
        f"Docteur A représente 39{f}% du temps du service, décomposé en 12{f}% pour Consultations et 27{f}% pour "
        "ses autres activités.",
        f"Docteur A consacre 31{f}% de son temps à Consultations, majoritairement Lun après-midi et Mer après-midi.",
        f"Docteur A peut potentiellement réaliser 1{f}365 consultations par an.",
    ]
    assert lues["activite"] == [
        f"Consultations représente 30{f}% du temps du service, décomposé en 12{f}% pour Docteur A et 18{f}% pour "
        "les autres praticiens.",
        "Le temps de Consultations est majoritairement Lun après-midi et Jeu après-midi.",
    ]
    assert lues["orientations"] == [
        f"Consultations dispose d'une marge notable (+10{f}%) : du temps pourrait être réalloué à d'autres activités.",
        "Le temps alloué à Endoscopies classiques semble insuffisant pour réaliser les objectifs "
        f"(1{f}768 actes pour un objectif de 1{f}800, \u22122{f}%).",
    ]
    assert lues["pds"] == [
        "En moyenne, Docteur A devra assumer 1,7 garde(s) par mois sur chacun de ses 7 créneaux de garde."
    ]


def test_variante_repartition_equitable(equitable):
    r = equitable
    assert {p.nom: p.part_ventilation for p in r.praticiens} == pytest.approx(
        dict.fromkeys(("Docteur A", "Docteur B", "Docteur C"), 1 / 3)
    )
    rho = {"Docteur A": Fr(665, 717), "Docteur B": Fr(5677, 6093), "Docteur C": Fr(151, 177)}
    for nom, attendu in rho.items():
        p = _p(r, nom)
        assert p.coefficient == pytest.approx(float(attendu), abs=1e-12)
        assert p.recuperation_h == pytest.approx(float(Fr(52, 3) * 8), abs=TOL)
        assert p.par_mois("Ga")["soiree_we"] == pytest.approx(float(Fr(2 * 52, 3 * 12)), abs=TOL)
    assert {p.nom: p.total_redresse for p in r.praticiens} == pytest.approx(
        {"Docteur A": float(Fr(5320, 3)), "Docteur B": float(Fr(5677, 3)), "Docteur C": float(Fr(2416, 3))}
    )
    cons, enc = r.activite("Cons"), r.activite("EnC")
    assert cons.potentiel == pytest.approx(3322.9437, abs=1e-4)
    assert cons.ecart_relatif == pytest.approx(0.0895, abs=1e-4) and cons.orientation == "adequat"
    assert cons.a_ajuster == pytest.approx(-2.6285, abs=1e-4)
    assert enc.potentiel == pytest.approx(1772.0411, abs=1e-4) and enc.orientation == "insuffisant"
    assert enc.a_ajuster == pytest.approx(0.3313, abs=1e-4)
    assert [r.part_service(p) for p in r.praticiens] == pytest.approx(
        [0.396630, 0.423246, 0.180124], abs=1e-6
    )


# --- §8.9 -------------------------------------------------------------------------------------

T, P, A_ = m.FEUILLE_TABLEAU, m.FEUILLE_PARAMETRAGE, m.FEUILLE_ACTIVITES


def _codes(r):
    return [(a.code, a.gravite, a.cellule) for a in r.anomalies]


def test_activite_inconnue(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "N24"): "EnAG"}))
    (a,) = r.anomalies
    assert (a.code, a.gravite, a.cellule) == ("activite-inconnue", "erreur", "'2 Tableau'!N24")
    assert "« EnC »" in a.message
    assert _p(r, "Docteur C").heures_semaine["Salle"] == 0


def test_duree_nombre_nu(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "C14"): 4}))
    (a,) = r.anomalies
    assert (a.code, a.cellule) == ("duree-invalide", "'2 Tableau'!C14") and "« 4:00 »" in a.message
    assert _p(r, "Docteur A").heures_par_demi_journee["lun_matin"] == {"Adm": 0.5}


def test_duree_manquante(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "W19"): None}))
    assert _codes(r) == [("duree-manquante", "erreur", "'2 Tableau'!W19")]


def test_pds_hors_liste(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "M19"): "Gard"}))
    (a,) = r.anomalies
    assert (a.code, a.gravite) == ("pds-valeur-hors-liste", "erreur") and "« Ga »" in a.message
    assert _p(r, "Docteur B").par_an("AsSec") == 0


def test_ligne_pds_avec_activites(tmp_path, prorata):
    r = analyser(_classeur(tmp_path, {(T, "B29"): "Salle", (T, "C29"): 4 / 24}))
    assert _codes(r) == [("ligne-pds-avec-activites", "avertissement", "'2 Tableau'!B29")]
    assert r.document()["totaux"] == prorata.document()["totaux"]


def test_non_participation(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "AP24"): "Oui"}))
    assert r.anomalies == []
    assert [p.part_ventilation for p in r.praticiens] == pytest.approx([0.5, 0.5, 0])
    assert [p.recuperation_h for p in r.praticiens] == pytest.approx([208, 208, 0])
    assert _p(r, "Docteur C").par_an("Ga") == 0


def test_quotite_invalide(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "AO24"): 1.5}))
    assert [a.code for a in r.anomalies] == ["quotite-invalide"]
    assert "« 150 % »" in r.anomalies[0].message
    assert [p.part_ventilation for p in r.praticiens] == pytest.approx([1 / 3] * 3)


def test_semaine_type_2_vide(tmp_path, prorata):
    r = analyser(_classeur(tmp_path, {(T, "D5"): 2}))
    assert [(a.code, a.gravite) for a in r.anomalies] == [("semaine-type-2-vide", "erreur")]
    assert r.document()["par_activite"] == prorata.document()["par_activite"]


def test_semaines_incoherentes(tmp_path):
    r = analyser(_classeur(tmp_path, {(T, "B6"): 8}))
    assert [(a.code, a.gravite) for a in r.anomalies] == [("semaines-incoherentes", "avertissement")]
    assert r.document()["parametres"]["semaines_an"] == 54
    assert r.activite("Cons").coefficient == pytest.approx(47)


def test_temps_alloue_incomplet(tmp_path):
    r = analyser(_classeur(tmp_path, {(A_, "E5"): None}))
    assert [(a.code, a.gravite) for a in r.anomalies] == [("temps-alloue-incomplet", "erreur")]
    cons = r.activite("Cons")
    assert cons.potentiel is None and cons.orientation is None


def test_id_doublon_et_reserve(tmp_path):
    r = analyser(_classeur(tmp_path, {(A_, "A8"): "Consultations externes", (A_, "B8"): "cons"}))
    assert _codes(r) == [("activite-id-doublon", "erreur", "'1 Activités'!B8")]
    r = analyser(_classeur(tmp_path, {(A_, "B7"): "Ga"}, nom="r.xlsx"))
    assert r.anomalies[0].code == "activite-id-reserve"
    assert {a.code for a in r.anomalies[1:]} == {"activite-inconnue"}  # les « Adm » de 2 Tableau


def test_deux_semaines_types(tmp_path, prorata):
    """La semaine 2 identique à la semaine 1 : la moyenne des deux donne les mêmes chiffres."""
    classeur = construire(contenu=TROIS_PRATICIENS)
    t = classeur[T]
    decalage = m.premiere_ligne_semaine(2) - m.premiere_ligne_semaine(1)
    for ligne in range(m.premiere_ligne_semaine(1), m.premiere_ligne_semaine(1) + 5 * m.BLOCS_DEFAUT):
        for col in range(2, m.COLONNE_DERNIERE_SAISIE + 1):
            t.cell(ligne + decalage, col).value = t.cell(ligne, col).value
    t["D5"] = 2
    sauver(classeur, tmp_path / "deux.xlsx")
    r = analyser(tmp_path / "deux.xlsx")
    assert r.anomalies == [] and r.saisie.semaines_types == 2
    assert proches(r.document()["par_activite"], prorata.document()["par_activite"])


# --- Lecture des valeurs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "heures"),
    [("3:30", 3.5), ("3h30", 3.5), ("3 h 30", 3.5), ("3h", 3.0), ("3H15", 3.25), ("1899-12-31 03:30:00", 3.5),
     ("1900-01-01 03:15:00", 27.25), ("PT3H30M", 3.5), ("0:15", 0.25)],
)  # fmt: skip
def test_durees_acceptees(texte, heures):
    assert lire_duree(texte) == (pytest.approx(heures), None)


def test_durees_nombre_nu_et_refus():
    assert lire_duree("4") == (96.0, 4.0)
    assert lire_duree("3,5") == (84.0, 3.5)
    assert lire_duree("trois heures") == (None, None)
    assert lire_duree("3:75") == (None, None)
    assert lire_duree("1904-01-01 02:00:00", date1904=True) == (pytest.approx(2.0), None)


def test_quotites():
    assert lire_fraction("0.2") == pytest.approx(0.2)
    assert lire_fraction("20 %") == pytest.approx(0.2)
    assert lire_fraction("20") == pytest.approx(0.2)
    assert lire_fraction("1") == 1


def test_valeurs_a_normaliser(tmp_path):
    """Un Id en autre casse est reconnu sans avertissement (les formules l'ignorent aussi) ;
    avec un accent ou des espaces en trop, il est compté mais signalé."""
    r = analyser(_classeur(tmp_path, {(T, "B14"): "SALLE", (T, "D14"): " Cons", (T, "AO14"): "100 %"}))
    assert [(a.code, a.cellule) for a in r.anomalies] == [("valeur-a-normaliser", "'2 Tableau'!D14")]
    assert _p(r, "Docteur A").heures_semaine == pytest.approx({"Salle": 12, "Cons": 13, "EnC": 7, "Adm": 8})


def test_vocabulaire_et_codes_de_la_specification():
    assert len(m.DEMI_JOURNEES) == 11 and len(m.CRENEAUX) == 17 and len(m.CATEGORIES) == 7
    assert [c.colonne for c in m.CRENEAUX if c.code.startswith(("sam", "dim"))] == list(range(34, 41))
    if not SPEC.exists():
        pytest.skip("../shared/MALCOM.md absent")
    tableau = SPEC.read_text(encoding="utf-8").split("## 5. Data quality")[1].split("## 6.")[0]
    codes = re.findall(r"^\| `([a-z0-9-]+)`(?:, `([a-z0-9-]+)`)? \| (\w+)", tableau, flags=re.M)
    declares = {(c, g) for c1, c2, g in codes for c in (c1, c2) if c}
    assert {(c.code, c.gravite) for c in m.CODES.values()} == {
        (c, "erreur" if g.startswith("erreur") else g) for c, g in declares
    }


# --- Commandes -------------------------------------------------------------------------------


def _cli(*arguments):
    return CliRunner().invoke(main, ["malcom", *map(str, arguments)])


def test_modele_et_exemple_identiques_au_generateur(tmp_path):
    for options, fichier in (
        ([], "templates_xlsx/malcom.xlsx"),
        (["--exemple"], "exemples/malcom_hepato_gastro.xlsx"),
    ):
        sortie = tmp_path / Path(fichier).name
        resultat = _cli("generate", "-o", sortie, *options)
        assert resultat.exit_code == 0, resultat.output
        ecarts = differences(sortie, RACINE / fichier)
        assert not ecarts, (
            f"{fichier} ne correspond plus au générateur ({ecarts}) : coaching-xl malcom generate"
        )


def test_generate_refuse_d_ecraser(tmp_path):
    sortie = tmp_path / "malcom.xlsx"
    assert _cli("generate", "-o", sortie).exit_code == 0
    resultat = _cli("generate", "-o", sortie)
    assert resultat.exit_code == 1 and "--ecraser" in resultat.output
    assert _cli("generate", "-o", tmp_path / "x.ods").exit_code == 2


def test_check_codes_de_sortie_et_json(tmp_path):
    resultat = _cli("check", FIXTURE, "--format", "json")
    assert resultat.exit_code == 0, resultat.output
    document = json.loads(resultat.output)
    assert set(document) == {"fichier", "modele", "version_modele", "anomalies"}
    assert document["anomalies"]["erreurs"] == 0
    fautif = _classeur(tmp_path, {(T, "N24"): "EnAG"})
    resultat = _cli("check", fautif)
    assert (
        resultat.exit_code == 1
        and "activite-inconnue" in resultat.output
        and "'2 Tableau'!N24" in resultat.output
    )


def test_compute_json_et_ecriture(tmp_path, prorata):
    chemin = tmp_path / "malcom.xlsx"
    shutil.copy(FIXTURE, chemin)
    avant = _parties(chemin)
    resultat = _cli("compute", chemin, "--format", "json")
    assert resultat.exit_code == 0, resultat.output
    document = json.loads(resultat.output)
    assert proches(document["par_activite"], prorata.document()["par_activite"])
    assert document["parametres"]["ventilation"] == "prorata_quotite"
    apres = _parties(chemin)
    # Rien de ce qui existait n'est réécrit, hors de l'index du classeur (qui reçoit les feuilles).
    index = {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
        "docProps/app.xml",
    }
    assert {n: o for n, o in avant.items() if n not in index} == {
        n: apres[n] for n in avant if n not in index
    }
    from openpyxl import load_workbook

    noms = load_workbook(chemin, read_only=True).sheetnames
    assert noms[-2:] == [m.FEUILLE_RESULTATS, m.FEUILLE_ANOMALIES]
    resultat = _cli("compute", chemin, "--pdf")
    assert resultat.exit_code == 0, resultat.output
    assert "Consultations : 3 363 consultations, objectif 3 050" in resultat.output.replace("\u202f", " ")
    assert load_workbook(chemin, read_only=True).sheetnames == noms
    assert chemin.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_compute_refuse_grille_et_classeur_etranger(tmp_path):
    grille = RACINE / "exemples" / "grille_chu_de_saint-aurele.xlsx"
    copie = tmp_path / "grille.xlsx"
    shutil.copy(grille, copie)
    octets = copie.read_bytes()
    resultat = _cli("compute", copie)
    assert resultat.exit_code == 1 and "pas un classeur Malcom" in resultat.output
    assert "grille de recueil" in resultat.output and copie.read_bytes() == octets
    resultat = _cli("check", RACINE / "tests" / "fixtures" / "classeur_etranger.xlsx")
    assert resultat.exit_code == 1 and "Traceback" not in resultat.output


def test_compute_ods_refuse(tmp_path):
    ods = tmp_path / "malcom.ods"
    ods.write_bytes(b"PK")
    resultat = _cli("compute", ods)
    assert resultat.exit_code == 1 and "Traceback" not in resultat.output


def _parties(chemin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(chemin) as paquet:
        return {info.filename: paquet.read(info) for info in paquet.infolist()}


def test_id_accentue_tape_sans_accent(tmp_path):
    """« Ádm » dans 1 Activités, « Adm » tapé dans 2 Tableau : compté, et signalé (les formules
    du classeur, qui ignorent la casse mais pas les accents, ne le comptent pas)."""
    r = analyser(_classeur(tmp_path, {(A_, "B7"): "Ádm"}))
    assert {a.code for a in r.anomalies} == {"valeur-a-normaliser"}
    assert _p(r, "Docteur A").heures_semaine["Ádm"] == pytest.approx(8)


def test_autre_nombre_de_blocs(tmp_path):
    """--blocs 3 --activites 5 : la semaine 2 et les tables suivent ; un praticien au 3e bloc."""
    from openpyxl import load_workbook

    chemin = tmp_path / "petit.xlsx"
    assert _cli("generate", "-o", chemin, "--blocs", 3, "--activites", 5).exit_code == 0
    classeur = load_workbook(chemin)
    t = classeur[T]
    l3 = m.lignes_du_bloc(3, 1, blocs=3)[0]
    assert t.cell(m.ligne_bandeau(2, 3), 1).value == "Semaine type 2"
    t.cell(l3, 1).value = "Docteur Z"
    t.cell(l3, 2).value, t.cell(l3, 3).value = "Cons", 4 / 24
    l3b = m.lignes_du_bloc(3, 2, blocs=3)[0]
    t.cell(l3b, 2).value, t.cell(l3b, 3).value = "Cons", 2 / 24
    t["D5"] = 2
    classeur.save(chemin)
    r = analyser(chemin)
    (p,) = r.praticiens
    assert p.nom == "Docteur Z" and p.heures_semaine["Cons"] == pytest.approx(3)
    assert [a.code for a in r.anomalies] == ["quotite-par-defaut", "quotite-demi-journees"]
