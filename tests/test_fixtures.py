"""Les petits classeurs de tests/fixtures/ sont ceux que fabrique tests/fixtures/fabriquer.py."""

from __future__ import annotations

from tests.fixtures.fabriquer import ICI, fabriquer
from tests.outils import differences


def test_fixtures_a_jour(tmp_path):
    for chemin in fabriquer(tmp_path):
        ecarts = differences(chemin, ICI / chemin.name)
        assert not ecarts, (
            f"tests/fixtures/{chemin.name} diffère de ce que fabrique le script ({ecarts}) : "
            "python -m tests.fixtures.fabriquer"
        )
