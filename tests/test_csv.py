"""Les CSV que nous écrivons s'ouvrent dans Excel sans exécuter ce que l'utilisateur a tapé :
une valeur qui commence comme une formule y reste du texte, un nombre négatif un nombre."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from moteur.resultat import analyser
from rapports.ecriture import ecrire_csv_anomalies
from recueil.grille import OptionsGrille, ecrire_grille
from socle.fichiers import cellule_csv, ecrire_csv
from tests.jeux import H

DANGEREUX = ['=HYPERLINK("http://x","clic")', "@SUM(1+1)", "+33 1 23", "-Urgences", "\tcalc", "\r=1+1"]


@pytest.mark.parametrize("texte", DANGEREUX)
def test_formule_neutralisee(texte):
    assert cellule_csv(texte) == "'" + texte


@pytest.mark.parametrize("valeur", [-3, -2.5, "-3", "-2,5", "-0.5", "Scanner", "", None, 12])
def test_le_reste_inchange(valeur):
    assert cellule_csv(valeur) == valeur


def test_ecrire_csv(tmp_path):
    chemin = ecrire_csv(tmp_path / "a.csv", ["=entete", "b"], [("=1+1", -3), ("texte", "-4")])
    assert chemin.read_bytes().startswith("\ufeff".encode())
    with chemin.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f, delimiter=";")) == [["'=entete", "b"], ["'=1+1", "-3"], ["texte", "-4"]]


def test_csv_des_anomalies(tmp_path):
    """Une provenance tapée « =HYPERLINK(…) » (hors liste : une anomalie qui cite la valeur) et
    un délai négatif : dans le CSV, l'une est du texte, l'autre reste « -3 »."""
    lignes = [
        (date(2010, 9, 6), "Scanner", DANGEREUX[0], H, 10, 1),
        (date(2010, 9, 6), "Scanner", "Externe", H, -3, 1),
    ]
    grille = ecrire_grille(tmp_path, OptionsGrille(lignes=100), lignes)
    chemin = tmp_path / "anomalies.csv"
    ecrire_csv_anomalies(analyser(grille), chemin)
    with chemin.open(encoding="utf-8-sig", newline="") as f:
        valeurs = [ligne["valeur"] for ligne in csv.DictReader(f, delimiter=";")]
    assert "'" + DANGEREUX[0] in valeurs and DANGEREUX[0] not in valeurs
    assert "-3" in valeurs
