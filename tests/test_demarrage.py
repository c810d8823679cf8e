"""Le démarrage est l'essentiel de l'attente : chaque commande n'importe que ce qu'elle emploie
(check ni openpyxl ni matplotlib ; compute sans --pdf pas matplotlib, ni l'écrivain des
annexes)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import RACINE

LOURDS = ("openpyxl", "matplotlib", "recueil.annexes", "xlwings", "lxml.etree", "xlrd")


def modules_charges(*arguments: str) -> set[str]:
    code = (
        "import json, sys\n"
        "from coaching_xl.cli import main\n"
        "try:\n"
        f"    main({list(arguments)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {LOURDS!r} if m in sys.modules]))\n"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=RACINE, check=True
    )
    return set(json.loads(sortie.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def grille(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("demarrage")
    chemin = dossier / "grille.xlsx"
    chemin.write_bytes((RACINE / "exemples" / "grille_chu_de_saint-aurele.xlsx").read_bytes())
    return chemin


def test_check_n_importe_ni_tableur_ni_dessin(grille):
    assert modules_charges("check", str(grille)) == set()


def test_compute_sans_pdf_ne_dessine_pas(grille):
    charges = modules_charges("compute", str(grille))
    assert "matplotlib" not in charges and "recueil.annexes" not in charges and "xlwings" not in charges
    assert "openpyxl" in charges  # les graphiques Excel des feuilles de résultats


def test_compute_avec_pdf_dessine(grille):
    assert "matplotlib" in modules_charges("compute", str(grille), "--pdf")
