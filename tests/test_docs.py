"""La documentation dit vrai : aide de chaque commande, commandes du README, CHANGELOG."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from tests.conftest import RACINE

README = (RACINE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("commande", sorted(main.commands))
def test_chaque_commande_a_son_aide(commande):
    assert main.commands[commande].help, f"la commande {commande} n'a pas d'aide"
    resultat = CliRunner().invoke(main, [commande, "--help"])
    assert resultat.exit_code == 0
    assert "Usage:" in resultat.output or "Utilisation" in resultat.output
    for option in main.commands[commande].params:
        if option.param_type_name == "option" and not option.hidden:
            assert option.help, f"{commande} : l'option {option.opts} n'a pas d'aide"


def test_premier_ecran_du_readme():
    premier_ecran = "\n".join(README.splitlines()[:20])
    assert "coaching-xl demo -o demo/" in premier_ecran
    assert "<!-- commande-tests -->" in premier_ecran
    assert "python -m pytest" in premier_ecran


def test_commandes_du_readme_existent():
    """Chaque commande citée en code (`coaching-xl compute …`, blocs ```) existe ; la prose
    (« ce que coaching-xl garantit ») n'est pas une commande."""
    code = re.findall(r"```.*?```|`[^`\n]+`", README, re.S)
    citees = {m for bloc in code for m in re.findall(r"coaching-xl ([a-z]+)", bloc)}
    assert citees, "le README ne cite aucune commande"
    assert citees <= set(main.commands), citees - set(main.commands)


def test_changelog_a_une_section_unreleased():
    changelog = (RACINE / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
