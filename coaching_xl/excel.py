"""Le mode direct dans Excel (extra « excel », xlwings) : lire la grille du classeur ouvert,
calculer avec le moteur de ``compute``, écrire les feuilles de résultats dans le classeur ouvert
— l'utilisateur enregistre ensuite. Sur un bouton (RunPython), ``calculer()`` fait de même sur
le classeur qui l'appelle.

Ce module ne fait que transporter des valeurs entre Excel et le reste de coaching-xl : la
relecture (``moteur.lecture.lire_grille``), les contrôles, les indicateurs et les feuilles de
résultats (``rapports.feuilles``) sont ceux du calcul sur fichier. xlwings n'est importé
qu'ici, et seulement à l'appel : le reste de coaching-xl ne dépend pas de lui. Seule la partie
libre d'xlwings (licence BSD) est employée : Book, Sheet, Range, App.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pyarrow as pa

from moteur.contrat import Contrat, Suivi
from moteur.lecture import debut_de_feuille
from moteur.resultat import Resultat
from rapports import calcul as flux
from rapports import feuilles
from rapports.calcul import Calcul
from rapports.ecriture import ecrire_csv_anomalies
from rapports.greffe import choisir_noms
from recueil.calendrier import Calendrier
from recueil.references import plage
from socle.erreurs import ErreurCoachingXL, ErreurParametre, GrilleIllisible
from socle.francais import pluriel
from socle.ouvrages import MARQUE, est_feuille_de_resultats

PLATEFORMES = {"win32": "Windows", "darwin": "macOS"}
EXIGENCES = (
    "--live pilote Microsoft Excel ouvert sur ce poste : il faut Windows ou macOS, Excel, et "
    "l'extension Excel de coaching-xl (pip install 'coaching-xl[excel]')."
)
SANS_LIVE = (
    "La commande « coaching-xl compute {grille} », sans --live, fonctionne partout : elle écrit "
    "les résultats dans le fichier (fermez-le d'abord dans Excel)."
)


def xlwings(grille: str = "grille.xlsx") -> Any:
    """Le module xlwings, ou ErreurParametre qui dit ce que --live demande."""
    if sys.platform not in PLATEFORMES:
        raise ErreurParametre(
            f"{EXIGENCES} Ce poste est sous {sys.platform.capitalize()}. {SANS_LIVE.format(grille=grille)}"
        )
    try:
        import xlwings as xw
    except ImportError:
        raise ErreurParametre(
            f"{EXIGENCES} L'extension n'est pas installée. {SANS_LIVE.format(grille=grille)}"
        ) from None
    return xw


def classeur_ouvert(chemin: Path, xw: Any) -> Any:
    """Le classeur ``chemin`` tel qu'Excel l'a ouvert ; s'il ne l'est pas, Excel l'ouvre."""
    cible = Path(chemin).resolve()
    try:
        for app in xw.apps:
            for book in app.books:
                if Path(book.fullname).resolve() == cible:
                    return book
        if not cible.is_file():
            raise GrilleIllisible(f"Fichier introuvable : {chemin}. Vérifiez le chemin et le nom.")
        return xw.Book(str(cible))
    except ErreurCoachingXL:
        raise
    except Exception as e:
        raise ErreurParametre(f"Excel n'a pas pu ouvrir {chemin} ({e}). {EXIGENCES}") from None


# --- Lire : les valeurs d'Excel, telles que le moteur les lit d'un fichier -------------------


def texte_de_cellule(valeur: object) -> str | None:
    """Une valeur de cellule comme la relecture d'un fichier la donne (colonnes en texte) : le
    nombre 3,0 → « 3 », une date → « 2010-10-06 00:00:00 », un blanc → None."""
    if valeur is None:
        return None
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    if isinstance(valeur, datetime):
        return valeur.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(valeur, date):
        return f"{valeur:%Y-%m-%d} 00:00:00"
    if isinstance(valeur, time):
        return f"1899-12-31 {valeur:%H:%M:%S}"
    texte = str(valeur)
    return texte if texte.strip() else None


@dataclass
class ClasseurExcel:
    """Un classeur ouvert dans Excel, présenté au moteur comme un fichier relu
    (``moteur.lecture.ClasseurLu``)."""

    book: Any

    @property
    def chemin(self) -> Path:
        return Path(self.book.fullname)

    @property
    def sheet_names(self) -> list[str]:
        return [feuille.name for feuille in self.book.sheets]

    @property
    def date1904(self) -> bool:
        try:
            return bool(self.book.api.Date1904)  # Windows ; ailleurs, le calendrier de 1900
        except Exception:
            return False

    def charger(self, nom: str) -> tuple[pa.RecordBatch, list[int]]:
        plage = self.book.sheets[nom].used_range
        valeurs = plage.options(ndim=2).value or [[]]
        largeur = max(len(ligne) for ligne in valeurs)
        lignes = [[None] * largeur] * (plage.row - 1) + [
            [texte_de_cellule(v) for v in ligne] + [None] * (largeur - len(ligne)) for ligne in valeurs
        ]
        colonnes = [pa.array([ligne[j] for ligne in lignes], pa.string()) for j in range(largeur)]
        table = pa.RecordBatch.from_arrays(colonnes, names=[f"__UNNAMED__{j}" for j in range(largeur)])
        return table, list(range(plage.column - 1, plage.column - 1 + largeur))


# --- Écrire : les feuilles de résultats du calcul sur fichier, copiées dans le classeur -------


def feuilles_marquees(book: Any, exclues: set[str] = frozenset()) -> dict[str, str]:
    """Rôle → nom des feuilles de résultats déjà écrites dans le classeur (par un calcul sur
    fichier ou en direct : le même nom défini, local à la feuille, les désigne), à condition que
    leur contenu le confirme (la note des feuilles de résultats) et qu'elles ne soient pas l'une
    des ``exclues`` (la feuille de données) : une marque seule ne suffit pas."""
    classeur = ClasseurExcel(book)
    marquees: dict[str, str] = {}
    for feuille in book.sheets:
        for nom in feuille.names:
            court = nom.name.rsplit("!", 1)[-1]
            role = court[len(MARQUE) :]
            if not court.startswith(MARQUE) or role in marquees or feuille.name in exclues:
                continue
            if est_feuille_de_resultats(debut_de_feuille(classeur, feuille.name)):
                marquees[role] = feuille.name
    return marquees


@dataclass(frozen=True)
class EcritureExcel:
    """Ce que ``ecrire_dans`` a écrit dans le classeur ouvert."""

    feuilles: dict[str, str]
    csv_anomalies: Path | None
    resultat: Resultat


def ecrire_dans(book: Any, resultat: Resultat, suivi: Suivi | None = None) -> EcritureExcel:
    """Remplace (ou ajoute, à la fin) les feuilles de résultats du classeur ouvert ``book`` :
    celles que ``compute`` écrirait dans le fichier, avec leurs graphiques. Le classeur n'est
    pas enregistré : l'utilisateur le fait, comme après toute modification."""
    marquees = feuilles_marquees(book, {resultat.grille.feuille})
    roles = feuilles.FEUILLES | (feuilles.SUIVI if suivi or "suivi" in marquees else {})
    noms = choisir_noms([f.name for f in book.sheets], marquees, roles)
    fichier = Path(book.fullname)
    csv_anomalies = None
    if len(resultat.controle.anomalies) > feuilles.ANOMALIES_MAX and fichier.is_absolute():
        csv_anomalies = fichier.with_name(f"{fichier.stem}_anomalies.csv")
    greffon = feuilles.greffon(resultat, noms, csv_anomalies.name if csv_anomalies else None, suivi)
    with tempfile.TemporaryDirectory(prefix="coaching-xl-") as dossier:
        resultats = Path(dossier) / "resultats.xlsx"
        resultats.write_bytes(greffon.paquet({}))
        source = book.app.books.open(str(resultats))
        try:
            for nom in marquees.values():
                book.sheets[nom].delete()
            for role, nom in noms.items():
                copie = source.sheets[nom].copy(after=book.sheets[len(book.sheets) - 1], name=nom)
                copie.names.add(f"{MARQUE}{role}", f"={plage(nom, 'A', 1)}")
        finally:
            source.close()
    if csv_anomalies:
        ecrire_csv_anomalies(resultat, csv_anomalies)
    book.sheets[noms["indicateurs"]].activate()
    return EcritureExcel(noms, csv_anomalies, resultat)


def calculer_dans(
    book: Any,
    calendrier: Calendrier | None = None,
    contrat: Contrat | None = None,
    fiche_a_cote_de: Path | None = None,
) -> Calcul[EcritureExcel]:
    """Le calcul de ``rapports.calcul`` sur le classeur ouvert : relu dans Excel, ses
    résultats écrits dans le classeur (la fiche PDF à côté de ``fiche_a_cote_de``)."""
    return flux.calculer(
        ClasseurExcel(book), lambda resultat, suivi: ecrire_dans(book, resultat, suivi),
        calendrier=calendrier, contrat=contrat, fiche_a_cote_de=fiche_a_cote_de,
    )  # fmt: skip


def calculer_en_direct(
    grille: Path,
    calendrier: Calendrier | None = None,
    contrat: Contrat | None = None,
    fiche_a_cote_de: Path | None = None,
) -> Calcul[EcritureExcel]:
    """``coaching-xl compute grille.xlsx --live`` : le classeur ouvert dans Excel (ou qu'Excel
    ouvre), calculé, ses résultats écrits dedans."""
    book = classeur_ouvert(grille, xlwings(Path(grille).name))
    return calculer_dans(book, calendrier, contrat, fiche_a_cote_de)


def calculer() -> None:
    """Pour un bouton Excel : ``RunPython "import coaching_xl.excel; coaching_xl.excel.calculer()"``.
    Calcule le classeur qui appelle et dit le résultat (ou l'erreur) dans une boîte de dialogue."""
    import xlwings as xw

    book = xw.Book.caller()
    try:
        ecriture = calculer_dans(book).ecriture
    except ErreurCoachingXL as e:
        book.app.alert(str(e), title="coaching-xl")
        return
    except Exception as e:
        book.app.alert(
            f"Erreur inattendue ({type(e).__name__} : {e}). Lancez « coaching-xl --debug compute "
            f"{Path(book.fullname).name} » et transmettez le message à l'équipe coaching-xl.",
            title="coaching-xl",
        )
        return
    controle = ecriture.resultat.controle
    book.app.alert(
        f"Indicateurs calculés sur {pluriel(controle.lignes_lues, 'ligne')} : feuilles "
        f"{', '.join(ecriture.feuilles.values())}. Enregistrez le classeur pour les garder.",
        title="coaching-xl",
    )
