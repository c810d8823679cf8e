"""Malcom (MALCOM.md) : son vocabulaire, la disposition de son classeur et ses codes d'anomalie,
déclarés une fois — l'écriture du classeur (``recueil.malcom``), le moteur (``moteur.malcom``)
et les feuilles de résultats (``rapports.malcom``) les importent tous trois.

Rien ici n'importe openpyxl : le moteur le lit sans charger l'écrivain.
"""

from __future__ import annotations

from dataclasses import dataclass

MODELE = "malcom"
VERSION_MODELE = 1
TITRE = "Malcom — organisation du temps médical — Coaching Imagerie"
"""Le titre inscrit dans les propriétés du classeur généré (socle.ouvrages le reconnaît)."""

# --- Vocabulaire (§2) -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemiJournee:
    code: str
    libelle: str
    colonne_act: int
    """Colonne (1 = A) de l'Act de cette ½ journée dans « 2 Tableau » ; le Tps est à sa droite."""


@dataclass(frozen=True)
class Creneau:
    """Un créneau de permanence des soins."""

    code: str
    jour: str
    libelle: str
    categorie: str
    colonne: int
    recuperation_ga: float
    """La récupération par défaut d'une garde (heures)."""


@dataclass(frozen=True)
class Categorie:
    code: str
    libelle: str


@dataclass(frozen=True)
class TypePds:
    id: str
    libelle: str
    ligne_tableau_de_bord: str
    cle_par_an: str
    """L'en-tête de sa colonne « … / an » dans la synthèse par praticien."""


JOURS_OUVRES = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi")
_ABREGES = {"Lundi": "lun", "Mardi": "mar", "Mercredi": "mer", "Jeudi": "jeu", "Vendredi": "ven"}


def _demi_journees() -> tuple[DemiJournee, ...]:
    liste = []
    for rang, jour in enumerate(JOURS_OUVRES):
        base = 2 + 6 * rang
        court = _ABREGES[jour]
        liste.append(DemiJournee(f"{court}_matin", f"{court.capitalize()} matin", base))
        liste.append(DemiJournee(f"{court}_apres_midi", f"{court.capitalize()} après-midi", base + 2))
    liste.append(DemiJournee("sam_matin", "Sam matin", 32))
    return tuple(liste)


DEMI_JOURNEES = _demi_journees()
"""Les 11 ½ journées qui portent des activités, dans l'ordre des graphiques."""

CATEGORIES = (
    Categorie("soiree", "Soirée < 24h"),
    Categorie("nuit_profonde", "Nuit profonde > 24h"),
    Categorie("samedi_apres_midi", "Samedi après-midi"),
    Categorie("soiree_we", "Soirée WE < 24h"),
    Categorie("nuit_profonde_we", "Nuit profonde WE > 24h"),
    Categorie("dimanche_matin", "Dimanche matin"),
    Categorie("dimanche_apres_midi", "Dimanche après-midi"),
)


def _creneaux() -> tuple[Creneau, ...]:
    liste = []
    for rang, jour in enumerate(JOURS_OUVRES):
        base = 2 + 6 * rang
        court = _ABREGES[jour]
        nuit = 4.0 if jour == "Vendredi" else 8.0
        liste.append(Creneau(f"{court}_soiree", jour, "Soirée < 24h", "soiree", base + 4, 0.0))
        liste.append(Creneau(f"{court}_nuit", jour, "Nuit profonde > 24h", "nuit_profonde", base + 5, nuit))
    liste += [
        Creneau("sam_apres_midi", "Samedi", "Après-midi", "samedi_apres_midi", 34, 0.0),
        Creneau("sam_soiree", "Samedi", "Soirée < 24h", "soiree_we", 35, 0.0),
        Creneau("sam_nuit", "Samedi", "Nuit profonde > 24h", "nuit_profonde_we", 36, 0.0),
        Creneau("dim_matin", "Dimanche", "Matin", "dimanche_matin", 37, 0.0),
        Creneau("dim_apres_midi", "Dimanche", "Après-midi", "dimanche_apres_midi", 38, 0.0),
        Creneau("dim_soiree", "Dimanche", "Soirée < 24h", "soiree_we", 39, 0.0),
        Creneau("dim_nuit", "Dimanche", "Nuit profonde > 24h", "nuit_profonde_we", 40, 8.0),
    ]
    return tuple(liste)


CRENEAUX = _creneaux()
"""Les 17 créneaux de PDS, dans l'ordre de §2 (et des lignes du tableau des récupérations)."""

TYPES_PDS = (
    TypePds("Ga", "Garde", "Gardes", "Gardes / an"),
    TypePds(
        "AsOp", "Astreinte opérationnelle", "Astreintes opérationnelles", "Astreintes opérationnelles / an"
    ),
    TypePds("AsSec", "Astreinte de sécurité", "Astreintes de sécurité", "Astreintes de sécurité / an"),
)
IDS_PDS = tuple(t.id for t in TYPES_PDS)

PERIODES = ("A", "B", "C")
SEMAINES_DEFAUT = {"A": 42, "B": 6, "C": 4}
TAUX_DEFAUT = {"B": 0.25, "C": 0.60}
VENTILATIONS = {"equitable": "Répartition équitable", "prorata_quotite": "Prorata des quotités de temps"}
OUI, NON = "Oui", "Non"
PDS = "PDS"
QUOTITES = tuple(q / 100 for q in range(100, 0, -10))
"""Les quotités du menu (100 % … 10 %), suivies de « PDS »."""
ORIENTATIONS = ("insuffisant", "adequat", "marge")

# --- Feuilles et disposition (§3) ----------------------------------------------------------

FEUILLE_PARAMETRAGE = "0 Paramétrage"
FEUILLE_ACTIVITES = "1 Activités"
FEUILLE_TABLEAU = "2 Tableau"
FEUILLE_RESSOURCES = "3 Ressources"
FEUILLE_BASE = "8 Ressources base"
FEUILLE_MODE_EMPLOI = "Mode d'emploi"
FEUILLE_META = "_malcom"
FEUILLES_ATTENDUES = (FEUILLE_PARAMETRAGE, FEUILLE_ACTIVITES, FEUILLE_TABLEAU)


@dataclass(frozen=True)
class Parametre:
    cle: str
    libelle: str
    nom_defini: str
    ligne: int
    """Ligne de « 0 Paramétrage » (valeur en colonne B)."""


PARAMETRES = (
    Parametre("etablissement", "Établissement", "malcom_etablissement", 3),
    Parametre("pole", "Pôle", "malcom_pole", 4),
    Parametre("service", "Service", "malcom_service", 5),
    Parametre("chef_service", "Chef de service", "malcom_chef_service", 6),
    Parametre("annee", "Année modélisée", "malcom_annee", 7),
    Parametre("ventilation", "Ventilation des lignes de garde", "malcom_ventilation", 8),
    Parametre(
        "recup_affectees", "Imputer la récupération des PDS déjà affectées", "malcom_recup_affectees", 9
    ),
    Parametre("seuil_marge", "Seuil de marge notable", "malcom_seuil_marge", 10),
    Parametre("duree_max", "Durée maximale d'une ½ journée", "malcom_duree_max_demi_journee", 11),
)
PARAMETRE = {p.cle: p for p in PARAMETRES}
SEUIL_MARGE_DEFAUT = 0.10
DUREE_MAX_DEFAUT = 5.0
LIGNE_TITRE_RECUPERATION = 13
LIGNE_ENTETE_RECUPERATION = 14
"""« Jour », « Créneau », « Ga », « AsOp », « AsSec » ; les 17 créneaux en dessous."""
ENTETES_RECUPERATION = ("Jour", "Créneau", *IDS_PDS)
NOM_RECUPERATION = "malcom_recuperation"
COLONNE_LISTES = 8
"""Colonne H de « 0 Paramétrage » : les listes fixes (types de PDS, quotités, ventilations,
Oui/Non), verrouillées."""
LISTES_FIXES = {
    "malcom_types_pds": ("Types de PDS", IDS_PDS),
    "malcom_quotites": ("Quotités", (*QUOTITES, PDS)),
    "malcom_choix_ventilation": ("Ventilation", tuple(VENTILATIONS.values())),
    "malcom_oui_non": ("Oui / Non", (NON, OUI)),
}

# 1 Activités
LIGNE_ENTETE_ACTIVITES = 3
PREMIERE_ACTIVITE = 4
ACTIVITES_DEFAUT = 20
ENTETES_ACTIVITES = (
    "Activité",
    "Id",
    "Marqueur",
    "Quantité",
    "Durée",
    "Objectif annuel",
    "Taux période B",
    "Taux période C",
    "Temps alloué",
    "Productivité horaire",
)
ID_MAX = 10
ACTIVITES_MODELE = (
    ("Salle", "Salle"),
    ("Consultations", "Cons"),
    ("Staff", "Staff"),
    ("Enseignement", "Ens"),
    ("Administratif", "Adm"),
    ("Activité d'intérêt général", "IG"),
)

# 2 Tableau
LIGNES_PERIODES = {"A": 5, "B": 6, "C": 7}
LIGNE_TOTAL_PERIODES = 8
COLONNES_PERIODES = ("Période", "Semaines / an", "Taux d'activité", "Semaines types")
LIBELLES_PERIODES = {"A": "A — régime de croisière", "B": "B", "C": "C"}
NOMS_PERIODES = {
    "semaines_A": "malcom_semaines_A",
    "semaines_B": "malcom_semaines_B",
    "semaines_C": "malcom_semaines_C",
    "taux_B": "malcom_taux_B",
    "taux_C": "malcom_taux_C",
    "semaines_types": "malcom_semaines_types",
}
BLOCS_DEFAUT = 30
LIGNES_PAR_BLOC = 5
SEMAINES = {1: (10, 14), 2: (166, 170)}
"""Semaine type → (ligne du bandeau, première ligne du premier bloc), pour 30 blocs."""
COLONNE_NOM, COLONNE_QUOTITE, COLONNE_NON_PARTICIPATION = 1, 41, 42
COLONNE_TOTAL, COLONNE_DEMI_JOURNEES = 43, 44
COLONNE_DERNIERE_SAISIE = 40
TPS_MAX = 12.0


def premiere_ligne_semaine(semaine: int, blocs: int = BLOCS_DEFAUT) -> int:
    """La première ligne du premier bloc de la semaine type ``semaine``."""
    if semaine == 1:
        return SEMAINES[1][1]
    return ligne_bandeau(2, blocs) + 4


def ligne_bandeau(semaine: int, blocs: int = BLOCS_DEFAUT) -> int:
    if semaine == 1:
        return SEMAINES[1][0]
    return SEMAINES[1][1] + LIGNES_PAR_BLOC * blocs + 2


def lignes_du_bloc(bloc: int, semaine: int = 1, blocs: int = BLOCS_DEFAUT) -> range:
    """Les 5 lignes du bloc ``bloc`` (à partir de 1)."""
    debut = premiere_ligne_semaine(semaine, blocs) + LIGNES_PAR_BLOC * (bloc - 1)
    return range(debut, debut + LIGNES_PAR_BLOC)


# 8 Ressources base : en-têtes des tables (§3.4)
ENTETES_HEURES = (
    "Praticien",
    "Quotité",
    "Participe PDS",
    "Activité",
    "Id",
    "Heures semaine type",
    "Coefficient annuel",
    "Heures annuelles",
    "Récupération imputée",
    "Heures redressées",
    "Marqueur",
    "Potentiel",
)
ENTETES_PDS = (
    "Bloc",
    "Type de bloc",
    "PDS",
    "Créneau",
    "Catégorie",
    "Par semaine",
    "Affectées / an",
    "Ventilées / an",
    "Redressées / an",
    "Par mois",
    "Récupération (h)",
)
ENTETES_PRATICIENS = (
    "Praticien",
    "Quotité",
    "Participe PDS",
    "Part de ventilation",
    "Heures semaine type",
    "Heures annuelles",
    "Récupération (h)",
    "Coefficient de redressement",
    "Heures redressées",
    "Part du temps du service",
    *(t.cle_par_an for t in TYPES_PDS),
)
ENTETES_ACTIVITES_SYNTHESE = (
    "Activité",
    "Id",
    "Marqueur",
    "Heures semaine type",
    "Heures annuelles",
    "Heures redressées",
    "Part du temps du service",
    "Potentiel",
    "Objectif annuel",
    "Écart",
    "Écart relatif",
    "Orientation",
    "Heures / semaine à ajuster",
)
ENTETES_LIGNES_PDS = ("Ligne", "PDS", "Par semaine", "Par an", "Ventilée")
TYPE_BLOC_PRATICIEN, TYPE_BLOC_LIGNE = "Praticien", "Ligne PDS"

# Résultats greffés (§6)
FEUILLE_RESULTATS = "Malcom résultats"
FEUILLE_ANOMALIES = "Malcom anomalies"

# --- Anomalies (§5) -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeMalcom:
    code: str
    gravite: str
    message: str
    """Modèle ``str.format`` ; champs : ``valeur`` (citée), ``proposition`` (« (vouliez-vous dire
    « EnC » ?) » ou rien), et ceux que chaque contrôle fournit."""


def _codes(*codes: CodeMalcom) -> dict[str, CodeMalcom]:
    return {c.code: c for c in codes}


E, A, INFO = "erreur", "avertissement", "info"
CODES = _codes(
    CodeMalcom(
        "modele-inconnu",
        E,
        "{fichier} n'est pas un classeur Malcom (ni feuille _malcom, ni onglets "
        "« 0 Paramétrage », « 1 Activités », « 2 Tableau ») : générez-en un avec « coaching-xl malcom "
        "generate ».",
    ),
    CodeMalcom(
        "parametre-invalide",
        E,
        "« {libelle} » : {valeur_citee} ne convient pas ({attendu}) ; "
        "la valeur par défaut ({defaut}) est utilisée. Choisissez une valeur dans la liste.",
    ),
    CodeMalcom(
        "periode-invalide",
        E,
        "Période {periode} : {valeur_citee} ne convient pas ({attendu}) ; la "
        "valeur par défaut ({defaut}) est utilisée.",
    ),
    CodeMalcom(
        "semaines-incoherentes",
        A,
        "Les périodes A, B et C font {valeur} semaines au lieu de 52 : "
        "vérifiez les semaines par an (le calcul garde ces valeurs).",
    ),
    CodeMalcom(
        "semaine-type-2-vide",
        E,
        "« Semaines types » vaut 2 mais la semaine type 2 est vide : le calcul "
        "se fait sur la seule semaine type 1. Remplissez la semaine 2, ou choisissez 1.",
    ),
    CodeMalcom(
        "semaine-type-2-ignoree",
        INFO,
        "La semaine type 2 est remplie mais « Semaines types » vaut 1 : elle "
        "n'est pas comptée. Choisissez 2 pour la prendre en compte.",
    ),
    CodeMalcom(
        "activite-libelle-manquant",
        E,
        "Ligne {ligne} : l'activité n'a pas de libellé (colonne "
        "« Activité ») : la ligne n'est pas prise en compte. Donnez-lui un libellé complet.",
    ),
    CodeMalcom(
        "activite-id-manquant",
        E,
        "« {libelle} » n'a pas d'Id : la ligne n'est pas prise en compte. "
        "Donnez-lui un Id court (1 à 10 lettres ou chiffres).",
    ),
    CodeMalcom(
        "activite-id-invalide",
        E,
        "Id {valeur_citee} invalide : 1 à 10 caractères, lettres, chiffres, « - » "
        "ou « _ », pas seulement des chiffres. La ligne n'est pas prise en compte.",
    ),
    CodeMalcom(
        "activite-id-doublon",
        E,
        "Id {valeur_citee} déjà employé plus haut ({autre}, sans égard à la "
        "casse ni aux accents) : la ligne n'est pas prise en compte. Choisissez un autre Id.",
    ),
    CodeMalcom(
        "activite-id-reserve",
        E,
        "Id {valeur_citee} réservé aux types de PDS (Ga, AsOp, AsSec) : la "
        "ligne n'est pas prise en compte. Choisissez un autre Id.",
    ),
    CodeMalcom(
        "temps-alloue-incomplet",
        E,
        "« {libelle} » : {manque} manque, le temps alloué est incomplet : "
        "pas de potentiel calculé. Renseignez Quantité et Durée, ou aucune des deux.",
    ),
    CodeMalcom(
        "temps-alloue-invalide",
        E,
        "« {libelle} » : {valeur_citee} ne convient pas pour {champ} "
        "({attendu}){proposition} : pas de potentiel calculé.",
    ),
    CodeMalcom(
        "marqueur-manquant",
        A,
        "« {libelle} » a un temps alloué mais pas de marqueur (« actes », "
        "« consultations »…) : ajoutez-le pour lire son potentiel.",
    ),
    CodeMalcom(
        "objectif-invalide",
        E,
        "« {libelle} » : objectif {valeur_citee} invalide (un nombre entier "
        "positif ou nul) : il n'est pas comparé.",
    ),
    CodeMalcom(
        "objectif-sans-temps-alloue",
        A,
        "« {libelle} » a un objectif mais ni Quantité ni Durée : il ne "
        "peut pas être comparé. Renseignez le temps alloué.",
    ),
    CodeMalcom(
        "taux-invalide",
        E,
        "« {libelle} » : taux {valeur_citee} hors de 0 % – 200 % ; le taux de la période est utilisé.",
    ),
    CodeMalcom(
        "praticien-sans-nom",
        E,
        "Le bloc des lignes {lignes} a un contenu mais pas de nom (colonne A) : "
        "il est ignoré. Donnez-lui un nom.",
    ),
    CodeMalcom(
        "praticien-doublon",
        E,
        "{valeur_citee} est déjà le nom d'un bloc plus haut : ce second bloc est "
        "ignoré. Donnez-lui un autre nom.",
    ),
    CodeMalcom(
        "quotite-invalide", E, "Quotité {valeur_citee} invalide (1 % à 100 %, ou PDS) : 100 % est utilisé."
    ),
    CodeMalcom("quotite-par-defaut", INFO, "{nom} n'a pas de quotité : 100 % est utilisé."),
    CodeMalcom(
        "activite-inconnue",
        E,
        "{valeur_citee} n'est pas un Id de l'onglet 1 Activités{proposition} : "
        "cette activité et sa durée ne sont pas comptées.",
    ),
    CodeMalcom(
        "duree-manquante",
        E,
        "{valeur_citee} sans durée (ou 0:00) : ajoutez le temps consacré dans la "
        "cellule Tps, au format h:mm (ex. 3:30).",
    ),
    CodeMalcom(
        "duree-sans-activite",
        E,
        "Une durée ({valeur}) sans activité : choisissez l'Id de l'activité dans la cellule Act à sa gauche.",
    ),
    CodeMalcom(
        "duree-invalide",
        E,
        "Durée {valeur_citee} invalide (de 0:01 à 12:00, au format h:mm)"
        "{proposition} : cette activité n'est pas comptée.",
    ),
    CodeMalcom(
        "demi-journee-surchargee",
        A,
        "{nom}, {demi_journee} : {valeur} d'activités, plus que la durée "
        "maximale d'une ½ journée ({maximum}). Vérifiez les durées.",
    ),
    CodeMalcom(
        "activite-doublon-demi-journee",
        INFO,
        "{nom}, {demi_journee} : {valeur_citee} apparaît deux fois ; les durées sont additionnées.",
    ),
    CodeMalcom(
        "valeur-a-normaliser",
        A,
        "{valeur_citee} n'est reconnu {comment} : le calcul le compte, mais pas les formules du "
        "classeur. {conduite}",
    ),
    CodeMalcom(
        "pds-valeur-hors-liste",
        E,
        "{valeur_citee} n'est pas un type de PDS (Ga, AsOp, AsSec)"
        "{proposition} : cette cellule n'est pas comptée.",
    ),
    CodeMalcom(
        "pds-doublon-creneau",
        A,
        "{nom} tient {valeur} PDS sur le créneau {creneau} d'une même semaine : vérifiez.",
    ),
    CodeMalcom(
        "ligne-pds-avec-activites",
        A,
        "Le bloc {nom} est une ligne de PDS : ses activités ({valeur_citee}…) sont ignorées.",
    ),
    CodeMalcom(
        "ligne-pds-vide",
        A,
        "La ligne de PDS {nom} n'a aucune PDS : indiquez Ga, AsOp ou AsSec dans ses "
        "créneaux, ou videz le bloc.",
    ),
    CodeMalcom(
        "non-participant-avec-pds",
        A,
        "{nom} ne participe pas à la PDS mais tient des PDS affectées : elles restent comptées.",
    ),
    CodeMalcom(
        "aucun-participant",
        E,
        "Des lignes de PDS existent mais aucun praticien n'y participe : elles ne "
        "sont pas ventilées. Mettez « Non » en « Non participation PDS » pour au moins un praticien.",
    ),
    CodeMalcom(
        "recuperation-superieure",
        A,
        "{nom} : la récupération ({valeur}) dépasse ses heures annuelles : "
        "ses heures redressées sont nulles et l'excédent est perdu.",
    ),
    CodeMalcom(
        "quotite-demi-journees",
        INFO,
        "{nom} : {valeur} ½ journées remplies pour une quotité de {quotite} "
        "(soit {attendues} ½ journées) : vérifiez la semaine type ou la quotité.",
    ),
)
GRAVITES = (E, A, INFO)
