"""Relire une grille : trouver la feuille de données, ses en-têtes et ses colonnes, puis les
listes, les paramètres et les métadonnées du classeur.

Lecteur : fastexcel (calamine, en Rust), toutes les cellules lues comme du texte — une date
devient « 2010-09-06 00:00:00 », un nombre « 3 » ou « 2.5 » — pour que les contrôles voient
chaque valeur telle quelle, quel que soit son type dans le fichier. openpyxl n'ouvre jamais le
fichier d'un utilisateur ici (trop lent, et il ne sert qu'à écrire).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from moteur.paquet import Paquet, inspecter
from moteur.suivi_anomalies import lire_suivis, lire_suivis_a_part
from moteur.valeurs import lire_date
from recueil import schema as s
from recueil.calendrier import Calendrier, Jalon
from socle.erreurs import GrilleIllisible
from socle.fichiers import message_lecture
from socle.ouvrages import MODELE_RESULTATS

FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")
LIGNES_EXPLOREES = 30
"""Les en-têtes sont cherchés dans les 30 premières lignes de la feuille."""


@dataclass
class Grille:
    """Une grille relue, avant tout contrôle : valeurs brutes (texte) des lignes non vides."""

    chemin: Path
    feuille: str
    ligne_entete: int
    lettres: dict[str, str]
    """Clé de colonne (« date », « delai_cr »…) → lettre Excel, pour les colonnes présentes."""
    lignes: np.ndarray
    """Numéro de ligne Excel de chaque ligne non vide."""
    valeurs: dict[str, pa.Array]
    """Clé de colonne → valeurs brutes alignées sur ``lignes`` (texte, ou null si vide)."""
    listes: dict[str, tuple[str, ...]]
    listes_du_classeur: bool
    """Faux quand la feuille Listes manque (grilles v1.2) : les listes par défaut s'appliquent."""
    parametres: dict[str, str] = field(default_factory=dict)
    calendrier: Calendrier | None = None
    meta: dict[str, str] = field(default_factory=dict)
    date1904: bool = False
    speciales: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)
    """Clé de colonne → {rang dans ``lignes`` : (genre, valeur)} des cellules que le lecteur rend
    vides alors qu'elles ne le sont pas : « erreur » (« #REF! »…) et « formule » (formule dont la
    valeur n'a pas été enregistrée)."""
    totaux: list[tuple[int, str]] = field(default_factory=list)
    """(n° de ligne Excel, texte de sa première cellule) des lignes de total d'un tableau Excel
    posé sur les données : ce ne sont pas des lignes de la grille."""
    suivis: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    """Le suivi des anomalies saisi dans la feuille Anomalies d'un calcul précédent
    (``moteur.suivi_anomalies``)."""
    classeur: ClasseurLu | None = field(default=None, repr=False, compare=False)
    """Le classeur relu (pour relire une autre de ses feuilles, sans rouvrir le fichier)."""

    @property
    def paquet(self) -> Paquet | None:
        """Le fichier tel qu'il a été lu, s'il a été lu d'un fichier."""
        return getattr(self.classeur, "paquet", None)


class ClasseurLu(Protocol):
    """Ce que la relecture demande à un classeur : un fichier relu par calamine (``Classeur``),
    ou un classeur ouvert dans Excel (``coaching_xl.excel.ClasseurExcel``)."""

    @property
    def chemin(self) -> Path: ...

    @property
    def sheet_names(self) -> list[str]: ...

    @property
    def date1904(self) -> bool: ...

    def charger(self, nom: str) -> tuple[pa.RecordBatch, list[int]]:
        """Toute la feuille ``nom``, cellules en texte (None si vides), à partir de la ligne 1 ;
        et l'indice (0 = A) de chaque colonne lue."""
        ...

    def cellules_speciales(self, nom: str) -> list[tuple[int, int, str, str]]:
        """(rang de ligne à partir de 0, indice de colonne, genre, valeur) des cellules que
        ``charger`` rend vides alors qu'elles ne le sont pas (erreurs, formules sans valeur)."""
        ...

    def lignes_de_total(self, nom: str) -> list[tuple[int, int, int]]:
        """(rang de ligne, première et dernière colonne) de chaque ligne de total d'un tableau
        Excel de la feuille."""
        ...

    def valeurs_brutes(self, nom: str, cellules: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Le contenu enregistré des cellules (rang, colonne) que ``charger`` rend vides : un
        nombre que le lecteur ne sait pas convertir en date (« 1E+308 »)."""
        ...


def lire_grille(source: Path | ClasseurLu) -> Grille:
    """Relit la grille ``source`` : un fichier (.xlsx, .xlsm, .xls ou .ods), ou un classeur
    déjà ouvert.

    Cherche la feuille « Recueil » (ou, à défaut, la première feuille qui porte les en-têtes),
    la ligne d'en-têtes dans ses 30 premières lignes (casse, accents et espaces indifférents),
    puis lit les listes, les paramètres et les métadonnées. Lève GrilleIllisible, avec un
    message qui nomme le fichier et dit quoi faire, si le fichier manque, n'est pas un classeur,
    ou ne contient aucune grille reconnaissable.
    """
    classeur = ouvrir(Path(source)) if isinstance(source, (str, Path)) else source
    chemin = classeur.chemin
    meta = _lire_paires(classeur, s.FEUILLE_META)
    _verifier_modele(chemin, meta)
    feuille, table, ligne_entete, colonnes, absolus = _trouver_donnees(classeur)
    lettres = {cle: _lettre(index) for cle, index in absolus.items()}
    par_colonne = {index: cle for cle, index in absolus.items()}
    speciales = _speciales(classeur, feuille, ligne_entete, par_colonne)
    totaux = _totaux(classeur, feuille, table, ligne_entete, absolus)
    lignes, valeurs = _lignes_non_vides(
        table, ligne_entete, colonnes, {rang for par_rang in speciales.values() for rang in par_rang},
        {rang for rang, _ in totaux},
    )  # fmt: skip
    valeurs = _completer_dates(classeur, feuille, lignes, valeurs, absolus, speciales)
    rangs = {int(numero) - 1: i for i, numero in enumerate(lignes)} if speciales else {}
    listes, du_classeur = _lire_listes(classeur)
    parametres, calendrier = _lire_parametres(classeur)
    suivis = lire_suivis(classeur, feuille)
    if not suivis and chemin.suffix.lower() in (".ods", ".xls"):
        suivis = lire_suivis_a_part(chemin)
    return Grille(
        chemin=chemin,
        feuille=feuille,
        ligne_entete=ligne_entete + 1,
        lettres=lettres,
        lignes=lignes,
        valeurs=valeurs,
        listes=listes,
        listes_du_classeur=du_classeur,
        parametres=parametres,
        calendrier=calendrier,
        meta=meta,
        date1904=classeur.date1904,
        speciales={
            cle: {rangs[rang]: genre_valeur for rang, genre_valeur in par_rang.items() if rang in rangs}
            for cle, par_rang in speciales.items()
        },
        totaux=[(rang + 1, texte) for rang, texte in totaux],
        suivis=suivis,
        classeur=classeur,
    )


def _speciales(
    classeur: ClasseurLu, feuille: str, ligne_entete: int, par_colonne: dict[int, str]
) -> dict[str, dict[int, tuple[str, str]]]:
    """Clé de colonne → {rang de ligne (0 = ligne 1) : (genre, valeur)} des cellules spéciales
    sous les en-têtes, dans les colonnes de la grille."""
    trouver = getattr(classeur, "cellules_speciales", None)
    speciales: dict[str, dict[int, tuple[str, str]]] = {}
    for rang, colonne, genre, valeur in trouver(feuille) if trouver else []:
        if rang > ligne_entete and colonne in par_colonne:
            speciales.setdefault(par_colonne[colonne], {})[rang] = (genre, valeur)
    return speciales


def _totaux(
    classeur: ClasseurLu, feuille: str, table: pa.RecordBatch, ligne_entete: int, absolus: dict[str, int]
) -> list[tuple[int, str]]:
    """(rang de ligne, texte cité) des lignes de total d'un tableau Excel qui recouvre les
    colonnes de la grille sous ses en-têtes."""
    trouver = getattr(classeur, "lignes_de_total", None)
    colonnes = set(absolus.values())
    totaux = []
    for rang, premiere, derniere in trouver(feuille) if trouver else []:
        if rang <= ligne_entete or not any(premiere <= c <= derniere for c in colonnes):
            continue
        textes = [table.column(j)[rang].as_py() for j in range(table.num_columns) if rang < table.num_rows]
        totaux.append((rang, next((str(t) for t in textes if t), "")))
    return totaux


def _completer_dates(
    classeur: ClasseurLu, feuille: str, lignes: np.ndarray, valeurs: dict[str, pa.Array],
    absolus: dict[str, int], speciales: dict[str, dict[int, tuple[str, str]]],
) -> dict[str, pa.Array]:  # fmt: skip
    """Une date vide sur une ligne remplie : le lecteur rend vide un nombre qu'il ne sait pas
    convertir en date (« 1E+308 », 99 999 999) ; on lit alors ce que la cellule contient, pour
    que le contrôle dise « date invalide » et non « date manquante »."""
    lire = getattr(classeur, "valeurs_brutes", None)
    dates = valeurs.get("date")
    if lire is None or dates is None or not dates.null_count:
        return valeurs
    vides = np.flatnonzero(~pc.is_valid(dates).to_numpy(zero_copy_only=False))
    speciaux = speciales.get("date", {})
    candidates = [(int(lignes[i]) - 1, absolus["date"]) for i in vides if int(lignes[i]) - 1 not in speciaux]
    if not candidates:
        return valeurs
    brutes = lire(feuille, candidates)
    if not brutes:
        return valeurs
    textes = dates.to_pylist()
    for i in vides:
        texte = brutes.get((int(lignes[i]) - 1, absolus["date"]))
        if texte is not None:
            textes[i] = texte
    return {**valeurs, "date": pa.array(textes, pa.string())}


class Classeur:
    """Un classeur ouvert : le lecteur calamine, et le paquet inspecté qui vérifie chaque
    feuille avant que le lecteur ne la décompresse (voir ``moteur.paquet``)."""

    def __init__(self, chemin: Path, lecteur: fastexcel.ExcelReader, paquet: Paquet) -> None:
        self.chemin = chemin
        self.lecteur = lecteur
        self.paquet = paquet

    @property
    def sheet_names(self) -> list[str]:
        return self.lecteur.sheet_names

    def charger(self, nom: str) -> tuple[pa.RecordBatch, list[int]]:
        """Toute la feuille, cellules en texte, à partir de la ligne 1 ; et l'indice (0 = A) de
        chaque colonne lue, qui ne commence pas forcément en A. La partie de la feuille est
        vérifiée avant que le lecteur ne la décompresse."""
        indices: list[int] = []

        def retenir(colonne: fastexcel.ColumnInfoNoDtype) -> bool:
            indices.append(colonne.absolute_index)
            return True

        self.paquet.verifier_feuille(nom)
        try:
            table = self.lecteur.load_sheet(
                nom, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True, eager=True,
                use_columns=retenir,
            )  # fmt: skip
        except Exception:
            raise GrilleIllisible(_illisible(self.chemin)) from None
        return table, indices

    def cellules_speciales(self, nom: str) -> list[tuple[int, int, str, str]]:
        """(rang de ligne, indice de colonne, genre, valeur) des cellules d'erreur et des formules
        sans valeur enregistrée de la feuille ``nom``, que le lecteur rend vides. Relevées en
        vérifiant la feuille ; une cellule sans référence fait analyser toute la feuille."""
        if self.paquet.contenant == "ole":
            return cellules_xls(self.paquet, nom) if self.paquet.erreurs_possibles_xls() else []
        trouvees, incertain = self.paquet.cellules_speciales(nom)
        if incertain:
            partie = self.paquet.partie_de_feuille(nom)
            if partie == "content.xml":
                return analyser_cellules_ods(self.paquet, nom)
            return analyser_cellules(self.paquet, partie)
        return [(*_position(c.reference), c.genre, c.valeur) for c in trouvees]

    def lignes_de_total(self, nom: str) -> list[tuple[int, int, int]]:
        """(rang de ligne, première et dernière colonne) des lignes de total des tableaux Excel
        de la feuille ``nom``."""
        totaux = []
        for plage, nombre in self.paquet.tableaux(nom):
            debut, _, fin = plage.replace("$", "").partition(":")
            (ligne_debut, colonne_debut), (ligne_fin, colonne_fin) = _position(debut), _position(fin or debut)
            for rang in range(max(ligne_debut, ligne_fin - nombre + 1), ligne_fin + 1) if nombre else ():
                totaux.append((rang, colonne_debut, colonne_fin))
        return totaux

    def valeurs_brutes(self, nom: str, cellules: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Le contenu enregistré (élément ``<v>``) des cellules (rang, colonne) qui en ont un."""
        par_colonne: dict[int, set[int]] = {}
        for rang, colonne in cellules:
            par_colonne.setdefault(colonne, set()).add(rang + 1)
        brutes = {}
        for colonne, lignes in par_colonne.items():
            for numero, texte in self.paquet.valeurs_enregistrees(nom, _lettre(colonne), lignes).items():
                brutes[numero - 1, colonne] = texte
        return brutes

    @property
    def date1904(self) -> bool:
        """Vrai si le classeur compte ses dates depuis 1904 (Excel pour Mac d'autrefois) : les
        numéros de série saisis comme nombres en dépendent."""
        if self.chemin.suffix.lower() not in (".xlsx", ".xlsm"):
            return False
        racine = self.paquet.xml("xl/workbook.xml")
        if racine is None:
            return False
        for element in racine.iter():
            if element.tag.endswith("}workbookPr"):
                return element.get("date1904", "0").lower() in ("1", "true")
        return False


def ouvrir(chemin: Path, document: str = "la grille", exemple: str = "grille_recueil.xlsx") -> Classeur:
    """Le classeur ``chemin`` (``document`` : ce qu'il doit être, pour les messages), inspecté
    avant d'être confié au lecteur. Lève GrilleIllisible si le fichier manque, est un dossier,
    d'un format inconnu, abîmé, chiffré, piégé ou illisible."""
    try:
        etat = os.stat(chemin)
    except OSError as e:
        raise GrilleIllisible(message_lecture(chemin, e, f"le fichier de {document}, {exemple}")) from None
    if stat.S_ISDIR(etat.st_mode):
        raise GrilleIllisible(f"{chemin} est un dossier : indiquez le fichier de {document} ({exemple}).")
    if chemin.suffix.lower() not in FORMATS:
        raise GrilleIllisible(
            f"{chemin} : format « {chemin.suffix or 'sans extension'} » non pris en charge. "
            f"Enregistrez {document} au format .xlsx (ou {', '.join(FORMATS[1:])})."
        )
    paquet = inspecter(chemin)
    try:
        return Classeur(chemin, fastexcel.read_excel(paquet.octets), paquet)
    except Exception:
        raise GrilleIllisible(_illisible(chemin)) from None


def _position(reference: str) -> tuple[int, int]:
    """(rang de ligne, indice de colonne), à partir de 0, de la cellule « D42 »."""
    lettres = reference.rstrip("0123456789").upper()
    colonne = 0
    for lettre in lettres:
        colonne = colonne * 26 + ord(lettre) - 64
    return int(reference[len(lettres) :] or 1) - 1, colonne - 1


def analyser_cellules(paquet: Paquet, partie: str) -> list[tuple[int, int, str, str]]:
    """Les cellules spéciales d'une feuille, en analysant tout son XML (lxml, sans DTD ni
    entités) : pour les rares feuilles dont les cellules ne disent pas où elles sont (attribut r
    absent), leur position se déduit de celles qui les précèdent."""
    from lxml import etree

    trouvees = []
    rang = -1
    with paquet.archive().open(partie) as flux:
        for _, element in etree.iterparse(flux, events=("end",), resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=True):  # fmt: skip
            local = etree.QName(element).localname
            if local != "row":
                continue
            r = element.get("r")
            rang = int(r) - 1 if r and r.isdigit() else rang + 1
            colonne = -1
            for cellule in element:
                if etree.QName(cellule).localname != "c":
                    continue
                reference = cellule.get("r")
                colonne = _position(reference)[1] if reference else colonne + 1
                enfants = {etree.QName(e).localname: e for e in cellule}
                valeur = enfants.get("v")
                if cellule.get("t") == "e":
                    trouvees.append(
                        (rang, colonne, "erreur", (valeur.text if valeur is not None else "") or "#N/A")
                    )
                elif "f" in enfants and (
                    valeur is None or (not valeur.text and cellule.get("t") not in ("str", "inlineStr"))
                ):
                    trouvees.append((rang, colonne, "formule", "=" + (enfants["f"].text or "")))
            element.clear()
    return trouvees


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def analyser_cellules_ods(paquet: Paquet, nom: str) -> list[tuple[int, int, str, str]]:
    """Les cellules en erreur (et les formules sans valeur) de la feuille ``nom`` d'un .ods, en
    analysant son content.xml : lignes et colonnes répétées comptées, comme le lecteur."""
    from lxml import etree

    table, ligne, cellule = (f"{{{_ODS['table']}}}{n}" for n in ("table", "table-row", "table-cell"))
    couverte = f"{{{_ODS['table']}}}covered-table-cell"
    repetees_l, repetees_c = (f"{{{_ODS['table']}}}number-{n}-repeated" for n in ("rows", "columns"))
    formule, type_ = f"{{{_ODS['table']}}}formula", f"{{{_ODS['office']}}}value-type"
    type_calc = f"{{{_ODS['calcext']}}}value-type"
    trouvees, rang, dedans = [], 0, False
    with paquet.archive().open("content.xml") as flux:
        evenements = etree.iterparse(
            flux,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
        )
        for evenement, element in evenements:
            if element.tag == table:
                dedans = evenement == "start" and element.get(f"{{{_ODS['table']}}}name") == nom
                if evenement == "end" and element.get(f"{{{_ODS['table']}}}name") == nom:
                    break
                continue
            if evenement != "end" or element.tag != ligne:
                continue
            if not dedans:
                element.clear()
                continue
            colonne = 0
            for enfant in element:
                repetition = int(enfant.get(repetees_c) or 1)
                if enfant.tag == cellule:
                    texte = "".join(enfant.itertext()).strip()
                    if enfant.get(type_calc) == "error":
                        for c in range(colonne, colonne + min(repetition, 16_384)):
                            trouvees.append((rang, c, "erreur", texte or "#N/A"))
                    elif enfant.get(formule) and enfant.get(type_) is None:
                        for c in range(colonne, colonne + min(repetition, 16_384)):
                            trouvees.append((rang, c, "formule", enfant.get(formule)))
                elif enfant.tag != couverte:
                    continue
                colonne += repetition
            rang += int(element.get(repetees_l) or 1)
            element.clear()
    return trouvees


def cellules_xls(paquet: Paquet, nom: str) -> list[tuple[int, int, str, str]]:
    """Les cellules en erreur de la feuille ``nom`` d'un .xls (Excel 97-2003), lues par xlrd :
    calamine les rend vides. Appelé seulement quand le fichier en contient peut-être."""
    import xlrd

    with open(os.devnull, "w") as silence:
        try:
            classeur = xlrd.open_workbook(file_contents=paquet.octets, on_demand=True, logfile=silence)
            feuille = classeur.sheet_by_name(nom)
        except Exception:
            return []
        trouvees = []
        for rang in range(feuille.nrows):
            for colonne, type_cellule in enumerate(feuille.row_types(rang)):
                if type_cellule == xlrd.XL_CELL_ERROR:
                    code = feuille.cell_value(rang, colonne)
                    trouvees.append((rang, colonne, "erreur", xlrd.error_text_from_code.get(code, "#N/A")))
        return trouvees


def _illisible(chemin: Path) -> str:
    return (
        f"{chemin} n'est pas un classeur lisible : son contenu ne suit pas le format qu'annonce son "
        "extension. Ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format .xlsx, puis relancez."
    )


def _lettre(index: int) -> str:
    lettres = ""
    index += 1
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(ord("A") + reste) + lettres
    return lettres


def _formes_attendues() -> dict[str, str]:
    """Forme d'en-tête normalisée → clé de colonne."""
    formes = {}
    for colonne in s.COLONNES:
        for entete in (colonne.entete, *colonne.autres_entetes):
            formes[s.forme_entete(entete)] = colonne.cle
    return formes


def _colonnes_de_l_entete(cellules: list[object], indices: list[int]) -> dict[str, list[int]]:
    """Dans une ligne, les colonnes dont l'intitulé est celui d'une colonne de la grille."""
    formes = _formes_attendues()
    trouvees: dict[str, list[int]] = {}
    for valeur, index in zip(cellules, indices, strict=True):
        if isinstance(valeur, str) and (cle := formes.get(s.forme_entete(valeur))):
            trouvees.setdefault(cle, []).append(index)
    return trouvees


def _trouver_entete(table: pa.RecordBatch, indices: list[int]) -> tuple[int, dict[str, list[int]]] | None:
    obligatoires = {c.cle for c in s.COLONNES if c.obligatoire}
    for rang in range(min(LIGNES_EXPLOREES, table.num_rows)):
        cellules = [table.column(j)[rang].as_py() for j in range(table.num_columns)]
        trouvees = _colonnes_de_l_entete(cellules, indices)
        if obligatoires <= trouvees.keys():
            return rang, trouvees
    return None


def _trouver_donnees(
    lecteur: ClasseurLu,
) -> tuple[str, pa.RecordBatch, int, dict[str, int], dict[str, int]]:
    """La feuille de données, sa table, le rang (0 = ligne 1) de ses en-têtes, et pour chaque
    colonne reconnue sa position dans la table et son indice dans la feuille (0 = A)."""
    chemin, noms = lecteur.chemin, lecteur.sheet_names
    recueil = [n for n in noms if s.normaliser(n) == s.normaliser(s.FEUILLE_RECUEIL)]
    candidates = recueil or [n for n in noms if s.normaliser(n) != s.normaliser(s.FEUILLE_META)]
    for nom in candidates:
        table, indices = lecteur.charger(nom)
        trouve = _trouver_entete(table, indices)
        if trouve is None:
            continue
        rang, colonnes = trouve
        doublons = {cle: idx for cle, idx in colonnes.items() if len(idx) > 1}
        if doublons:
            cle, idx = next(iter(doublons.items()))
            raise GrilleIllisible(
                f"{chemin}, feuille {nom} : l'en-tête « {s.COLONNES_PAR_CLE[cle].entete} » "
                f"apparaît deux fois (colonnes {' et '.join(_lettre(i) for i in idx)}). "
                "Renommez ou supprimez la colonne en trop, puis relancez."
            )
        position = {index: j for j, index in enumerate(indices)}
        absolus = {cle: idx[0] for cle, idx in colonnes.items()}
        return nom, table, rang, {cle: position[i] for cle, i in absolus.items()}, absolus
    attendus = ", ".join(f"« {c.entete} »" for c in s.COLONNES if c.obligatoire)
    ou = f"la feuille {recueil[0]}" if recueil else f"aucune feuille ({', '.join(noms)})"
    raise GrilleIllisible(
        f"{chemin} : en-têtes de la grille introuvables dans {ou}, sur les "
        f"{LIGNES_EXPLOREES} premières lignes. Attendus : {attendus} (et les deux délais). "
        "Partez de la grille générée par coaching-xl generate ou rétablissez ces intitulés."
    )


def _lignes_non_vides(
    table: pa.RecordBatch, rang_entete: int, colonnes: dict[str, int], speciales: set[int] = frozenset(),
    totaux: set[int] = frozenset(),
) -> tuple[np.ndarray, dict[str, pa.Array]]:  # fmt: skip
    """Les lignes sous les en-têtes dont au moins une des colonnes de la grille est remplie, ou
    porte une cellule spéciale (rang dans ``speciales``, 0 = ligne 1) ; sans les lignes de
    total d'un tableau (``totaux``)."""
    donnees = {cle: _tableau(table.column(j)).slice(rang_entete + 1) for cle, j in colonnes.items()}
    hauteur = max([table.num_rows, *(r + 1 for r in speciales)])
    remplie = np.zeros(max(0, hauteur - rang_entete - 1), dtype=bool)
    for colonne in donnees.values():
        remplie[: len(colonne)] |= pc.is_valid(colonne).to_numpy(zero_copy_only=False)
    decalage = rang_entete + 1
    for rang in speciales:
        remplie[rang - decalage] = True
    for rang in totaux:
        if 0 <= rang - decalage < len(remplie):
            remplie[rang - decalage] = False
    if not remplie.any():
        return np.empty(0, dtype=np.int64), {cle: pa.array([], pa.string()) for cle in donnees}
    lignes = np.flatnonzero(remplie) + rang_entete + 2
    valeurs = {}
    for cle, colonne in donnees.items():
        if len(colonne) < len(remplie):  # une cellule spéciale sous la dernière ligne lue
            colonne = pa.concat_arrays([colonne, pa.nulls(len(remplie) - len(colonne), pa.string())])
        valeurs[cle] = pc.filter(colonne, pa.array(remplie))
    return lignes, valeurs


def _tableau(colonne: pa.Array | pa.ChunkedArray) -> pa.Array:
    return colonne.combine_chunks() if isinstance(colonne, pa.ChunkedArray) else colonne


def _feuille(lecteur: ClasseurLu, nom: str) -> str | None:
    """Le nom exact d'une feuille, retrouvée sans égard à la casse ni aux accents."""
    for n in lecteur.sheet_names:
        if s.normaliser(n) == s.normaliser(nom):
            return n
    return None


def texte_de_cellule(valeur: object) -> str:
    """Le texte d'une cellule relue, espaces superflus retirés ; « » pour une cellule vide."""
    return " ".join(str(valeur).split()) if valeur is not None else ""


def lignes_de(lecteur: ClasseurLu, nom: str) -> list[list[object]] | None:
    """Les cellules (en texte, None si vides) de la feuille ``nom``, retrouvée sans égard à la
    casse ni aux accents, ligne par ligne depuis la ligne 1 ; None si la feuille manque."""
    exact = _feuille(lecteur, nom)
    if exact is None:
        return None
    table, _ = lecteur.charger(exact)
    colonnes = [table.column(j).to_pylist() for j in range(table.num_columns)]
    return [list(ligne) for ligne in zip(*colonnes, strict=True)]


def debut_de_feuille(lecteur: ClasseurLu, nom: str, lignes: int = 6) -> list[list[object]]:
    """Les premières lignes de la feuille ``nom`` (cellules en texte, None si vides)."""
    table, _ = lecteur.charger(nom)
    colonnes = [table.column(j).slice(0, lignes).to_pylist() for j in range(table.num_columns)]
    return [list(ligne) for ligne in zip(*colonnes, strict=True)]


def _lire_listes(lecteur: ClasseurLu) -> tuple[dict[str, tuple[str, ...]], bool]:
    """Les listes de la feuille Listes : sous chaque en-tête (« Modalités », « Provenances »),
    les libellés non vides. Sans feuille Listes, les listes par défaut."""
    par_defaut = {liste.cle: liste.defaut for liste in s.LISTES}
    lignes = lignes_de(lecteur, s.FEUILLE_LISTES)
    if not lignes:
        return par_defaut, False
    titres = {s.normaliser(liste.titre): liste for liste in s.LISTES}
    listes: dict[str, tuple[str, ...]] = {}
    for rang, ligne in enumerate(lignes[:LIGNES_EXPLOREES]):
        for j, valeur in enumerate(ligne):
            liste = titres.get(s.normaliser(valeur)) if isinstance(valeur, str) else None
            if liste is None or liste.cle in listes:
                continue
            libelles = (texte_de_cellule(v) for v in (r[j] for r in lignes[rang + 1 :]) if v)
            listes[liste.cle] = tuple(dict.fromkeys(lib for lib in libelles if lib))
    if not listes:
        return par_defaut, False
    return {cle: listes.get(cle) or defaut for cle, defaut in par_defaut.items()}, True


def _lire_paires(lecteur: ClasseurLu, nom: str) -> dict[str, str]:
    """Les couples (colonne A, colonne B) d'une feuille clé / valeur."""
    lignes = lignes_de(lecteur, nom) or []
    return {str(ligne[0]): str(ligne[1]) for ligne in lignes if len(ligne) > 1 and ligne[0] and ligne[1]}


def _lire_parametres(lecteur: ClasseurLu) -> tuple[dict[str, str], Calendrier | None]:
    """Les paramètres (par libellé de la colonne A) et le calendrier des jalons s'il est lu."""
    lignes = lignes_de(lecteur, s.FEUILLE_PARAMETRES)
    if not lignes:
        return {}, None
    libelles = {s.normaliser(p.libelle): p.cle for p in s.PARAMETRES}
    parametres: dict[str, str] = {}
    jalons: list[Jalon] = []
    dans_jalons = False
    for ligne in lignes:
        cellules = [*ligne, None, None, None][:3]
        etiquette = s.normaliser(cellules[0]) if isinstance(cellules[0], str) else ""
        if dans_jalons:
            jour = lire_date(cellules[1]) if cellules[1] else None
            if not etiquette or jour is None:
                dans_jalons = bool(etiquette)
                continue
            jalons.append(Jalon(str(cellules[0]).strip().upper(), jour, str(cellules[2] or "")))
        elif etiquette == "jalon":
            dans_jalons = True
        elif (cle := libelles.get(etiquette)) and cellules[1] is not None:
            parametres[cle] = str(cellules[1]).strip()
    calendrier = Calendrier(tuple(sorted(jalons, key=lambda j: j.date))) if len(jalons) >= 2 else None
    return parametres, calendrier


def _verifier_modele(chemin: Path, meta: dict[str, str]) -> None:
    """Refuse un classeur qui se déclare d'un autre modèle ou d'une version plus récente."""
    modele = meta.get("modele")
    if modele is None:
        return
    if modele == MODELE_RESULTATS:
        source = meta.get("source", "la grille")
        raise GrilleIllisible(
            f"{chemin} est le classeur des résultats de {source}, écrit par coaching-xl : ce n'est pas "
            f"une grille. Continuez la saisie dans {source} et lancez « coaching-xl compute {source} »."
        )
    if modele != s.MODELE:
        raise GrilleIllisible(
            f"{chemin} est un classeur « {modele} », pas une grille de recueil coaching-xl. "
            "Indiquez le fichier grille_recueil.xlsx de l'établissement."
        )
    version = meta.get("version_modele", "0")
    if _majeure(version) > _majeure(s.VERSION_MODELE):
        raise GrilleIllisible(
            f"{chemin} est une grille de version {version}, plus récente que ce coaching-xl "
            f"(version de grille {s.VERSION_MODELE}). Mettez coaching-xl à jour : "
            "pip install --upgrade coaching-xl."
        )


def _majeure(version: str) -> int:
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0
