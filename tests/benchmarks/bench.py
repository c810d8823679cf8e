"""Mesures de performance de coaching-xl, et de ses pairs dans la même exécution.

    python -m tests.benchmarks.bench                 # 10 000, 100 000 et 1 048 572 lignes
    python -m tests.benchmarks.bench --tailles 100000 --repetitions 5
    python -m tests.benchmarks.bench --pairs-complets   # pandas/openpyxl aussi sur 1 M de lignes
    python -m tests.benchmarks.bench --tailles "" --region 54x20000   # la consolidation seule

Chaque cas tourne dans un processus neuf (``tests.benchmarks.mesure``), plusieurs fois ; on
imprime la médiane, le pic de mémoire, et les rapports aux pairs mesurés dans la même
exécution ; le détail part dans un JSON. Ce n'est pas un test : rien n'y échoue.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tests.benchmarks import entrees

ICI = Path(__file__).parent
TAILLES = (10_000, 100_000, 1_048_572)
CIBLES = {
    ("analyser", 100_000): 1.0,
    ("analyser", 1_048_572): 7.0,
    ("compute", 100_000): 1.2,
    ("compute", 1_048_572): 8.0,
}
"""Objectifs (secondes) des tickets ; la mémoire de 1 M de lignes doit rester ≤ 1,5 Go."""
PAIRS = {
    "analyser": ("pandas-openpyxl",),
    "compute": ("openpyxl-aller-retour",),
    "lecture-fastexcel": ("lecture-python-calamine",),
}
"""Cas → pairs auxquels le comparer."""
CAS_PAR_DEFAUT = (
    "analyser",
    "check",
    "lecture-fastexcel",
    "lecture-python-calamine",
    "pandas-openpyxl",
)
CIBLE_REGION = ("54x20000", 8.0)
"""54 grilles de 20 000 lignes consolidées en 8 s au plus (ticket 6)."""
PAIRS_LENTS = {"pandas-openpyxl": 100_000}
"""Un pair trop lent ne tourne qu'une fois, et jusqu'à cette taille (sauf --pairs-complets)."""


def mesurer(cas: str, chemin: Path, repetitions: int) -> dict:
    """Médiane et pic de mémoire de ``repetitions`` processus neufs."""
    durees, memoires = [], []
    for _ in range(repetitions):
        sortie = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.mesure", cas, str(chemin)],
            capture_output=True, text=True, check=True, cwd=ICI.parent.parent,
        )  # fmt: skip
        mesure = json.loads(sortie.stdout.strip().splitlines()[-1])
        durees.append(mesure["secondes"])
        memoires.append(mesure["rss_mo"])
    return {
        "cas": cas,
        "mediane_s": statistics.median(durees),
        "durees_s": durees,
        "rss_mo": max(memoires),
    }


def mesurer_region(region: str, repetitions: int) -> dict:
    """La consolidation d'une région simulée, sur tous les cœurs puis sur un seul."""
    etablissements, lignes = (int(n) for n in region.lower().split("x"))
    dossier = entrees.region_simulee(etablissements, lignes)
    taille = sum(f.stat().st_size for f in dossier.iterdir()) / 2**20
    print(f"\nRégion : {etablissements} grilles × {lignes:_} lignes ({taille:.0f} Mo) :".replace("_", " "))
    mesures = {nom: mesurer(nom, dossier, repetitions) for nom in ("consolider", "consolider-sequentiel")}
    for nom, m in mesures.items():
        cible = (
            f"   (objectif ≤ {CIBLE_REGION[1]:.1f} s)"
            if nom == "consolider" and region == CIBLE_REGION[0]
            else ""
        )
        print(f"  {nom:<26} {m['mediane_s']:8.2f} s   {m['rss_mo']:7.0f} Mo{cible}")
    acceleration = mesures["consolider-sequentiel"]["mediane_s"] / mesures["consolider"]["mediane_s"]
    print(
        f"  → lecture en parallèle ({os.cpu_count()} cœurs) {acceleration:.2f} × plus rapide qu'en séquence"
    )
    return {"region": region, "mesures": list(mesures.values())}


def machine() -> str:
    coeurs = os.cpu_count()
    try:
        modele = next(
            ligne.split(":", 1)[1].strip()
            for ligne in Path("/proc/cpuinfo").read_text().splitlines()
            if ligne.startswith("model name")
        )
    except (OSError, StopIteration):
        modele = platform.processor() or "processeur inconnu"
    memoire = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{modele}, {coeurs} cœurs, {memoire:.0f} Gio, Python {platform.python_version()}"


def main() -> None:
    parseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parseur.add_argument("--tailles", default=",".join(map(str, TAILLES)))
    parseur.add_argument("--cas", default=",".join(CAS_PAR_DEFAUT))
    parseur.add_argument("--repetitions", type=int, default=3)
    parseur.add_argument("--pairs-complets", action="store_true")
    parseur.add_argument("--json", type=Path, default=ICI / "resultats.json")
    parseur.add_argument(
        "--region", default=CIBLE_REGION[0], help="ÉTABLISSEMENTSxLIGNES à consolider ; vide : aucune"
    )
    options = parseur.parse_args()
    tailles = [int(t) for t in options.tailles.split(",") if t]
    cas = options.cas.split(",")

    print(f"Machine : {machine()}")
    resultats = []
    for taille in tailles:
        chemin = entrees.grille(taille)
        print(f"\n{taille:>9_} lignes ({chemin.stat().st_size / 2**20:.1f} Mo) :".replace("_", " "))
        mesures = {}
        for nom in cas:
            limite = PAIRS_LENTS.get(nom)
            if limite and taille > limite and not options.pairs_complets:
                continue
            mesures[nom] = mesurer(nom, chemin, 1 if limite else options.repetitions)
            m = mesures[nom]
            cible = CIBLES.get((nom, taille))
            note = f"   (objectif ≤ {cible:.1f} s)" if cible else ""
            print(f"  {nom:<26} {m['mediane_s']:8.2f} s   {m['rss_mo']:7.0f} Mo{note}")
        for nom, pairs in PAIRS.items():
            for pair in pairs:
                if nom in mesures and pair in mesures:
                    rapport = mesures[pair]["mediane_s"] / mesures[nom]["mediane_s"]
                    print(f"  → {nom} est {rapport:.1f} × plus rapide que {pair}")
        resultats.append({"lignes": taille, "mesures": list(mesures.values())})
    if options.region:
        resultats.append(mesurer_region(options.region, options.repetitions))

    options.json.write_text(json.dumps(
        {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "resultats": resultats},
        ensure_ascii=False, indent=1,
    ))  # fmt: skip
    print(f"\nDétail : {options.json}")


if __name__ == "__main__":
    main()
