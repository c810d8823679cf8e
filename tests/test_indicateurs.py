"""Les indicateurs, comparés aux valeurs calculées à la main (tests/jeux.py), et le document
JSON de SPEC §8."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from moteur.resultat import analyser, document_compute
from recueil.grille import OptionsGrille, ecrire_grille
from tests import jeux


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    chemin = ecrire_grille(tmp_path_factory.mktemp("jeux"), OptionsGrille(), jeux.LIGNES)
    return json.loads(json.dumps(document_compute(analyser(chemin, aujourdhui=date(2011, 3, 1)))))


def conforme(obtenu, attendu, chemin="") -> None:
    """``obtenu`` contient ``attendu`` (les flottants à 1e-12 près, None pour un taux vide)."""
    if isinstance(attendu, dict):
        for cle, valeur in attendu.items():
            conforme(obtenu[cle], valeur, f"{chemin}.{cle}")
    elif isinstance(attendu, float):
        assert obtenu is not None and math.isclose(obtenu, attendu, abs_tol=1e-12), (chemin, obtenu)
    else:
        assert obtenu == attendu and type(obtenu) is type(attendu), (chemin, obtenu, attendu)


def test_ensemble(document):
    assert document["lignes_lues"] == 12
    conforme(document["global"], jeux.ENSEMBLE)


def test_par_semaine_suite_continue(document):
    semaines = {s["semaine"]: s for s in document["par_semaine"]}
    assert list(semaines) == ["2010-09-06", "2010-09-13"]
    conforme(semaines["2010-09-06"], jeux.SEMAINE_0609)
    conforme(semaines["2010-09-13"], jeux.SEMAINE_1309)


def test_par_mois_et_periode(document):
    assert [m["mois"] for m in document["par_mois"]] == ["2010-09"]
    mois = document["par_mois"][0]
    # Le mois de septembre : toutes les lignes datées (1 à 11).
    assert (mois["honores"], mois["non_honores"], mois["non_programmes"]) == (6, 2, 3)
    periodes = {p["periode"]: p for p in document["par_periode"]}
    assert list(periodes) == ["avant J1", "J1→J2", "J2→J3", "J3→J4", "J4→J5"]
    assert periodes["avant J1"]["honores"] == 6
    vide = periodes["J1→J2"]
    assert (vide["honores"], vide["taux_programmes"], vide["taux_non_honores"]) == (0, None, None)
    assert vide["delai_rdv"] == {"n": 0, "moyenne": None, "mediane": None, "p90": None}
    assert vide["delai_cr"]["part_48h"] is None
    assert vide["non_honores_par_tranche_delai"] == dict.fromkeys(["0-7", "8-14", "15-30", "31-60", ">60"])


def test_par_modalite_et_provenance(document):
    modalites = {m["modalite"]: m for m in document["par_modalite"]}
    assert list(modalites) == ["Scanner", "IRM", "Echographie"]  # ordre de la liste
    for nom, attendu in jeux.PAR_MODALITE.items():
        conforme(modalites[nom], attendu, nom)
    provenances = {p["provenance"]: p for p in document["par_provenance"]}
    assert list(provenances) == ["Externe", "Urgences", "Hospi - Service 1", "Hospi - Service 2"]
    for nom, attendu in jeux.PAR_PROVENANCE.items():
        conforme(provenances[nom], attendu, nom)


def test_services_demandeurs(document):
    services = {s["provenance"]: s for s in document["services_demandeurs"]}
    assert list(services) == ["Externe", "Urgences", "Hospi - Service 1", "Hospi - Service 2"]
    # 9 jours ouverts (dates distinctes). Externe : 7 demandes, 6 datées ; 3 la semaine du
    # 06/09 et 3 celle du 13/09 (écart-type nul).
    conforme(services["Externe"], {"volume": 7, "par_jour": 6 / 9, "part_non_programmes": 0.0,
                                   "cv_hebdomadaire": 0.0, "eligible_creneaux": False,
                                   "jours_eligibles": []})  # fmt: skip
    # Urgences : 3 demandes, 2 puis 1 par semaine (moyenne 1,5, écart-type 0,5).
    conforme(services["Urgences"], {"volume": 3, "par_jour": 3 / 9, "part_non_programmes": 1.0,
                                    "cv_hebdomadaire": 1 / 3})  # fmt: skip


def test_eligibilite_aux_creneaux_certains_jours(tmp_path):
    lundi_4, mardi_5, lundi_11 = date(2010, 10, 4), date(2010, 10, 5), date(2010, 10, 11)
    lignes = [(j, "Scanner", "Urgences", "Non programmé", None, 0) for j in [lundi_4] * 3 + [lundi_11] * 3]
    lignes.append((mardi_5, "IRM", "Externe", "Programmé honoré", 12, 1))
    resultat = analyser(ecrire_grille(tmp_path, OptionsGrille(), lignes))
    urgences = resultat.services.loc["Urgences"]
    # 3 jours ouverts : 6 demandes / 3 = 2 par jour, mais 3 par lundi ouvert (6 / 2).
    assert urgences["par_jour"] == 2.0 and urgences["par_lundi"] == 3.0
    assert urgences["eligible_creneaux"] and urgences["jours_eligibles"] == ["lundi"]
    assert not resultat.services.loc["Externe", "eligible_creneaux"]
    assert (urgences["rang_volume"], urgences["rang_progression"]) == (1, 1)


def test_cles_json_exactement_celles_de_la_spec(document):
    assert list(document) == ["fichier", "etablissement", "lignes_lues", "global", "par_semaine",
                              "par_mois", "par_periode", "par_modalite", "par_provenance",
                              "services_demandeurs", "anomalies"]  # fmt: skip
    bloc = ["honores", "non_honores", "non_programmes", "taux_programmes", "taux_non_honores",
            "delai_rdv", "delai_cr", "distribution_cr", "non_honores_par_tranche_delai"]  # fmt: skip
    assert list(document["global"]) == bloc
    assert list(document["global"]["delai_rdv"]) == ["n", "moyenne", "mediane", "p90"]
    assert list(document["global"]["delai_cr"]) == ["n", "moyenne", "mediane", "p90", "part_48h"]
    for cle, etiquette in [("par_semaine", "semaine"), ("par_mois", "mois"), ("par_periode", "periode"),
                           ("par_modalite", "modalite"), ("par_provenance", "provenance")]:  # fmt: skip
        assert list(document[cle][0]) == [etiquette, *bloc]
    assert list(document["services_demandeurs"][0]) == [
        "provenance", "volume", "par_jour", "part_non_programmes", "cv_hebdomadaire",
        "eligible_creneaux", "jours_eligibles"]  # fmt: skip
    assert list(document["anomalies"]) == [
        "erreurs",
        "avertissements",
        "infos",
        "par_code",
        "liste",
        "verifiees",  # le suivi des anomalies (issue 18), après les clés de SPEC §8
    ]
    assert document["etablissement"] is None


def test_anomalies_en_json(tmp_path):
    lignes = [(date(2010, 10, 4), "Scaner", "Externe", "Programmé honoré", 3, 1)]
    anomalies = document_compute(analyser(ecrire_grille(tmp_path, OptionsGrille(), lignes)))["anomalies"]
    assert (anomalies["erreurs"], anomalies["avertissements"], anomalies["infos"]) == (1, 0, 0)
    assert anomalies["par_code"] == {"valeur-hors-liste": 1}
    assert anomalies["liste"] == [{
        "code": "valeur-hors-liste", "gravite": "erreur", "ligne": 5, "cellule": "Recueil!B5",
        "valeur": "Scaner",
        "message": "« Scaner » n'est pas dans la liste des modalités (vouliez-vous dire « Scanner » ?) "
                   ": choisissez une valeur du menu déroulant, ou ajoutez-la dans la feuille Listes.",
        "suivi": "À corriger", "commentaire": None,
    }]  # fmt: skip


def test_une_date_egaree_n_etire_pas_les_semaines(tmp_path):
    """Une année mal frappée (2001) garde sa ligne, dans une semaine à part, sans dix ans de
    semaines vides entre elle et le recueil ; la régularité des services l'ignore."""
    lignes = [*jeux.LIGNES[:11], (date(2001, 9, 7), "IRM", "Externe", jeux.H, 8, 1)]
    chemin = ecrire_grille(tmp_path, OptionsGrille(lignes=100), lignes)
    resultat = analyser(chemin)
    assert [str(lundi.date()) for lundi in resultat.par["semaine"].index] == [
        "2001-09-03", "2010-09-06", "2010-09-13",
    ]  # fmt: skip
    assert [str(mois) for mois in resultat.par["mois"].index] == ["2001-09", "2010-09"]
    assert resultat.par["semaine"]["honores"].sum() == resultat.ensemble["honores"]
    assert resultat.services.loc["Externe", "cv_hebdomadaire"] == pytest.approx(
        analyser(ecrire_grille(tmp_path / "b", OptionsGrille(lignes=100), jeux.LIGNES[:11])).services.loc[
            "Externe", "cv_hebdomadaire"
        ]
    )
