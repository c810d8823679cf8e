"""Une mesure, dans un processus neuf : ``python -m tests.benchmarks.mesure CAS FICHIER``
(un dossier de grilles pour les cas « consolider »).

Imprime sur la sortie standard un JSON {"secondes": …, "rss_mo": …} : la durée de l'opération
elle-même (modules déjà importés) et le pic de mémoire résidente du plus gros processus.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _analyser(chemin: Path) -> None:
    from moteur.resultat import analyser

    analyser(chemin)


def _check(chemin: Path) -> None:
    from moteur.controles import controler
    from moteur.lecture import lire_grille

    controler(lire_grille(chemin))


def _compute(chemin: Path) -> None:
    from rapports.calcul import calculer_fichier

    calculer_fichier(chemin)


def _commande(*arguments: str) -> Callable[[Path], None]:
    """La commande entière, comme l'utilisateur la lance : un interpréteur neuf, ses imports,
    le travail, l'écriture ; la durée est celle qu'il attend (horloge murale)."""

    def lancer(chemin: Path) -> None:
        import subprocess

        subprocess.run([sys.executable, "-m", "coaching_xl", *arguments, str(chemin)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip

    return lancer


def _consolider(dossier: Path, travailleurs: int | None = None) -> None:
    from moteur.consolidation import consolider
    from recueil.calendrier import CALENDRIER_DEFAUT

    consolider([dossier], "J5", CALENDRIER_DEFAUT, travailleurs=travailleurs)


def _consolidate(dossier: Path, base: bool = False) -> None:
    """``coaching-xl consolidate`` sans la ligne de commande : lire, consolider, écrire le
    classeur (qualité des données comprise) ; avec ``base``, la base régionale en plus."""
    import tempfile

    from moteur.consolidation import consolider
    from rapports.base import ecrire_base
    from rapports.consolidation import ecrire_consolidation
    from recueil.calendrier import CALENDRIER_DEFAUT

    with tempfile.TemporaryDirectory() as sortie:
        consolidation = consolider([dossier], "J5", CALENDRIER_DEFAUT, base=base)
        classeur = ecrire_consolidation(consolidation, Path(sortie) / "consolidation_J5.xlsx")
        if base:
            ecrire_base(consolidation.base, classeur, "J5")


def _consolidate_base(dossier: Path) -> None:
    _consolidate(dossier, base=True)


def _consolider_sequentiel(dossier: Path) -> None:
    _consolider(dossier, travailleurs=1)


def _generate(dossier: Path) -> None:
    """``coaching-xl generate`` : la grille de 50 000 lignes validées et les quatre annexes."""
    from recueil.generer import generer
    from recueil.grille import OptionsGrille

    generer(dossier, OptionsGrille(), annexes=True, ecraser=True)


_TABLEUR: list = []
"""Le LibreOffice du pair tableur, son profil créé hors chronométrage."""


def _libreoffice(chemin: Path) -> None:
    """Le pair tableur : LibreOffice sans écran ouvre la grille, recalcule les formules de son
    tableau de bord (COUNTIFS sur la feuille Recueil) et en exporte les valeurs."""
    with tempfile.TemporaryDirectory() as sortie:
        _TABLEUR[0].convertir(chemin, "csv-tableau", Path(sortie), timeout=7200)


def _openpyxl_aller_retour(chemin: Path) -> None:
    """Le pair de compute : charger le classeur avec openpyxl, ajouter une feuille, enregistrer."""
    import openpyxl

    classeur = openpyxl.load_workbook(chemin)
    classeur.create_sheet("Indicateurs")["A1"] = "Indicateurs"
    classeur.save(chemin)


def _fastexcel(chemin: Path) -> None:
    import fastexcel

    fastexcel.read_excel(str(chemin)).load_sheet(
        "Recueil", header_row=None, skip_rows=0, dtypes="string"
    ).to_arrow()


def _python_calamine(chemin: Path) -> None:
    import python_calamine

    python_calamine.CalamineWorkbook.from_path(str(chemin)).get_sheet_by_name("Recueil").to_python()


def _pandas_openpyxl(chemin: Path) -> None:
    import pandas as pd

    pd.read_excel(chemin, sheet_name="Recueil", header=3, engine="openpyxl")


def _malcom_compute(chemin: Path) -> None:
    from rapports.malcom import calculer_fichier

    calculer_fichier(chemin)


def _malcom_generate(dossier: Path) -> None:
    from recueil.malcom import ecrire_malcom

    ecrire_malcom(dossier / "malcom.xlsx")


def _malcom_openpyxl(chemin: Path) -> None:
    """Le pair : charger le classeur Malcom avec openpyxl, ajouter une feuille, enregistrer."""
    _openpyxl_aller_retour(chemin)


CAS: dict[str, tuple[Callable[[Path], None], Callable[[], None]]] = {}
"""Nom → (opération, imports préalables)."""
MODIFIENT = {"compute", "compute-commande", "openpyxl-aller-retour", "malcom-compute", "malcom-compute-commande",
             "malcom-openpyxl-aller-retour"}  # fmt: skip
PROFIL_LIBREOFFICE = Path(__file__).parent / "cache" / "profil-libreoffice"
"""Un profil LibreOffice réglé pour recalculer à l'ouverture, créé hors chronométrage."""
"""Ces cas écrivent dans le fichier : ils travaillent sur une copie, faite hors chronométrage."""


def _cas(nom: str, operation: Callable[[Path], None], *modules: str) -> None:
    CAS[nom] = (operation, lambda: [__import__(m) for m in modules])


_cas("analyser", _analyser, "moteur.resultat")
_cas("compute", _compute, "rapports.calcul")
_cas("compute-commande", _commande("compute"))
_cas("check-commande", _commande("check"))
_cas("openpyxl-aller-retour", _openpyxl_aller_retour, "openpyxl")
_cas("check", _check, "moteur.controles", "moteur.lecture")
_cas("lecture-fastexcel", _fastexcel, "fastexcel")
_cas("lecture-python-calamine", _python_calamine, "python_calamine")
_cas("pandas-openpyxl", _pandas_openpyxl, "pandas", "openpyxl")
_cas("generate", _generate, "recueil.generer")
_cas("libreoffice-recalcul", _libreoffice, "tests.libreoffice")
_cas("consolider", _consolider, "moteur.consolidation")
_cas("consolider-sequentiel", _consolider_sequentiel, "moteur.consolidation")
_cas("consolidate", _consolidate, "moteur.consolidation", "rapports.consolidation")
_cas("consolidate-base", _consolidate_base, "moteur.consolidation", "rapports.consolidation", "rapports.base")
_cas("malcom-compute", _malcom_compute, "rapports.malcom")
_cas("malcom-compute-commande", _commande("malcom", "compute"))
_cas("malcom-check-commande", _commande("malcom", "check"))
_cas("malcom-generate", _malcom_generate, "recueil.malcom")
_cas("malcom-openpyxl-aller-retour", _malcom_openpyxl, "openpyxl")


def main() -> None:
    nom, chemin = sys.argv[1], Path(sys.argv[2])
    operation, importer = CAS[nom]
    importer()
    if nom == "libreoffice-recalcul":
        from tests.libreoffice import LibreOffice

        _TABLEUR.append(LibreOffice(PROFIL_LIBREOFFICE))
    with tempfile.TemporaryDirectory(dir=chemin.parent) as dossier:
        if nom in MODIFIENT:
            chemin = Path(shutil.copy(chemin, Path(dossier) / chemin.name))
        if nom in ("generate", "malcom-generate"):
            chemin = Path(dossier)
        debut = time.perf_counter()
        operation(chemin)
        secondes = time.perf_counter() - debut
    # Le plus gros des processus : celui-ci, ou l'un des processus de lecture qu'il a lancés.
    rss = (
        max(resource.getrusage(qui).ru_maxrss for qui in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        / 1024
    )
    print(json.dumps({"secondes": secondes, "rss_mo": rss}))


if __name__ == "__main__":
    main()
