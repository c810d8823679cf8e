"""Mesures de performance de coaching-xl, et de ses pairs dans la même exécution.

    python -m tests.benchmarks.bench                      # la suite : 3 tailles, région, generate
    python -m tests.benchmarks.bench --tailles 100000 --repetitions 5 --region "" --sans-generate
    python -m tests.benchmarks.bench --pairs-complets     # les pairs lents aussi sur 1 M de lignes
    python -m tests.benchmarks.bench --cas compute,lecture-fastexcel,lecture-python-calamine
    python -m tests.benchmarks.bench --tailles "" --region "" --sans-generate   # tableau de bord seul

Chaque cas tourne dans un processus neuf (``tests.benchmarks.mesure``), plusieurs fois ; on
imprime la médiane, le pic de mémoire, les rapports aux pairs mesurés dans la même exécution,
et pour finir un tableau par taille et l'état de chaque objectif ; le détail part dans un
JSON. Ce n'est pas un test : rien n'y échoue.

Les entrées sont fabriquées puis gardées en cache (``tests/benchmarks/cache``) : grilles de
10 000, 100 000 et 1 048 572 lignes (la plus grande grille possible : 1 048 576 lignes d'une
feuille moins les 4 lignes de titres et d'en-têtes), région simulée de 54 grilles.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from recueil import schema as s
from tests.benchmarks import entrees

ICI = Path(__file__).parent
TAILLES = (10_000, 100_000, s.LIGNES_MAX)
CAS_PAR_DEFAUT = ("compute", "check", "analyser", "openpyxl-aller-retour", "libreoffice-recalcul")
PAIRS = {
    "compute": ("openpyxl-aller-retour", "libreoffice-recalcul"),
    "analyser": ("pandas-openpyxl",),
    "lecture-fastexcel": ("lecture-python-calamine",),
    "consolider": ("consolider-sequentiel",),
    "consolidate-base": ("consolidate",),
    "malcom-compute": ("malcom-openpyxl-aller-retour",),
}
"""Cas → pairs auxquels le comparer."""
PAIRS_LENTS = {"openpyxl-aller-retour": 100_000, "libreoffice-recalcul": 100_000, "pandas-openpyxl": 100_000}
"""Au-delà de cette taille, un pair lent ne tourne qu'avec --pairs-complets, et une seule fois."""
REGION = "54x20000"


@dataclass(frozen=True)
class Objectif:
    """Un objectif des tickets : durée au plus, mémoire au plus, ou rapport à un pair au moins."""

    cas: str
    lignes: int | str
    libelle: str
    secondes: float | None = None
    rss_mo: float | None = None
    pair: str | None = None
    rapport: float | None = None


OBJECTIFS = (
    Objectif("compute", 100_000, "compute 100 000 lignes ≤ 1,2 s", secondes=1.2),
    Objectif("compute", 100_000, "≥ 25 × openpyxl (charger, ajouter, enregistrer)",
             pair="openpyxl-aller-retour", rapport=25),
    Objectif("compute", 100_000, "≥ 6 × LibreOffice (recalcul du tableau de bord)",
             pair="libreoffice-recalcul", rapport=6),
    Objectif("compute", s.LIGNES_MAX, "compute 1 048 572 lignes ≤ 8 s", secondes=8),
    Objectif("compute", s.LIGNES_MAX, "compute 1 048 572 lignes ≤ 1,5 Go", rss_mo=1536),
    Objectif("analyser", 100_000, "relire, contrôler, calculer 100 000 lignes ≤ 1 s", secondes=1),
    Objectif("analyser", s.LIGNES_MAX, "relire, contrôler, calculer 1 048 572 lignes ≤ 7 s", secondes=7),
    Objectif("consolider", REGION, "consolider 54 × 20 000 lignes ≤ 8 s", secondes=8),
    Objectif("consolidate-base", REGION, "consolidate --base ≤ 1,5 × consolidate (54 × 20 000 lignes)",
             pair="consolidate", rapport=1 / 1.5),
    Objectif("compute-commande", 6_000, "coaching-xl compute, 6 000 lignes, commande entière ≤ 0,5 s",
             secondes=0.5),
    Objectif("check-commande", 6_000, "coaching-xl check, 6 000 lignes, commande entière ≤ 0,4 s", secondes=0.4),
    Objectif("generate", "modèles", "generate (grille de 50 000 lignes et annexes) ≤ 3 s", secondes=3),
    Objectif("malcom-compute", "malcom", "malcom compute, 30 blocs, 2 semaines types ≤ 0,5 s", secondes=0.5),
    Objectif("malcom-generate", "malcom", "malcom generate (classeur de 30 blocs) ≤ 1 s", secondes=1),
    Objectif("tableau de bord", 50_000, "tableau de bord recalculé par LibreOffice ≥ 5 × plus vite que l'ancien "
             "(50 000 lignes)", pair="tableau de bord (ancien)", rapport=5),
)  # fmt: skip


RACINE = ICI.parent.parent
AVANT = " (avant)"
"""Le suffixe d'un cas mesuré sur une autre version du code (``--avant``)."""
CAS_AVANT = ("compute", "check", "analyser")


def mesurer(cas: str, chemin: Path, repetitions: int, racine: Path = RACINE) -> dict:
    """Médiane et pic de mémoire de ``repetitions`` processus neufs ; ``racine`` : la copie du
    code mesurée (par défaut celle-ci ; une autre, extraite d'un commit antérieur, pour
    comparer avant et après un changement dans la même exécution)."""
    durees, memoires = [], []
    for _ in range(repetitions):
        sortie = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.mesure", cas, str(chemin)],
            capture_output=True, text=True, check=True, cwd=racine,
        )  # fmt: skip
        mesure = json.loads(sortie.stdout.strip().splitlines()[-1])
        durees.append(mesure["secondes"])
        memoires.append(mesure["rss_mo"])
    return {"cas": cas, "mediane_s": statistics.median(durees), "durees_s": durees, "rss_mo": max(memoires)}


def _ligne(nom: str, mesure: dict) -> None:
    print(f"  {nom:<26} {mesure['mediane_s']:8.2f} s   {mesure['rss_mo']:7.0f} Mo")


def _rapports(mesures: dict[str, dict]) -> None:
    for nom, pairs in PAIRS.items():
        for pair in pairs:
            if nom in mesures and pair in mesures:
                rapport = mesures[pair]["mediane_s"] / mesures[nom]["mediane_s"]
                if rapport >= 1:
                    print(f"  → {nom} est {rapport:.1f} × plus rapide que {pair}")
                else:
                    print(f"  → {nom} prend {1 / rapport:.2f} × le temps de {pair}")
    for nom in CAS_AVANT:
        if nom in mesures and nom + AVANT in mesures:
            avant, apres = mesures[nom + AVANT]["mediane_s"], mesures[nom]["mediane_s"]
            print(
                f"  → {nom} : {avant:.3f} s avant, {apres:.3f} s après ({(apres / avant - 1) * 100:+.0f} %)"
            )


def mesurer_tailles(
    tailles: list[int], cas: list[str], repetitions: int, complets: bool, avant: Path | None = None
) -> dict:
    """Chaque cas sur chaque taille de grille : {taille: {cas: mesure}} ; avec ``avant``, les cas
    de ``CAS_AVANT`` aussi sur cette autre copie du code, en alternance, dans la même exécution."""
    resultats: dict = {}
    for taille in tailles:
        chemin = entrees.grille(taille)
        print(f"\n{taille:>9_} lignes ({chemin.stat().st_size / 2**20:.1f} Mo) :".replace("_", " "))
        mesures = {}
        for nom in cas:
            limite = PAIRS_LENTS.get(nom)
            lent = limite is not None and taille > limite
            if lent and not complets:
                continue
            mesures[nom] = mesurer(nom, chemin, 1 if lent else repetitions)
            _ligne(nom, mesures[nom])
            if avant is not None and nom in CAS_AVANT:
                mesures[nom + AVANT] = mesurer(nom, chemin, repetitions, avant)
                _ligne(nom + AVANT, mesures[nom + AVANT])
        _rapports(mesures)
        resultats[taille] = mesures
    return resultats


def mesurer_region(region: str, repetitions: int) -> dict:
    """La consolidation d'une région simulée, sur tous les cœurs puis sur un seul."""
    etablissements, lignes = (int(n) for n in region.lower().split("x"))
    dossier = entrees.region_simulee(etablissements, lignes)
    taille = sum(f.stat().st_size for f in dossier.iterdir()) / 2**20
    print(f"\nRégion : {etablissements} grilles × {lignes:_} lignes ({taille:.0f} Mo) :".replace("_", " "))
    cas = ("consolider", "consolider-sequentiel", "consolidate", "consolidate-base")
    mesures = {nom: mesurer(nom, dossier, repetitions) for nom in cas}
    for nom, mesure in mesures.items():
        _ligne(nom, mesure)
    _rapports(mesures)
    print(f"    (lecture en parallèle sur {os.cpu_count()} cœurs)")
    return mesures


TAILLES_TABLEAU = (5_000, 50_000)
NOUVEAU, ANCIEN = CAS_TABLEAU = ("tableau de bord", "tableau de bord (ancien)")
"""Les cas du recalcul par LibreOffice, mesurés ici même (pilote UNO), pas par mesure.py."""
MODELE_AVANT = "35a7b61"
"""Le dernier commit dont le tableau de bord comptait par NB.SI.ENS sur toute la feuille Recueil."""


def mesurer_tableau_de_bord(tailles: list[int], repetitions: int, avant: str) -> dict:
    """Le recalcul complet du tableau de bord par LibreOffice (``calculateAll``, profil fr-FR,
    piloté par UNO), sur la grille d'aujourd'hui et sur celle de la révision ``avant``, remplies
    des mêmes lignes, dans la même exécution ; et la preuve qu'elles affichent les mêmes
    valeurs. {taille: {cas: mesure}}."""
    import tempfile

    from tests.libreoffice_uno import LibreOfficeFrancais, disponible

    if not disponible():
        print("\nTableau de bord : LibreOffice en français ou python3-uno absent, non mesuré.")
        return {}
    dossier = Path(tempfile.mkdtemp(prefix="tableau-de-bord-"))
    modeles = {NOUVEAU: RACINE / "templates_xlsx" / "grille_recueil.xlsx", ANCIEN: dossier / "ancien.xlsx"}
    ancien = subprocess.run(["git", "-C", str(RACINE), "show", f"{avant}:templates_xlsx/grille_recueil.xlsx"],
                            capture_output=True, check=True)  # fmt: skip
    modeles[ANCIEN].write_bytes(ancien.stdout)
    lo = LibreOfficeFrancais(dossier / "profil")
    resultats: dict = {}
    try:
        for taille in tailles:
            print(
                f"\nTableau de bord, {taille:_} lignes remplies (LibreOffice, calculateAll) :".replace(
                    "_", " "
                )
            )
            mesures, affiches = {}, {}
            for nom, modele in modeles.items():
                grille = entrees.remplir_modele(modele, dossier / f"{taille}-{modele.name}", taille)
                document = lo.ouvrir(chemin=grille)
                durees = sorted(lo.recalculer(document=document) for _ in range(repetitions))
                affiches[nom] = lo.lire_plage(
                    document=document, feuille=s.FEUILLE_TABLEAU_DE_BORD, plage="A7:B14"
                )
                lo.fermer(document=document)
                mesures[nom] = {"cas": nom, "lignes": taille, "mediane_s": statistics.median(durees),
                                "min_s": durees[0], "rss_mo": 0.0, "repetitions": repetitions}  # fmt: skip
                print(f"  {nom:<28} {mesures[nom]['mediane_s']:7.3f} s (min {durees[0]:.3f} s)")
            rapport = (
                mesures["tableau de bord (ancien)"]["mediane_s"] / mesures["tableau de bord"]["mediane_s"]
            )
            memes = affiches["tableau de bord"] == affiches["tableau de bord (ancien)"]
            print(
                f"  ancien / nouveau : {rapport:.1f} × ; mêmes valeurs affichées : {'oui' if memes else 'NON'}"
            )
            if not memes:
                print(
                    f"    nouveau : {affiches['tableau de bord']}\n    ancien  : {affiches['tableau de bord (ancien)']}"
                )
            resultats[taille] = mesures
    finally:
        lo.arreter()
    return resultats


COMMANDES = ("compute-commande", "check-commande", "compute", "check")
TAILLE_COMMANDES = 6_000


def mesurer_commandes(taille: int, repetitions: int) -> dict:
    """Le temps qu'attend l'utilisateur : la commande entière (interpréteur, imports, travail),
    à côté du travail seul mesuré en processus, sur une grille de ``taille`` lignes."""
    chemin = entrees.grille(taille)
    print(f"\nCommandes entières, {taille:_} lignes (horloge murale) :".replace("_", " "))
    mesures = {nom: mesurer(nom, chemin, repetitions) for nom in COMMANDES}
    for nom, mesure in mesures.items():
        _ligne(nom, mesure)
    return mesures


def mesurer_generate(repetitions: int) -> dict:
    print("\nModèles (generate : grille de 50 000 lignes validées et quatre annexes) :")
    mesures = {"generate": mesurer("generate", entrees.CACHE, repetitions)}
    _ligne("generate", mesures["generate"])
    return mesures


MALCOM = ("malcom-compute", "malcom-openpyxl-aller-retour", "malcom-compute-commande", "malcom-check-commande",
          "malcom-generate")  # fmt: skip


def mesurer_malcom(repetitions: int) -> dict:
    """Malcom : le calcul d'un classeur de 30 blocs sur deux semaines types (en processus, et
    commande entière), son pair openpyxl, et la génération du classeur."""
    chemin = entrees.malcom_plein()
    print("\nMalcom, 30 blocs, deux semaines types :")
    mesures = {
        nom: mesurer(nom, entrees.CACHE if nom == "malcom-generate" else chemin, repetitions)
        for nom in MALCOM
    }
    for nom, mesure in mesures.items():
        _ligne(nom, mesure)
    rapport = mesures["malcom-openpyxl-aller-retour"]["mediane_s"] / mesures["malcom-compute"]["mediane_s"]
    print(f"  → malcom-compute est {rapport:.1f} × plus rapide que malcom-openpyxl-aller-retour")
    return mesures


def tableau(par_taille: dict[int, dict[str, dict]]) -> str:
    """Le tableau par taille (Markdown) : durée médiane et mémoire de chaque cas, et les
    rapports aux pairs — comment le coût croît avec les lignes."""
    tailles = list(par_taille)
    cas = list(dict.fromkeys(nom for mesures in par_taille.values() for nom in mesures))
    entete = "| cas | " + " | ".join(f"{t:_} lignes".replace("_", " ") for t in tailles) + " |"
    lignes = [entete, "|---|" + "---:|" * len(tailles)]
    for nom in cas:
        cellules = [
            f"{par_taille[t][nom]['mediane_s']:.2f} s · {par_taille[t][nom]['rss_mo']:.0f} Mo"
            if nom in par_taille[t] else "—"
            for t in tailles
        ]  # fmt: skip
        lignes.append(f"| {nom} | " + " | ".join(cellules) + " |")
    for nom, pairs in PAIRS.items():
        for pair in pairs:
            rapports = [
                f"{par_taille[t][pair]['mediane_s'] / par_taille[t][nom]['mediane_s']:.1f} ×"
                if nom in par_taille[t] and pair in par_taille[t] else "—"
                for t in tailles
            ]  # fmt: skip
            if any(r != "—" for r in rapports):
                lignes.append(f"| {pair} / {nom} | " + " | ".join(rapports) + " |")
    return "\n".join(lignes)


def bilan(toutes: dict) -> list[str]:
    """L'état de chaque objectif mesuré dans cette exécution."""
    lignes = []
    for objectif in OBJECTIFS:
        mesures = toutes.get(objectif.lignes, {})
        mesure = mesures.get(objectif.cas)
        if mesure is None or (objectif.pair and objectif.pair not in mesures):
            continue
        if objectif.secondes is not None:
            valeur, atteint = f"{mesure['mediane_s']:.2f} s", mesure["mediane_s"] <= objectif.secondes
        elif objectif.rss_mo is not None:
            valeur, atteint = f"{mesure['rss_mo']:.0f} Mo", mesure["rss_mo"] <= objectif.rss_mo
        else:
            rapport = mesures[objectif.pair]["mediane_s"] / mesure["mediane_s"]
            valeur, atteint = f"{rapport:.1f} ×", rapport >= objectif.rapport
        lignes.append(f"  {'atteint ' if atteint else 'MANQUÉ  '} {objectif.libelle} : {valeur}")
    return lignes


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
    parseur.add_argument(
        "--tailles", default=",".join(map(str, TAILLES)), help="lignes, séparées par des virgules"
    )
    parseur.add_argument("--cas", default=",".join(CAS_PAR_DEFAUT), help="cas de tests/benchmarks/mesure.py")
    parseur.add_argument("--repetitions", type=int, default=3)
    parseur.add_argument(
        "--pairs-complets", action="store_true", help="les pairs lents aussi sur 1 M de lignes"
    )
    parseur.add_argument(
        "--region", default=REGION, help="ÉTABLISSEMENTSxLIGNES à consolider ; vide : aucune"
    )
    parseur.add_argument("--sans-generate", action="store_true")
    parseur.add_argument("--sans-malcom", action="store_true")
    parseur.add_argument(
        "--commandes", type=int, default=TAILLE_COMMANDES,
        help="lignes de la grille des commandes entières (compute, check) ; 0 : aucune",
    )  # fmt: skip
    parseur.add_argument(
        "--tableau-de-bord", default=",".join(map(str, TAILLES_TABLEAU)),
        help="lignes remplies pour le recalcul du tableau de bord par LibreOffice ; vide : aucun",
    )  # fmt: skip
    parseur.add_argument(
        "--tableau-de-bord-avant", default=MODELE_AVANT, help="révision git du tableau de bord à comparer"
    )
    parseur.add_argument("--json", type=Path, default=ICI / "resultats.json")
    parseur.add_argument(
        "--avant",
        type=Path,
        help="une autre copie du code (git worktree d'un commit antérieur) à mesurer aussi",
    )
    options = parseur.parse_args()

    print(f"Machine : {machine()}")
    par_taille = mesurer_tailles(
        [int(t) for t in options.tailles.split(",") if t], options.cas.split(","), options.repetitions,
        options.pairs_complets, options.avant,
    )  # fmt: skip
    toutes: dict = dict(par_taille)
    if options.region:
        toutes[REGION if options.region == REGION else options.region] = mesurer_region(
            options.region, options.repetitions
        )
    if options.commandes:
        toutes.setdefault(options.commandes, {}).update(
            mesurer_commandes(options.commandes, options.repetitions)
        )
    if not options.sans_generate:
        toutes["modèles"] = mesurer_generate(options.repetitions)
    if not options.sans_malcom:
        toutes["malcom"] = mesurer_malcom(options.repetitions)
    if options.tableau_de_bord:
        tailles_tableau = [int(t) for t in options.tableau_de_bord.split(",") if t]
        for taille, mesures in mesurer_tableau_de_bord(
            tailles_tableau, max(options.repetitions, 3), options.tableau_de_bord_avant
        ).items():
            toutes.setdefault(taille, {}).update(mesures)
    if par_taille:
        print("\nPar taille (médiane · pic de mémoire) :\n")
        print(tableau(par_taille))
    print("\nObjectifs :")
    print("\n".join(bilan(toutes)) or "  (aucun objectif mesuré dans cette exécution)")
    options.json.write_text(json.dumps({
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "resultats": {str(cle): list(mesures.values()) for cle, mesures in toutes.items()},
    }, ensure_ascii=False, indent=1))  # fmt: skip
    print(f"\nDétail : {options.json}")


if __name__ == "__main__":
    main()
