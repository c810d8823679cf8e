"""templates_xlsx/ contient exactement ce que `coaching-xl generate` écrit par défaut."""

from __future__ import annotations

from click.testing import CliRunner

from coaching_xl.cli import main
from tests.conftest import RACINE
from tests.outils import differences

MODELES = RACINE / "templates_xlsx"


def test_modeles_identiques_au_generateur(tmp_path):
    resultat = CliRunner().invoke(main, ["generate", "-o", str(tmp_path)])
    assert resultat.exit_code == 0, resultat.output
    generes = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    # malcom.xlsx, l'autre outil, a son propre test (tests/test_malcom.py).
    assert generes == sorted(p.name for p in MODELES.glob("*.xlsx") if p.name != "malcom.xlsx")
    for nom in generes:
        ecarts = differences(tmp_path / nom, MODELES / nom)
        assert not ecarts, (
            f"templates_xlsx/{nom} ne correspond plus au générateur (parties {ecarts}). "
            "Régénérez-le : coaching-xl generate -o templates_xlsx --ecraser"
        )
