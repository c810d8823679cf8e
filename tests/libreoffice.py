"""LibreOffice en client réel : convertir, recalculer, rendre en PDF ce que nous écrivons.

Un profil jetable par session de tests, celui d'un utilisateur français (``profil_francais``) :
fr-FR, recalcul de toutes les formules à l'ouverture.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from tests.profil_francais import environnement, franciser

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

FILTRES = {
    "pdf": "pdf",
    "ods": "ods",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    # séparateur , ; guillemets ; UTF-8 ; valeurs brutes (pas « telles qu'affichées ») ;
    # toutes les feuilles, une par fichier.
    "csv": "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
    "csv-affiche": "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,true,false,false,-1",
    # la deuxième feuille seule (le tableau de bord d'une grille)
    "csv-tableau": "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,2",
}


class LibreOffice:
    """Un LibreOffice sans écran, avec son profil : ``convertir`` ouvre un fichier comme un
    utilisateur l'ouvrirait, recalcule, et l'enregistre dans un autre format."""

    def __init__(self, profil: Path) -> None:
        self.profil = profil
        self._preparer_profil()

    def _lancer(self, *arguments: str, timeout: int = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{self.profil}",
                "--headless",
                "--norestore",
                "--nologo",
                *arguments,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=environnement(),
        )

    def _preparer_profil(self) -> None:
        """Un premier lancement crée le profil ; on le règle en français (fr-FR), recalcul à
        l'ouverture compris."""
        self._lancer("--terminate_after_init")
        franciser(self.profil)

    def convertir(self, fichier: Path, format_: str, dossier: Path, timeout: int = 180) -> Path:
        """Convertit ``fichier`` dans ``dossier`` ; renvoie le fichier produit (pour « csv »,
        celui de la première feuille ; les autres sont à côté, nommés ``nom-Feuille.csv``)."""
        dossier.mkdir(parents=True, exist_ok=True)
        resultat = self._lancer(
            "--convert-to", FILTRES[format_], "--outdir", str(dossier), str(fichier), timeout=timeout
        )
        extension = format_.split("-")[0]
        produits = sorted(dossier.glob(f"{fichier.stem}*.{extension}"))
        if resultat.returncode != 0 or not produits:
            raise RuntimeError(
                f"LibreOffice n'a pas converti {fichier} en {format_} :\n{resultat.stdout}\n{resultat.stderr}"
            )
        return produits[0]

    def convertir_tous(self, fichiers: list[Path], format_: str, dossier: Path) -> list[Path]:
        """Convertit plusieurs fichiers d'un seul lancement (bien plus rapide) ; rend ceux
        produits."""
        dossier.mkdir(parents=True, exist_ok=True)
        resultat = self._lancer(
            "--convert-to", FILTRES[format_], "--outdir", str(dossier), *map(str, fichiers), timeout=900
        )
        produits = [
            dossier / f"{f.stem}.{format_}" for f in fichiers if (dossier / f"{f.stem}.{format_}").exists()
        ]
        if resultat.returncode != 0:
            raise RuntimeError(f"LibreOffice a échoué :\n{resultat.stdout}\n{resultat.stderr}")
        return produits

    @staticmethod
    def texte_pdf(pdf: Path) -> str:
        """Le texte d'un PDF (pdftotext)."""
        return subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    def feuilles_csv(self, fichier: Path, dossier: Path, affiche: bool = False) -> dict[str, list[list[str]]]:
        """Toutes les feuilles de ``fichier``, recalculées par LibreOffice, en lignes de
        cellules (textes) : {nom de feuille: lignes}."""
        self.convertir(fichier, "csv-affiche" if affiche else "csv", dossier)
        feuilles = {}
        for chemin in dossier.glob(f"{fichier.stem}-*.csv"):
            nom = chemin.stem[len(fichier.stem) + 1 :]
            with chemin.open(encoding="utf-8", newline="") as f:
                feuilles[nom] = list(csv.reader(f))
        return feuilles


def cellule(lignes: list[list[str]], reference: str) -> str:
    """La valeur d'une cellule (« B12 ») dans une feuille exportée en CSV ; "" si vide."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    lettre, ligne = coordinate_from_string(reference)
    colonne = column_index_from_string(lettre)
    if ligne > len(lignes) or colonne > len(lignes[ligne - 1]):
        return ""
    return lignes[ligne - 1][colonne - 1]


class Poppler:
    """Lire un PDF comme le ferait un lecteur : son texte, ses pages, leur format."""

    @staticmethod
    def disponible() -> bool:
        return all(shutil.which(outil) for outil in ("pdftotext", "pdfinfo", "pdftoppm"))

    @staticmethod
    def texte(pdf: Path) -> str:
        """Le texte du PDF, mis en page (pdftotext -layout)."""
        return LibreOffice.texte_pdf(pdf)

    @staticmethod
    def infos(pdf: Path) -> dict[str, str]:
        """Ce que pdfinfo dit du PDF (« Pages », « Page size »…)."""
        sortie = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return {
            cle.strip(): valeur.strip()
            for cle, _, valeur in (ligne.partition(":") for ligne in sortie.splitlines())
        }

    @staticmethod
    def images(pdf: Path, dossier: Path, resolution: int = 60, gris: bool = False) -> list[Path]:
        """Chaque page en PNG (pdftoppm), en niveaux de gris si ``gris``."""
        dossier.mkdir(parents=True, exist_ok=True)
        options = ["-gray"] if gris else []
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", *options, str(pdf), str(dossier / "page")],
                       check=True)  # fmt: skip
        return sorted(dossier.glob("page*.png"))
