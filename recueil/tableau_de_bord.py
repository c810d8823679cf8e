"""La feuille « Tableau de bord » : les indicateurs de SPEC §3 en formules Excel vivantes.

Chaque formule est dérivée des déclarations de ``recueil.schema`` (types au numérateur et au
dénominateur, colonne et types d'un délai, tranches) : le tableau de bord et le moteur
calculent donc la même chose à partir d'une seule définition. Aucune macro : Excel et
LibreOffice recalculent à chaque saisie.

Pour que le recalcul suive à 50 000 lignes, chaque ligne n'est lue qu'une fois. Une feuille
masquée, « Calculs », donne à chaque ligne préparée son type (1, 2, 3 dans l'ordre de
``schema.TYPES_RDV``, 0 sinon) et sa semaine, en deux formules partagées ; trois FREQUENCY (une
formule matricielle chacune) en tirent, en une passe, le nombre de lignes par semaine et par
type, et un histogramme de chaque délai par semaine, type et valeur (0 à 365 jours). Le tableau
ne fait ensuite que lire ces comptes : une semaine, c'est une tranche de quelques centaines de
cases, au lieu de dizaines de COUNTIFS qui reparcourent toute la feuille Recueil (mesuré avec
LibreOffice à 50 000 lignes : tests/benchmarks, « tableau de bord »).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from recueil import graphiques
from recueil import schema as s
from recueil.calendrier import Calendrier, lundi
from recueil.classeur import (
    BORDURE,
    FORMAT_DATE_COURTE,
    FORMAT_ENTIER,
    FORMAT_JOURS,
    FORMAT_POURCENT,
    POLICE_GRAS,
    POLICE_NOTE,
    POLICE_SECTION,
    REMPLISSAGE_CLAIR,
    entetes,
    mise_en_page,
    texte,
    titre,
)
from recueil.references import plage
from socle.francais import entier


def chaine(valeur: str) -> str:
    """Un texte en littéral de formule Excel (guillemets doublés)."""
    return '"' + valeur.replace('"', '""') + '"'


def si_non_vide(denominateur: str, quotient: str) -> str:
    """Un rapport vide (et non 0 ni une erreur) quand son dénominateur est nul."""
    return f'=IF({denominateur}=0,"",{quotient})'


# --- La feuille Calculs : une lecture de chaque ligne, trois histogrammes ---------------------

VALEURS = s.DELAI_MAX + 1
"""Les valeurs d'un délai valide (0 à 365 jours) : la largeur d'un bloc d'histogramme."""
CODE_TYPE = {t.code: rang for rang, t in enumerate(s.TYPES_RDV, start=1)}
"""Code de type (« H »…) → son code dans la feuille Calculs (0 : vide ou inconnu)."""
TYPES_PAR_SEMAINE = len(s.TYPES_RDV) + 1
LIGNE_DONNEES_CALCULS = s.PREMIERE_LIGNE
"""Les colonnes par ligne de la feuille Calculs sont alignées sur celles du Recueil."""
LIGNES_TABLEAU_MAX = 100_000
"""Au-delà, le tableau de bord ne suit que les 100 000 premières lignes préparées (deux
formules par ligne dans la feuille Calculs : à un million de lignes, le classeur et chaque
recalcul deviendraient trop lourds) ; ``coaching-xl compute`` lit toujours tout."""
LUNDI = "T_Lundi"
"""Le lundi de la semaine du début du recueil (nom défini, cellule de la feuille Calculs)."""


@dataclass(frozen=True)
class Calculs:
    """La feuille Calculs d'une grille : ``lignes`` lignes préparées, ``semaines`` semaines au
    tableau (plus une case « hors semaines » pour les dates absentes, en texte ou hors tableau)."""

    lignes: int
    semaines: int

    @property
    def hors(self) -> int:
        return self.semaines

    @property
    def cases_types(self) -> int:
        return (self.semaines + 1) * TYPES_PAR_SEMAINE

    def cases_delai(self, delai: s.Delai) -> int:
        return (self.semaines + 1) * len(delai.types) * VALEURS

    @property
    def cases(self) -> int:
        return max(self.cases_types, *(self.cases_delai(d) for d in s.DELAIS))

    def plage(self, lettre: str, premiere: int, derniere: int) -> str:
        return plage(s.FEUILLE_CALCULS, lettre, premiere, derniere)


LETTRES_CALCULS = {
    "type": "A",
    "semaine": "B",
    "bornes": "C",
    "types": "D",
    "lundi": "H",
    "valeur": "I",
    "rang": "J",
}
LETTRES_HISTOGRAMMES = {d.cle: lettre for d, lettre in zip(s.DELAIS, ("E", "F"), strict=True)}
NOMS_CALCULS = {"type": "C_Type", "semaine": "C_Semaine"}


def _nom_histogramme(delai: s.Delai) -> str:
    return f"H_{delai.cle}"


def _nom_valeurs(delai: s.Delai) -> str:
    """Les délais des lignes préparées, bornés à ces lignes (une formule matricielle ne doit
    pas parcourir le million de lignes d'une colonne entière)."""
    return f"L_{delai.cle}"


def noms_calculs(calculs: Calculs) -> dict[str, str]:
    """Les noms définis de la feuille Calculs : colonnes par ligne, bornes, histogrammes."""
    fin = LIGNE_DONNEES_CALCULS + calculs.lignes - 1
    noms = {
        NOMS_CALCULS["type"]: calculs.plage("A", LIGNE_DONNEES_CALCULS, fin),
        NOMS_CALCULS["semaine"]: calculs.plage("B", LIGNE_DONNEES_CALCULS, fin),
        "C_Bornes": calculs.plage("C", 1, calculs.cases + 1),
        "C_BornesTypes": calculs.plage("C", 1, calculs.cases_types + 1),
        "C_Valeur": calculs.plage("I", 1, calculs.cases + 1),
        "C_Rang": calculs.plage("J", 1, calculs.cases + 1),
        "C_Types": calculs.plage("D", 1, calculs.cases_types + 2),
        LUNDI: plage(s.FEUILLE_CALCULS, LETTRES_CALCULS["lundi"], 1),
    }
    for d in s.DELAIS:
        lettre = s.COLONNES_PAR_CLE[d.colonne].lettre
        derniere = s.PREMIERE_LIGNE + calculs.lignes - 1
        noms[_nom_valeurs(d)] = plage(s.FEUILLE_RECUEIL, lettre, s.PREMIERE_LIGNE, derniere)
        noms[_nom_histogramme(d)] = calculs.plage(LETTRES_HISTOGRAMMES[d.cle], 1, calculs.cases_delai(d) + 2)
    return noms


def _semaine_bornee(calculs: Calculs) -> str:
    """La semaine de chaque ligne, déjà bornée par la feuille Calculs (0 à semaines − 1, ou la
    case « hors semaines »)."""
    return NOMS_CALCULS["semaine"]


def _formule_types(calculs: Calculs) -> str:
    return f"FREQUENCY({_semaine_bornee(calculs)}*{TYPES_PAR_SEMAINE}+{NOMS_CALCULS['type']},C_BornesTypes)"


def _formule_histogramme(calculs: Calculs, delai: s.Delai) -> str:
    """Clé = ((semaine × types du délai) + rang du type) × 366 + valeur, pour les lignes d'un
    type du délai dont la valeur est un délai valide (un nombre de 0 à 365) ; −1 sinon. Peu
    d'opérations par ligne : c'est ce que le tableur refait sur toutes les lignes à chaque saisie."""
    t, v = NOMS_CALCULS["type"], _nom_valeurs(delai)
    codes = [CODE_TYPE[code] for code in delai.types]
    if codes == list(range(codes[0], codes[0] + len(codes))):  # des codes qui se suivent
        rang = f"{t}-{codes[0]}"
        du_delai = f"({t}>={codes[0]})*({t}<={codes[-1]})"
    else:
        rang = "+".join(f"{i}*({t}={c})" for i, c in enumerate(codes) if i)
        du_delai = "(" + "+".join(f"({t}={c})" for c in codes) + ")"
    valide = f"{du_delai}*ISNUMBER({v})*({v}>={s.DELAI_MIN})*({v}<={s.DELAI_MAX})"
    cle = f"(({_semaine_bornee(calculs)}*{len(delai.types)}+{rang})*{VALEURS}+{v}+1)*{valide}-1"
    return f"FREQUENCY(IFERROR({cle},-1),C_Bornes)"


def feuille_calculs_xml(calculs: Calculs) -> str:
    """Le XML de la feuille Calculs : écrit directement (formules partagées) plutôt que cellule
    par cellule par openpyxl, qui y mettrait une seconde pour 50 000 lignes."""
    recueil = s.FEUILLE_RECUEIL
    type_ = s.COLONNES_PAR_CLE["type_rdv"].lettre
    date_ = s.COLONNES_PAR_CLE["date"].lettre
    r0 = LIGNE_DONNEES_CALCULS
    fin = r0 + calculs.lignes - 1
    formule_type = "+".join(
        f"{rang}*({recueil}!{type_}{r0}={chaine(t.libelle)})"
        for t, rang in ((t, CODE_TYPE[t.code]) for t in s.TYPES_RDV)
    )
    # Bornée ligne à ligne (MIN, IFERROR : calculés en série par le tableur) : une date vide, en
    # texte, avant le début ou après la dernière semaine va dans la case « hors semaines ».
    date_ligne = f"{recueil}!{date_}{r0}"
    hors = calculs.hors
    formule_semaine = f"IFERROR(MIN({hors},INT(({date_ligne}-{LUNDI})/7)+1E+6*({date_ligne}<{LUNDI})),{hors})"
    debut = s.PARAMETRES_PAR_CLE["date_debut"].nom_defini
    lignes: dict[int, list[str]] = {}
    for k in range(-1, calculs.cases):
        lignes.setdefault(k + 2, []).append(f'<c r="C{k + 2}"><v>{k}</v></c>')
    # La valeur (0 à 365) et le rang du type de chaque case d'un histogramme de délai : lus par
    # SUMIFS et SUMPRODUCT, plus vite qu'un MOD recalculé sur 25 000 cases.
    largeur = len(s.DELAIS[0].types)
    assert all(len(d.types) == largeur for d in s.DELAIS), "les histogrammes de délais ont la même forme"
    for k in range(0, calculs.cases):
        lignes[k + 2].append(
            f'<c r="I{k + 2}"><v>{k % VALEURS}</v></c><c r="J{k + 2}"><v>{(k // VALEURS) % largeur}</v></c>'
        )
    matrices = [("D", calculs.cases_types, _formule_types(calculs))]
    matrices += [
        (LETTRES_HISTOGRAMMES[d.cle], calculs.cases_delai(d), _formule_histogramme(calculs, d))
        for d in s.DELAIS
    ]
    for lettre, cases, formule in matrices:
        lignes[1].append(
            f'<c r="{lettre}1"><f t="array" ref="{lettre}1:{lettre}{cases + 2}">{escape(formule)}</f></c>'
        )
    lignes[1].append(f'<c r="H1" s="0"><f>{escape(f"{debut}-WEEKDAY({debut},2)+1")}</f></c>')
    for r in range(r0, fin + 1):
        if r == r0:
            cellules = [
                f'<c r="A{r}"><f t="shared" ref="A{r0}:A{fin}" si="0">{escape(formule_type)}</f></c>',
                f'<c r="B{r}"><f t="shared" ref="B{r0}:B{fin}" si="1">{escape(formule_semaine)}</f></c>',
            ]
        else:
            cellules = [f'<c r="A{r}"><f t="shared" si="0"/></c>', f'<c r="B{r}"><f t="shared" si="1"/></c>']
        lignes.setdefault(r, [])[:0] = cellules
    derniere = max(lignes)
    corps = "".join(f'<row r="{r}">{"".join(lignes[r])}</row>' for r in sorted(lignes))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetPr><tabColor rgb="FF808080"/></sheetPr><dimension ref="A1:J{derniere}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f"<sheetData>{corps}</sheetData></worksheet>"
    )


class Lecture:
    """Les formules qui lisent les histogrammes : pour la semaine d'indice ``semaine`` (0 à
    semaines − 1), ou pour l'ensemble du recueil (``semaine`` None : toutes les semaines et la
    case « hors »). Les cases d'une semaine sont à une place fixe de la feuille Calculs : chaque
    formule y renvoie directement, sans INDEX ni décalage à recalculer."""

    def __init__(self, calculs: Calculs, semaine: int | None) -> None:
        self.calculs, self.semaine = calculs, semaine

    def _plage(self, lettre: str, premiere: int, derniere: int) -> str:
        """Les cases des clés ``premiere`` à ``derniere`` (la clé k est en ligne k + 2)."""
        return self.calculs.plage(lettre, premiere + 2, derniere + 2)

    def compte(self, code: str) -> str:
        types = LETTRES_CALCULS["types"]
        if self.semaine is None:
            cles = range(CODE_TYPE[code], self.calculs.cases_types, TYPES_PAR_SEMAINE)
            cases, bornes = (
                self._plage(types, 0, self.calculs.cases_types - 1),
                self._plage(LETTRES_CALCULS["bornes"], 0, self.calculs.cases_types - 1),
            )
            return (
                f"SUMPRODUCT({cases},--(MOD({bornes},{TYPES_PAR_SEMAINE})={CODE_TYPE[code]}))"
                if len(cles)
                else "0"
            )
        cle = self.semaine * TYPES_PAR_SEMAINE + CODE_TYPE[code]
        return self._plage(types, cle, cle).split(":")[0]

    def _bornes(self, delai: s.Delai) -> tuple[int, int]:
        largeur = len(delai.types) * VALEURS
        if self.semaine is None:
            return 0, self.calculs.cases_delai(delai) - 1
        return self.semaine * largeur, self.semaine * largeur + largeur - 1

    def _bloc(self, delai: s.Delai, lettre: str | None = None) -> str:
        return self._plage(lettre or LETTRES_HISTOGRAMMES[delai.cle], *self._bornes(delai))

    def nombre(self, delai: s.Delai, minimum: int = s.DELAI_MIN, maximum: int | None = None,
               types: tuple[str, ...] | None = None) -> str:  # fmt: skip
        """Nombre de délais valides de ``delai`` entre ``minimum`` et ``maximum`` (les types du
        délai, ou seulement ``types``) : un SUMIFS sur les cases de l'histogramme."""
        conditions = []
        valeurs = self._bloc(delai, LETTRES_CALCULS["valeur"])
        if minimum > s.DELAI_MIN:
            conditions.append(f'{valeurs},">={minimum}"')
        if maximum is not None and maximum < s.DELAI_MAX:
            conditions.append(f'{valeurs},"<={maximum}"')
        if types is not None and set(types) != set(delai.types):
            rangs = [i for i, code in enumerate(delai.types) if code in types]
            if len(rangs) != 1:
                raise ValueError("un sous-ensemble d'un seul type")
            conditions.append(f"{self._bloc(delai, LETTRES_CALCULS['rang'])},{rangs[0]}")
        if not conditions:
            return f"SUM({self._bloc(delai)})"
        return f"SUMIFS({self._bloc(delai)},{','.join(conditions)})"

    def somme(self, delai: s.Delai) -> str:
        return f"SUMPRODUCT({self._bloc(delai)},{self._bloc(delai, LETTRES_CALCULS['valeur'])})"


@dataclass(frozen=True)
class _Col:
    """Une colonne du tableau par semaine : en-tête, format, visible ou réservée aux calculs."""

    cle: str
    entete: str
    format: str
    visible: bool = True


_COLONNES_SEMAINE: tuple[_Col, ...] = (
    _Col("semaine", "Semaine du", FORMAT_DATE_COURTE),
    *(_Col(t.code, t.libelle, FORMAT_ENTIER) for t in s.TYPES_RDV),
    _Col("total", "Total", FORMAT_ENTIER),
    *(_Col(t.cle, t.libelle, FORMAT_POURCENT) for t in s.TAUX),
    *(_Col(d.cle, d.libelle, FORMAT_JOURS) for d in s.DELAIS),
    *(_Col(f"{d.cle}_part", d.libelle_part, FORMAT_POURCENT) for d in s.DELAIS if d.seuil_part is not None),
)
_COLONNES_CALCUL: tuple[_Col, ...] = (
    *(
        c
        for d in s.DELAIS
        for c in (
            _Col(f"{d.cle}_n", f"Nombre de délais valides — {d.libelle}", FORMAT_ENTIER, False),
            _Col(f"{d.cle}_somme", f"Somme des délais — {d.libelle}", FORMAT_ENTIER, False),
        )
    ),
    *(
        _Col(
            f"{d.cle}_n_part",
            f"Nombre de délais ≤ {d.seuil_part} j — {d.libelle}",
            FORMAT_ENTIER,
            False,
        )
        for d in s.DELAIS
        if d.seuil_part is not None
    ),
    _Col("graphique_nh", s.TAUX_NON_HONORES.libelle, FORMAT_POURCENT, False),
    _Col("graphique_delai", s.DELAI_RDV.libelle, FORMAT_JOURS, False),
    _Col("etiquette", "Semaine (texte, pour l'axe des graphiques)", "General", False),
)
PREMIERE_COLONNE_CALCUL = 20
"""Les colonnes de calcul (masquées) commencent en T, loin du tableau et des graphiques."""


def _lettres() -> dict[str, str]:
    lettres = {c.cle: get_column_letter(i) for i, c in enumerate(_COLONNES_SEMAINE, start=1)}
    for i, c in enumerate(_COLONNES_CALCUL, start=PREMIERE_COLONNE_CALCUL):
        lettres[c.cle] = get_column_letter(i)
    return lettres


COLONNE = _lettres()
"""Clé de colonne (« H », « taux_programmes », « delai_rdv_n »…) → lettre dans la feuille."""


@dataclass(frozen=True)
class Disposition:
    """Où se trouve chaque bloc de la feuille (les tests et le moteur s'y retrouvent)."""

    ligne_synthese: int
    ligne_cr: int
    ligne_nh_tranches: int
    ligne_entete_semaines: int
    semaines: int

    @property
    def ligne_ensemble(self) -> int:
        return self.ligne_entete_semaines + 1

    @property
    def premiere_semaine(self) -> int:
        return self.ligne_entete_semaines + 2

    @property
    def derniere_semaine(self) -> int:
        return self.premiere_semaine + self.semaines - 1


def nombre_de_semaines(calendrier: Calendrier, marge: int = 4) -> int:
    """Assez de semaines pour couvrir le recueil proposé par le calendrier, plus une marge."""
    ecart = (calendrier.fin_recueil - lundi(calendrier.debut_recueil)).days
    return ecart // 7 + 1 + marge


def _ecrire_ligne_indicateurs(feuille: Worksheet, ligne: int, lecture: Lecture) -> None:
    """Une ligne du tableau par semaine (ou la ligne « Ensemble ») : comptes, taux, délais."""
    c = {cle: f"{lettre}{ligne}" for cle, lettre in COLONNE.items()}
    valeurs: dict[str, str] = {}
    for t in s.TYPES_RDV:
        valeurs[t.code] = "=" + lecture.compte(t.code)
    valeurs["total"] = "=" + "+".join(c[t.code] for t in s.TYPES_RDV)
    for taux in s.TAUX:
        numerateur = "+".join(c[code] for code in taux.numerateur)
        denominateur = "+".join(c[code] for code in taux.denominateur)
        valeurs[taux.cle] = si_non_vide(f"({denominateur})", f"({numerateur})/({denominateur})")
    for d in s.DELAIS:
        valeurs[f"{d.cle}_n"] = "=" + lecture.nombre(d)
        valeurs[f"{d.cle}_somme"] = "=" + lecture.somme(d)
        valeurs[d.cle] = si_non_vide(c[f"{d.cle}_n"], f"{c[f'{d.cle}_somme']}/{c[f'{d.cle}_n']}")
        if d.seuil_part is not None:
            valeurs[f"{d.cle}_n_part"] = "=" + lecture.nombre(d, maximum=d.seuil_part)
            valeurs[f"{d.cle}_part"] = si_non_vide(
                c[f"{d.cle}_n"], f"{c[f'{d.cle}_n_part']}/{c[f'{d.cle}_n']}"
            )
    valeurs["graphique_nh"] = f'=IF({c[s.TAUX_NON_HONORES.cle]}="",NA(),{c[s.TAUX_NON_HONORES.cle]})'
    valeurs["graphique_delai"] = f'=IF({c[s.DELAI_RDV.cle]}="",NA(),{c[s.DELAI_RDV.cle]})'
    semaine = c["semaine"]
    if lecture.semaine is not None:
        # Un texte « 06/09 », sans TEXT() dont les codes de format changent avec la langue.
        valeurs["etiquette"] = f'=RIGHT("0"&DAY({semaine}),2)&"/"&RIGHT("0"&MONTH({semaine}),2)'
    for col in (*_COLONNES_SEMAINE[1:], *_COLONNES_CALCUL):
        if col.cle not in valeurs:
            continue
        cellule = feuille[c[col.cle]]
        cellule.value = valeurs[col.cle]
        cellule.number_format = col.format
        if col.visible:
            cellule.border = BORDURE


def _ecrire_synthese(feuille: Worksheet, d: Disposition) -> None:
    """Le bloc du haut : les indicateurs sur tout le recueil, lus sur la ligne « Ensemble »."""
    texte(feuille.cell(d.ligne_synthese, 1), "Synthèse sur l'ensemble du recueil").font = POLICE_SECTION
    entetes(feuille, d.ligne_synthese + 1, ("Indicateur", "Valeur", "Calcul"))
    lignes = [
        *((f"RDV « {t.libelle} » ({t.code})", t.code, FORMAT_ENTIER, "") for t in s.TYPES_RDV),
        *((t.libelle, t.cle, FORMAT_POURCENT, t.formule) for t in s.TAUX),
        *((dl.libelle, dl.cle, FORMAT_JOURS, "moyenne des délais renseignés") for dl in s.DELAIS),
        *(
            (dl.libelle_part, f"{dl.cle}_part", FORMAT_POURCENT, f"délai ≤ {dl.seuil_part} jours")
            for dl in s.DELAIS
            if dl.seuil_part is not None
        ),
    ]
    for rang, (libelle, cle, fmt, calcul) in enumerate(lignes, start=d.ligne_synthese + 2):
        texte(feuille.cell(rang, 1), libelle).border = BORDURE
        valeur = feuille.cell(rang, 2, f"={COLONNE[cle]}{d.ligne_ensemble}")
        valeur.number_format = fmt
        valeur.font = POLICE_GRAS
        valeur.border = BORDURE
        texte(feuille.cell(rang, 3), calcul).font = POLICE_NOTE


def _ecrire_distribution_cr(feuille: Worksheet, d: Disposition, calculs: Calculs) -> tuple[int, int]:
    """La distribution des délais de compte-rendu par tranche ; renvoie ses lignes de données."""
    delai = s.DELAI_CR
    ensemble = Lecture(calculs, None)
    texte(feuille.cell(d.ligne_cr, 1), s.TITRE_GRAPHIQUE_CR).font = POLICE_SECTION
    entetes(feuille, d.ligne_cr + 1, ("Tranche", "Comptes-rendus", "Part"))
    premiere = d.ligne_cr + 2
    total = f"$B${premiere + len(s.TRANCHES_CR)}"
    for rang, tranche in enumerate(s.TRANCHES_CR, start=premiere):
        texte(feuille.cell(rang, 1), tranche.libelle).border = BORDURE
        n = feuille.cell(
            rang,
            2,
            "=" + ensemble.nombre(delai, tranche.minimum, tranche.maximum),
        )
        n.number_format = FORMAT_ENTIER
        part = feuille.cell(rang, 3, si_non_vide(total, f"B{rang}/{total}"))
        part.number_format = FORMAT_POURCENT
        n.border = part.border = BORDURE
    derniere = premiere + len(s.TRANCHES_CR) - 1
    texte(feuille.cell(derniere + 1, 1), "Total").font = POLICE_GRAS
    somme = feuille.cell(derniere + 1, 2, f"=SUM(B{premiere}:B{derniere})")
    somme.number_format = FORMAT_ENTIER
    somme.font = POLICE_GRAS
    return premiere, derniere


def _ecrire_nh_par_tranche(feuille: Worksheet, d: Disposition, calculs: Calculs) -> None:
    """Le taux de non-honorés selon le délai d'obtention du rendez-vous (analyse de SPEC §3)."""
    taux, delai = s.TAUX_NON_HONORES, s.DELAI_RDV
    ensemble = Lecture(calculs, None)
    texte(
        feuille.cell(d.ligne_nh_tranches, 1), "Non-honorés selon le délai d'obtention du RDV"
    ).font = POLICE_SECTION
    entetes(
        feuille,
        d.ligne_nh_tranches + 1,
        ("Délai d'obtention", "RDV programmés", "Non honorés", "Taux de non-honorés"),
    )
    for rang, tranche in enumerate(s.TRANCHES_DELAI_RDV, start=d.ligne_nh_tranches + 2):
        texte(feuille.cell(rang, 1), tranche.libelle).border = BORDURE
        den = feuille.cell(
            rang, 2, "=" + ensemble.nombre(delai, tranche.minimum, tranche.maximum, taux.denominateur)
        )
        num = feuille.cell(
            rang, 3, "=" + ensemble.nombre(delai, tranche.minimum, tranche.maximum, taux.numerateur)
        )
        rapport = feuille.cell(rang, 4, si_non_vide(f"B{rang}", f"C{rang}/B{rang}"))
        den.number_format = num.number_format = FORMAT_ENTIER
        rapport.number_format = FORMAT_POURCENT
        den.border = num.border = rapport.border = BORDURE


def _ecrire_semaines(feuille: Worksheet, d: Disposition, calculs: Calculs) -> None:
    """Le tableau par semaine ISO, de la semaine du début du recueil (Paramètres) à la dernière."""
    texte(feuille.cell(d.ligne_entete_semaines - 1, 1), "Indicateurs par semaine").font = POLICE_SECTION
    entetes(feuille, d.ligne_entete_semaines, (c.entete for c in _COLONNES_SEMAINE))
    for i, col in enumerate(_COLONNES_CALCUL, start=PREMIERE_COLONNE_CALCUL):
        texte(feuille.cell(d.ligne_entete_semaines, i), col.entete)
    ensemble = texte(feuille.cell(d.ligne_ensemble, 1), "Ensemble du recueil")
    _ecrire_ligne_indicateurs(feuille, d.ligne_ensemble, Lecture(calculs, None))
    for colonne in range(1, len(_COLONNES_SEMAINE) + 1):
        cellule = feuille.cell(d.ligne_ensemble, colonne)
        cellule.font = POLICE_GRAS
        cellule.fill = REMPLISSAGE_CLAIR
    ensemble.border = BORDURE
    debut = s.PARAMETRES_PAR_CLE["date_debut"].nom_defini
    for rang in range(d.premiere_semaine, d.derniere_semaine + 1):
        semaine = feuille.cell(rang, 1)
        semaine.value = f"={debut}-WEEKDAY({debut},2)+1" if rang == d.premiere_semaine else f"=A{rang - 1}+7"
        semaine.number_format = FORMAT_DATE_COURTE
        semaine.border = BORDURE
        _ecrire_ligne_indicateurs(feuille, rang, Lecture(calculs, rang - d.premiere_semaine))


def _graphique_nh_delais(d: Disposition) -> BarChart:
    """Colonnes : taux de non-honorés par semaine ; courbe (axe de droite) : délai moyen."""
    feuille = s.FEUILLE_TABLEAU_DE_BORD

    def colonne(cle: str) -> Reference:
        return graphiques.plage(feuille, COLONNE[cle], d.premiere_semaine, d.derniere_semaine)

    return graphiques.colonnes_et_courbe(
        s.TITRE_GRAPHIQUE_NH,
        colonne("etiquette"),
        (colonne("graphique_nh"), s.TAUX_NON_HONORES.libelle),
        (colonne("graphique_delai"), s.DELAI_RDV.libelle),
        titre_categories="Semaine du",
        titre_colonnes="Taux de non-honorés",
        titre_courbe="Délai moyen (jours)",
    )


def _graphique_cr(premiere: int, derniere: int) -> BarChart:
    """La distribution des délais de compte-rendu (part des comptes-rendus par tranche)."""
    feuille = s.FEUILLE_TABLEAU_DE_BORD
    return graphiques.colonnes(
        s.TITRE_GRAPHIQUE_CR,
        graphiques.plage(feuille, "A", premiere, derniere),
        [(graphiques.plage(feuille, "C", premiere, derniere), "Part des comptes-rendus")],
        titre_categories="Délai de compte-rendu",
        titre_valeurs="Part des comptes-rendus",
    )


DISPOSITION_FIXE = {
    "ligne_synthese": 5,
    "ligne_cr": 18,
    "ligne_nh_tranches": 28,
    "ligne_entete_semaines": 38,
}


def ecrire_tableau_de_bord(classeur: Workbook, calendrier: Calendrier, lignes: int) -> Disposition:
    """Ajoute la feuille « Tableau de bord » au classeur (et sa feuille Calculs, masquée, à la
    fin : son XML est dans ``classeur.feuilles_brutes``, que ``recueil.classeur.enregistrer``
    écrit) ; renvoie sa disposition. ``lignes`` : les lignes préparées du Recueil."""
    feuille = classeur.create_sheet(s.FEUILLE_TABLEAU_DE_BORD)
    disposition = Disposition(**DISPOSITION_FIXE, semaines=nombre_de_semaines(calendrier))
    calculs = Calculs(min(lignes, LIGNES_TABLEAU_MAX), disposition.semaines)
    titre(feuille, 1, "Tableau de bord — indicateurs du recueil")
    etablissement = s.PARAMETRES_PAR_CLE["etablissement"].nom_defini
    feuille["A2"] = (
        f'=IF({etablissement}="","Établissement : à renseigner dans la feuille Paramètres",{etablissement})'
    )
    feuille["A2"].font = POLICE_SECTION
    texte(
        feuille["A3"],
        (
            f"Calculé en direct à partir des {entier(calculs.lignes)} premières lignes de la feuille "
            "Recueil (libellés exacts, délais numériques de 0 à 365). Pour le contrôle de chaque "
            "cellule et toutes les répartitions : coaching-xl compute."
        ),
    ).font = POLICE_NOTE
    _ecrire_synthese(feuille, disposition)
    premiere_cr, derniere_cr = _ecrire_distribution_cr(feuille, disposition, calculs)
    _ecrire_nh_par_tranche(feuille, disposition, calculs)
    _ecrire_semaines(feuille, disposition, calculs)

    feuille.column_dimensions["A"].width = 40
    for i in range(2, len(_COLONNES_SEMAINE) + 1):
        feuille.column_dimensions[get_column_letter(i)].width = 13
    for ligne in (
        disposition.ligne_synthese + 1,
        disposition.ligne_cr + 1,
        disposition.ligne_nh_tranches + 1,
    ):
        feuille.row_dimensions[ligne].height = 30
    feuille.row_dimensions[disposition.ligne_entete_semaines].height = 58
    for i in range(PREMIERE_COLONNE_CALCUL, PREMIERE_COLONNE_CALCUL + len(_COLONNES_CALCUL)):
        feuille.column_dimensions[get_column_letter(i)].hidden = True
    graphique_nh = _graphique_nh_delais(disposition)
    graphique_nh.width, graphique_nh.height = 17.5, 8.5
    feuille.add_chart(graphique_nh, "F5")
    graphique_cr = _graphique_cr(premiere_cr, derniere_cr)
    graphique_cr.width, graphique_cr.height = 17.5, 8.5
    feuille.add_chart(graphique_cr, "F21")
    mise_en_page(feuille, paysage=False)
    for nom, reference in noms_calculs(calculs).items():
        classeur.defined_names[nom] = DefinedName(nom, attr_text=reference)
    classeur.feuilles_brutes = {s.FEUILLE_CALCULS: feuille_calculs_xml(calculs)}
    return disposition


def ajouter_feuille_calculs(classeur: Workbook) -> None:
    """La feuille Calculs, masquée, à la fin du classeur : sa place, que son XML remplira."""
    calculs = classeur.create_sheet(s.FEUILLE_CALCULS)
    calculs.sheet_state = "hidden"
