"""La feuille « Tableau de bord » : les indicateurs de SPEC §3 en formules Excel vivantes.

Chaque formule est dérivée des déclarations de ``recueil.schema`` (types au numérateur et au
dénominateur, colonne et types d'un délai, tranches) : le tableau de bord et le moteur
calculent donc la même chose à partir d'une seule définition. Aucune macro : Excel et
LibreOffice recalculent à chaque saisie.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
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

Filtre = tuple[str, str]
"""(plage nommée, critère en formule) — un couple d'arguments de COUNTIFS/SUMIFS."""

_TYPE = s.COLONNES_PAR_CLE["type_rdv"].nom_defini
_DATE = s.COLONNES_PAR_CLE["date"].nom_defini


def chaine(valeur: str) -> str:
    """Un texte en littéral de formule Excel (guillemets doublés)."""
    return '"' + valeur.replace('"', '""') + '"'


def _arguments(filtres: list[Filtre]) -> str:
    return "".join(f",{plage},{critere}" for plage, critere in filtres)


def compter(types: tuple[str, ...], filtres: list[Filtre]) -> str:
    """Nombre de lignes des ``types`` qui passent les ``filtres`` (somme de COUNTIFS)."""
    return "+".join(
        f"COUNTIFS({_TYPE},{chaine(s.TYPES_PAR_CODE[t].libelle)}{_arguments(filtres)})" for t in types
    )


def sommer(plage: str, types: tuple[str, ...], filtres: list[Filtre]) -> str:
    """Somme de ``plage`` sur les lignes des ``types`` qui passent les ``filtres``."""
    return "+".join(
        f"SUMIFS({plage},{_TYPE},{chaine(s.TYPES_PAR_CODE[t].libelle)}{_arguments(filtres)})" for t in types
    )


def filtre_delai(delai: s.Delai, minimum: int = s.DELAI_MIN, maximum: int | None = None) -> list[Filtre]:
    """Les délais renseignés et valides de la colonne de ``delai``, bornés à [minimum, maximum]."""
    plage = s.COLONNES_PAR_CLE[delai.colonne].nom_defini
    haut = s.DELAI_MAX if maximum is None else maximum
    return [(plage, chaine(f">={minimum}")), (plage, chaine(f"<={haut}"))]


def filtre_semaine(cellule_lundi: str) -> list[Filtre]:
    """Les lignes datées de la semaine qui commence le lundi contenu dans ``cellule_lundi``."""
    return [(_DATE, f'">="&{cellule_lundi}'), (_DATE, f'"<"&({cellule_lundi}+7)')]


def si_non_vide(denominateur: str, quotient: str) -> str:
    """Un rapport vide (et non 0 ni une erreur) quand son dénominateur est nul."""
    return f'=IF({denominateur}=0,"",{quotient})'


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


def _ecrire_ligne_indicateurs(feuille: Worksheet, ligne: int, filtres: list[Filtre]) -> None:
    """Une ligne du tableau par semaine (ou la ligne « Ensemble ») : comptes, taux, délais."""
    c = {cle: f"{lettre}{ligne}" for cle, lettre in COLONNE.items()}
    valeurs: dict[str, str] = {}
    for t in s.TYPES_RDV:
        valeurs[t.code] = "=" + compter((t.code,), filtres)
    valeurs["total"] = "=" + "+".join(c[t.code] for t in s.TYPES_RDV)
    for taux in s.TAUX:
        numerateur = "+".join(c[code] for code in taux.numerateur)
        denominateur = "+".join(c[code] for code in taux.denominateur)
        valeurs[taux.cle] = si_non_vide(f"({denominateur})", f"({numerateur})/({denominateur})")
    for d in s.DELAIS:
        plage = s.COLONNES_PAR_CLE[d.colonne].nom_defini
        valides = filtres + filtre_delai(d)
        valeurs[f"{d.cle}_n"] = "=" + compter(d.types, valides)
        valeurs[f"{d.cle}_somme"] = "=" + sommer(plage, d.types, valides)
        valeurs[d.cle] = si_non_vide(c[f"{d.cle}_n"], f"{c[f'{d.cle}_somme']}/{c[f'{d.cle}_n']}")
        if d.seuil_part is not None:
            valeurs[f"{d.cle}_n_part"] = "=" + compter(
                d.types, filtres + filtre_delai(d, maximum=d.seuil_part)
            )
            valeurs[f"{d.cle}_part"] = si_non_vide(
                c[f"{d.cle}_n"], f"{c[f'{d.cle}_n_part']}/{c[f'{d.cle}_n']}"
            )
    valeurs["graphique_nh"] = f'=IF({c[s.TAUX_NON_HONORES.cle]}="",NA(),{c[s.TAUX_NON_HONORES.cle]})'
    valeurs["graphique_delai"] = f'=IF({c[s.DELAI_RDV.cle]}="",NA(),{c[s.DELAI_RDV.cle]})'
    for col in (*_COLONNES_SEMAINE[1:], *_COLONNES_CALCUL):
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


def _ecrire_distribution_cr(feuille: Worksheet, d: Disposition) -> tuple[int, int]:
    """La distribution des délais de compte-rendu par tranche ; renvoie ses lignes de données."""
    delai = s.DELAI_CR
    texte(feuille.cell(d.ligne_cr, 1), s.TITRE_GRAPHIQUE_CR).font = POLICE_SECTION
    entetes(feuille, d.ligne_cr + 1, ("Tranche", "Comptes-rendus", "Part"))
    premiere = d.ligne_cr + 2
    total = f"$B${premiere + len(s.TRANCHES_CR)}"
    for rang, tranche in enumerate(s.TRANCHES_CR, start=premiere):
        texte(feuille.cell(rang, 1), tranche.libelle).border = BORDURE
        n = feuille.cell(
            rang,
            2,
            "=" + compter(delai.types, filtre_delai(delai, tranche.minimum, tranche.maximum)),
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


def _ecrire_nh_par_tranche(feuille: Worksheet, d: Disposition) -> None:
    """Le taux de non-honorés selon le délai d'obtention du rendez-vous (analyse de SPEC §3)."""
    taux, delai = s.TAUX_NON_HONORES, s.DELAI_RDV
    texte(
        feuille.cell(d.ligne_nh_tranches, 1), "Non-honorés selon le délai d'obtention du RDV"
    ).font = POLICE_SECTION
    entetes(
        feuille,
        d.ligne_nh_tranches + 1,
        ("Délai d'obtention", "RDV programmés", "Non honorés", "Taux de non-honorés"),
    )
    for rang, tranche in enumerate(s.TRANCHES_DELAI_RDV, start=d.ligne_nh_tranches + 2):
        filtres = filtre_delai(delai, tranche.minimum, tranche.maximum)
        texte(feuille.cell(rang, 1), tranche.libelle).border = BORDURE
        den = feuille.cell(rang, 2, "=" + compter(taux.denominateur, filtres))
        num = feuille.cell(rang, 3, "=" + compter(taux.numerateur, filtres))
        rapport = feuille.cell(rang, 4, si_non_vide(f"B{rang}", f"C{rang}/B{rang}"))
        den.number_format = num.number_format = FORMAT_ENTIER
        rapport.number_format = FORMAT_POURCENT
        den.border = num.border = rapport.border = BORDURE


def _ecrire_semaines(feuille: Worksheet, d: Disposition) -> None:
    """Le tableau par semaine ISO, de la semaine du début du recueil (Paramètres) à la dernière."""
    texte(feuille.cell(d.ligne_entete_semaines - 1, 1), "Indicateurs par semaine").font = POLICE_SECTION
    entetes(feuille, d.ligne_entete_semaines, (c.entete for c in _COLONNES_SEMAINE))
    for i, col in enumerate(_COLONNES_CALCUL, start=PREMIERE_COLONNE_CALCUL):
        texte(feuille.cell(d.ligne_entete_semaines, i), col.entete)
    ensemble = texte(feuille.cell(d.ligne_ensemble, 1), "Ensemble du recueil")
    _ecrire_ligne_indicateurs(feuille, d.ligne_ensemble, [])
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
        _ecrire_ligne_indicateurs(feuille, rang, filtre_semaine(f"$A{rang}"))


def _graphique_nh_delais(d: Disposition) -> BarChart:
    """Colonnes : taux de non-honorés par semaine ; courbe (axe de droite) : délai moyen."""
    feuille = s.FEUILLE_TABLEAU_DE_BORD

    def colonne(cle: str) -> Reference:
        return graphiques.plage(feuille, COLONNE[cle], d.premiere_semaine, d.derniere_semaine)

    return graphiques.colonnes_et_courbe(
        s.TITRE_GRAPHIQUE_NH,
        colonne("semaine"),
        (colonne("graphique_nh"), s.TAUX_NON_HONORES.libelle),
        (colonne("graphique_delai"), s.DELAI_RDV.libelle),
        titre_categories="Semaine du",
        titre_colonnes="Taux de non-honorés",
        titre_courbe="Délai moyen (jours)",
        format_categories="dd/mm",
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


def ecrire_tableau_de_bord(classeur: Workbook, calendrier: Calendrier) -> Disposition:
    """Ajoute la feuille « Tableau de bord » au classeur et renvoie sa disposition."""
    feuille = classeur.create_sheet(s.FEUILLE_TABLEAU_DE_BORD)
    disposition = Disposition(**DISPOSITION_FIXE, semaines=nombre_de_semaines(calendrier))
    titre(feuille, 1, "Tableau de bord — indicateurs du recueil")
    etablissement = s.PARAMETRES_PAR_CLE["etablissement"].nom_defini
    feuille["A2"] = (
        f'=IF({etablissement}="","Établissement : à renseigner dans la feuille Paramètres",{etablissement})'
    )
    feuille["A2"].font = POLICE_SECTION
    texte(
        feuille["A3"],
        (
            "Calculé en direct à partir de la feuille Recueil (libellés exacts, délais "
            "numériques). Pour le contrôle de chaque cellule et toutes les répartitions : "
            "coaching-xl compute."
        ),
    ).font = POLICE_NOTE
    _ecrire_synthese(feuille, disposition)
    premiere_cr, derniere_cr = _ecrire_distribution_cr(feuille, disposition)
    _ecrire_nh_par_tranche(feuille, disposition)
    _ecrire_semaines(feuille, disposition)

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
    return disposition
