"""L'ordre des couches (pyproject.toml, [tool.importlinter]) : socle → recueil → moteur →
rapports → coaching_xl ; chaque couche n'importe que celles d'en dessous, le socle aucune
bibliothèque lourde, le moteur ni dessin ni écriture de classeur."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

RACINE = Path(__file__).parents[1]


def test_contrats_des_couches(monkeypatch, capsys):
    monkeypatch.chdir(RACINE)
    code = lint_imports(config_filename=str(RACINE / "pyproject.toml"), no_cache=True)
    sortie = capsys.readouterr().out
    assert code == 0, sortie
    assert sortie.count("KEPT") == 3, sortie
