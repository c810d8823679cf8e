"""Écrire le classeur Malcom (MALCOM.md §3) : paramétrage, activités, tableau de service détaillé,
et les résultats en formules vivantes (« 8 Ressources base ») avec le tableau de bord à
graphiques natifs (« 3 Ressources ») — sans macro, le classeur calcule seul dans Excel comme
dans LibreOffice, et les mêmes nombres que ``moteur.malcom``.

Les formules sont écrites en anglais (stockage OOXML) ; ni TEXT ni conversion d'un nombre en
texte par le tableur dans les phrases de lecture : les nombres y sont écrits « à la française »
par arithmétique (virgule, espace fine des milliers, vrai signe moins), pour qu'un Excel anglais
et un LibreOffice français affichent la même phrase.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl.chart import BarChart, DoughnutChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter as L
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from recueil import graphiques
from recueil import malcom_schema as m
from recueil.classeur import (
    ALIGNEMENT_ENTETE,
    ALIGNEMENT_TEXTE,
    BORDURE,
    POLICE_GRAS,
    POLICE_NOTE,
    POLICE_SECTION,
    POLICE_TITRE,
    REMPLISSAGE_CLAIR,
    REMPLISSAGE_SAISIE,
    enregistrer,
    entetes,
    mise_en_page,
    nouveau_classeur,
    texte,
    verifier_cible,
)
from recueil.feuille_brute import FeuilleBrute
from recueil.feuille_brute import _Cellule as _CelluleBrute
from recueil.references import reference_feuille
from socle import couleurs, formats, version
from socle.erreurs import ErreurOption

DUREE = "[h]:mm"
HEURES = "0.00"
ECART_HEURES = "+0.00;-0.00;0.00"
POURCENT = formats.POURCENT_ENTIER
POURCENT_1 = formats.POURCENT
ENTIER = formats.ENTIER
REMPLISSAGE_FORMULE = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
REMPLISSAGE_ALERTE = PatternFill("solid", start_color=couleurs.ROUGE_FOND, end_color=couleurs.ROUGE_FOND)
ESPACE_FINE = "\u202f"
MOINS = "\u2212"

P, A, T, R, B = (
    reference_feuille(m.FEUILLE_PARAMETRAGE),
    reference_feuille(m.FEUILLE_ACTIVITES),
    reference_feuille(m.FEUILLE_TABLEAU),
    reference_feuille(m.FEUILLE_RESSOURCES),
    reference_feuille(m.FEUILLE_BASE),
)


def _d(heures: float) -> float:
    """Une durée en heures → valeur Excel (fraction de jour)."""
    return heures / 24


# --- Disposition de « 8 Ressources base » ---------------------------------------------------


@dataclass(frozen=True)
class Base:
    """Les lignes de chaque table de « 8 Ressources base », pour ``blocs`` blocs et ``activites``
    lignes d'activités ; les formules et le moteur s'y retrouvent par ces numéros."""

    blocs: int
    activites: int

    # Cellules de calcul en tête (B3:B5)
    ligne_semaines_comptees: int = 3
    ligne_semaines_an: int = 4
    ligne_total_redresse: int = 5

    @property
    def t4(self) -> int:
        """En-tête de la synthèse par praticien (une ligne par bloc)."""
        return 8

    @property
    def t1(self) -> int:
        return self.t4 + self.blocs + 3

    @property
    def t5(self) -> int:
        return self.t1 + self.blocs * self.activites + 3

    @property
    def t6(self) -> int:
        return self.t5 + self.activites + 3

    @property
    def t3(self) -> int:
        return self.t6 + self.blocs * len(m.TYPES_PDS) + 3

    @property
    def t2(self) -> int:
        return self.t3 + self.blocs * len(m.TYPES_PDS) * len(m.CRENEAUX) + 3

    @property
    def t7(self) -> int:
        return self.t2 + self.blocs * len(m.DEMI_JOURNEES) + 3

    def l4(self, b: int) -> int:
        return self.t4 + b

    def l1(self, b: int, i: int) -> int:
        return self.t1 + (b - 1) * self.activites + i

    def l5(self, i: int) -> int:
        return self.t5 + i

    def l6(self, b: int, k: int) -> int:
        return self.t6 + (b - 1) * len(m.TYPES_PDS) + k

    def l3(self, b: int, k: int, s: int) -> int:
        return self.t3 + ((b - 1) * len(m.TYPES_PDS) + (k - 1)) * len(m.CRENEAUX) + s

    def l2(self, b: int, d: int) -> int:
        return self.t2 + (b - 1) * len(m.DEMI_JOURNEES) + d

    def plage(self, colonne: int, premiere: int, derniere: int) -> str:
        return f"{B}!${L(colonne)}${premiere}:${L(colonne)}${derniere}"

    def col1(self, colonne: int) -> str:
        return self.plage(colonne, self.t1 + 1, self.t1 + self.blocs * self.activites)

    def col3(self, colonne: int) -> str:
        return self.plage(colonne, self.t3 + 1, self.t3 + self.blocs * len(m.TYPES_PDS) * len(m.CRENEAUX))

    def col4(self, colonne: int) -> str:
        return self.plage(colonne, self.t4 + 1, self.t4 + self.blocs)


# Colonnes d'aide, à droite des tables (après une colonne vide) : le numéro de bloc, le type.
AIDE_BLOC, AIDE_TYPE, AIDE_RANG = 16, 17, 18
"""P : n° de bloc (tables 1, 3, 4, 6), Q : type de bloc (table 4), R : rang du praticien (table 4)."""
AIDE_CRENEAU = 17
"""Q de la table 3 : le code du créneau ; R : les lignes à ventiler N(s,k) de ce créneau."""


# --- Le classeur ------------------------------------------------------------------------------


def ecrire_malcom(
    chemin: Path,
    *,
    blocs: int = m.BLOCS_DEFAUT,
    activites: int = m.ACTIVITES_DEFAUT,
    exemple: bool = False,
    ecraser: bool = False,
    annee: int | None = None,
) -> Path:
    """Écrit le classeur Malcom vide (ou l'exemple du manuel avec ``exemple``) dans ``chemin``."""
    if not 1 <= blocs <= 200:
        raise ErreurOption(f"--blocs {blocs} : de 1 à 200 blocs (praticiens et lignes de PDS).")
    if not 1 <= activites <= 60:
        raise ErreurOption(f"--activites {activites} : de 1 à 60 lignes d'activités.")
    if exemple:
        from recueil.malcom_exemple import HEPATO_GASTRO

        contenu = HEPATO_GASTRO
        blocs, activites = max(blocs, len(contenu.blocs)), max(activites, len(contenu.activites))
    else:
        contenu = None
    verifier_cible(Path(chemin), ecraser)
    classeur = construire(blocs=blocs, activites=activites, contenu=contenu, annee=annee)
    return enregistrer(classeur, Path(chemin))


@dataclass(frozen=True)
class Contenu:
    """Ce qu'un classeur d'exemple (ou de test) porte dans ses cellules de saisie :
    ``parametres`` (cellule de « 0 Paramétrage » → valeur), ``activites`` (lignes de « 1
    Activités », A à H), ``periodes`` (cellule de « 2 Tableau » → valeur), ``blocs`` (nom,
    quotité, non participation) et ``cellules`` (« C14 » → valeur, dans « 2 Tableau »)."""

    parametres: dict[str, object]
    activites: list[tuple]
    periodes: dict[str, object]
    blocs: list[tuple[str, object, object]]
    cellules: dict[str, object]
    note: str | None = None


def construire(
    *,
    blocs: int = m.BLOCS_DEFAUT,
    activites: int = m.ACTIVITES_DEFAUT,
    contenu: Contenu | None = None,
    annee: int | None = None,
):
    classeur = nouveau_classeur(m.TITRE)
    base = Base(blocs, activites)
    parametrage = classeur.active
    parametrage.title = m.FEUILLE_PARAMETRAGE
    _parametrage(parametrage, annee)
    _activites(classeur.create_sheet(m.FEUILLE_ACTIVITES), activites)
    _tableau(classeur.create_sheet(m.FEUILLE_TABLEAU), blocs)
    tableau_de_bord = classeur.create_sheet(m.FEUILLE_RESSOURCES)
    feuille_base = FeuilleBrute(classeur, m.FEUILLE_BASE)
    _base(feuille_base, base)
    _tableau_de_bord(tableau_de_bord, base, feuille_base)
    feuille_base.enregistrer(_style_brut)
    _mode_d_emploi(classeur.create_sheet(m.FEUILLE_MODE_EMPLOI))
    _meta(classeur.create_sheet(m.FEUILLE_META))
    _noms(classeur, base)
    if contenu is not None:
        remplir(classeur, contenu)
        avec_marqueur = [ligne for ligne in contenu.activites if len(ligne) > 2 and ligne[2]]
        classeur[m.FEUILLE_RESSOURCES]["B5"] = (avec_marqueur or contenu.activites)[0][0]
    classeur.active = 0
    return classeur


def remplir(classeur, contenu: Contenu) -> None:
    """Pose ``contenu`` dans les cellules de saisie d'un classeur construit."""
    p, a, t = classeur[m.FEUILLE_PARAMETRAGE], classeur[m.FEUILLE_ACTIVITES], classeur[m.FEUILLE_TABLEAU]
    for cle, valeur in contenu.parametres.items():
        p.cell(m.PARAMETRE[cle].ligne, 2).value = valeur
    for i in range(m.PREMIERE_ACTIVITE, a.max_row + 1):
        for col in range(1, 9):
            a.cell(i, col).value = None
    for rang, ligne in enumerate(contenu.activites):
        for col, valeur in enumerate(ligne, start=1):
            a.cell(m.PREMIERE_ACTIVITE + rang, col).value = valeur
    for reference, valeur in contenu.periodes.items():
        t[reference].value = valeur
    for rang, (nom, quotite, non_participation) in enumerate(contenu.blocs, start=1):
        ligne = m.lignes_du_bloc(rang)[0]
        t.cell(ligne, m.COLONNE_NOM).value = nom
        t.cell(ligne, m.COLONNE_QUOTITE).value = quotite
        t.cell(ligne, m.COLONNE_NON_PARTICIPATION).value = non_participation
    for reference, valeur in contenu.cellules.items():
        t[reference].value = valeur
    if contenu.note:
        t["C2"].value = None
        t.cell(3, 1).value = contenu.note
        t.cell(3, 1).font = POLICE_NOTE


def _style(cellule, genre: str, format_: str | None) -> None:
    """Le style d'une cellule de saisie ou de calcul : celui de la première cellule du même
    (genre, format) du classeur, copié, au lieu de refaire remplissage, bordure et format
    (openpyxl les hache à chaque affectation : 8 s pour les 40 000 cellules du classeur)."""
    if isinstance(cellule, _CelluleBrute):
        cellule.genre, cellule.number_format = genre, format_ or "General"
        return
    classeur = cellule.parent.parent
    if not hasattr(classeur, "styles_malcom"):
        classeur.styles_malcom = {}
    cle = (genre, format_)
    modele = classeur.styles_malcom.get(cle)
    if modele is not None:
        cellule._style = copy(modele)
        return
    _style_brut(cellule, genre, format_)
    classeur.styles_malcom[cle] = copy(cellule._style)


def _style_brut(cellule, genre: str, format_: str | None) -> None:
    """Le style d'un genre (« saisie », « calcule »…) posé sur une cellule d'openpyxl : celui que
    ``FeuilleBrute`` enregistre pour ses cellules de ce genre."""
    remplissages = {
        "saisie": REMPLISSAGE_SAISIE,
        "saisie_claire": REMPLISSAGE_CLAIR,
        "calcule": REMPLISSAGE_FORMULE,
    }
    cellule.fill = remplissages[genre]
    cellule.border = BORDURE
    if genre.startswith("saisie"):
        cellule.protection = Protection(locked=False)
    if format_:
        cellule.number_format = format_


def _saisie(cellule, format_: str | None = None) -> None:
    _style(cellule, "saisie", format_)


def _calcule(cellule, format_: str | None = None) -> None:
    _style(cellule, "calcule", format_)


def _validation(
    feuille: Worksheet,
    plage: str,
    *,
    type_: str,
    formule1: str | None = None,
    formule2: str | None = None,
    operateur: str | None = None,
    titre: str,
    invite: str,
    erreur: str,
    style: str = "stop",
) -> None:
    v = DataValidation(
        type=type_,
        formula1=formule1,
        formula2=formule2,
        operator=operateur,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle=style,
    )
    v.promptTitle, v.prompt = titre[:32], invite[:255]
    v.errorTitle, v.error = titre[:32], erreur[:255]
    for morceau in plage.split():
        v.add(morceau)
    feuille.add_data_validation(v)


# 0 Paramétrage ----------------------------------------------------------------------------


def _parametrage(f: Worksheet, annee: int | None) -> None:
    f["A1"] = "Malcom — paramétrage"
    f["A1"].font = POLICE_TITRE
    texte(
        f["A2"], "Identification du service et choix de calcul (les cellules jaunes se saisissent)."
    ).font = POLICE_NOTE
    defauts = {
        "annee": annee if annee is not None else "=YEAR(TODAY())",
        "ventilation": m.VENTILATIONS["equitable"],
        "recup_affectees": m.NON,
        "seuil_marge": m.SEUIL_MARGE_DEFAUT,
        "duree_max": _d(m.DUREE_MAX_DEFAUT),
    }
    formats_ = {"seuil_marge": POURCENT, "duree_max": DUREE, "annee": "0"}
    for p in m.PARAMETRES:
        texte(f.cell(p.ligne, 1), p.libelle).font = POLICE_GRAS
        c = f.cell(p.ligne, 2)
        c.value = defauts.get(p.cle)
        _saisie(c, formats_.get(p.cle))
    _validation(
        f,
        "B7",
        type_="whole",
        formule1="2000",
        formule2="2100",
        operateur="between",
        titre="Année",
        invite="L'année modélisée (2000 à 2100).",
        erreur="Une année de 2000 à 2100.",
    )
    _validation(
        f,
        "B8",
        type_="list",
        formule1="malcom_choix_ventilation",
        titre="Ventilation",
        invite="Comment partager les lignes de garde entre les praticiens qui participent à la PDS.",
        erreur="Choisissez une valeur de la liste.",
    )
    _validation(
        f,
        "B9",
        type_="list",
        formule1="malcom_oui_non",
        titre="Récupération",
        invite="Oui : la récupération des gardes déjà écrites sur les lignes d'un praticien réduit aussi "
        "ses heures.",
        erreur="Choisissez Oui ou Non.",
    )
    _validation(
        f,
        "B10",
        type_="decimal",
        formule1="0",
        formule2="1",
        operateur="between",
        titre="Seuil",
        invite="Au-delà de cet écart relatif, une activité dispose d'une marge notable (ex. 10 %).",
        erreur="Un pourcentage de 0 % à 100 %.",
    )
    _validation(
        f,
        "B11",
        type_="time",
        formule1=str(1 / 24),
        formule2="0.5",
        operateur="between",
        titre="Durée maximale",
        invite="Au-delà, une ½ journée est signalée (h:mm, ex. 5:00).",
        erreur="Une durée de 1:00 à 12:00 (h:mm).",
    )
    texte(
        f.cell(m.LIGNE_TITRE_RECUPERATION, 1), "Temps de récupération imputé sur le temps de journée"
    ).font = POLICE_SECTION
    entetes(f, m.LIGNE_ENTETE_RECUPERATION, m.ENTETES_RECUPERATION)
    for i, c in enumerate(m.CRENEAUX):
        ligne = m.LIGNE_ENTETE_RECUPERATION + 1 + i
        texte(f.cell(ligne, 1), c.jour).border = BORDURE
        texte(f.cell(ligne, 2), c.libelle).border = BORDURE
        for j, t in enumerate(m.TYPES_PDS):
            cellule = f.cell(ligne, 3 + j)
            cellule.value = _d(c.recuperation_ga if t.id == "Ga" else 0.0)
            _saisie(cellule, DUREE)
    derniere = m.LIGNE_ENTETE_RECUPERATION + len(m.CRENEAUX)
    _validation(
        f,
        f"C{m.LIGNE_ENTETE_RECUPERATION + 1}:E{derniere}",
        type_="time",
        formule1="0",
        formule2="1",
        operateur="between",
        titre="Récupération",
        invite="Heures de récupération d'une PDS de ce créneau (h:mm, de 0:00 à 24:00).",
        erreur="Une durée de 0:00 à 24:00 (h:mm).",
    )
    col = m.COLONNE_LISTES
    for decalage, (nom, (libelle, valeurs)) in enumerate(m.LISTES_FIXES.items()):
        c = col + decalage
        entetes(f, 2, [libelle], colonne=c)
        for rang, valeur in enumerate(valeurs, start=3):
            cellule = f.cell(rang, c)
            cellule.value = valeur
            cellule.border = BORDURE
            if isinstance(valeur, float):
                cellule.number_format = POURCENT
        f.column_dimensions[L(c)].width = 26 if nom == "malcom_choix_ventilation" else 13
    f.column_dimensions["A"].width = 46
    f.column_dimensions["B"].width = 30
    for c in "CDE":
        f.column_dimensions[c].width = 10
    f.freeze_panes = "A3"
    f.protection.sheet = False


def _plage_liste(nom: str) -> str:
    rang = list(m.LISTES_FIXES).index(nom)
    c = L(m.COLONNE_LISTES + rang)
    n = len(m.LISTES_FIXES[nom][1])
    return f"{P}!${c}$3:${c}${2 + n}"


# 1 Activités -----------------------------------------------------------------------------


COLONNE_RANG_ID, COLONNE_IDS, COLONNE_LIBELLES = 12, 13, 14
"""L, M, N (masquées) de « 1 Activités » : rang de chaque Id saisi, puis Ids et libellés sans
trous, sources des menus déroulants."""


def _activites(f: Worksheet, n: int) -> None:
    f["A1"] = "Malcom — les activités du service"
    f["A1"].font = POLICE_TITRE
    texte(f["D2"], "Temps alloué : 1 praticien réalise [Quantité] [Marqueur] en [Durée]").font = POLICE_NOTE
    f.merge_cells("D2:E2")
    entetes(f, m.LIGNE_ENTETE_ACTIVITES, m.ENTETES_ACTIVITES)
    premiere, derniere = m.PREMIERE_ACTIVITE, m.PREMIERE_ACTIVITE + n - 1
    for rang, (libelle, ident) in enumerate(m.ACTIVITES_MODELE[:n]):
        f.cell(premiere + rang, 1).value = libelle
        f.cell(premiere + rang, 2).value = ident
    for ligne in range(premiere, derniere + 1):
        for col, format_ in zip(
            range(1, 9), (None, None, None, "0.##", DUREE, ENTIER, POURCENT, POURCENT), strict=True
        ):
            _saisie(f.cell(ligne, col), format_)
        f.cell(ligne, 9).value = (
            f'=IF(OR(D{ligne}="",E{ligne}=""),"","1 praticien réalise "&D{ligne}&" "&C{ligne}&" en "'
            f'&INT(ROUND(E{ligne}*1440,0)/60)&":"&RIGHT("0"&MOD(ROUND(E{ligne}*1440,0),60),2))'
        )
        _calcule(f.cell(ligne, 9))
        f.cell(
            ligne, 10
        ).value = (
            f'=IF(AND(ISNUMBER(D{ligne}),ISNUMBER(E{ligne})),IF(E{ligne}>0,D{ligne}/(E{ligne}*24),""),"")'
        )
        _calcule(f.cell(ligne, 10), "0.00")
        rang_id = f"{L(COLONNE_RANG_ID)}{ligne}"
        f[rang_id] = f'=IF(LEN(TRIM(B{ligne}))>0,SUMPRODUCT(--(LEN(TRIM($B${premiere}:B{ligne}))>0)),"")'
        k = ligne - premiere + 1
        plage_rang = f"${L(COLONNE_RANG_ID)}${premiere}:${L(COLONNE_RANG_ID)}${derniere}"
        f.cell(
            ligne, COLONNE_IDS
        ).value = f'=IFERROR(INDEX($B${premiere}:$B${derniere},MATCH({k},{plage_rang},0)),"")'
        f.cell(
            ligne, COLONNE_LIBELLES
        ).value = f'=IFERROR(INDEX($A${premiere}:$A${derniere},MATCH({k},{plage_rang},0)),"")'
    plage = f"B{premiere}:B{derniere}"
    _validation(
        f,
        plage,
        type_="textLength",
        formule1="1",
        formule2=str(m.ID_MAX),
        operateur="between",
        titre="Id",
        invite="Identifiant court employé dans 2 Tableau : 1 à 10 lettres, chiffres, - ou _ (pas Ga, AsOp, "
        "AsSec).",
        erreur="De 1 à 10 caractères.",
    )
    _validation(
        f,
        f"D{premiere}:D{derniere}",
        type_="decimal",
        formule1="0",
        formule2="1000000",
        operateur="between",
        titre="Quantité",
        invite="Combien d'actes (consultations…) un praticien réalise dans la Durée.",
        erreur="Un nombre supérieur à 0.",
    )
    _validation(
        f,
        f"E{premiere}:E{derniere}",
        type_="time",
        formule1=str(1 / 1440),
        formule2="1",
        operateur="between",
        titre="Durée",
        invite="Durée au format h:mm (ex. 3:30).",
        erreur="Une durée de 0:01 à 24:00 (h:mm).",
    )
    _validation(
        f,
        f"F{premiere}:F{derniere}",
        type_="whole",
        formule1="0",
        formule2="100000000",
        operateur="between",
        titre="Objectif annuel",
        invite="Production annuelle attendue, dans l'unité du marqueur.",
        erreur="Un nombre entier positif ou nul.",
    )
    _validation(
        f,
        f"G{premiere}:H{derniere}",
        type_="decimal",
        formule1="0",
        formule2="2",
        operateur="between",
        titre="Taux de période",
        invite="Taux d'activité de cette activité pendant la période (vide : celui de 2 Tableau).",
        erreur="Un pourcentage de 0 % à 200 %.",
    )
    f.conditional_formatting.add(
        plage,
        FormulaRule(
            formula=[f"AND(LEN(B{premiere})>0,COUNTIF($B${premiere}:$B${derniere},B{premiere})>1)"],
            fill=REMPLISSAGE_ALERTE,
        ),
    )
    for col, largeur in zip("ABCDEFGHIJ", (30, 10, 16, 10, 10, 14, 12, 12, 40, 12), strict=True):
        f.column_dimensions[col].width = largeur
    for col in (COLONNE_RANG_ID, COLONNE_IDS, COLONNE_LIBELLES):
        f.column_dimensions[L(col)].hidden = True
    f.freeze_panes = f"A{premiere}"


# 2 Tableau -------------------------------------------------------------------------------

_JOURS = (*m.JOURS_OUVRES, "Samedi", "Dimanche")


def _colonnes_du_jour(rang: int) -> tuple[int, int]:
    if rang < 5:
        return 2 + 6 * rang, 7 + 6 * rang
    return (32, 36) if rang == 5 else (37, 40)


def _entetes_semaine(f: Worksheet, haut: int) -> None:
    """Les trois lignes d'en-têtes d'une semaine type (lignes ``haut`` à ``haut`` + 2)."""

    def poser(ligne: int, col: int, valeur: str, fin: int | None = None, hauteur: int = 0) -> None:
        texte(f.cell(ligne, col), valeur)
        if fin or hauteur:
            f.merge_cells(start_row=ligne, start_column=col, end_row=ligne + hauteur, end_column=fin or col)
        for x in range(col, (fin or col) + 1):
            for y in range(ligne, ligne + hauteur + 1):
                cel = f.cell(y, x)
                cel.font, cel.fill, cel.alignment, cel.border = (
                    Font(name="Calibri", size=10, bold=True, color=couleurs.BLANC),
                    PatternFill("solid", start_color=couleurs.BLEU, end_color=couleurs.BLEU),
                    ALIGNEMENT_ENTETE,
                    BORDURE,
                )

    poser(haut, 1, "Praticien", hauteur=2)
    for rang, jour in enumerate(_JOURS):
        debut, fin = _colonnes_du_jour(rang)
        poser(haut, debut, jour, fin)
    for rang in range(5):
        b = 2 + 6 * rang
        poser(haut + 1, b, "Matin", b + 1)
        poser(haut + 1, b + 2, "Après-midi", b + 3)
        poser(haut + 1, b + 4, "Soirée")
        poser(haut + 1, b + 5, "Nuit profonde")
        for decalage, libelle in enumerate(("Act", "Tps", "Act", "Tps", "< 24h", "> 24h")):
            poser(haut + 2, b + decalage, libelle)
    poser(haut + 1, 32, "Matin", 33)
    for col, (l2, l3) in zip(
        range(34, 41),
        (
            ("Après-midi", "PDS"),
            ("Soirée", "< 24h"),
            ("Nuit profonde", "> 24h"),
            ("Matin", "PDS"),
            ("Après-midi", "PDS"),
            ("Soirée", "< 24h"),
            ("Nuit profonde", "> 24h"),
        ),
        strict=True,
    ):
        poser(haut + 1, col, l2)
        poser(haut + 2, col, l3)
    poser(haut + 2, 32, "Act")
    poser(haut + 2, 33, "Tps")
    for col, libelle in (
        (41, "Quotité"),
        (42, "Non participation PDS"),
        (43, "Total semaine"),
        (44, "½ journées"),
    ):
        poser(haut, col, libelle, hauteur=2)


def _tableau(f: Worksheet, blocs: int) -> None:
    f["A1"] = "Malcom — Tableau de service détaillé"
    f["A1"].font = POLICE_TITRE
    f["A2"] = f'={P}!$B$3&IF({P}!$B$5<>""," — "&{P}!$B$5,"")'
    f["A2"].font = POLICE_GRAS
    entetes(f, 4, m.COLONNES_PERIODES)
    for periode, ligne in m.LIGNES_PERIODES.items():
        texte(f.cell(ligne, 1), m.LIBELLES_PERIODES[periode]).border = BORDURE
        semaines = f.cell(ligne, 2)
        semaines.value = m.SEMAINES_DEFAUT[periode]
        _saisie(semaines, "0")
        taux = f.cell(ligne, 3)
        if periode == "A":
            taux.value = 1
            _calcule(taux, POURCENT)
        else:
            taux.value = m.TAUX_DEFAUT[periode]
            _saisie(taux, POURCENT)
    types = f.cell(m.LIGNES_PERIODES["A"], 4)
    types.value = 1
    _saisie(types, '"modélisée par "0" semaine(s) type(s)"')
    texte(f.cell(m.LIGNE_TOTAL_PERIODES, 1), "Total").font = POLICE_GRAS
    total = f.cell(m.LIGNE_TOTAL_PERIODES, 2)
    total.value = "=SUM(B5:B7)"
    _calcule(total, "0")
    _validation(
        f,
        "B5:B7",
        type_="whole",
        formule1="0",
        formule2="52",
        operateur="between",
        titre="Semaines",
        invite="Semaines par an de la période (0 à 52 ; A + B + C = 52).",
        erreur="Un nombre entier de 0 à 52.",
    )
    _validation(
        f,
        "C6:C7",
        type_="decimal",
        formule1="0",
        formule2="2",
        operateur="between",
        titre="Taux",
        invite="Taux d'activité de la période par rapport à la période A (0 % à 200 %).",
        erreur="Un pourcentage de 0 % à 200 %.",
    )
    _validation(
        f,
        "D5",
        type_="list",
        formule1='"1,2"',
        titre="Semaines types",
        invite="Période A modélisée par 1 ou 2 semaines types (la 2e se remplit plus bas).",
        erreur="1 ou 2.",
    )
    for semaine in (1, 2):
        bandeau = m.ligne_bandeau(semaine, blocs)
        texte(f.cell(bandeau, 1), f"Semaine type {semaine}").font = POLICE_SECTION
        _entetes_semaine(f, bandeau + 1)
        premiere = m.premiere_ligne_semaine(semaine, blocs)
        for b in range(1, blocs + 1):
            lignes = m.lignes_du_bloc(b, semaine, blocs)
            l1, l5 = lignes[0], lignes[-1]
            for col in (
                m.COLONNE_NOM,
                m.COLONNE_QUOTITE,
                m.COLONNE_NON_PARTICIPATION,
                m.COLONNE_TOTAL,
                m.COLONNE_DEMI_JOURNEES,
            ):
                # Sans le nettoyage d'openpyxl (qui remplace chaque cellule cachée : 1 ms par fusion) :
                # les cellules cachées sont vides, Excel et LibreOffice n'y voient rien.
                f.merged_cells.add(CellRange(min_col=col, min_row=l1, max_col=col, max_row=l5))
            nom = f.cell(l1, m.COLONNE_NOM)
            nom.alignment = Alignment(vertical="center", wrap_text=True)
            if semaine == 1:
                _saisie(nom)
                _saisie(f.cell(l1, m.COLONNE_QUOTITE), POURCENT)
                _saisie(f.cell(l1, m.COLONNE_NON_PARTICIPATION))
            else:
                l_1 = m.lignes_du_bloc(b, 1, blocs)[0]
                nom.value = f'=IF(A{l_1}="","",A{l_1})'
                _calcule(nom)
                for col in (m.COLONNE_QUOTITE, m.COLONNE_NON_PARTICIPATION):
                    c = f.cell(l1, col)
                    c.value = f'=IF({L(col)}{l_1}="","",{L(col)}{l_1})'
                    _calcule(c, POURCENT if col == m.COLONNE_QUOTITE else None)
            tps = {d.colonne_act + 1 for d in m.DEMI_JOURNEES}
            for ligne in lignes:
                for col in range(2, m.COLONNE_DERNIERE_SAISIE + 1):
                    _style(
                        f.cell(ligne, col),
                        "saisie" if ligne % 2 else "saisie_claire",
                        DUREE if col in tps else None,
                    )
            sommes = "+".join(
                f"SUM({L(d.colonne_act + 1)}{l1}:{L(d.colonne_act + 1)}{l5})" for d in m.DEMI_JOURNEES
            )
            tot = f.cell(l1, m.COLONNE_TOTAL)
            tot.value = f"={sommes}"
            _calcule(tot, DUREE)
            nb = f.cell(l1, m.COLONNE_DEMI_JOURNEES)
            nb.value = "=" + "+".join(
                f"(COUNTA({L(d.colonne_act)}{l1}:{L(d.colonne_act)}{l5})>0)*1" for d in m.DEMI_JOURNEES
            )
            _calcule(nb, "0")
        derniere = premiere + m.LIGNES_PAR_BLOC * blocs - 1
        acts = " ".join(f"{L(d.colonne_act)}{premiere}:{L(d.colonne_act)}{derniere}" for d in m.DEMI_JOURNEES)
        tps = " ".join(
            f"{L(d.colonne_act + 1)}{premiere}:{L(d.colonne_act + 1)}{derniere}" for d in m.DEMI_JOURNEES
        )
        pds = " ".join(f"{L(c.colonne)}{premiere}:{L(c.colonne)}{derniere}" for c in m.CRENEAUX)
        _validation(
            f,
            acts,
            type_="list",
            formule1="malcom_ids",
            titre="Activité",
            invite="Choisir l'Id de l'activité (onglet 1 Activités).",
            erreur="Cet Id n'est pas dans l'onglet 1 Activités : choisissez-le dans la liste.",
        )
        _validation(
            f,
            tps,
            type_="time",
            formule1=str(1 / 1440),
            formule2="0.5",
            operateur="between",
            titre="Durée",
            invite="Durée au format h:mm (ex. 3:30).",
            erreur="Une durée de 0:01 à 12:00 (h:mm).",
        )
        _validation(
            f,
            pds,
            type_="list",
            formule1="malcom_types_pds",
            titre="PDS",
            invite="Ga = garde, AsOp = astreinte opérationnelle, AsSec = astreinte de sécurité",
            erreur="Choisissez Ga, AsOp ou AsSec.",
        )
        if semaine == 1:
            _validation(
                f,
                f"AO{premiere}:AO{derniere}",
                type_="list",
                formule1="malcom_quotites",
                titre="Quotité",
                invite="Quotité de temps du praticien (100 % = temps plein), ou PDS pour une ligne de garde "
                "ou d'astreinte à ventiler",
                erreur="Une quotité de la liste (ou PDS) est attendue.",
                style="warning",
            )
            _validation(
                f,
                f"AP{premiere}:AP{derniere}",
                type_="list",
                formule1="malcom_oui_non",
                titre="Non participation",
                invite="Indication si non participation à la permanence des "
                "soins (par défaut non coché) : Oui ou Non.",
                erreur="Choisissez Oui ou Non.",
            )
        _mises_en_forme(f, premiere, derniere)
    f.column_dimensions["A"].width = 24
    for col in range(2, 41):
        f.column_dimensions[L(col)].width = 6.2
    for col, largeur in ((41, 9), (42, 13), (43, 9), (44, 9)):
        f.column_dimensions[L(col)].width = largeur
    f.freeze_panes = "B14"


def _mises_en_forme(f: Worksheet, premiere: int, derniere: int) -> None:
    """En direct : une Act sans Tps (ou l'inverse), un Id inconnu, une ½ journée trop chargée."""
    for d in m.DEMI_JOURNEES:
        act, tps = L(d.colonne_act), L(d.colonne_act + 1)
        zone = f"{act}{premiere}:{tps}{derniere}"
        f.conditional_formatting.add(
            zone,
            FormulaRule(
                formula=[
                    f'OR(AND(${act}{premiere}<>"",${tps}{premiere}=""),AND(${act}{premiere}="",${tps}{premiere}<>""))'
                ],
                fill=REMPLISSAGE_ALERTE,
            ),
        )
        f.conditional_formatting.add(
            f"{act}{premiere}:{act}{derniere}",
            FormulaRule(
                formula=[f'AND({act}{premiere}<>"",COUNTIF(malcom_ids,{act}{premiere})=0)'],
                font=Font(color=couleurs.ROUGE_TEXTE, bold=True, strike=True),
            ),
        )
        # La somme de la ½ journée du bloc : les 5 lignes du bloc de la cellule.
        debut = f"INDEX(${tps}:${tps},{premiere}+5*INT((ROW()-{premiere})/5))"
        fin = f"INDEX(${tps}:${tps},{premiere}+5*INT((ROW()-{premiere})/5)+4)"
        f.conditional_formatting.add(
            f"{tps}{premiere}:{tps}{derniere}",
            FormulaRule(
                formula=[f'AND({tps}{premiere}<>"",SUM({debut}:{fin})>malcom_duree_max_demi_journee)'],
                font=Font(color=couleurs.ROUGE_TEXTE, bold=True),
            ),
        )


# 8 Ressources base -----------------------------------------------------------------------


def _titre_table(f: Worksheet, ligne: int, libelle: str) -> None:
    texte(f.cell(ligne - 1, 1), libelle).font = POLICE_SECTION


def _w1(b: int, base: Base, semaine: int) -> tuple[int, int]:
    lignes = m.lignes_du_bloc(b, semaine, base.blocs)
    return lignes[0], lignes[-1]


def _somme_des_durees(actes: str, ident: str, durees: str) -> str:
    """Les durées (cellules Tps) des activités ``ident`` : celles qui sont des durées valides
    (de 0:00 à 12:00), comme le moteur. Le critère « <= » & 0,5 est converti en texte par le tableur
    dans sa langue, puis relu dans sa langue : « <=0.5 » en anglais, « <=0,5 » en français."""
    return f'SUMIFS({durees},{actes},{ident},{durees},">0",{durees},"<="&{m.TPS_MAX / 24})'


def _somme_semaines(expression: str, b: int, base: Base) -> str:
    """``expression`` (gabarit à {l1} et {l5}) pour la semaine 1, ou la moyenne des deux semaines
    quand deux sont comptées (cellule B3)."""
    s1 = expression.format(l1=_w1(b, base, 1)[0], l5=_w1(b, base, 1)[1])
    s2 = expression.format(l1=_w1(b, base, 2)[0], l5=_w1(b, base, 2)[1])
    return f"IF($B${base.ligne_semaines_comptees}=2,({s1}+{s2})/2,{s1})"


def _base(f: Worksheet, base: Base) -> None:
    f["A1"] = "Malcom — 8 Ressources base (toutes les valeurs, recalculées par le tableur)"
    f["A1"].font = POLICE_TITRE
    p1, d1 = (
        m.premiere_ligne_semaine(2, base.blocs),
        m.premiere_ligne_semaine(2, base.blocs) + 5 * base.blocs - 1,
    )
    cellules_tete = (
        (
            base.ligne_semaines_comptees,
            "Semaines types comptées",
            f"=IF(AND(malcom_semaines_types=2,COUNTA({T}!$B${p1}:$AN${d1})>0),2,1)",
            "0",
        ),
        (
            base.ligne_semaines_an,
            "Semaines de PDS par an",
            "=malcom_semaines_A+malcom_semaines_B+malcom_semaines_C",
            "0",
        ),
        (
            base.ligne_total_redresse,
            "Heures redressées du service",
            f"=SUM({base.col4(9).split('!')[1]})",
            DUREE,
        ),
    )
    for ligne, libelle, formule, format_ in cellules_tete:
        texte(f.cell(ligne, 1), libelle).font = POLICE_GRAS
        f.cell(ligne, 2).value = formule
        _calcule(f.cell(ligne, 2), format_)
    a1, an = m.PREMIERE_ACTIVITE, m.PREMIERE_ACTIVITE + base.activites - 1
    zt = f"$B${base.ligne_total_redresse}"
    W = f"$B${base.ligne_semaines_an}"
    _table4(f, base, zt)
    _table1(f, base, a1)
    _table5(f, base, a1, zt)
    _table6(f, base, W)
    _table3(f, base, W)
    _table2(f, base, a1, an)
    f.column_dimensions["A"].width = 26
    for col in range(2, 15):
        f.column_dimensions[L(col)].width = 14
    for col in (AIDE_BLOC, AIDE_TYPE, AIDE_RANG):
        f.column_dimensions[L(col)].width = 10
    f.freeze_panes = "B2"
    f.protection.sheet = True


def _table4(f: Worksheet, base: Base, zt: str) -> None:
    _titre_table(f, base.t4, "4. Synthèse par praticien")
    entetes(f, base.t4, m.ENTETES_PRATICIENS)
    entetes(f, base.t4, ("Bloc", "Type", "Rang"), colonne=AIDE_BLOC)
    types = base.col4(AIDE_TYPE).split("!")[1]
    participe = base.col4(3).split("!")[1]
    quotites = base.col4(2).split("!")[1]
    for b in range(1, base.blocs + 1):
        r = base.l4(b)
        l1 = _w1(b, base, 1)[0]
        nom, q, np_ = f"{T}!$A${l1}", f"{T}!$AO${l1}", f"{T}!$AP${l1}"
        ty = f"$Q{r}"
        formules = {
            AIDE_BLOC: b,
            AIDE_TYPE: f'=IF(TRIM({nom})="","",IF(UPPER(TRIM({q}))="PDS","{m.TYPE_BLOC_LIGNE}","{m.TYPE_BLOC_PRATICIEN}"))',
            AIDE_RANG: f'=IF({ty}="{m.TYPE_BLOC_PRATICIEN}",COUNTIF($Q${base.t4 + 1}:Q{r},"{m.TYPE_BLOC_PRATICIEN}"),"")',
            1: f'=IF({ty}="","",TRIM({nom}))',
            2: f'=IF({ty}="{m.TYPE_BLOC_PRATICIEN}",IF(AND(ISNUMBER({q}),{q}>=0.01,{q}<=1),{q},1),IF({ty}="","","PDS"))',
            3: f'=IF({ty}="{m.TYPE_BLOC_PRATICIEN}",IF(UPPER(TRIM({np_}))="OUI","{m.NON}","{m.OUI}"),"")',
            4: f'=IF(AND({ty}="{m.TYPE_BLOC_PRATICIEN}",C{r}="{m.OUI}"),IF(malcom_ventilation="{m.VENTILATIONS["prorata_quotite"]}",'
            f'B{r}/SUMIFS({quotites},{types},"{m.TYPE_BLOC_PRATICIEN}",{participe},"{m.OUI}"),'
            f'1/COUNTIFS({types},"{m.TYPE_BLOC_PRATICIEN}",{participe},"{m.OUI}")),IF({ty}="","",0))',
            5: f'=IF({ty}="","",SUMIF({base.col1(AIDE_BLOC)},{b},{base.col1(6)}))',
            6: f'=IF({ty}="","",SUMIF({base.col1(AIDE_BLOC)},{b},{base.col1(8)}))',
            7: f'=IF({ty}="","",SUMIF({base.col3(AIDE_BLOC)},{b},{base.col3(11)}))',
            8: f'=IF({ty}<>"{m.TYPE_BLOC_PRATICIEN}","",IF(F{r}>0,MAX(0,1-G{r}/F{r}),0))',
            9: f'=IF({ty}="{m.TYPE_BLOC_PRATICIEN}",F{r}*H{r},"")',
            10: f'=IF(AND({ty}="{m.TYPE_BLOC_PRATICIEN}",{zt}>0),I{r}/{zt},"")',
        }
        for k, t in enumerate(m.TYPES_PDS):
            formules[11 + k] = (
                f'=IF({ty}="{m.TYPE_BLOC_PRATICIEN}",SUMIFS({base.col3(9)},{base.col3(AIDE_BLOC)},{b},'
                f'{base.col3(3)},"{t.id}"),"")'
            )
        formats_ = {
            2: POURCENT,
            4: "0.0000",
            5: DUREE,
            6: DUREE,
            7: DUREE,
            8: "0.0000",
            9: DUREE,
            10: POURCENT_1,
            11: "0.0",
            12: "0.0",
            13: "0.0",
            AIDE_BLOC: "0",
            AIDE_RANG: "0",
        }
        for col, formule in formules.items():
            f.cell(r, col).value = formule
            _calcule(f.cell(r, col), formats_.get(col))


def _table1(f: Worksheet, base: Base, a1: int) -> None:
    _titre_table(f, base.t1, "1. Heures et potentiels (par praticien et activité)")
    entetes(f, base.t1, m.ENTETES_HEURES)
    entetes(f, base.t1, ("Bloc", "Activité n°"), colonne=AIDE_BLOC)
    for b in range(1, base.blocs + 1):
        r4 = base.l4(b)
        for i in range(1, base.activites + 1):
            r, ra = base.l1(b, i), a1 + i - 1
            ident = f"{A}!$B${ra}"
            sumif = _somme_des_durees(f"{T}!$B${{l1}}:$AF${{l5}}", f"$E{r}", f"{T}!$C${{l1}}:$AG${{l5}}")
            q, d = f"{A}!$D${ra}", f"{A}!$E${ra}"
            formules = {
                AIDE_BLOC: b,
                AIDE_BLOC + 1: i,
                1: f'=IF(${"Q"}${r4}="{m.TYPE_BLOC_PRATICIEN}",$A${r4},"")',
                2: f'=IF($A{r}="","",$B${r4})',
                3: f'=IF($A{r}="","",$C${r4})',
                4: f'=IF(OR($A{r}="",TRIM({ident})=""),"",IF(TRIM({A}!$A${ra})="",TRIM({ident}),TRIM({A}!$A${ra})))',
                5: f'=IF(OR($A{r}="",TRIM({ident})=""),"",TRIM({ident}))',
                6: f'=IF($E{r}="","",{_somme_semaines(sumif, b, base)})',
                7: f'=IF($E{r}="","",malcom_semaines_A+malcom_semaines_B*IF({A}!$G${ra}="",malcom_taux_B,{A}!$G${ra})'
                f'+malcom_semaines_C*IF({A}!$H${ra}="",malcom_taux_C,{A}!$H${ra}))',
                8: f'=IF($E{r}="","",F{r}*G{r})',
                9: f'=IF($E{r}="","",H{r}-J{r})',
                # Une ligne sur deux écrite autrement : LibreOffice ne fait pas de la colonne un
                # « groupe de formules », dont le calcul en parallèle rend #VALEUR! sur la première
                # ligne après une saisie (LibreOffice 7.4, mesuré : tests/test_malcom_libreoffice.py).
                10: f'=IF($E{r}="","",H{r}*$H${r4})' if r % 2 else f'=IF($E{r}="","",$H${r4}*H{r})',
                11: f'=IF(OR($E{r}="",TRIM({A}!$C${ra})=""),"",TRIM({A}!$C${ra}))',
                12: f'=IF($E{r}="","",IF(AND(ISNUMBER({q}),ISNUMBER({d})),IF(AND({q}>0,{d}>0),J{r}*{q}/{d},""),""))',
            }
            formats_ = {2: POURCENT, 6: DUREE, 7: "0.00", 8: DUREE, 9: DUREE, 10: DUREE, 12: "0.0"}
            for col, formule in formules.items():
                f.cell(r, col).value = formule
                if col < AIDE_BLOC:
                    _calcule(f.cell(r, col), formats_.get(col))


def _table5(f: Worksheet, base: Base, a1: int, zt: str) -> None:
    _titre_table(f, base.t5, "5. Synthèse par activité")
    entetes(f, base.t5, m.ENTETES_ACTIVITES_SYNTHESE)
    ids = base.col1(5)
    for i in range(1, base.activites + 1):
        r, ra = base.l5(i), a1 + i - 1
        q, d, o = f"{A}!$D${ra}", f"{A}!$E${ra}", f"{A}!$F${ra}"
        vide = f'$B{r}=""'
        formules = {
            1: f'=IF(TRIM({A}!$B${ra})="","",IF(TRIM({A}!$A${ra})="",TRIM({A}!$B${ra}),TRIM({A}!$A${ra})))',
            2: f'=IF(TRIM({A}!$B${ra})="","",TRIM({A}!$B${ra}))',
            3: f'=IF(OR({vide},TRIM({A}!$C${ra})=""),"",TRIM({A}!$C${ra}))',
            4: f'=IF({vide},"",SUMIF({ids},$B{r},{base.col1(6)}))',
            5: f'=IF({vide},"",SUMIF({ids},$B{r},{base.col1(8)}))',
            6: f'=IF({vide},"",SUMIF({ids},$B{r},{base.col1(10)}))',
            7: f'=IF(OR({vide},{zt}=0),"",F{r}/{zt})',
            8: f'=IF({vide},"",IF(AND(ISNUMBER({q}),ISNUMBER({d})),IF(AND({q}>0,{d}>0),F{r}*{q}/{d},""),""))',
            9: f'=IF(OR({vide},NOT(ISNUMBER({o}))),"",{o})',
            10: f'=IF(AND(ISNUMBER(H{r}),ISNUMBER(I{r})),H{r}-I{r},"")',
            11: f'=IF(AND(ISNUMBER(H{r}),ISNUMBER(I{r})),IF(I{r}>0,H{r}/I{r}-1,""),"")',
            12: f'=IF(ISNUMBER(K{r}),IF(K{r}<0,"insuffisant",IF(K{r}<=malcom_seuil_marge,"adequat","marge")),"")',
            13: f'=IF(AND(ISNUMBER(H{r}),ISNUMBER(I{r})),IF(H{r}>0,D{r}*24*(I{r}/H{r}-1),""),"")',
        }
        formats_ = {
            4: DUREE,
            5: DUREE,
            6: DUREE,
            7: POURCENT_1,
            8: ENTIER,
            9: ENTIER,
            10: "+#,##0;-#,##0;0",
            11: formats.ECART_POURCENT,
            13: ECART_HEURES,
        }
        for col, formule in formules.items():
            f.cell(r, col).value = formule
            _calcule(f.cell(r, col), formats_.get(col))


def _table6(f: Worksheet, base: Base, W: str) -> None:
    _titre_table(f, base.t6, "6. Lignes de PDS")
    entetes(f, base.t6, m.ENTETES_LIGNES_PDS)
    entetes(f, base.t6, ("Bloc",), colonne=AIDE_BLOC)
    participants = f'COUNTIFS({base.col4(AIDE_TYPE)},"{m.TYPE_BLOC_PRATICIEN}",{base.col4(3)},"{m.OUI}")'
    for b in range(1, base.blocs + 1):
        r4 = base.l4(b)
        for k, t in enumerate(m.TYPES_PDS, start=1):
            r = base.l6(b, k)
            ligne = f'$Q${r4}="{m.TYPE_BLOC_LIGNE}"'
            formules = {
                AIDE_BLOC: b,
                1: f'=IF({ligne},$A${r4},"")',
                2: f'=IF({ligne},"{t.id}","")',
                3: f'=IF({ligne},SUMIFS({base.col3(6)},{base.col3(AIDE_BLOC)},{b},{base.col3(3)},"{t.id}"),"")',
                4: f'=IF({ligne},C{r}*{W},"")',
                5: f'=IF({ligne},IF(AND({participants}>0,SUMIFS({base.col3(6)},{base.col3(AIDE_BLOC)},{b})>0),"{m.OUI}","{m.NON}"),"")',
            }
            for col, formule in formules.items():
                f.cell(r, col).value = formule
                if col < AIDE_BLOC:
                    _calcule(f.cell(r, col), "0.0" if col in (3, 4) else None)


def _table3(f: Worksheet, base: Base, W: str) -> None:
    _titre_table(f, base.t3, "3. Permanence des soins (par bloc, type et créneau)")
    entetes(f, base.t3, m.ENTETES_PDS)
    entetes(f, base.t3, ("Bloc", "Créneau (code)", "Lignes à ventiler / an"), colonne=AIDE_BLOC)
    categories = {c.code: c.libelle for c in m.CATEGORIES}
    types, blocs_ = base.col3(2), base.col3(AIDE_BLOC)
    for b in range(1, base.blocs + 1):
        r4 = base.l4(b)
        for k, t in enumerate(m.TYPES_PDS, start=1):
            for s, c in enumerate(m.CRENEAUX, start=1):
                r = base.l3(b, k, s)
                col = L(c.colonne)
                compte = "COUNTIF(" + T + f'!${col}${{l1}}:${col}${{l5}},"{t.id}")'
                formules = {
                    AIDE_BLOC: b,
                    AIDE_CRENEAU: c.code,
                    1: f'=IF($Q${r4}="","",$A${r4})',
                    2: f"=$Q${r4}",
                    3: t.id,
                    4: f"{c.jour} — {c.libelle}",
                    5: categories[c.categorie],
                    6: f'=IF($B{r}="",0,{_somme_semaines(compte, b, base)})',
                    7: f'=IF($B{r}="{m.TYPE_BLOC_PRATICIEN}",F{r}*{W},0)',
                    8: f'=IF($B{r}="{m.TYPE_BLOC_PRATICIEN}",$D${r4}*$R${base.l3(1, k, s)},0)',
                    9: f"=G{r}+H{r}",
                    10: f"=I{r}/12",
                    11: f'=INDEX({m.NOM_RECUPERATION},{s},{k})*(H{r}+IF(malcom_recup_affectees="{m.OUI}",1,0)*G{r})',
                }
                if b == 1:
                    formules[AIDE_CRENEAU + 1] = (
                        f'={W}*SUMIFS({base.col3(6)},{types},"{m.TYPE_BLOC_LIGNE}",{base.col3(3)},"{t.id}",'
                        f'{base.col3(AIDE_CRENEAU)},"{c.code}")'
                    )
                formats_ = {6: "0.0", 7: "0.0", 8: "0.00", 9: "0.00", 10: "0.00", 11: DUREE}
                for colonne, formule in formules.items():
                    cel = f.cell(r, colonne)
                    if isinstance(formule, str) and not formule.startswith("="):
                        texte(cel, formule)
                    else:
                        cel.value = formule
                    if colonne < AIDE_BLOC:
                        _calcule(cel, formats_.get(colonne))
    del blocs_


def _table2(f: Worksheet, base: Base, a1: int, an: int) -> None:
    _titre_table(f, base.t2, "2. Heures par ½ journée (semaine type)")
    entetes(f, base.t2, ("Praticien", "½ journée"))
    for i in range(1, base.activites + 1):
        c = f.cell(base.t2, 2 + i)
        c.value = f'=IF({A}!$B${a1 + i - 1}="","(vide "&{i}&")",TRIM({A}!$B${a1 + i - 1}))'
        c.font, c.fill, c.alignment, c.border = (
            Font(name="Calibri", size=11, bold=True, color=couleurs.BLANC),
            PatternFill("solid", start_color=couleurs.BLEU, end_color=couleurs.BLEU),
            ALIGNEMENT_ENTETE,
            BORDURE,
        )
    entetes(f, base.t2, ["Total"], colonne=3 + base.activites)
    for b in range(1, base.blocs + 1):
        r4 = base.l4(b)
        for di, d in enumerate(m.DEMI_JOURNEES, start=1):
            r = base.l2(b, di)
            f.cell(r, 1).value = f'=IF($Q${r4}="{m.TYPE_BLOC_PRATICIEN}",$A${r4},"")'
            texte(f.cell(r, 2), d.libelle)
            act, tps = L(d.colonne_act), L(d.colonne_act + 1)
            for i in range(1, base.activites + 1):
                entete_ = f"{L(2 + i)}${base.t2}"
                somme = _somme_des_durees(
                    f"{T}!${act}${{l1}}:${act}${{l5}}", entete_, f"{T}!${tps}${{l1}}:${tps}${{l5}}"
                )
                c = f.cell(r, 2 + i)
                c.value = f'=IF(OR($A{r}="",LEFT({entete_},6)="(vide "),0,{_somme_semaines(somme, b, base)})'
                _calcule(c, DUREE)
            tot = f.cell(r, 3 + base.activites)
            tot.value = f"=SUM({L(3)}{r}:{L(2 + base.activites)}{r})"
            _calcule(tot, DUREE)
            _calcule(f.cell(r, 1))
            _calcule(f.cell(r, 2))
    del an


# 3 Ressources (tableau de bord) ---------------------------------------------------------------

COLONNE_SELECTION = 22
"""V : le début des plages « Sélection » (table 7) de « 8 Ressources base »."""


def _tableau_de_bord(f: Worksheet, base: Base, feuille_base: FeuilleBrute) -> None:
    """Les deux sélecteurs, les tables lues par les graphiques (7. Sélection, dans « 8 Ressources
    base »), les graphiques et les phrases de lecture."""
    f["A1"] = "Malcom — 3 Ressources : l'emploi des ressources médicales"
    f["A1"].font = POLICE_TITRE
    texte(
        f["A2"], "Choisissez un praticien et une activité : graphiques et phrases suivent."
    ).font = POLICE_NOTE
    texte(f["A4"], "Praticien").font = POLICE_GRAS
    texte(f["A5"], "Activité").font = POLICE_GRAS
    f["B4"] = '=IFERROR(INDEX(malcom_praticiens,1),"")'
    f["B5"] = m.ACTIVITES_MODELE[0][0]
    for ref in ("B4", "B5"):
        _saisie(f[ref])
        f[ref].font = Font(name="Calibri", size=12, bold=True)
    _validation(
        f,
        "B4",
        type_="list",
        formule1="malcom_praticiens",
        titre="Praticien",
        invite="Le praticien dont les graphiques et les phrases parlent.",
        erreur="Choisissez un praticien.",
    )
    _validation(
        f,
        "B5",
        type_="list",
        formule1="malcom_activites",
        titre="Activité",
        invite="L'activité dont les graphiques et les phrases parlent.",
        erreur="Choisissez une activité.",
    )
    f.column_dimensions["A"].width = 18
    f.column_dimensions["B"].width = 28
    for col in range(3, 26):
        f.column_dimensions[L(col)].width = 11
    sel = _selection(feuille_base, base)
    _panneaux(f, base, sel)
    f.protection.sheet = True
    f.sheet_view.showGridLines = False


@dataclass(frozen=True)
class Selection:
    """Les lignes de la table 7 (« Sélection ») de « 8 Ressources base »."""

    debut: int
    blocs: int
    activites: int

    @property
    def donut_praticien(self) -> int:
        return self.debut + 2

    @property
    def donut_activite(self) -> int:
        return self.debut + 7

    @property
    def par_activite(self) -> int:
        """Part du temps du praticien par activité (une ligne par activité)."""
        return self.debut + 12

    @property
    def demi_journees(self) -> int:
        return self.par_activite + self.activites + 2

    @property
    def potentiels(self) -> int:
        return self.demi_journees + len(m.DEMI_JOURNEES) + 2

    @property
    def orientations(self) -> int:
        return self.potentiels + self.blocs + 2

    @property
    def pds(self) -> int:
        return self.orientations + self.activites + 2


def _selection(f: Worksheet, base: Base) -> Selection:
    sel = Selection(base.t7, base.blocs, base.activites)
    _titre_table(f, sel.debut, "7. Sélection (lue par les graphiques de 3 Ressources)")
    p, a = f"{R}!$B$4", f"{R}!$B$5"
    an = m.PREMIERE_ACTIVITE + base.activites - 1
    ident = f'IFERROR(INDEX({A}!$B${m.PREMIERE_ACTIVITE}:$B${an},MATCH({a},{A}!$A${m.PREMIERE_ACTIVITE}:$A${an},0)),"")'
    entetes(f, sel.debut, ("Sélection", "Valeur"))
    texte(f.cell(sel.debut + 1, 1), "Id de l'activité")
    f.cell(sel.debut + 1, 2).value = f"={ident}"
    i = f"$B${sel.debut + 1}"
    z_pa = f"SUMIFS({base.col1(10)},{base.col1(1)},{p},{base.col1(5)},{i})"
    z_p = f"SUMIFS({base.col1(10)},{base.col1(1)},{p})"
    z_a = f"SUMIFS({base.col1(10)},{base.col1(5)},{i})"
    zt = f"$B${base.ligne_total_redresse}"
    lignes = (
        (sel.donut_praticien, f'={p}&" : "&{a}', f"={z_pa}"),
        (sel.donut_praticien + 1, f'={p}&", autres activités"', f"={z_p}-{z_pa}"),
        (sel.donut_praticien + 2, '="Les autres praticiens"', f"={zt}-{z_p}"),
        (sel.donut_activite, f'={a}&" par "&{p}', f"={z_pa}"),
        (sel.donut_activite + 1, f'={a}&" par les autres"', f"={z_a}-{z_pa}"),
        (sel.donut_activite + 2, '="Autres activités"', f"={zt}-{z_a}"),
    )
    for ligne, libelle, valeur in lignes:
        f.cell(ligne, 1).value = libelle
        f.cell(ligne, 2).value = valeur
        f.cell(ligne, 2).number_format = DUREE
    # Part du temps du praticien par activité.
    entetes(f, sel.par_activite - 1, ("Activité", "Part du temps"))
    for k in range(1, base.activites + 1):
        r = sel.par_activite + k - 1
        r5 = base.l5(k)
        f.cell(r, 1).value = f"=$A${r5}"
        f.cell(
            r, 2
        ).value = f'=IF($B${r5}="","",IF({z_p}>0,SUMIFS({base.col1(10)},{base.col1(1)},{p},{base.col1(5)},$B${r5})/{z_p},0))'
        f.cell(r, 2).number_format = POURCENT
    # ½ journées : le praticien sur l'activité, ses autres activités ; l'activité par le praticien, par les autres.
    entetes(
        f,
        sel.demi_journees - 1,
        (
            "½ journée",
            "Activité (praticien)",
            "Autres activités (praticien)",
            "Effectué par le praticien",
            "Effectué par les autres praticiens",
        ),
    )
    valeurs2 = f"{B}!$C${base.t2 + 1}:${L(2 + base.activites)}${base.t2 + base.blocs * len(m.DEMI_JOURNEES)}"
    entetes2 = f"{B}!$C${base.t2}:${L(2 + base.activites)}${base.t2}"
    praticiens2 = base.plage(1, base.t2 + 1, base.t2 + base.blocs * len(m.DEMI_JOURNEES))
    demi2 = base.plage(2, base.t2 + 1, base.t2 + base.blocs * len(m.DEMI_JOURNEES))
    totaux2 = base.plage(3 + base.activites, base.t2 + 1, base.t2 + base.blocs * len(m.DEMI_JOURNEES))
    colonne_a = f"INDEX({valeurs2},0,MATCH({i},{entetes2},0))"
    for di, d in enumerate(m.DEMI_JOURNEES):
        r = sel.demi_journees + di
        texte(f.cell(r, 1), d.libelle)
        f.cell(r, 2).value = f"=IFERROR(SUMIFS({colonne_a},{praticiens2},{p},{demi2},$A{r}),0)"
        f.cell(r, 3).value = f"=SUMIFS({totaux2},{praticiens2},{p},{demi2},$A{r})-B{r}"
        f.cell(r, 4).value = f"=B{r}"
        f.cell(r, 5).value = f"=IFERROR(SUMIFS({colonne_a},{demi2},$A{r}),0)-B{r}"
        for c in range(2, 6):
            f.cell(r, c).number_format = DUREE
    n = len(m.DEMI_JOURNEES)
    premiere, derniere = sel.demi_journees, sel.demi_journees + n - 1
    entetes(f, premiere - 1, ("Retenue (praticien)", "Rang", "Retenue (activité)", "Rang"), colonne=6)
    for r in range(premiere, derniere + 1):
        for col_v, col_i, valeur in ((2, 6, f"$B{r}"), (4, 8, f"($D{r}+$E{r})")):
            if col_v == 2:
                plage_v = f"$B${premiere}:$B${derniere}"
            else:
                plage_v = f"($D${premiere}:$D${derniere}+$E${premiere}:$E${derniere})"
            plage_i = f"${L(col_i)}${premiere}:${L(col_i)}${derniere}"
            f.cell(
                r, col_i
            ).value = f"=IF(AND({valeur}>0,SUMPRODUCT(({plage_v}>{valeur})*{plage_v})<0.5*SUMPRODUCT({plage_v})),1,0)"
            f.cell(r, col_i + 1).value = (
                f"=IF({L(col_i)}{r}=1,1+SUMPRODUCT({plage_i}*({plage_v}>{valeur}))"
                f'+SUMPRODUCT({plage_i}*({plage_v}={valeur})*(ROW({plage_i})<ROW())),"")'
            )
    for col_r in (7, 9):
        plage_r = f"${L(col_r)}${premiere}:${L(col_r)}${derniere}"
        nombre = f"COUNT({plage_r})"
        morceaux = []
        for k in range(1, n + 1):
            libelle = f'IFERROR(INDEX($A${premiere}:$A${derniere},MATCH({k},{plage_r},0)),"")'
            morceaux.append(
                libelle if k == 1 else f'IF({nombre}>={k},IF({nombre}={k}," et ",", ")&{libelle},"")'
            )
        cellule = f.cell(derniere + 1, col_r)
        cellule.value = "=" + "&".join(morceaux)
    # Potentiels de l'activité par praticien (noms sans trous).
    entetes(f, sel.potentiels - 1, ("Praticien", "Potentiel"))
    for k in range(1, base.blocs + 1):
        r = sel.potentiels + k - 1
        f.cell(r, 1).value = f'=IFERROR(INDEX({base.col4(1)},MATCH({k},{base.col4(AIDE_RANG)},0)),"")'
        f.cell(
            r, 2
        ).value = f'=IF(OR($A{r}="",{i}=""),"",IFERROR(SUMIFS({base.col1(12)},{base.col1(1)},$A{r},{base.col1(5)},{i}),0))'
        f.cell(r, 2).number_format = ENTIER
    # Orientations : l'écart relatif des activités qui ont un objectif.
    entetes(f, sel.orientations - 1, ("Activité", "Écart relatif"))
    for k in range(1, base.activites + 1):
        r, r5 = sel.orientations + k - 1, base.l5(k)
        f.cell(r, 1).value = f'=IF(ISNUMBER($K${r5}),$A${r5},"")'
        f.cell(r, 2).value = f'=IF(ISNUMBER($K${r5}),$K${r5},"")'
        f.cell(r, 2).number_format = POURCENT
    # PDS par mois du praticien : 3 types × 7 catégories.
    f.cell(sel.pds - 1, 1).value = "PDS / mois"
    entetes(f, sel.pds - 1, [c.libelle for c in m.CATEGORIES], colonne=2)
    for k, t in enumerate(m.TYPES_PDS):
        r = sel.pds + k
        texte(f.cell(r, 1), t.ligne_tableau_de_bord)
        for j, cat in enumerate(m.CATEGORIES):
            c = f.cell(r, 2 + j)
            c.value = f'=SUMIFS({base.col3(10)},{base.col3(1)},{p},{base.col3(3)},"{t.id}",{base.col3(5)},"{cat.libelle}")'
            c.number_format = "0.0"
    return sel


def _fr_nombre(expression: str, chiffres: int) -> str:
    """Une formule qui écrit ``expression`` (≥ 0) en français : virgule décimale, espace fine entre
    les milliers (jusqu'à 999 999 999), sans passer par la conversion du tableur."""
    arrondi = f"ROUND({expression},{chiffres})"
    entier = f"INT({arrondi})"
    milliers = (
        f'IF({entier}>=1000000,INT({entier}/1000000)&"{ESPACE_FINE}"&RIGHT("00"&INT(MOD({entier},1000000)/1000),3)'
        f'&"{ESPACE_FINE}"&RIGHT("00"&MOD({entier},1000),3),IF({entier}>=1000,INT({entier}/1000)&"{ESPACE_FINE}"'
        f'&RIGHT("00"&MOD({entier},1000),3),{entier}&""))'
    )
    if chiffres == 0:
        return milliers
    return f'{milliers}&","&RIGHT("{"0" * chiffres}"&ROUND(({arrondi}-{entier})*{10**chiffres},0),{chiffres})'


def _fr_pourcent(expression: str, signe: bool = False) -> str:
    """« 39 % » (ou « +10 % », « −2 % ») à partir d'une fraction."""
    valeur = f"ROUND(({expression})*100,0)"
    corps = f'ABS({valeur})&"{ESPACE_FINE}%"'
    if not signe:
        return f'{valeur}&"{ESPACE_FINE}%"'
    return f'IF({valeur}>0,"+",IF({valeur}<0,"{MOINS}",""))&{corps}'


def _panneaux(f: Worksheet, base: Base, sel: Selection) -> None:
    p, a = "$B$4", "$B$5"
    i = f"{B}!$B${sel.debut + 1}"
    zt = f"{B}!$B${base.ligne_total_redresse}"
    z_pa = f"{B}!$B${sel.donut_praticien}"
    z_p_autres = f"{B}!$B${sel.donut_praticien + 1}"
    z_a_autres = f"{B}!$B${sel.donut_activite + 1}"
    z_p = f"({z_pa}+{z_p_autres})"
    z_a = f"({z_pa}+{z_a_autres})"
    lignes_demi = range(sel.demi_journees, sel.demi_journees + len(m.DEMI_JOURNEES))
    h_a = [f"({B}!$D${r}+{B}!$E${r})" for r in lignes_demi]
    apres = sel.demi_journees + len(m.DEMI_JOURNEES)
    liste_p, liste_a = f"{B}!$G${apres}", f"{B}!$I${apres}"
    ligne5 = f"MATCH({i},{base.plage(2, base.t5 + 1, base.t5 + base.activites)},0)"

    def de_t5(colonne: int) -> str:
        return f"INDEX({base.plage(colonne, base.t5 + 1, base.t5 + base.activites)},{ligne5})"

    ligne = 8
    phrases = [
        (
            "Les potentiels par praticien",
            [
                f'=IF(OR({p}="",{zt}=0),"",{p}&" représente "&{_fr_pourcent(f"{z_p}/{zt}")}&" du temps du service, '
                f'décomposé en "&{_fr_pourcent(f"{z_pa}/{zt}")}&" pour "&{a}&" et "&{_fr_pourcent(f"{z_p_autres}/{zt}")}'
                f'&" pour ses autres activités.")',
                f'=IF(OR({p}="",{z_p}=0),"",{p}&" consacre "&{_fr_pourcent(f"{z_pa}/{z_p}")}&" de son temps à "&{a}'
                f'&IF({z_pa}>0,", majoritairement "&{liste_p},"")&".")',
                f'=IFERROR(IF(OR({p}="",NOT(ISNUMBER({de_t5(8)}))),"",{p}&" peut potentiellement réaliser "&'
                f'{_fr_nombre(f"SUMIFS({base.col1(12)},{base.col1(1)},{p},{base.col1(5)},{i})", 0)}&" "&{de_t5(3)}&" par an."),"")',
            ],
        ),
        (
            "Les potentiels par activité",
            [
                f'=IF(OR({a}="",{zt}=0),"",{a}&" représente "&{_fr_pourcent(f"{z_a}/{zt}")}&" du temps du service, '
                f'décomposé en "&{_fr_pourcent(f"{z_pa}/{zt}")}&" pour "&{p}&" et "&{_fr_pourcent(f"{z_a_autres}/{zt}")}'
                f'&" pour les autres praticiens.")',
                f'=IF(OR({a}="",({"+".join(h_a)})=0),"","Le temps de "&{a}&" est majoritairement "&'
                f'{liste_a}&".")',
            ],
        ),
    ]
    graphiques_par_panneau = {
        "Les potentiels par praticien": [
            _donut("Le temps médical du service", base, sel.donut_praticien),
            _barres_simples(
                "Le temps du praticien (part par activité)", sel.par_activite, base.activites, POURCENT
            ),
            _empile(
                "Le temps du praticien consacré à l'activité (semaine type)",
                sel.demi_journees,
                (2, "Activité choisie"),
                (3, "Autres activités"),
            ),
        ],
        "Les potentiels par activité": [
            _donut("Le temps médical du service", base, sel.donut_activite),
            _empile(
                "Le temps de l'activité (semaine type)",
                sel.demi_journees,
                (4, "Effectué par le praticien"),
                (5, "Effectué par les autres praticiens"),
            ),
            _barres_simples("L'activité par praticien (potentiel / an)", sel.potentiels, base.blocs, ENTIER),
        ],
    }
    for titre_panneau, formules in phrases:
        texte(f.cell(ligne, 1), titre_panneau).font = POLICE_SECTION
        ligne += 1
        for k, graphique in enumerate(graphiques_par_panneau[titre_panneau]):
            f.add_chart(graphique, f"{('A', 'E', 'K')[k]}{ligne}")
        ligne += 18
        texte(f.cell(ligne, 1), "Exemple de lecture").font = POLICE_GRAS
        for formule in formules:
            ligne += 1
            f.cell(ligne, 1).value = formule
            f.cell(ligne, 1).alignment = Alignment(vertical="top")
        ligne += 3
    # Orientations.
    texte(f.cell(ligne, 1), "Les orientations à prendre pour atteindre les objectifs").font = POLICE_SECTION
    ligne += 1
    graphique = _barres_simples(
        "Écart relatif du potentiel à l'objectif", sel.orientations, base.activites, POURCENT, horizontal=True
    )
    f.add_chart(graphique, f"A{ligne}")
    haut = ligne
    entetes(
        f,
        haut,
        (
            "Activité",
            "Potentiel",
            "Objectif annuel",
            "Marqueur",
            "Écart",
            "Orientation",
            "Heures / semaine à ajuster",
        ),
        colonne=10,
    )
    f.row_dimensions[haut].height = 45
    for k in range(1, base.activites + 1):
        r, r5 = haut + k, base.l5(k)
        cle = f"ISNUMBER({B}!$K${r5})"
        valeurs = (
            (1, None),
            (8, ENTIER),
            (9, ENTIER),
            (3, None),
            (10, "+#,##0;-#,##0;0"),
            (12, None),
            (13, ECART_HEURES),
        )
        for j, (col, format_) in enumerate(valeurs):
            c = f.cell(r, 10 + j)
            c.value = f'=IF({cle},{B}!${L(col)}${r5},"")'
            if format_:
                c.number_format = format_
    ligne = max(ligne + 18, haut + base.activites + 2)
    texte(f.cell(ligne, 1), "Exemple de lecture").font = POLICE_GRAS
    for k in range(1, base.activites + 1):
        r5 = base.l5(k)
        ligne += 1
        lib, pot, obj, mar, eps, ori = (f"{B}!${c}${r5}" for c in ("A", "H", "I", "C", "K", "L"))
        e = _fr_pourcent(eps, signe=True)
        f.cell(ligne, 1).value = (
            f'=IF({ori}="insuffisant","Le temps alloué à "&{lib}&" semble insuffisant pour réaliser les objectifs ("'
            f'&{_fr_nombre(pot, 0)}&" "&{mar}&" pour un objectif de "&{_fr_nombre(obj, 0)}&", "&{e}&").",'
            f'IF({ori}="adequat",{lib}&" : potentiel en adéquation avec l\'objectif ("&{e}&").",'
            f'IF({ori}="marge",{lib}&" dispose d\'une marge notable ("&{e}&") : du temps pourrait être réalloué à '
            f'd\'autres activités.","")))'
        )
    ligne += 3
    # PDS.
    texte(f.cell(ligne, 1), "La participation à la permanence des soins").font = POLICE_SECTION
    ligne += 1
    f.cell(ligne, 1).value = f'="PDS par mois de "&{p}'
    entetes(f, ligne, [c.libelle for c in m.CATEGORIES], colonne=2)
    f.row_dimensions[ligne].height = 45
    for k, t in enumerate(m.TYPES_PDS):
        r = ligne + 1 + k
        texte(f.cell(r, 1), t.ligne_tableau_de_bord).font = POLICE_GRAS
        for j in range(len(m.CATEGORIES)):
            c = f.cell(r, 2 + j)
            c.value = f"={B}!{L(2 + j)}{sel.pds + k}"
            c.number_format = "0.0"
            c.border = BORDURE
    ligne += 5
    f.add_chart(_pds(sel), f"A{ligne}")
    ligne += 18
    texte(f.cell(ligne, 1), "Exemple de lecture").font = POLICE_GRAS
    ligne += 1
    gardes = f'SUMIFS({base.col3(9)},{base.col3(1)},{p},{base.col3(3)},"Ga")'
    creneaux = f'COUNTIFS({base.col3(1)},{p},{base.col3(3)},"Ga",{base.col3(9)},">0")'
    f.cell(ligne, 1).value = (
        f'=IF({p}="","",IF({creneaux}=0,{p}&" n\'assure pas de garde.","En moyenne, "&{p}&" devra assumer "&'
        f'{_fr_nombre(f"{gardes}/12/{creneaux}", 1)}&" garde(s) par mois sur chacun de ses "&{creneaux}&'
        f'" créneaux de garde."))'
    )
    f.print_area = f"A1:Q{ligne + 1}"
    mise_en_page(f, paysage=True)


def _donut(titre: str, base: Base, ligne: int) -> DoughnutChart:
    g = DoughnutChart()
    g.title = titre
    valeurs = Reference(range_string=f"{B}!$B${ligne}:$B${ligne + 2}")
    categories = Reference(range_string=f"{B}!$A${ligne}:$A${ligne + 2}")
    g.add_data(valeurs, titles_from_data=False)
    g.set_categories(categories)
    g.holeSize = 50
    g.dataLabels = DataLabelList()
    g.dataLabels.showPercent = True
    g.dataLabels.showVal = False
    g.dataLabels.showCatName = False
    g.dataLabels.showSerName = False
    g.dataLabels.showLeaderLines = False
    g.legend.position = "b"
    g.width, g.height = 12, 8.5
    return g


def _barres_simples(titre: str, debut: int, n: int, format_: str, horizontal: bool = True) -> BarChart:
    categories = Reference(range_string=f"{B}!$A${debut}:$A${debut + n - 1}")
    valeurs = Reference(range_string=f"{B}!$B${debut}:$B${debut + n - 1}")
    g = graphiques.barres_classees(titre, categories, valeurs, titre_valeurs="", format_valeurs=format_)
    if not horizontal:
        g.type = "col"
    g.y_axis.scaling.min = None
    g.width, g.height = 12, 8.5
    return g


def _empile(titre: str, debut: int, *series: tuple[int, str]) -> BarChart:
    n = len(m.DEMI_JOURNEES)
    categories = Reference(range_string=f"{B}!$A${debut}:$A${debut + n - 1}")
    g = graphiques.colonnes(
        titre,
        categories,
        [
            (Reference(range_string=f"{B}!${L(c)}${debut}:${L(c)}${debut + n - 1}"), libelle)
            for c, libelle in series
        ],
        titre_categories="",
        titre_valeurs="heures (semaine type)",
        format_valeurs=DUREE,
        rotation=-45,
        empile=True,
    )
    g.y_axis.majorUnit = 1 / 24
    g.width, g.height = 12, 8.5
    return g


def _pds(sel: Selection) -> BarChart:
    n = len(m.CATEGORIES)
    categories = Reference(range_string=f"{B}!$B${sel.pds - 1}:${L(1 + n)}${sel.pds - 1}")
    g = BarChart()
    g.type = "col"
    g.title = "PDS par mois"
    for k, t in enumerate(m.TYPES_PDS):
        valeurs = Reference(range_string=f"{B}!$B${sel.pds + k}:${L(1 + n)}${sel.pds + k}")
        serie = Series(valeurs, title=t.ligne_tableau_de_bord)
        couleur = couleurs.SERIES[k % len(couleurs.SERIES)]
        serie.graphicalProperties.solidFill = couleur
        serie.graphicalProperties.line.solidFill = couleur
        g.series.append(serie)
    g.set_categories(categories)
    g.y_axis.number_format = "0.0"
    g.y_axis.title = "par mois"
    g.legend.position = "b"
    g.y_axis.delete = False
    g.x_axis.delete = False
    g.width, g.height = 18, 8.5
    return g


# Mode d'emploi, métadonnées, noms ---------------------------------------------------------

MODE_D_EMPLOI = (
    (
        "Malcom — Management de l'Activité en Lien avec la Contractualisation de l'Organisation Médicale",
        "titre",
    ),
    (
        "Ce classeur modélise la semaine type du service : qui fait quelle activité sur chaque ½ journée, et qui "
        "assure la permanence des soins (gardes et astreintes). Il en déduit, pour une année d'obligations de "
        "service, les heures de chaque activité par praticien, corrigées de la récupération des gardes (heures "
        "redressées), puis les potentiels de production comparés aux objectifs annuels.",
        "texte",
    ),
    ("1. L'activité médicale — onglet 1 Activités", "section"),
    (
        "Listez les types d'activité (un libellé complet et un Id court), leur marqueur (« actes », "
        "« consultations »), le temps alloué (1 praticien réalise [Quantité] [Marqueur] en [Durée]) et l'objectif "
        "annuel. Une activité sans temps alloué (Salle, Staff…) garde ses heures mais n'a pas de potentiel.",
        "texte",
    ),
    ("2. Le tableau de service — onglet 2 Tableau", "section"),
    (
        "Un bloc de 5 lignes par praticien : sur chaque ½ journée, jusqu'à 5 activités (Act : l'Id ; Tps : la durée "
        "h:mm) ; dans les colonnes Soirée, Nuit profonde, samedi et dimanche, les PDS déjà affectées (Ga, AsOp, "
        "AsSec). Quotité « PDS » : le bloc est une ligne de garde ou d'astreinte du service, ventilée entre les "
        "praticiens qui participent (onglet 0 Paramétrage : répartition équitable ou au prorata des quotités). "
        "Périodes : A (régime de croisière, 1 ou 2 semaines types), B et C simulées par un taux d'activité.",
        "texte",
    ),
    ("3. L'emploi des ressources médicales — onglets 3 Ressources et 8 Ressources base", "section"),
    (
        "8 Ressources base donne tous les chiffres ; 3 Ressources les montre pour le praticien et l'activité choisis "
        "en haut : temps du service (anneau), temps du praticien par activité, répartition sur les ½ journées, "
        "potentiels par praticien, orientations (écart relatif du potentiel à l'objectif : insuffisant sous 0 %, en "
        "adéquation jusqu'au seuil de marge, marge notable au-delà), et participation à la PDS (par mois).",
        "texte",
    ),
    ("Définitions", "section"),
    (
        "Heures annuelles = heures de la semaine type × (semaines A + semaines B × taux B + semaines C × taux C). "
        "Heures redressées = heures annuelles × (1 − récupération / heures annuelles). Potentiel = heures redressées "
        "× Quantité / Durée. Une PDS par cellule et par semaine ; une année de PDS compte A + B + C semaines.",
        "texte",
    ),
    (
        "Vérifier et calculer hors du tableur : coaching-xl malcom check malcom.xlsx ; coaching-xl malcom compute "
        "malcom.xlsx (écrit les feuilles « Malcom résultats » et « Malcom anomalies » dans ce classeur).",
        "texte",
    ),
)


def _mode_d_emploi(f: Worksheet) -> None:
    polices = {"titre": POLICE_TITRE, "section": POLICE_SECTION, "texte": Font(name="Calibri", size=11)}
    ligne = 1
    for contenu, genre in MODE_D_EMPLOI:
        c = texte(f.cell(ligne, 1), contenu)
        c.font = polices[genre]
        c.alignment = ALIGNEMENT_TEXTE
        if genre == "texte":
            f.row_dimensions[ligne].height = 15 * (len(contenu) // 110 + 1) + 4
        ligne += 2 if genre == "texte" else 1
    f.column_dimensions["A"].width = 120


def _meta(f: Worksheet) -> None:
    for ligne, (cle, valeur) in enumerate(
        (
            ("Modèle", m.MODELE),
            ("Version du modèle", m.VERSION_MODELE),
            ("Générateur", f"coaching-xl {version()}"),
        ),
        start=1,
    ):
        texte(f.cell(ligne, 1), cle)
        f.cell(ligne, 2).value = valeur
    f.sheet_state = "hidden"


def _noms(classeur, base: Base) -> None:
    noms = {p.nom_defini: f"{P}!$B${p.ligne}" for p in m.PARAMETRES}
    premiere = m.LIGNE_ENTETE_RECUPERATION + 1
    noms[m.NOM_RECUPERATION] = f"{P}!$C${premiere}:$E${premiere + len(m.CRENEAUX) - 1}"
    for nom in m.LISTES_FIXES:
        noms[nom] = _plage_liste(nom)
    cellules_periodes = {
        "semaines_A": "B5",
        "semaines_B": "B6",
        "semaines_C": "B7",
        "taux_B": "C6",
        "taux_C": "C7",
        "semaines_types": "D5",
    }
    for cle, ref in cellules_periodes.items():
        col, ligne = ref[0], ref[1:]
        noms[m.NOMS_PERIODES[cle]] = f"{T}!${col}${ligne}"
    a1, an = m.PREMIERE_ACTIVITE, m.PREMIERE_ACTIVITE + base.activites - 1
    compte = f"MAX(1,SUMPRODUCT(--(LEN(TRIM({A}!$B${a1}:$B${an}))>0)))"
    noms["malcom_ids"] = f"OFFSET({A}!${L(COLONNE_IDS)}${a1},0,0,{compte},1)"
    noms["malcom_activites"] = f"OFFSET({A}!${L(COLONNE_LIBELLES)}${a1},0,0,{compte},1)"
    noms["malcom_praticiens"] = (
        f"OFFSET({B}!$A${_debut_potentiels(base)},0,0,"
        f'MAX(1,COUNTIF({base.col4(AIDE_TYPE)},"{m.TYPE_BLOC_PRATICIEN}")),1)'
    )
    for nom, reference in noms.items():
        classeur.defined_names[nom] = DefinedName(nom, attr_text=reference)


def _debut_potentiels(base: Base) -> int:
    return Selection(base.t7, base.blocs, base.activites).potentiels
