"""Chaque contrôle de SPEC §4 sur son petit classeur, avec la cellule exacte attendue ; et la
règle d'exclusion : une erreur écarte la seule valeur fautive, un avertissement rien."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from moteur.controles import controler
from moteur.lecture import lire_grille
from moteur.resultat import calculer
from recueil import schema as s
from recueil.grille import OptionsGrille, ecrire_grille

FIXTURES = Path(__file__).parent / "fixtures"
AUJOURDHUI = date(2011, 3, 1)

ATTENDU = {
    "grille_date_manquante": [("date-manquante", "Recueil!A5", "")],
    "grille_date_invalide": [
        ("date-invalide", "Recueil!A5", "32/13/2010"),
        ("date-invalide", "Recueil!A6", "31/02/2010"),
        ("date-invalide", "Recueil!A7", "31/12/1999"),
    ],
    "grille_date_future": [("date-future", "Recueil!A5", "10/03/2011")],
    "grille_date_hors_periode": [("date-hors-periode", "Recueil!A5", "14/06/2010")],
    "grille_valeur_hors_liste": [
        ("valeur-hors-liste", "Recueil!B5", "Scaner"),
        ("valeur-hors-liste", "Recueil!C6", "Urgence"),
        ("valeur-hors-liste", "Recueil!D7", "Programme annulé"),
    ],
    "grille_champ_manquant": [
        ("champ-manquant", "Recueil!B5", ""),
        ("champ-manquant", "Recueil!C6", ""),
        ("champ-manquant", "Recueil!D6", ""),
    ],
    "grille_delai_invalide": [
        ("delai-invalide", "Recueil!E5", "2.5"),
        ("delai-invalide", "Recueil!F6", "-1"),
        ("delai-invalide", "Recueil!E7", "trois"),
        ("delai-invalide", "Recueil!F8", "400"),
    ],
    "grille_delai_rdv_manquant": [
        ("delai-rdv-manquant", "Recueil!E5", ""),
        ("delai-rdv-manquant", "Recueil!E6", ""),
    ],
    "grille_delai_rdv_non_programme": [("delai-rdv-non-programme", "Recueil!E5", "3")],
    "grille_delai_rdv_nul_programme": [("delai-rdv-nul-programme", "Recueil!E5", "0")],
    "grille_delai_cr_non_honore": [("delai-cr-non-honore", "Recueil!F5", "2")],
    "grille_delai_atypique": [("delai-atypique", "Recueil!E5", "200")],
    "grille_formule_sans_valeur": [
        ("formule-sans-valeur", f"Recueil!{lettre}6", f"={lettre}5") for lettre in "ABCDEF"
    ],
    "grille_valeur_erreur": [
        *(("valeur-erreur", f"Recueil!{lettre}6", "#REF!") for lettre in "ABCDEF"),
        ("valeur-erreur", "Recueil!B7", "#N/A"),
    ],
    "grille_ligne_total_tableau": [("ligne-total-tableau", "Recueil!A7", "Total")],
}


@pytest.mark.parametrize("cas", sorted(ATTENDU))
def test_chaque_anomalie_a_sa_cellule(cas):
    controle = controler(lire_grille(FIXTURES / f"{cas}.xlsx"), AUJOURDHUI)
    trouve = list(
        zip(
            controle.anomalies["code"],
            controle.cellules(),
            controle.anomalies["valeur"],
            strict=True,
        )
    )
    assert trouve == ATTENDU[cas]
    gravites = set(controle.anomalies["gravite"])
    assert gravites == {s.ANOMALIES[code].gravite for code, _, _ in ATTENDU[cas]}


def test_tous_les_codes_sont_eprouves():
    eprouves = {code for attendus in ATTENDU.values() for code, _, _ in attendus}
    assert eprouves == set(s.ANOMALIES)


def test_messages_disent_quoi_faire():
    controle = controler(lire_grille(FIXTURES / "grille_valeur_hors_liste.xlsx"), AUJOURDHUI)
    messages = list(controle.anomalies["message"])
    assert messages[0] == (
        "« Scaner » n'est pas dans la liste des modalités (vouliez-vous dire « Scanner » ?) : "
        "choisissez une valeur du menu déroulant, ou ajoutez-la dans la feuille Listes."
    )
    assert "vouliez-vous dire « Urgences »" in messages[1]
    # « Programme annulé » ressemble trop peu à « Programmé honoré » pour le suggérer.
    assert messages[2] == (
        "« Programme annulé » n'est pas un type de rendez-vous : choisissez Programmé honoré, "
        "Programmé non-honoré ou Non programmé."
    )


def test_periode_des_parametres_de_la_grille(tmp_path):
    chemin = ecrire_grille(
        tmp_path, OptionsGrille(), [(date(2010, 8, 31), "IRM", "Externe", "Non programmé", None, 0)]
    )
    controle = controler(lire_grille(chemin), AUJOURDHUI)
    assert (controle.debut, controle.fin) == (date(2010, 9, 1), date(2011, 2, 15))
    assert list(controle.anomalies["code"]) == ["date-hors-periode"]
    assert "du 01/09/2010 au 15/02/2011" in controle.anomalies["message"][0]


def lignes(*rangs):
    return [
        (date(2010, 10, 4), "Scanner", "Externe", "Programmé honoré", 10, 1),
        ("pas une date", "Scanner", "Externe", "Programmé honoré", 20, 2),
        (date(2010, 10, 5), "Scaner", "Externe", "Programmé non-honoré", 30, None),
        (date(2010, 10, 5), "IRM", "Externe", "Programmé honoré", 2.5, 3),
        (date(2010, 10, 6), "IRM", "Urgences", "Non programmé", 4, 0),
        (date(2010, 10, 6), "IRM", "Urgences", "Reporté", 5, 5),
    ]


def test_une_erreur_n_ecarte_que_la_valeur_fautive(tmp_path):
    resultat = calculer(
        controler(lire_grille(ecrire_grille(tmp_path, OptionsGrille(), lignes())), AUJOURDHUI)
    )
    assert list(resultat.controle.par_code()) == [
        "date-invalide",
        "valeur-hors-liste",
        "delai-invalide",
        "delai-rdv-non-programme",
    ]
    e = resultat.ensemble
    # La ligne sans date compte dans l'ensemble ; la ligne « Reporté » (type inconnu) nulle part.
    assert (e["honores"], e["non_honores"], e["non_programmes"]) == (3, 1, 1)
    # Délais RDV : 10, 20, 30 (2,5 écarté ; le 4 d'un non programmé n'entre pas, par définition).
    assert (e["delai_rdv_n"], e["delai_rdv_moyenne"]) == (3, 20.0)
    # Semaines : la ligne sans date n'y est pas.
    semaine = resultat.par["semaine"].loc[pd.Timestamp("2010-10-04")]
    assert (semaine["honores"], semaine["non_honores"], semaine["non_programmes"]) == (2, 1, 1)
    # Modalités : « Scaner » sort la ligne de sa modalité, pas des taux.
    modalites = resultat.par["modalite"]
    assert list(modalites.index) == ["Scanner", "IRM"]
    assert modalites.loc["Scanner", "honores"] == 2
    assert modalites.loc["IRM", "honores"] == 1 and modalites.loc["IRM", "non_programmes"] == 1
    # Un avertissement n'écarte rien : le délai CR 0 du non programmé compte.
    assert e["delai_cr_n"] == 4
