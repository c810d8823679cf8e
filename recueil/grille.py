"""Écrit la grille de recueil ``grille_recueil.xlsx`` (SPEC §2).

Feuilles : Recueil (active), Tableau de bord, Listes, Paramètres, Mode d'emploi et une feuille
de métadonnées masquée. Tout libellé vient de ``recueil.schema``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT, Calendrier
from recueil.classeur import (
    ALIGNEMENT_TEXTE,
    BORDURE,
    FORMAT_DATE_COURTE,
    POLICE_GRAS,
    POLICE_NOTE,
    POLICE_SECTION,
    POLICE_SOUS_TITRE,
    REMPLISSAGE_SAISIE,
    enregistrer,
    entetes,
    hauteur_ligne,
    mise_en_page,
    nouveau_classeur,
    texte,
    titre,
    verifier_cible,
)
from recueil.listes import Listes, listes_par_defaut
from recueil.references import plage, reference_feuille
from recueil.tableau_de_bord import ajouter_feuille_calculs, chaine, ecrire_tableau_de_bord
from socle import couleurs, formats, version
from socle.erreurs import ErreurOption
from socle.francais import entier
from socle.ouvrages import TITRE_GRILLE

NOM_FICHIER = "grille_recueil.xlsx"
ALIGNEMENT_DATE = Alignment(horizontal="left", indent=1)
_FINESS = re.compile(r"^(\d{2}|2A|2B)\d{7}$")


@dataclass(frozen=True)
class Identite:
    """Ce qui identifie l'établissement dans la feuille Paramètres (tout est facultatif)."""

    etablissement: str = ""
    finess: str = ""
    dt: str = ""
    referent_indicateurs: str = ""
    referent_dt: str = ""

    def __post_init__(self) -> None:
        finess = self.finess.strip().upper()
        if finess and not _FINESS.match(finess):
            raise ErreurOption(
                f"Numéro FINESS « {self.finess} » invalide : il compte 9 caractères, des "
                "chiffres (ou 2A / 2B en tête pour la Corse), par exemple 750000001."
            )
        object.__setattr__(self, "finess", finess)


@dataclass(frozen=True)
class OptionsGrille:
    """Tout ce qui varie d'une grille générée à l'autre."""

    identite: Identite = field(default_factory=Identite)
    listes: Listes = field(default_factory=listes_par_defaut)
    lignes: int = s.LIGNES_PAR_DEFAUT
    calendrier: Calendrier = CALENDRIER_DEFAUT
    rythme: str = s.RYTHMES[0]

    def __post_init__(self) -> None:
        if not 1 <= self.lignes <= s.LIGNES_MAX:
            raise ErreurOption(
                f"--lignes {self.lignes} : choisissez un nombre de lignes entre 1 et "
                f"{entier(s.LIGNES_MAX)} (limite d'une feuille Excel)."
            )


Ligne = Sequence[object]
"""Une ligne de données : date, modalité, provenance, type de RDV, délai RDV, délai CR."""


def construire_grille(options: OptionsGrille, donnees: Iterable[Ligne] = ()) -> Workbook:
    """Le classeur de la grille, prêt à enregistrer ; ``donnees`` pré-remplit la feuille Recueil
    (exemples, région simulée, tests)."""
    classeur = nouveau_classeur(TITRE_GRILLE)
    recueil = classeur.active
    recueil.title = s.FEUILLE_RECUEIL
    _ecrire_recueil(recueil, options)
    _ecrire_donnees(recueil, donnees)
    ecrire_tableau_de_bord(classeur, options.calendrier, options.lignes)
    _ecrire_listes(classeur.create_sheet(s.FEUILLE_LISTES), options.listes)
    _ecrire_parametres(classeur.create_sheet(s.FEUILLE_PARAMETRES), options)
    _ecrire_mode_emploi(classeur.create_sheet(s.FEUILLE_MODE_EMPLOI))
    _ecrire_metadonnees(classeur.create_sheet(s.FEUILLE_META), options)
    ajouter_feuille_calculs(classeur)
    _definir_noms(classeur)
    classeur.active = 0
    return classeur


def ecrire_grille(
    dossier: Path,
    options: OptionsGrille | None = None,
    donnees: Iterable[Ligne] = (),
    *,
    ecraser: bool = False,
    nom: str = NOM_FICHIER,
) -> Path:
    """Écrit la grille dans ``dossier`` et renvoie son chemin.

    Lève FichierExistant si le fichier existe et que ``ecraser`` est faux, ErreurEcriture si
    le dossier n'est pas accessible en écriture.
    """
    chemin = Path(dossier) / nom
    verifier_cible(chemin, ecraser)
    return enregistrer(construire_grille(options or OptionsGrille(), donnees), chemin)


def _ecrire_recueil(feuille: Worksheet, options: OptionsGrille) -> None:
    titre(feuille, 1, s.TITRE_ORGANISME)
    titre(feuille, 2, s.TITRE_GRILLE, POLICE_SOUS_TITRE)
    etablissement = s.PARAMETRES_PAR_CLE["etablissement"].nom_defini
    feuille["A3"] = (
        f'=IF({etablissement}="","Établissement : à renseigner dans la feuille Paramètres",'
        f'"Établissement : "&{etablissement})'
    )
    feuille["A3"].font = POLICE_GRAS
    entetes(feuille, s.LIGNE_ENTETE, s.ENTETES)
    feuille.row_dimensions[s.LIGNE_ENTETE].height = 32
    for colonne in s.COLONNES:
        dimension = feuille.column_dimensions[colonne.lettre]
        dimension.width = colonne.largeur
        if colonne.cle == "date":
            dimension.number_format = s.FORMAT_DATE
            dimension.alignment = ALIGNEMENT_DATE
        elif colonne.cle.startswith("delai"):
            dimension.number_format = formats.NOMBRE
    derniere = s.LIGNE_ENTETE + options.lignes
    feuille.freeze_panes = f"A{s.PREMIERE_LIGNE}"
    feuille.auto_filter.ref = f"A{s.LIGNE_ENTETE}:{s.COLONNES[-1].lettre}{derniere}"
    _valider_recueil(feuille, derniere)
    _signaler_incoherences(feuille, derniere)
    # Une cellule remplie à la dernière ligne préparée : LibreOffice, en enregistrant au
    # format xlsx, ne garde les validations que 1 000 lignes sous la dernière cellule remplie.
    fin = texte(
        feuille.cell(derniere, len(s.COLONNES) + 1),
        f"← fin des {entier(options.lignes)} lignes préparées (menus et contrôles). "
        "Au-delà, recopiez la dernière ligne vers le bas (Ctrl+D).",
    )
    fin.font = POLICE_NOTE
    mise_en_page(feuille, paysage=True, lignes_titre=f"{s.LIGNE_ENTETE}:{s.LIGNE_ENTETE}")
    # Zone d'impression qui s'arrête à la dernière ligne saisie (colonne D, toujours du texte) :
    # sans elle, Excel imprimerait des pages blanches jusqu'à la note de fin. LibreOffice
    # l'ignore et n'imprime que les pages non vides.
    type_ = s.COLONNES_PAR_CLE["type_rdv"].lettre
    recueil = reference_feuille(s.FEUILLE_RECUEIL)
    derniere_saisie = f'IFERROR(MATCH(REPT("z",255),{recueil}!${type_}:${type_}),{s.LIGNE_ENTETE})'
    feuille.defined_names["_xlnm.Print_Area"] = DefinedName(
        "_xlnm.Print_Area",
        localSheetId=0,
        attr_text=f"OFFSET({plage(s.FEUILLE_RECUEIL, 'A', 1)},0,0,"
        f"MAX({s.PREMIERE_LIGNE},{derniere_saisie}),{len(s.COLONNES)})",
    )


def _validation(colonne: s.Colonne, **regle: object) -> DataValidation:
    """Une validation avec aide à la saisie et message d'erreur bloquant, tous deux affichés."""
    return DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop",
        promptTitle=colonne.aide_titre,
        prompt=colonne.aide,
        errorTitle=colonne.erreur_titre,
        error=colonne.erreur,
        **regle,
    )


def _regles_de_validation() -> dict[str, dict[str, object]]:
    """Colonne → règle de validation Excel (SPEC §2)."""
    jours = {
        "type": "whole",
        "operator": "between",
        "formula1": str(s.DELAI_MIN),
        "formula2": str(s.DELAI_MAX),
    }
    listes = {liste.colonne: {"type": "list", "formula1": liste.nom_defini} for liste in s.LISTES}
    return {
        "date": {
            "type": "date",
            "operator": "between",
            "formula1": str(int(to_excel(s.DATE_MIN))),
            "formula2": str(int(to_excel(s.DATE_MAX))),
        },
        **listes,
        "type_rdv": {"type": "list", "formula1": chaine(",".join(t.libelle for t in s.TYPES_RDV))},
        "delai_rdv": jours,
        "delai_cr": jours,
    }


def _valider_recueil(feuille: Worksheet, derniere: int) -> None:
    for cle, regle in _regles_de_validation().items():
        colonne = s.COLONNES_PAR_CLE[cle]
        validation = _validation(colonne, **regle)
        feuille.add_data_validation(validation)
        validation.add(f"{colonne.lettre}{s.PREMIERE_LIGNE}:{colonne.lettre}{derniere}")


ROUGE = DifferentialStyle(
    font=Font(color=couleurs.ROUGE_TEXTE, bold=True),
    fill=PatternFill("solid", start_color=couleurs.ROUGE_FOND, end_color=couleurs.ROUGE_FOND,
                     bgColor=couleurs.ROUGE_FOND),
)  # fmt: skip
ORANGE = DifferentialStyle(
    font=Font(color=couleurs.ORANGE_TEXTE),
    fill=PatternFill("solid", start_color=couleurs.ORANGE_FOND, end_color=couleurs.ORANGE_FOND,
                     bgColor=couleurs.ORANGE_FOND),
)  # fmt: skip
STYLE_PAR_GRAVITE = {s.ERREUR: ROUGE, s.AVERTISSEMENT: ORANGE}


def regles_incoherence() -> tuple[tuple[str, str, str], ...]:
    """(code d'anomalie, colonne, formule) : les contrôles de SPEC §4 qu'une formule de mise en
    forme conditionnelle peut exprimer — les ``formules`` de ``schema.ANOMALIES`` —, écrits
    pour la première ligne de données."""
    r = s.PREMIERE_LIGNE
    col = {c.cle: f"${c.lettre}{r}" for c in s.COLONNES}
    premiere, derniere = s.COLONNES[0].lettre, s.COLONNES[-1].lettre
    type_ = col["type_rdv"]
    est = {f"est_{t.code}": f"{type_}={chaine(t.libelle)}" for t in s.TYPES_RDV}
    contexte = {
        **col, "type": type_, **est,
        "rempli": f"COUNTA(${premiere}{r}:${derniere}{r})>0",
        "programme": "OR(" + ",".join(est[f"est_{c}"] for c in s.PROGRAMMES) + ")",
        "hors_types": ",".join(f"{type_}<>{chaine(t.libelle)}" for t in s.TYPES_RDV),
        "debut": s.PARAMETRES_PAR_CLE["date_debut"].nom_defini,
        "fin": s.PARAMETRES_PAR_CLE["date_fin"].nom_defini,
        "date_min": int(to_excel(s.DATE_MIN)), "date_max": int(to_excel(s.DATE_MAX)),
        "delai_min": s.DELAI_MIN, "delai_max": s.DELAI_MAX,
    }  # fmt: skip
    listes = {liste.colonne: liste.nom_defini for liste in s.LISTES}
    return tuple(
        (anomalie.code, cle, formule.format(**contexte, cellule=col[cle], liste=listes.get(cle, "")))
        for anomalie in s.ANOMALIES.values()
        for cle, formule in anomalie.formules.items()
    )


def _signaler_incoherences(feuille: Worksheet, derniere: int) -> None:
    """Mise en forme conditionnelle : rouge = erreur à corriger, orange = incohérence à vérifier.
    Les erreurs passent d'abord et arrêtent l'évaluation de la cellule."""
    regles = sorted(regles_incoherence(), key=lambda r: s.GRAVITES.index(s.ANOMALIES[r[0]].gravite))
    for code, cle, formule in regles:
        gravite = s.ANOMALIES[code].gravite
        lettre = s.COLONNES_PAR_CLE[cle].lettre
        regle = Rule(
            type="expression",
            formula=[formule],
            dxf=STYLE_PAR_GRAVITE[gravite],
            stopIfTrue=gravite == s.ERREUR,
        )
        feuille.conditional_formatting.add(f"{lettre}{s.PREMIERE_LIGNE}:{lettre}{derniere}", regle)


def _ecrire_donnees(feuille: Worksheet, donnees: Iterable[Ligne]) -> None:
    """Pré-remplit la feuille Recueil ; les textes restent des textes, les dates s'affichent
    comme celles que l'on saisit."""
    for rang, ligne in enumerate(donnees, start=s.PREMIERE_LIGNE):
        for colonne, valeur in zip(s.COLONNES, ligne, strict=False):
            if valeur is None or valeur == "":
                continue
            cellule = feuille[f"{colonne.lettre}{rang}"]
            if isinstance(valeur, str):
                texte(cellule, valeur)
                continue
            cellule.value = valeur
            if isinstance(valeur, (date, datetime)):
                cellule.number_format = s.FORMAT_DATE
                cellule.alignment = ALIGNEMENT_DATE
            elif colonne.cle.startswith("delai"):
                cellule.number_format = formats.NOMBRE


def _ecrire_listes(feuille: Worksheet, listes: Listes) -> None:
    titre(feuille, 1, "Listes des menus déroulants")
    texte(
        feuille["A2"],
        (
            f"Modifiez, ajoutez ou retirez des libellés dans les cellules jaunes "
            f"({s.MODALITES.emplacements} modalités et {s.PROVENANCES.emplacements} provenances au "
            "plus) : les menus de la feuille Recueil suivent et ne montrent pas les cases vides. "
            "Renommer un libellé déjà saisi ne modifie pas les lignes existantes."
        ),
    ).font = POLICE_NOTE
    feuille["A2"].alignment = ALIGNEMENT_TEXTE
    feuille.merge_cells("A2:F2")
    feuille.row_dimensions[2].height = 45
    ligne = s.LISTES_LIGNE_ENTETE
    for liste in s.LISTES:
        entetes(feuille, ligne, (liste.titre,), colonne=_indice(liste.lettre))
        feuille.column_dimensions[liste.lettre].width = 34
        rang_lettre, libelle_lettre = liste.lettres_calcul
        premiere, derniere = ligne + 1, ligne + liste.emplacements
        valeurs = listes[liste.cle]
        for i in range(liste.emplacements):
            r = premiere + i
            cellule = feuille[f"{liste.lettre}{r}"]
            if i < len(valeurs):
                texte(cellule, valeurs[i])
            cellule.fill = REMPLISSAGE_SAISIE
            cellule.border = BORDURE
            feuille[f"{rang_lettre}{r}"] = (
                f'=IF(TRIM({liste.lettre}{r})="","",'
                f'SUMPRODUCT(--(TRIM(${liste.lettre}${premiere}:{liste.lettre}{r})<>"")))'
            )
            saisies = f"${liste.lettre}${premiere}:${liste.lettre}${derniere}"
            rangs = f"${rang_lettre}${premiere}:${rang_lettre}${derniere}"
            feuille[f"{libelle_lettre}{r}"] = (
                f'=IFERROR(TRIM(INDEX({saisies},MATCH(ROW()-{premiere - 1},{rangs},0))),"")'
            )
        for lettre in liste.lettres_calcul:
            feuille.column_dimensions[lettre].hidden = True
        texte(feuille[f"{rang_lettre}{ligne}"], f"{liste.titre} : rang (calcul)")
        texte(feuille[f"{libelle_lettre}{ligne}"], f"{liste.titre} : menu (calcul)")
    types = "E"
    entetes(feuille, ligne, ("Types de rendez-vous (liste fixe)",), colonne=_indice(types))
    feuille.column_dimensions[types].width = 34
    for i, t in enumerate(s.TYPES_RDV, start=ligne + 1):
        texte(feuille[f"{types}{i}"], t.libelle).border = BORDURE
    feuille.row_dimensions[ligne].height = 30
    feuille.freeze_panes = f"A{ligne + 1}"
    mise_en_page(feuille, paysage=False)


def _indice(lettre: str) -> int:
    return ord(lettre) - ord("A") + 1


def ligne_parametre(cle: str) -> int:
    """La ligne de la feuille Paramètres qui porte le paramètre ``cle`` (valeur en colonne B)."""
    return 5 + [p.cle for p in s.PARAMETRES].index(cle)


LIGNE_ENTETE_JALONS = 5 + len(s.PARAMETRES) + 2


def _ecrire_parametres(feuille: Worksheet, options: OptionsGrille) -> None:
    identite = options.identite
    valeurs: dict[str, object] = {
        "etablissement": identite.etablissement,
        "finess": identite.finess,
        "dt": identite.dt,
        "referent_indicateurs": identite.referent_indicateurs,
        "referent_dt": identite.referent_dt,
        "date_debut": options.calendrier.debut_recueil,
        "date_fin": options.calendrier.fin_recueil,
        "rythme": options.rythme,
    }
    titre(feuille, 1, "Paramètres de la grille")
    texte(
        feuille["A2"],
        (
            "Renseignez les cellules jaunes. Ces informations identifient la grille lors de la "
            "consolidation régionale ; les dates bornent la période contrôlée."
        ),
    ).font = POLICE_NOTE
    entetes(feuille, 4, ("Paramètre", "Valeur", "Aide"))
    for parametre in s.PARAMETRES:
        r = ligne_parametre(parametre.cle)
        texte(feuille.cell(r, 1), parametre.libelle).font = POLICE_GRAS
        valeur = feuille.cell(r, 2)
        v = valeurs[parametre.cle]
        if isinstance(v, date):
            valeur.value = v
            valeur.number_format = FORMAT_DATE_COURTE
        elif v:
            texte(valeur, str(v))
        valeur.fill = REMPLISSAGE_SAISIE
        for c in (feuille.cell(r, 1), valeur):
            c.border = BORDURE
        texte(feuille.cell(r, 3), parametre.aide).font = POLICE_NOTE
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=str(int(to_excel(s.DATE_MIN))),
        formula2=str(int(to_excel(s.DATE_MAX))),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Date refusée",
        error="Saisissez une date, par exemple 01/09/2010.",
    )
    rythme = DataValidation(
        type="list",
        formula1=chaine(",".join(s.RYTHMES)),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Rythme inconnu",
        error="Choisissez « " + " » ou « ".join(s.RYTHMES) + " ».",
    )
    for validation, cles in ((dates, ("date_debut", "date_fin")), (rythme, ("rythme",))):
        feuille.add_data_validation(validation)
        for cle in cles:
            validation.add(f"B{ligne_parametre(cle)}")

    ligne = LIGNE_ENTETE_JALONS
    texte(feuille.cell(ligne - 1, 1), "Calendrier des jalons").font = POLICE_SECTION
    entetes(feuille, ligne, ("Jalon", "Date", "Étape"))
    for r, jalon in enumerate(options.calendrier.jalons, start=ligne + 1):
        texte(feuille.cell(r, 1), jalon.code).font = POLICE_GRAS
        feuille.cell(r, 2, jalon.date).number_format = FORMAT_DATE_COURTE
        texte(feuille.cell(r, 3), jalon.libelle)
        for c in range(1, 4):
            feuille.cell(r, c).border = BORDURE
    feuille.column_dimensions["A"].width = 30
    feuille.column_dimensions["B"].width = 36
    feuille.column_dimensions["C"].width = 70
    mise_en_page(feuille, paysage=False)


def _mode_emploi() -> list[tuple[str, str]]:
    """(genre, texte) : le contenu de la feuille Mode d'emploi, tiré du schéma."""
    col = s.COLONNES_PAR_CLE
    lignes: list[tuple[str, str]] = [
        ("titre", "Mode d'emploi de la grille de recueil"),
        (
            "texte",
            "Une ligne par rendez-vous ou examen, saisie chaque jour ou un jour par semaine, "
            "à partir des menus déroulants : environ 15 secondes par ligne. Les indicateurs "
            "du tableau de bord se mettent à jour à chaque saisie.",
        ),
        ("section", "Remplir une ligne en 15 secondes (feuille Recueil)"),
        (
            "texte",
            f"1. {col['date'].entete} : Ctrl+; insère la date du jour ; sinon tapez 6/9/2010. "
            "La date s'affiche « lundi 6 septembre 2010 ».",
        ),
        (
            "texte",
            f"2. {col['modalite'].entete}, {col['provenance'].entete}, "
            f"{col['type_rdv'].entete} : Alt+↓ ouvre le menu ; tapez les premières lettres "
            "puis Entrée.",
        ),
        (
            "texte",
            f"3. {col['delai_rdv'].entete} : pour un RDV programmé (honoré ou non), le nombre "
            "de jours entre la demande et le rendez-vous. Vide pour un non programmé.",
        ),
        (
            "texte",
            f"4. {col['delai_cr'].entete} : pour un examen réalisé, le nombre de jours entre "
            "l'examen et le compte-rendu validé (0 = le jour même). Vide pour un non-honoré.",
        ),
        (
            "texte",
            "Astuce : Ctrl+D recopie la cellule du dessus. Pour coller depuis un autre fichier, "
            "utilisez Collage spécial > Valeurs : un collage ordinaire efface les menus et les "
            "contrôles de la colonne.",
        ),
        ("section", "Les types de rendez-vous"),
        *(("texte", f"{t.libelle} ({t.code}) : {t.definition}") for t in s.TYPES_RDV),
        ("section", "Les indicateurs"),
        *(("texte", f"{t.libelle} = {t.formule}.") for t in s.TAUX),
        *(("texte", f"{d.libelle} : {d.formule} ; aussi la médiane et le 90e percentile.") for d in s.DELAIS),
        (
            "texte",
            f"{s.DELAI_CR.libelle_part} : part des comptes-rendus rendus en "
            f"{s.DELAI_CR.seuil_part} jours ou moins.",
        ),
        (
            "texte",
            f"{s.TITRE_GRAPHIQUE_CR} : répartition par tranche ("
            + ", ".join(t.libelle for t in s.TRANCHES_CR)
            + ").",
        ),
        (
            "texte",
            f"{s.TITRE_GRAPHIQUE_NH} : chaque semaine, le taux de non-honorés (colonnes) et "
            "le délai moyen d'obtention (courbe, axe de droite).",
        ),
        ("texte", "Un taux dont le dénominateur est nul reste vide : il n'y a rien à mesurer."),
        ("section", "Les couleurs d'alerte"),
        (
            "texte",
            "Rouge : erreur à corriger (champ obligatoire vide, valeur hors liste, délai "
            "impossible) ; la valeur fautive est écartée des indicateurs.",
        ),
        (
            "texte",
            "Orange : incohérence à vérifier (délai d'obtention sur un non programmé ou "
            "manquant sur un programmé, compte-rendu sur un non-honoré, date future ou hors "
            "période) ; la ligne reste comptée.",
        ),
        ("section", "Listes et paramètres"),
        (
            "texte",
            f"Feuille {s.FEUILLE_LISTES} : {s.MODALITES.emplacements} modalités et "
            f"{s.PROVENANCES.emplacements} provenances modifiables ; les menus suivent.",
        ),
        (
            "texte",
            f"Feuille {s.FEUILLE_PARAMETRES} : établissement, FINESS, DT, référents, début et "
            "fin du recueil, rythme, calendrier des jalons.",
        ),
        ("section", "Aller plus loin"),
        (
            "texte",
            "coaching-xl compute grille_recueil.xlsx contrôle chaque cellule et ajoute à ce "
            "fichier les feuilles Indicateurs, Services demandeurs et Anomalies, avec leurs "
            "graphiques, sans rien modifier de vos saisies.",
        ),
    ]
    return lignes


LARGEUR_MODE_EMPLOI = 100


def _ecrire_mode_emploi(feuille: Worksheet) -> None:
    for r, (genre, contenu) in enumerate(_mode_emploi(), start=1):
        if genre == "titre":
            titre(feuille, r, contenu)
            continue
        cellule = texte(feuille.cell(r, 1), contenu)
        cellule.alignment = ALIGNEMENT_TEXTE
        if genre == "section":
            cellule.font = POLICE_SECTION
            feuille.row_dimensions[r].height = 26
        else:
            feuille.row_dimensions[r].height = hauteur_ligne(contenu, LARGEUR_MODE_EMPLOI)
    feuille.column_dimensions["A"].width = LARGEUR_MODE_EMPLOI
    mise_en_page(feuille, paysage=False)


def metadonnees(options: OptionsGrille) -> dict[str, str]:
    """Ce que la feuille masquée enregistre, pour reconnaître et dater le modèle à la relecture."""
    return {
        "modele": s.MODELE,
        "version_modele": s.VERSION_MODELE,
        "generateur": f"coaching-xl {version()}",
        "lignes_validees": str(options.lignes),
    }


def _ecrire_metadonnees(feuille: Worksheet, options: OptionsGrille) -> None:
    for r, (cle, valeur) in enumerate(metadonnees(options).items(), start=1):
        texte(feuille.cell(r, 1), cle)
        texte(feuille.cell(r, 2), valeur)
    feuille.sheet_state = "hidden"


def _definir_noms(classeur: Workbook) -> None:
    """Les noms définis : colonnes du Recueil, listes compactées, paramètres."""
    noms: dict[str, str] = {c.nom_defini: c.plage for c in s.COLONNES}
    listes = f"{reference_feuille(s.FEUILLE_LISTES)}!"
    for liste in s.LISTES:
        rang, libelle = liste.lettres_calcul
        premiere = s.LISTES_LIGNE_ENTETE + 1
        derniere = s.LISTES_LIGNE_ENTETE + liste.emplacements
        noms[liste.nom_defini] = (
            f"OFFSET({listes}${libelle}${premiere},0,0,"
            f"MAX(1,MAX({listes}${rang}${premiere}:${rang}${derniere})),1)"
        )
    for p in s.PARAMETRES:
        noms[p.nom_defini] = plage(s.FEUILLE_PARAMETRES, "B", ligne_parametre(p.cle))
    for nom, reference in noms.items():
        classeur.defined_names[nom] = DefinedName(nom, attr_text=reference)
