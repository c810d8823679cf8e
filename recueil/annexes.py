"""Les quatre annexes du coaching, prêtes à remplir à l'écran et à imprimer sur A4 : convention
établissement / ARS, équipe projet (avec réunions et registre des risques), contrat imagerie –
pôles/services demandeurs (avec ses indicateurs de suivi chiffrés), feuille de route.

Leur contenu vient de ``recueil.dispositif`` ; leurs dates, du calendrier des jalons.
"""

from __future__ import annotations

from datetime import date

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from recueil import dispositif as d
from recueil import schema as s
from recueil.calendrier import Calendrier
from recueil.classeur import (
    FORMAT_DATE_COURTE,
    FORMAT_POURCENT,
    POLICE_GRAS,
    POLICE_NOTE,
    REMPLISSAGE_CLAIR,
    nouveau_classeur,
)
from recueil.document import Document, Formule, date_longue
from recueil.grille import OptionsGrille
from recueil.references import reference_feuille
from recueil.tableau_de_bord import chaine
from socle import formats
from socle.ouvrages import TITRES_ANNEXES

CONVENTION = "convention_etablissement_ars.xlsx"
EQUIPE_PROJET = "equipe_projet.xlsx"
CONTRAT = "contrat_imagerie_services.xlsx"
FEUILLE_DE_ROUTE = "feuille_de_route.xlsx"
PORTRAIT = (12, 22, 18, 14, 15, 15)
"""Six colonnes (96 caractères) : la largeur d'une page A4 en portrait."""


def _identite(doc: Document, options: OptionsGrille) -> None:
    identite = options.identite
    doc.champ("Établissement", identite.etablissement)
    doc.champ("FINESS", identite.finess)


def _valider(feuille: Worksheet, regle: DataValidation, *plages: str) -> None:
    feuille.add_data_validation(regle)
    for plage in plages:
        regle.add(plage)


def _liste(valeurs: tuple[str, ...], titre: str) -> DataValidation:
    return DataValidation(
        type="list", formula1=chaine(",".join(valeurs)), allow_blank=True, showErrorMessage=True,
        errorTitle=titre, error="Choisissez une valeur du menu déroulant : " + ", ".join(valeurs) + ".",
    )  # fmt: skip


def _entier(minimum: int, maximum: int, titre: str) -> DataValidation:
    return DataValidation(
        type="whole", operator="between", formula1=str(minimum), formula2=str(maximum), allow_blank=True,
        showErrorMessage=True, errorTitle=titre,
        error=f"Saisissez un nombre entier de {minimum} à {maximum}.",
    )  # fmt: skip


def _date_valide() -> DataValidation:
    return DataValidation(
        type="date", operator="between", formula1=str(int(to_excel(s.DATE_MIN))),
        formula2=str(int(to_excel(s.DATE_MAX))), allow_blank=True, showErrorMessage=True,
        errorTitle="Date refusée", error="Saisissez une date, par exemple 12/10/2010.",
    )  # fmt: skip


def _lignes_calendrier(calendrier: Calendrier) -> list[tuple]:
    return [(j.code, date_longue(j.date), j.libelle, j.horaire, j.lieu) for j in calendrier.jalons]


# --- Convention établissement / ARS ---------------------------------------------------------


def convention(options: OptionsGrille) -> Workbook:
    """La convention de participation : parties, objet, engagements réciproques, calendrier,
    signatures du directeur, du chef de service, du cadre d'imagerie et de l'ARS."""
    classeur = nouveau_classeur(TITRES_ANNEXES["convention"])
    feuille = classeur.active
    feuille.title = "Convention"
    doc = Document(feuille, PORTRAIT)
    doc.titre("Convention de participation au coaching imagerie")
    doc.note(d.TITRE_DISPOSITIF)
    doc.intertitre("Entre les soussignés")
    doc.champ("L'Agence régionale de santé Île-de-France, représentée par", "")
    doc.paragraphe("et")
    _identite(doc, options)
    doc.champ("Adresse", "")
    doc.champ("Représenté par (directeur ou son représentant)", "")
    doc.champ("Chef de service de l'imagerie", "")
    doc.champ("Cadre responsable du service d'imagerie", "")
    doc.champ("Référent DT qui accompagne l'établissement", options.identite.referent_dt)
    doc.intertitre("Article 1 — Objet")
    doc.paragraphe(d.OBJET_CONVENTION)
    doc.intertitre("Article 2 — Engagements de l'établissement")
    doc.paragraphe(
        "En signant cette convention, l'établissement est intégré au dispositif. Sa participation "
        "repose sur l'engagement de son directeur (ou de son représentant), du chef de service de "
        "l'imagerie et du cadre responsable du service d'imagerie. L'établissement s'engage à :"
    )
    doc.puces(d.ENGAGEMENTS_ETABLISSEMENT)
    doc.intertitre("Article 3 — Engagements de l'ARS Île-de-France")
    doc.paragraphe(
        "En contrepartie, l'ARS Île-de-France, par sa Cellule Performance et le référent DT, s'engage à :"
    )
    doc.puces(d.ENGAGEMENTS_ARS)
    doc.intertitre("Article 4 — Calendrier des jalons")
    doc.tableau(
        ["Jalon", "Date", "Étape", "Horaire", "Lieu"], _lignes_calendrier(options.calendrier), [1, 1, 1, 1, 2]
    )
    fin = options.calendrier.jalons[-1]
    doc.intertitre("Article 5 — Durée")
    doc.paragraphe(
        f"La convention prend effet à sa signature et court jusqu'au jalon de clôture ({fin.code}, "
        f"{date_longue(fin.date)})."
    )
    doc.espace()
    doc.champ("Fait à", "")
    doc.champ("Le", None, format_nombre=FORMAT_DATE_COURTE)
    doc.paragraphe("En deux exemplaires originaux.", POLICE_NOTE)
    doc.espace()
    doc.signatures(d.SIGNATAIRES_CONVENTION)
    doc.proteger()
    return classeur


# --- Équipe projet ---------------------------------------------------------------------------

PAYSAGE_EQUIPE = (30, 26, 22, 20, 14, 26, 44)


def equipe_projet(options: OptionsGrille) -> Workbook:
    """L'équipe projet (rôles, coordonnées), les réunions internes et le registre des risques."""
    classeur = nouveau_classeur(TITRES_ANNEXES["equipe"])
    feuille = classeur.active
    feuille.title = "Équipe projet"
    doc = Document(feuille, PAYSAGE_EQUIPE, paysage=True)
    doc.titre(f"Équipe projet — {options.identite.etablissement or 'établissement'}")
    doc.note(
        "Qui fait quoi, et qui ne fait pas quoi : à remplir au lancement (réunion b) et à tenir à "
        "jour. Le pilote est l'interlocuteur du référent DT."
    )
    lignes, groupe_precedent = [], None
    for role in d.ROLES:
        for rang in range(role.lignes):
            groupe = role.groupe if role.groupe != groupe_precedent else ""
            groupe_precedent = role.groupe
            lignes.append(
                (groupe or None, role.libelle, None, None, None, None, role.mission if rang == 0 else None)
            )
    premiere, derniere = doc.tableau(
        ["Instance", "Rôle", "Nom", "Fonction", "Téléphone", "Courriel", "Missions"], lignes,
        saisie=[False, False, True, True, True, True, False],
    )  # fmt: skip
    for r in range(premiere, derniere + 1):
        feuille.cell(r, 1).font = POLICE_GRAS
    doc.proteger()
    _reunions(classeur.create_sheet("Réunions internes"), options)
    _risques(classeur.create_sheet("Risques"), options)
    return classeur


def _mois(debut: date, fin: date) -> list[date]:
    mois, courant = [], debut.replace(day=1)
    while courant <= fin:
        mois.append(courant)
        courant = date(courant.year + courant.month // 12, courant.month % 12 + 1, 1)
    return mois


def _reunions(feuille: Worksheet, options: OptionsGrille) -> None:
    calendrier = options.calendrier
    doc = Document(feuille, (30, 52, 14, 14, 30, 16, 40), paysage=True)
    doc.titre("Réunions internes")
    doc.note(
        "Les réunions a à d de la feuille de route (jalon 1 → jalon 2), puis le comité de "
        "surveillance chaque mois. Statut : menu déroulant."
    )
    lignes = [
        (f"{r.code} — {r.libelle}", r.objet, None, None, None, d.STATUTS_REUNION[0], None)
        for r in d.REUNIONS_INTERNES
    ]
    debut, fin = calendrier.jalons[1].date, calendrier.jalons[-1].date
    lignes += [
        (f"Comité de surveillance — {s.MOIS[m.month - 1]} {m.year}", "Bilan mensuel de l'action en cours",
         None, None, None, d.STATUTS_REUNION[0], None)
        for m in _mois(debut, fin)
    ]  # fmt: skip
    premiere, derniere = doc.tableau(
        ["Réunion", "Objet", "Date prévue", "Date réalisée", "Participants", "Statut", "Décisions, suites"],
        lignes, saisie=[False, False, True, True, True, True, True],
        formats=[None, None, FORMAT_DATE_COURTE, FORMAT_DATE_COURTE, None, None, None],
    )  # fmt: skip
    _valider(feuille, _date_valide(), f"C{premiere}:D{derniere}")
    _valider(feuille, _liste(d.STATUTS_REUNION, "Statut"), f"F{premiere}:F{derniere}")
    doc.proteger()


def _risques(feuille: Worksheet, options: OptionsGrille) -> None:
    doc = Document(feuille, (5, 44, 16, 10, 12, 11, 44, 18, 12, 18), paysage=True)
    doc.titre("Registre des risques")
    doc.note(
        "Identifier chaque risque et sa nature ; évaluer son impact et sa probabilité (de 1 à 4) : "
        f"la criticité (impact × probabilité, de 1 à 16) se calcule seule ; à partir de "
        f"{d.CRITICITE_FORTE}, prévoir une action préventive, un responsable et une échéance ; "
        "réévaluer à chaque comité de surveillance. Les trois premiers risques sont des exemples."
    )
    doc.note(
        "Impact : "
        + " ; ".join(d.ECHELLE_IMPACT)
        + ". Probabilité : "
        + " ; ".join(d.ECHELLE_PROBABILITE)
        + "."
    )
    vides = 12
    lignes = [
        (i, risque, nature, impact, probabilite, None, action, None, None, d.STATUTS_RISQUE[0])
        for i, (risque, nature, impact, probabilite, action) in enumerate(d.RISQUES_EXEMPLES, start=1)
    ]
    lignes += [(i, None, None, None, None, None, None, None, None, None)
               for i in range(len(lignes) + 1, len(lignes) + vides + 1)]  # fmt: skip
    premiere, derniere = doc.tableau(
        ["N°", "Risque", "Nature", "Impact (1-4)", "Probabilité (1-4)", "Criticité", "Action préventive",
         "Responsable", "Échéance", "Statut"],
        lignes, saisie=[False, True, True, True, True, False, True, True, True, True],
        formats=[None, None, None, formats.NOMBRE, formats.NOMBRE, formats.NOMBRE, None, None,
                 FORMAT_DATE_COURTE, None],
    )  # fmt: skip
    for r in range(premiere, derniere + 1):
        criticite = feuille.cell(r, 6, f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(E{r})),D{r}*E{r},"")')
        criticite.alignment = Alignment(horizontal="center", vertical="top")
        criticite.font = POLICE_GRAS
    feuille.conditional_formatting.add(
        f"F{premiere}:F{derniere}",
        ColorScaleRule(start_type="num", start_value=1, start_color="63BE7B",
                       mid_type="num", mid_value=d.CRITICITE_FORTE, mid_color="FFEB84",
                       end_type="num", end_value=16, end_color="F8696B"),
    )  # fmt: skip
    _valider(feuille, _liste(d.NATURES_RISQUE, "Nature du risque"), f"C{premiere}:C{derniere}")
    _valider(feuille, _entier(1, 4, "Impact ou probabilité"), f"D{premiere}:E{derniere}")
    _valider(feuille, _date_valide(), f"I{premiere}:I{derniere}")
    _valider(feuille, _liste(d.STATUTS_RISQUE, "Statut du risque"), f"J{premiere}:J{derniere}")
    feuille.freeze_panes = f"A{premiere}"
    doc.proteger()


# --- Contrat imagerie – pôles/services demandeurs --------------------------------------------


LIGNES_OBJECTIFS = 20


def contrat(options: OptionsGrille) -> Workbook:
    """Le contrat type entre le service d'imagerie et un pôle/service demandeur (et le
    transport) : objectifs, organisations, engagements réciproques par thème, créneaux
    pré-attribués, indicateurs de suivi chiffrés, revue annuelle, signatures."""
    classeur = nouveau_classeur(TITRES_ANNEXES["contrat"])
    feuille = classeur.active
    feuille.title = "Contrat"
    doc = Document(feuille, PORTRAIT)
    doc.titre("Contrat imagerie – pôle / service demandeur")
    doc.note(
        "Modèle à adapter : les engagements proposés reprennent les retours d'expérience du "
        "dispositif ; chaque case jaune se modifie."
    )
    doc.intertitre("Les parties")
    _identite(doc, options)
    doc.champ("Service d'imagerie : chef de service", "")
    doc.champ("Service d'imagerie : cadre", "")
    doc.champ("Pôle / service demandeur", "")
    doc.champ("Pôle / service demandeur : chef de service", "")
    doc.champ("Pôle / service demandeur : cadre", "")
    doc.champ("Transport / brancardage : responsable", "")
    doc.intertitre("Article 1 — Objectifs du contrat")
    doc.puces(d.OBJECTIFS_CONTRAT)
    doc.intertitre("Article 2 — Organisation de chaque partie")
    organisations = [(partie, aide) for partie, aide in d.ORGANISATION_PARTIES]
    doc.tableau(["Partie", "Organisation (à préciser)"], organisations, [1, 5], saisie=[False, True])
    doc.intertitre("Article 3 — Engagements réciproques")
    doc.tableau(
        ["Thème", "Le pôle / service demandeur s'engage à", "Le service d'imagerie s'engage à"],
        [(c.theme, c.demandeur, c.imagerie) for c in d.CLAUSES], [1, 2, 3], saisie=[False, True, True],
    )  # fmt: skip
    doc.intertitre("Article 4 — Créneaux pré-attribués")
    doc.paragraphe(
        f"Pour un service d'au moins {s.SEUIL_CRENEAUX} demandes par jour (cf. feuille Services "
        "demandeurs de la grille) : créneaux réservés, sans nom de patient, que le service remplit "
        "selon ses priorités ; un créneau non confirmé la veille avant l'heure convenue est remis à "
        "disposition."
    )
    doc.tableau(
        ["Jour", "Horaire", "Modalité", "Nombre de créneaux", "Confirmation la veille avant", "Commentaire"],
        [(jour.capitalize(), None, None, None, "16 h", None) for jour in s.JOURS[:5]],
        saisie=[False, True, True, True, True, True],
    )  # fmt: skip
    doc.intertitre("Article 5 — Suivi et évaluation")
    doc.paragraphe(
        f"Les indicateurs de suivi et leurs objectifs chiffrés, par service et par modalité, sont "
        f"dans la feuille « {s.FEUILLE_OBJECTIFS} ». Ils se mesurent sur la grille de recueil "
        "(coaching-xl compute grille.xlsx --contrat contrat.xlsx) et se partagent à chaque comité de "
        "surveillance."
    )
    doc.intertitre("Article 6 — Durée et revue annuelle")
    doc.paragraphe(
        "Le contrat prend effet à sa signature. Les parties en revoient les engagements chaque année, "
        "à partir des indicateurs de suivi."
    )
    doc.champ("Date d'effet", None, format_nombre=FORMAT_DATE_COURTE)
    doc.champ("Date de la prochaine revue", None, format_nombre=FORMAT_DATE_COURTE)
    doc.espace()
    doc.signatures(d.SIGNATAIRES_CONTRAT)
    doc.proteger()
    _objectifs(classeur.create_sheet(s.FEUILLE_OBJECTIFS))
    return classeur


def _objectifs(feuille: Worksheet) -> None:
    doc = Document(feuille, (30, 24, 16, 16, 16, 34), paysage=True)
    doc.titre("Indicateurs de suivi du contrat")
    doc.note(
        "Une ligne par service demandeur et modalité, écrits comme dans les listes de la grille de "
        "recueil (par exemple « Urgences » et « Scanner »). Délais en jours (objectif : au plus) ; "
        "part de RDV programmés en pourcentage (objectif : au moins). Une case vide n'est pas suivie."
    )
    premiere, derniere = doc.tableau(
        [c.entete for c in s.COLONNES_OBJECTIFS], [(None,) * len(s.COLONNES_OBJECTIFS)] * LIGNES_OBJECTIFS,
        saisie=[True] * len(s.COLONNES_OBJECTIFS),
        formats=[None, None, formats.NOMBRE, formats.NOMBRE, FORMAT_POURCENT, None],
    )  # fmt: skip
    _valider(feuille, _entier(s.DELAI_MIN, s.DELAI_MAX, "Délai cible"), f"C{premiere}:D{derniere}")
    part = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True,
        showErrorMessage=True, errorTitle="Part cible", error="Saisissez un pourcentage, par exemple 80 %.",
    )  # fmt: skip
    _valider(feuille, part, f"E{premiere}:E{derniere}")
    feuille.freeze_panes = f"A{premiere}"


# --- Feuille de route ---------------------------------------------------------------------------

PAYSAGE_ROUTE = (6, 30, 70, 13, 20, 12, 30)


def feuille_de_route(options: OptionsGrille) -> Workbook:
    """Les huit actions × les périodes entre jalons : chaque point de la check-list avec son
    statut, l'avancement par action et par période, le calendrier."""
    classeur = nouveau_classeur(TITRES_ANNEXES["feuille_de_route"])
    feuille = classeur.active
    feuille.title = "Feuille de route"
    periodes = options.calendrier.periodes()[1 : 1 + len(d.ETAPES)]
    doc = Document(feuille, PAYSAGE_ROUTE, paysage=True)
    doc.titre(f"Feuille de route — {options.identite.etablissement or 'établissement'}")
    _identite(doc, options)
    doc.note(
        "Pour chaque période entre deux jalons, les points de la check-list de chaque action. "
        "Statut : À faire, En cours, Fait ou Sans objet (menu déroulant) ; l'avancement se calcule "
        "seul dans la feuille Avancement."
    )
    plages: list[tuple[int, int]] = []
    for periode, etape in zip(periodes, d.ETAPES, strict=True):
        doc.intertitre(f"{periode.libelle} : du {date_longue(periode.debut)} au {date_longue(periode.fin)}")
        doc.paragraphe(f"Objectif : {etape.objectif}")
        lignes = []
        for action in d.ACTIONS:
            for rang, tache in enumerate(etape.taches.get(action.numero, ())):
                libelle = f"{action.libelle}" if rang == 0 else None
                lignes.append((action.numero, libelle, tache, d.STATUTS_TACHE[0], None, None, None))
        premiere, derniere = doc.tableau(
            ["N°", "Action", "Point de la check-list", "Statut", "Responsable", "Échéance", "Commentaire"],
            lignes, saisie=[False, False, False, True, True, True, True],
            formats=[None, None, None, None, None, FORMAT_DATE_COURTE, None],
        )  # fmt: skip
        plages.append((premiere, derniere))
        for r in range(premiere, derniere + 1):
            feuille.cell(r, 2).font = POLICE_GRAS
    _valider(feuille, _liste(d.STATUTS_TACHE, "Statut"), *(f"D{p}:D{q}" for p, q in plages))
    _valider(feuille, _date_valide(), *(f"F{p}:F{q}" for p, q in plages))
    doc.proteger()
    _avancement(classeur.create_sheet("Avancement"), feuille.title, periodes, plages)
    _calendrier(classeur.create_sheet("Calendrier"), options)
    return classeur


def _avancement(feuille: Worksheet, route: str, periodes, plages: list[tuple[int, int]]) -> None:
    """Part des points faits (hors « Sans objet ») par action et par période, en formules."""
    doc = Document(feuille, (6, 44, *(14,) * (len(periodes) + 1)), paysage=True)
    doc.titre("Avancement de la feuille de route")
    doc.note(
        "Part des points de la check-list marqués « Fait », sans compter ceux « Sans objet ». "
        "Calcul automatique."
    )
    nom = reference_feuille(route)
    fait, sans_objet = chaine(d.STATUTS_TACHE[2]), chaine(d.STATUTS_TACHE[3])

    def part(numeros: str | None, lignes: list[tuple[int, int]]) -> Formule:
        """La formule de la part faite sur ces blocs de lignes (et ces actions)."""
        faits, comptes = [], []
        for p, q in lignes:
            num, statut = f"{nom}!$A${p}:$A${q}", f"{nom}!$D${p}:$D${q}"
            filtre = f",{num},{numeros}" if numeros else ""
            faits.append(f"COUNTIFS({statut},{fait}{filtre})")
            comptes.append(f'COUNTIFS({statut},"<>"{filtre})-COUNTIFS({statut},{sans_objet}{filtre})')
        return Formule(f'=IFERROR(({"+".join(faits)})/({"+".join(comptes)}),"")')

    entetes = ["N°", "Action", *(p.libelle for p in periodes), "Ensemble"]
    lignes = [
        (
            a.numero,
            a.libelle,
            *(part(str(a.numero), [plage]) for plage in plages),
            part(str(a.numero), plages),
        )
        for a in d.ACTIONS
    ]
    lignes.append(
        (None, "Toutes les actions", *(part(None, [plage]) for plage in plages), part(None, plages))
    )
    premiere, derniere = doc.tableau(entetes, lignes)
    colonnes = f"C{premiere}:{get_column_letter(len(entetes))}{derniere}"
    for ligne in feuille[colonnes]:
        for cellule in ligne:
            cellule.number_format = formats.POURCENT_ENTIER
            cellule.alignment = Alignment(horizontal="center", vertical="center")
    for c in range(1, len(entetes) + 1):
        feuille.cell(derniere, c).font = POLICE_GRAS
        feuille.cell(derniere, c).fill = REMPLISSAGE_CLAIR
    feuille.conditional_formatting.add(
        colonnes,
        ColorScaleRule(start_type="num", start_value=0, start_color="F8696B",
                       mid_type="num", mid_value=0.5, mid_color="FFEB84",
                       end_type="num", end_value=1, end_color="63BE7B"),
    )  # fmt: skip
    doc.proteger()


def _calendrier(feuille: Worksheet, options: OptionsGrille) -> None:
    doc = Document(feuille, (8, 28, 30, 18, 60), paysage=True)
    doc.titre("Calendrier des jalons")
    doc.tableau(["Jalon", "Date", "Étape", "Horaire", "Lieu"], _lignes_calendrier(options.calendrier))
    doc.intertitre("Les périodes de travail")
    periodes = options.calendrier.periodes()[1 : 1 + len(d.ETAPES)]
    doc.tableau(
        ["Période", "Du", "Au", "Objectif"],
        [(p.libelle, date_longue(p.debut), date_longue(p.fin), e.objectif)
         for p, e in zip(periodes, d.ETAPES, strict=True)],
        [1, 1, 1, 2],
    )  # fmt: skip
    doc.proteger()


ANNEXES = {
    CONVENTION: convention,
    EQUIPE_PROJET: equipe_projet,
    CONTRAT: contrat,
    FEUILLE_DE_ROUTE: feuille_de_route,
}
"""Nom du fichier → fonction qui construit le classeur."""
