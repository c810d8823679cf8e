"""Reconnaître une date, un délai, un libellé : les formes admises et refusées (SPEC §4)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from moteur.valeurs import lire_date, lire_dates, lire_delai, lire_delais, reconnaitre
from recueil import schema as s

LE_6 = date(2010, 9, 6)


@pytest.mark.parametrize(
    "texte",
    [
        "2010-09-06 00:00:00",  # cellule date relue par le lecteur
        "2010-09-06 08:30:00",  # l'heure est ignorée
        "2010-09-06",
        "2010/09/06",
        "06/09/2010",
        "6/9/2010",
        "06-09-2010",
        "06.09.2010",
        "06/09/10",
        "06/09/2010 08:30",
        "6 septembre 2010",
        "lundi 6 septembre 2010",
        "Lundi, 6 Septembre 2010",
        "6 sept. 2010",
        "  lundi   6  septembre 2010 ",
        "40427",  # numéro de série Excel
        "40427.75",
    ],
)
def test_formes_de_date_admises(texte):
    assert lire_date(texte) == LE_6


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("1er octobre 2010", date(2010, 10, 1)),
        ("mardi 1er février 2011", date(2011, 2, 1)),
        ("15 aout 2010", date(2010, 8, 15)),
        ("3 déc. 2010", date(2010, 12, 3)),
        ("6 sept. 45", date(1945, 9, 6)),
    ],
)
def test_dates_en_toutes_lettres(texte, attendu):
    assert lire_date(texte) == attendu


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("06/09/00", date(2000, 9, 6)),
        ("06/09/29", date(2029, 9, 6)),
        ("06/09/30", date(1930, 9, 6)),
        ("06/09/45", date(1945, 9, 6)),
        ("06/09/99", date(1999, 9, 6)),
    ],
)
def test_annee_sur_deux_chiffres_comme_excel(texte, attendu):
    """Pivot d'Excel et de LibreOffice : 00–29 → 20xx, 30–99 → 19xx."""
    assert lire_date(texte) == attendu


@pytest.mark.parametrize(
    "texte", ["32/13/2010", "31/02/2010", "demain", "6 brumaire 2010", "", None, "06/09", "true"]
)
def test_ce_qui_n_est_pas_une_date(texte):
    assert lire_date(texte) is None


def test_numero_de_serie_en_1904():
    assert lire_date("39065", date1904=True) == date(2010, 12, 15)
    assert lire_date("39065") == date(2006, 12, 14)


def test_lire_dates_vectorise():
    dates, illisibles = lire_dates(pa.array(["06/09/2010", None, "n'importe quoi", "06/09/2010"]))
    assert list(dates.astype(str)) == ["2010-09-06", "NaT", "NaT", "2010-09-06"]
    assert list(illisibles) == [False, False, True, False]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [("3", 3), ("3.0", 3), ("3,0", 3), (" 12 ", 12), ("0", 0), ("365", 365), ("-0", 0),
     ("2.5", None), ("2,5", None), ("-1", None), ("366", None), ("trois", None), ("", None),
     ("true", None), ("1e2", 100), ("3.0000001", None)],
)  # fmt: skip
def test_delais(texte, attendu):
    assert lire_delai(texte) == attendu


def test_lire_delais_vectorise():
    delais, invalides = lire_delais(pa.array(["3", None, "2.5", "7"]))
    assert np.array_equal(delais, [3, np.nan, np.nan, 7], equal_nan=True)
    assert list(invalides) == [False, False, True, False]


def test_reconnaitre_a_la_casse_aux_accents_et_aux_espaces_pres():
    libelles = s.MODALITES.defaut
    reconnu = reconnaitre(
        pa.array(["scanner", " IRM ", "Échographie", "Scaner", None, "Mammographie"]), libelles
    )
    assert list(reconnu.indices) == [1, 2, 3, -1, -1, -1]
    assert list(reconnu.inconnues) == [False, False, False, True, False, True]
    assert reconnu.suggestions == {"Scaner": "Scanner"}


def test_jours_de_semaine_et_lundis():
    from datetime import timedelta

    import numpy as np

    from moteur.valeurs import jours_de_semaine, lundis
    from recueil.calendrier import lundi

    jours = [date(2010, 9, 6) + timedelta(days=i) for i in range(-400, 400, 3)]
    tableau = np.array(jours, dtype="datetime64[D]")
    assert jours_de_semaine(tableau).tolist() == [j.weekday() for j in jours]
    assert lundis(tableau).astype(object).tolist() == [lundi(j) for j in jours]
