"""Le mode direct dans Excel (``coaching_xl.excel``, extra « excel »).

Excel n'existe pas sur les machines où ces tests tournent (Linux) : xlwings ne peut pas l'y
piloter. L'adaptateur est donc éprouvé contre un faux classeur en mémoire qui offre les seules
méthodes de Book, Sheet, Range et App que l'adaptateur emploie, et qui rend les valeurs comme
xlwings les rend (nombres en float, dates en datetime). Ce qu'Excel fait réellement d'une
feuille copiée d'un classeur à l'autre (graphiques, liens) n'est pas vérifié ici ; le chemin
d'erreur de ``--live`` sur Linux, lui, est vérifié pour de vrai.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from pathlib import Path

import fastexcel
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from coaching_xl import excel
from coaching_xl.cli import main
from moteur.resultat import analyser
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from socle.ouvrages import MARQUE
from tests import jeux

# --- Le faux Excel ----------------------------------------------------------------------------


class FaussePlage:
    def __init__(self, feuille: FausseFeuille) -> None:
        cellules = feuille.cellules
        self.row = min((r for r, _ in cellules), default=1)
        self.column = min((c for _, c in cellules), default=1)
        derniere = max((r for r, _ in cellules), default=1)
        largeur = max((c for _, c in cellules), default=1) - self.column + 1
        self.value = [
            [cellules.get((r, c)) for c in range(self.column, self.column + largeur)]
            for r in range(self.row, derniere + 1)
        ]

    def options(self, ndim: int | None = None, **autres) -> FaussePlage:
        assert ndim == 2
        return self


class FauxNoms(list):
    def add(self, nom: str, refers_to: str) -> None:
        self.append(FauxNom(nom, refers_to))


class FauxNom:
    def __init__(self, nom: str, refers_to: str) -> None:
        self.name, self.refers_to = nom, refers_to


class FausseFeuille:
    def __init__(self, livre: FauxLivre, nom: str, cellules: dict[tuple[int, int], object]) -> None:
        self.book, self.name, self.cellules, self.names = livre, nom, cellules, FauxNoms()

    @property
    def used_range(self) -> FaussePlage:
        return FaussePlage(self)

    def copy(self, before=None, after=None, name=None) -> FausseFeuille:
        cible = after.book
        copie = FausseFeuille(cible, name or self.name, dict(self.cellules))
        assert copie.name.casefold() not in {f.name.casefold() for f in cible.feuilles}
        cible.feuilles.insert(cible.feuilles.index(after) + 1, copie)
        return copie

    def delete(self) -> None:
        self.book.feuilles.remove(self)

    def activate(self) -> None:
        self.book.active = self


class FaussesFeuilles:
    def __init__(self, livre: FauxLivre) -> None:
        self.livre = livre

    def __iter__(self):
        return iter(list(self.livre.feuilles))

    def __len__(self) -> int:
        return len(self.livre.feuilles)

    def __getitem__(self, cle: int | str) -> FausseFeuille:
        if isinstance(cle, int):
            return self.livre.feuilles[cle]
        return next(f for f in self.livre.feuilles if f.name.casefold() == cle.casefold())


class FauxLivres:
    def __init__(self, app: FausseApp) -> None:
        self.app, self.ouverts = app, []

    def open(self, chemin: str) -> FauxLivre:
        livre = FauxLivre.depuis(Path(chemin), self.app)
        self.ouverts.append(livre)
        return livre

    def __iter__(self):
        return iter(self.ouverts)


class FausseApp:
    def __init__(self) -> None:
        self.books = FauxLivres(self)
        self.alertes: list[tuple[str, str]] = []

    def alert(self, prompt: str, title: str | None = None, **autres) -> None:
        self.alertes.append((title, prompt))


class FauxLivre:
    """Un classeur ouvert : ce qu'Excel a en mémoire, pas ce qui est sur le disque."""

    def __init__(self, fullname: str, app: FausseApp) -> None:
        self.fullname, self.app, self.feuilles, self.active, self.ferme = fullname, app, [], None, False
        self.sheets = FaussesFeuilles(self)

    @classmethod
    def depuis(cls, chemin: Path, app: FausseApp | None = None) -> FauxLivre:
        """Le classeur tel qu'Excel l'ouvrirait : valeurs calculées, nombres en float."""
        livre = cls(str(chemin), app or FausseApp())
        for feuille in load_workbook(chemin, data_only=True).worksheets:
            cellules = {}
            for ligne in feuille.iter_rows():
                for c in ligne:
                    if c.value is not None:
                        valeur = c.value
                        cellules[(c.row, c.column)] = float(valeur) if type(valeur) is int else valeur
            livre.feuilles.append(FausseFeuille(livre, feuille.title, cellules))
        return livre

    def close(self) -> None:
        self.ferme = True

    @property
    def api(self):
        raise AttributeError("pas d'API COM ici")


# --- Tests ------------------------------------------------------------------------------------


@pytest.fixture
def grille(tmp_path):
    options = OptionsGrille(identite=Identite(etablissement="CH de Valmont"), lignes=200)
    return ecrire_grille(tmp_path, options, jeux.LIGNES)


def test_les_valeurs_d_excel_se_lisent_comme_celles_d_un_fichier(tmp_path):
    """Le texte que l'adaptateur tire de chaque valeur rendue par xlwings est celui que la
    relecture d'un fichier tire de la même cellule."""
    valeurs = [3, 2.5, 40457, datetime(2010, 10, 6), datetime(2010, 10, 6, 14, 30), date(2010, 10, 6),
               True, "  ", " x ", 1e20, -1, "Scanner", time(14, 30)]  # fmt: skip
    wb = Workbook()
    for i, v in enumerate(valeurs, start=1):
        wb.active.cell(i, 1, v)
    chemin = tmp_path / "types.xlsx"
    wb.save(chemin)
    lus = fastexcel.read_excel(chemin).load_sheet(
        0, header_row=None, dtypes="string", whitespace_as_null=True, eager=True
    )
    comme_xlwings = [float(v) if type(v) is int else v for v in valeurs]
    assert [excel.texte_de_cellule(v) for v in comme_xlwings] == lus.column(0).to_pylist()


def test_le_calcul_en_direct_est_celui_du_fichier(grille):
    livre = FauxLivre.depuis(grille)
    calcul = excel.calculer_dans(livre)
    ecriture, suivi = calcul.ecriture, calcul.suivi

    sur_fichier = analyser(grille)
    assert suivi is None
    assert ecriture.resultat.ensemble.equals(sur_fichier.ensemble)
    assert ecriture.resultat.par["semaine"].equals(sur_fichier.par["semaine"])
    assert ecriture.resultat.controle.cellules().tolist() == sur_fichier.controle.cellules().tolist()
    noms = [f.name for f in livre.sheets]
    assert noms[-3:] == ["Indicateurs", "Services demandeurs", "Anomalies"]
    assert ecriture.feuilles == {"indicateurs": "Indicateurs", "services": "Services demandeurs",
                                 "anomalies": "Anomalies"}  # fmt: skip
    assert livre.active.name == "Indicateurs"
    assert all(livre.app.books.ouverts) and all(b.ferme for b in livre.app.books.ouverts)
    # Les feuilles portent les valeurs qu'écrit le calcul sur fichier, cellule pour cellule.
    assert CliRunner().invoke(main, ["compute", str(grille)]).exit_code == 0
    ecrit = load_workbook(grille, data_only=True)
    for nom in ("Indicateurs", "Services demandeurs", "Anomalies"):
        attendu = {
            (c.row, c.column): c.value
            for ligne in ecrit[nom].iter_rows()
            for c in ligne
            if c.value is not None
        }
        obtenu = {k: v for k, v in livre.sheets[nom].cellules.items()}
        assert {k: (float(v) if type(v) is int else v) for k, v in attendu.items()} == obtenu, nom
        (marque,) = livre.sheets[nom].names
        assert marque.name.startswith(MARQUE)


def test_un_second_calcul_remplace_les_feuilles(grille):
    livre = FauxLivre.depuis(grille)
    excel.calculer_dans(livre)
    livre.sheets["Indicateurs"].name = "Bilan"  # renommée par l'utilisateur : elle le reste
    excel.calculer_dans(livre)
    noms = [f.name for f in livre.sheets]
    assert noms[-3:] == ["Bilan", "Services demandeurs", "Anomalies"] and len(noms) == len(set(noms))
    assert "Indicateurs" not in noms


def test_une_feuille_de_l_utilisateur_porte_deja_le_nom(grille):
    livre = FauxLivre.depuis(grille)
    livre.feuilles.append(FausseFeuille(livre, "Anomalies", {(1, 1): "mes notes"}))
    ecriture = excel.calculer_dans(livre).ecriture
    assert ecriture.feuilles["anomalies"] == "Anomalies (2)"
    assert livre.sheets["Anomalies"].cellules == {(1, 1): "mes notes"}


def test_une_marque_sur_la_feuille_de_donnees_n_est_pas_suivie(grille):
    """Une marque de feuille de résultats posée sur Recueil (ou une autre feuille de
    l'utilisateur) : ni Recueil ni cette feuille ne sont supprimées ; les résultats s'ajoutent."""
    livre = FauxLivre.depuis(grille)
    livre.sheets["Recueil"].names.add(f"{MARQUE}anomalies", "='Recueil'!$A$1")
    notes = FausseFeuille(livre, "Notes", {(1, 1): "mes notes"})
    notes.names.add(f"{MARQUE}indicateurs", "='Notes'!$A$1")
    livre.feuilles.append(notes)
    lignes = dict(livre.sheets["Recueil"].cellules)
    ecriture = excel.calculer_dans(livre).ecriture
    assert livre.sheets["Recueil"].cellules == lignes and livre.sheets["Notes"].cellules == {
        (1, 1): "mes notes"
    }
    assert ecriture.feuilles == {"indicateurs": "Indicateurs", "services": "Services demandeurs",
                                 "anomalies": "Anomalies"}  # fmt: skip


def test_une_grille_illisible_le_dit_sans_rien_ecrire(tmp_path):
    livre = FauxLivre(str(tmp_path / "planning.xlsx"), FausseApp())
    livre.feuilles.append(FausseFeuille(livre, "Planning", {(1, 1): "Salle", (1, 2): "Matin"}))
    with pytest.raises(excel.GrilleIllisible, match="en-têtes de la grille introuvables"):
        excel.calculer_dans(livre)
    assert [f.name for f in livre.sheets] == ["Planning"]


def test_le_bouton_dit_le_resultat_ou_l_erreur(grille, monkeypatch):
    xw = pytest.importorskip("xlwings", reason="extra « excel » non installé")
    livre = FauxLivre.depuis(grille)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: livre))
    excel.calculer()
    ((titre, message),) = livre.app.alertes
    assert titre == "coaching-xl" and message.startswith(
        "Indicateurs calculés sur 12 lignes : feuilles Indicateurs"
    )

    vide = FauxLivre(str(grille), FausseApp())
    vide.feuilles.append(FausseFeuille(vide, "Feuil1", {}))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: vide))
    excel.calculer()
    ((_, erreur),) = vide.app.alertes
    assert "en-têtes de la grille introuvables" in erreur


@pytest.mark.skipif(sys.platform in excel.PLATEFORMES, reason="le chemin d'erreur des postes sans Excel")
def test_live_sans_excel_le_dit_clairement(grille):
    avant = grille.read_bytes()
    resultat = CliRunner().invoke(main, ["compute", str(grille), "--live"])
    assert resultat.exit_code == 1
    assert resultat.output == (
        "Erreur : --live pilote Microsoft Excel ouvert sur ce poste : il faut Windows ou macOS, Excel, et "
        "l'extension Excel de coaching-xl (pip install 'coaching-xl[excel]'). Ce poste est sous Linux. "
        f"La commande « coaching-xl compute {grille.name} », sans --live, fonctionne partout : elle écrit "
        "les résultats dans le fichier (fermez-le d'abord dans Excel).\n"
    )
    assert grille.read_bytes() == avant


def test_live_refuse_sortie(grille):
    resultat = CliRunner().invoke(main, ["compute", str(grille), "--live", "--sortie", "autre.xlsx"])
    assert resultat.exit_code == 2 and "--sortie ne s'y applique pas" in resultat.output


def test_le_reste_de_coaching_xl_n_importe_pas_xlwings():
    import subprocess

    code = "import sys, coaching_xl.cli, moteur.resultat, rapports.ecriture; print('xlwings' in sys.modules)"
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "False"
