"""La suite de mesures reste utilisable : chaque cas qu'elle cite existe, son tableau par taille
et son bilan des objectifs disent ce que les mesures disent (sans rien chronométrer ici)."""

from __future__ import annotations

from recueil import schema as s
from tests.benchmarks import bench, mesure


def _mesure(cas: str, secondes: float, rss: float = 100.0) -> dict:
    return {"cas": cas, "mediane_s": secondes, "durees_s": [secondes], "rss_mo": rss}


def test_chaque_cas_cite_existe():
    cites = {*bench.CAS_PAR_DEFAUT, *bench.PAIRS, *(p for pairs in bench.PAIRS.values() for p in pairs)}
    cites |= {objectif.cas for objectif in bench.OBJECTIFS} | {o.pair for o in bench.OBJECTIFS if o.pair}
    cites -= set(bench.CAS_TABLEAU)  # mesurés par le pilote LibreOffice, dans bench.py même
    assert cites <= set(mesure.CAS), cites - set(mesure.CAS)


def test_tableau_par_taille():
    par_taille = {
        10_000: {"compute": _mesure("compute", 0.1), "openpyxl-aller-retour": _mesure("o", 0.8)},
        100_000: {"compute": _mesure("compute", 0.4)},
    }
    lignes = bench.tableau(par_taille).splitlines()
    assert lignes[0] == "| cas | 10 000 lignes | 100 000 lignes |"
    assert "| compute | 0.10 s · 100 Mo | 0.40 s · 100 Mo |" in lignes
    assert "| openpyxl-aller-retour / compute | 8.0 × | — |" in lignes


def test_bilan_des_objectifs():
    toutes = {
        100_000: {"compute": _mesure("compute", 0.4), "openpyxl-aller-retour": _mesure("o", 9.0)},
        s.LIGNES_MAX: {"compute": _mesure("compute", 9.0, rss=2000)},
    }
    bilan = bench.bilan(toutes)
    assert "  atteint  compute 100 000 lignes ≤ 1,2 s : 0.40 s" in bilan
    assert "  MANQUÉ   ≥ 25 × openpyxl (charger, ajouter, enregistrer) : 22.5 ×" in bilan
    assert "  MANQUÉ   compute 1 048 572 lignes ≤ 8 s : 9.00 s" in bilan
    assert "  MANQUÉ   compute 1 048 572 lignes ≤ 1,5 Go : 2000 Mo" in bilan
    assert not any("LibreOffice" in ligne for ligne in bilan)  # pair non mesuré : pas de verdict
