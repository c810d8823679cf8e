"""Les nombres à la française."""

import pytest

from socle.francais import decimal, entier, pourcent


@pytest.mark.parametrize(
    ("fonction", "valeur", "attendu"),
    [
        (entier, 50000, "50\u202f000"),
        (entier, 7, "7"),
        (entier, 1048575, "1\u202f048\u202f575"),
        (decimal, 2.456, "2,5"),
        (decimal, 1234.5, "1\u202f234,5"),
        (pourcent, 0.0712, "7,1\u202f%"),
        (pourcent, 1, "100,0\u202f%"),
    ],
)
def test_formats(fonction, valeur, attendu):
    assert fonction(valeur) == attendu


def test_decimales():
    assert decimal(0.125, 2) == "0,12"
    assert pourcent(0.07416, 2) == "7,42\u202f%"
