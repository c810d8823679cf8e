"""Le schéma de la grille de recueil : la seule définition de ses colonnes, libellés et listes.

Le générateur (feuilles, validations, formules du tableau de bord), le moteur (lecture,
contrôles, indicateurs), la consolidation et les rapports lisent tout ici : un libellé
n'existe qu'une fois. Les indicateurs sont déclarés (numérateur, dénominateur, filtre) ;
le tableau de bord les traduit en formules Excel, le moteur en calculs pandas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from recueil.references import plage
from socle import formats

MODELE = "coaching-xl/grille-recueil"
VERSION_MODELE = "2.0"

TITRE_ORGANISME = "ARS Île-de-France — Cellule Performance"
TITRE_GRILLE = "Coaching Imagerie — Recueil"

FEUILLE_RECUEIL = "Recueil"
FEUILLE_TABLEAU_DE_BORD = "Tableau de bord"
FEUILLE_LISTES = "Listes"
FEUILLE_PARAMETRES = "Paramètres"
FEUILLE_MODE_EMPLOI = "Mode d'emploi"
FEUILLE_META = "Métadonnées"
FEUILLE_CALCULS = "Calculs"
"""Masquée : ce que le tableau de bord lit de chaque ligne (voir ``recueil.tableau_de_bord``)."""

LIGNE_ENTETE = 4
"""Ligne des en-têtes de la feuille Recueil ; les données commencent juste dessous."""
PREMIERE_LIGNE = LIGNE_ENTETE + 1
DERNIERE_LIGNE_EXCEL = 1_048_576
LIGNES_PAR_DEFAUT = 50_000
LIGNES_MAX = DERNIERE_LIGNE_EXCEL - LIGNE_ENTETE

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
DELAI_MIN = 0
DELAI_MAX = 365
FORMAT_DATE = formats.DATE_LONGUE


@dataclass(frozen=True)
class TypeRdv:
    """Un type de rendez-vous de la colonne D : code court, clé JSON, libellé exact."""

    code: str
    cle: str
    libelle: str
    definition: str


HONORE = TypeRdv(
    "H",
    "honores",
    "Programmé honoré",
    "rendez-vous pris au moins la veille (≥ J-1) ; le patient est venu.",
)
NON_HONORE = TypeRdv(
    "NH",
    "non_honores",
    "Programmé non-honoré",
    "rendez-vous pris au moins la veille (≥ J-1) ; le patient n'est pas venu, "
    "ou trop tard pour être examiné.",
)
NON_PROGRAMME = TypeRdv(
    "NP",
    "non_programmes",
    "Non programmé",
    "demande du jour même (J) : urgences, patients ajoutés dans la journée.",
)
TYPES_RDV: tuple[TypeRdv, ...] = (HONORE, NON_HONORE, NON_PROGRAMME)
TYPES_PAR_CODE = {t.code: t for t in TYPES_RDV}
PROGRAMMES = ("H", "NH")
REALISES = ("H", "NP")
"""Examens réalisés : ceux qui ont un compte-rendu."""


@dataclass(frozen=True)
class Colonne:
    """Une colonne de la feuille Recueil, avec son aide à la saisie et son message d'erreur."""

    cle: str
    lettre: str
    entete: str
    nom_defini: str
    largeur: float
    aide_titre: str
    aide: str
    erreur_titre: str
    erreur: str
    autres_entetes: tuple[str, ...] = ()
    """Autres intitulés reconnus à la relecture (grilles anciennes ou retouchées)."""
    obligatoire: bool = True
    """Une grille sans cette colonne est refusée ; les délais, eux, sont facultatifs (v1.2)."""

    @property
    def plage(self) -> str:
        """La colonne entière sous l'en-tête, en référence absolue (pour les noms définis)."""
        return plage(FEUILLE_RECUEIL, self.lettre, PREMIERE_LIGNE, DERNIERE_LIGNE_EXCEL)


COLONNES: tuple[Colonne, ...] = (
    Colonne(
        "date",
        "A",
        "Date",
        "R_Date",
        27,
        "Date",
        "Jour de l'examen ou du rendez-vous, par exemple 06/09/2010. Ctrl+; insère la date du jour.",
        "Date refusée",
        "Saisissez une date entre le 01/01/2000 et le 31/12/2100, par exemple 06/09/2010.",
        ("Date de l'examen", "Date du rendez-vous", "Date du RDV", "Jour"),
    ),
    Colonne(
        "modalite",
        "B",
        "Type d'activité",
        "R_Modalite",
        27,
        "Type d'activité",
        "Modalité ou équipement : choisissez dans la liste (Alt+↓). "
        "La liste se modifie dans la feuille Listes.",
        "Type d'activité inconnu",
        "Choisissez un type d'activité dans le menu déroulant. Pour en ajouter un, "
        "complétez la colonne Modalités de la feuille Listes.",
        ("Modalité", "Équipement", "Type d'équipement", "Type d'examen"),
    ),
    Colonne(
        "provenance",
        "C",
        "Provenance du patient",
        "R_Provenance",
        27,
        "Provenance du patient",
        "D'où vient le patient ou la demande : choisissez dans la liste (Alt+↓). "
        "La liste se modifie dans la feuille Listes.",
        "Provenance inconnue",
        "Choisissez une provenance dans le menu déroulant. Pour en ajouter une, "
        "complétez la colonne Provenances de la feuille Listes.",
        ("Provenance", "Service demandeur", "Origine du patient"),
    ),
    Colonne(
        "type_rdv",
        "D",
        "Type de rendez-vous",
        "R_Type",
        24,
        "Type de rendez-vous",
        "Programmé honoré : pris au moins la veille, patient venu. "
        "Programmé non-honoré : pris au moins la veille, patient absent ou trop en retard. "
        "Non programmé : demandé le jour même.",
        "Type de rendez-vous inconnu",
        "Choisissez Programmé honoré, Programmé non-honoré ou Non programmé dans le menu déroulant.",
        ("Type de RDV", "Type RDV"),
    ),
    Colonne(
        "delai_rdv",
        "E",
        "Délai d'obtention du RDV (jours)",
        "R_DelaiRDV",
        17,
        "Délai d'obtention (jours)",
        "Nombre de jours entre la demande et le rendez-vous, pour un rendez-vous "
        "programmé (honoré ou non). Laissez vide pour un non programmé.",
        "Délai refusé",
        "Saisissez un nombre entier de jours entre 0 et 365, ou laissez la cellule vide.",
        ("Délai d'obtention du RDV", "Délai d'obtention", "Délai RDV", "Délai de rendez-vous"),
        False,
    ),
    Colonne(
        "delai_cr",
        "F",
        "Délai de compte-rendu (jours)",
        "R_DelaiCR",
        17,
        "Délai de compte-rendu (jours)",
        "Nombre de jours entre l'examen et le compte-rendu validé (0 = le jour même). "
        "Laissez vide pour un rendez-vous non honoré.",
        "Délai refusé",
        "Saisissez un nombre entier de jours entre 0 et 365, ou laissez la cellule vide.",
        ("Délai de compte rendu", "Délai du compte-rendu", "Délai CR"),
        False,
    ),
)
COLONNES_PAR_CLE = {c.cle: c for c in COLONNES}
ENTETES = tuple(c.entete for c in COLONNES)


@dataclass(frozen=True)
class Liste:
    """Une liste modifiable de la feuille Listes, source d'un menu déroulant."""

    cle: str
    titre: str
    nom_defini: str
    emplacements: int
    defaut: tuple[str, ...]
    colonne: str
    lettre: str
    """Colonne de la feuille Listes où l'utilisateur saisit les libellés."""
    lettres_calcul: tuple[str, str]
    """Colonnes masquées qui compactent la liste (rang, libellé) pour le menu déroulant."""


LISTES_LIGNE_ENTETE = 4
MODALITES = Liste(
    "modalites",
    "Modalités",
    "Modalites",
    10,
    ("Radiologie conventionnelle", "Scanner", "IRM", "Echographie", "Radiologie interventionnelle"),
    "modalite",
    "A",
    ("H", "I"),
)
PROVENANCES = Liste(
    "provenances",
    "Provenances",
    "Provenances",
    15,
    ("Externe", "Urgences", *(f"Hospi - Service {i}" for i in range(1, 14))),
    "provenance",
    "C",
    ("J", "K"),
)
LISTES: tuple[Liste, ...] = (MODALITES, PROVENANCES)
LIBELLE_MAX = 255


@dataclass(frozen=True)
class Parametre:
    """Un champ de la feuille Paramètres (colonne A : libellé, colonne B : valeur)."""

    cle: str
    libelle: str
    nom_defini: str
    aide: str


PARAMETRES: tuple[Parametre, ...] = (
    Parametre(
        "etablissement",
        "Établissement",
        "P_Etablissement",
        "Nom de l'établissement tel qu'il apparaîtra dans la consolidation régionale.",
    ),
    Parametre("finess", "FINESS", "P_Finess", "Numéro FINESS à 9 caractères."),
    Parametre("dt", "Délégation territoriale (DT)", "P_DT", "Par exemple DT 75."),
    Parametre(
        "referent_indicateurs",
        "Référent indicateurs",
        "P_ReferentIndicateurs",
        "Personne qui remplit ou fait remplir la grille.",
    ),
    Parametre(
        "referent_dt",
        "Référent DT",
        "P_ReferentDT",
        "Référent de la délégation territoriale qui accompagne l'établissement.",
    ),
    Parametre(
        "date_debut",
        "Début du recueil",
        "P_DateDebut",
        "Premier jour du recueil ; le tableau de bord compte les semaines à partir de là.",
    ),
    Parametre(
        "date_fin",
        "Fin du recueil",
        "P_DateFin",
        "Dernier jour prévu du recueil (par défaut, le jalon de clôture).",
    ),
    Parametre("rythme", "Rythme de recueil", "P_Rythme", "Tous les jours, ou 1 jour par semaine."),
)
PARAMETRES_PAR_CLE = {p.cle: p for p in PARAMETRES}
RYTHMES = ("Tous les jours", "1 jour par semaine")


@dataclass(frozen=True)
class Tranche:
    """Une tranche de délai, bornes incluses ; ``maximum`` absent = sans borne haute."""

    cle: str
    libelle: str
    minimum: int
    maximum: int | None


TRANCHES_CR: tuple[Tranche, ...] = (
    Tranche("J0", "J0 (le jour même)", 0, 0),
    Tranche("J1", "J1", 1, 1),
    Tranche("J2", "J2", 2, 2),
    Tranche("J3", "J3", 3, 3),
    Tranche("J4-J7", "J4 à J7", 4, 7),
    Tranche(">J7", "Au-delà de J7", 8, None),
)
TRANCHES_DELAI_RDV: tuple[Tranche, ...] = (
    Tranche("0-7", "0 à 7 jours", 0, 7),
    Tranche("8-14", "8 à 14 jours", 8, 14),
    Tranche("15-30", "15 à 30 jours", 15, 30),
    Tranche("31-60", "31 à 60 jours", 31, 60),
    Tranche(">60", "Plus de 60 jours", 61, None),
)


@dataclass(frozen=True)
class Taux:
    """Un taux : lignes des types ``numerateur`` / lignes des types ``denominateur``."""

    cle: str
    libelle: str
    numerateur: tuple[str, ...]
    denominateur: tuple[str, ...]
    formule: str


@dataclass(frozen=True)
class Delai:
    """Un délai : statistiques de la colonne ``colonne`` sur les lignes des ``types``."""

    cle: str
    libelle: str
    colonne: str
    types: tuple[str, ...]
    formule: str
    seuil_part: int | None = None
    """Si renseigné, la part des délais ≤ ce seuil est aussi un indicateur."""
    libelle_part: str | None = None
    cle_part: str | None = None
    nom: str = ""
    """Le délai sans sa statistique (« Délai d'obtention ») : « … médian », « …, 90e centile »."""


TAUX_PROGRAMMES = Taux(
    "taux_programmes",
    "Taux de RDV programmés",
    PROGRAMMES,
    ("H", "NH", "NP"),
    "(H + NH) / (H + NH + NP)",
)
TAUX_NON_HONORES = Taux(
    "taux_non_honores",
    "Taux de RDV programmés non honorés",
    ("NH",),
    PROGRAMMES,
    "NH / (H + NH)",
)
DELAI_RDV = Delai(
    "delai_rdv",
    "Délai moyen d'obtention de RDV (jours)",
    "delai_rdv",
    PROGRAMMES,
    "moyenne de la colonne E sur les RDV programmés (H et NH) dont le délai est renseigné",
    nom="Délai d'obtention",
)
DELAI_CR = Delai(
    "delai_cr",
    "Délai moyen de compte-rendu (jours)",
    "delai_cr",
    REALISES,
    "moyenne de la colonne F sur les examens réalisés (H et NP) dont le délai est renseigné",
    seuil_part=2,
    libelle_part="Part des comptes-rendus en 48 h ou moins",
    cle_part="part_48h",
    nom="Délai de compte-rendu",
)
TAUX: tuple[Taux, ...] = (TAUX_PROGRAMMES, TAUX_NON_HONORES)
DELAIS: tuple[Delai, ...] = (DELAI_RDV, DELAI_CR)


@dataclass(frozen=True)
class Affiche:
    """Un indicateur tel qu'on le montre — colonne des tableaux d'indicateurs du moteur,
    libellé, format (« entier », « pourcent », « jours ») — dans les feuilles de résultats, la
    consolidation, la fiche PDF et le résumé du terminal : une seule définition."""

    cle: str
    libelle: str
    format: str


AFFICHES: tuple[Affiche, ...] = (
    *(Affiche(t.cle, f"{t.libelle} ({t.code})", "entier") for t in TYPES_RDV),
    Affiche("total", "Total", "entier"),
    *(Affiche(t.cle, t.libelle, "pourcent") for t in TAUX),
    *(
        affiche
        for d in DELAIS
        for affiche in (
            Affiche(f"{d.cle}_moyenne", d.libelle, "jours"),
            Affiche(f"{d.cle}_mediane", f"{d.nom} médian (jours)", "jours"),
            Affiche(f"{d.cle}_p90", f"{d.nom}, 90e centile (jours)", "jours"),
        )
    ),
    Affiche(f"{DELAI_CR.cle}_{DELAI_CR.cle_part}", DELAI_CR.libelle_part or "", "pourcent"),
)
"""Dans l'ordre où les tableaux d'indicateurs les montrent."""
AFFICHE = {a.cle: a for a in AFFICHES}


@dataclass(frozen=True)
class Vraisemblance:
    """La plage où un indicateur tombe d'ordinaire en imagerie : hors d'elle, le chiffre n'est
    pas faux, mais il faut regarder la saisie. Un avertissement, jamais un blocage."""

    cle: str
    """La colonne du tableau d'indicateurs."""
    libelle: str
    minimum: float
    maximum: float
    format: str
    """« pourcent » (fraction) ou « jours »."""
    conseil: str


VRAISEMBLANCES: tuple[Vraisemblance, ...] = (
    Vraisemblance(
        TAUX_NON_HONORES.cle,
        TAUX_NON_HONORES.libelle,
        0.01,
        0.25,
        "pourcent",
        "vérifiez que les RDV manqués sont saisis « Programmé non-honoré » et que les RDV honorés "
        "le sont aussi",
    ),
    Vraisemblance(
        f"{DELAI_RDV.cle}_moyenne",
        DELAI_RDV.libelle,
        0,
        120,
        "jours",
        "vérifiez que la colonne E compte des jours (et non des semaines ou des heures)",
    ),
)
"""Taux de non-honorés de 1 à 25 % (publications en imagerie : ≈ 4 % en IRM, 7 % au scanner,
davantage en radiologie conventionnelle) ; délai moyen d'obtention de 0 à 120 jours."""


@dataclass(frozen=True)
class Comparaison:
    """Un indicateur que la consolidation compare d'un établissement à l'autre : sa colonne
    (libellé et format : ceux de ``AFFICHE``), le sens du progrès, un libellé court."""

    cle: str
    plus_haut_mieux: bool
    court: str
    """Le libellé dans un tableau étroit (fiche PDF)."""

    @property
    def libelle(self) -> str:
        return AFFICHE[self.cle].libelle

    @property
    def format(self) -> str:
        return AFFICHE[self.cle].format


COMPARAISONS: tuple[Comparaison, ...] = (
    Comparaison(TAUX_PROGRAMMES.cle, True, "Taux de RDV programmés"),
    Comparaison(TAUX_NON_HONORES.cle, False, "Taux de non-honorés"),
    Comparaison(f"{DELAI_RDV.cle}_moyenne", False, "Délai moyen d'obtention"),
    Comparaison(f"{DELAI_CR.cle}_moyenne", False, "Délai moyen de compte-rendu"),
    Comparaison(f"{DELAI_CR.cle}_{DELAI_CR.cle_part}", True, "Comptes-rendus en 48 h"),
)
"""Les indicateurs classés et suivis de jalon en jalon par la Cellule Performance : programmer
plus, moins d'absences, des délais plus courts, des comptes-rendus plus rapides."""
COMPARAISON = {c.cle: c for c in COMPARAISONS}


# --- Le contrat avec les services demandeurs (annexe « contrat », relue par compute --contrat) ---


@dataclass(frozen=True)
class ColonneObjectif:
    """Une colonne du tableau des indicateurs de suivi du contrat (relu par ``--contrat``) ;
    une colonne d'objectif dit quel indicateur elle vise."""

    cle: str
    entete: str
    comparaison: Comparaison | None = None


COLONNES_OBJECTIFS = (
    ColonneObjectif("service", "Service demandeur (provenance)"),
    ColonneObjectif("modalite", "Modalité"),
    ColonneObjectif(
        "delai_rdv", "Délai d'obtention de RDV cible (jours, au plus)", COMPARAISON["delai_rdv_moyenne"]
    ),
    ColonneObjectif(
        "delai_cr", "Délai de compte-rendu cible (jours, au plus)", COMPARAISON["delai_cr_moyenne"]
    ),
    ColonneObjectif(
        "part_programmes", "Part de RDV programmés cible (au moins)", COMPARAISON["taux_programmes"]
    ),
    ColonneObjectif("commentaire", "Commentaire"),
)
FEUILLE_OBJECTIFS = "Indicateurs de suivi"


TITRE_GRAPHIQUE_NH = "Taux programmé non-honoré vs délais de rendez-vous"
TITRE_GRAPHIQUE_CR = "Délais de comptes-rendus"


SEUIL_CRENEAUX = 3
"""Demandes par jour ouvert à partir desquelles un service peut se voir pré-attribuer des
créneaux (seed §2.c.2 : « au moins 3 demandes par jour »)."""
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def normaliser(texte: str) -> str:
    """Forme de comparaison d'un libellé : sans accents, casse ni espaces superflus.

    « scanner », « Échographie » et « Hospi  -  Service 1 » se comparent ainsi à
    « Scanner », « Echographie » et « Hospi - Service 1 » (règle de SPEC §4).
    """
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", sans_accents).strip().casefold()


def nom_de_fichier(texte: str) -> str:
    """« Centre hospitalier de Saint-Aurèle » → « centre_hospitalier_de_saint-aurele »."""
    return re.sub(r"[^a-z0-9-]+", "_", normaliser(texte)).strip("_") or "etablissement"


def forme_entete(texte: str) -> str:
    """Forme de comparaison d'un en-tête : comme ``normaliser``, sans parenthèses, tirets,
    apostrophes typographiques ni deux-points (« Délai de compte rendu » = « Délai de
    compte-rendu (jours) »)."""
    texte = re.sub(r"\([^)]*\)", " ", texte.replace("’", "'"))
    return normaliser(re.sub(r"[-_:.]", " ", texte))


ERREUR = "erreur"
AVERTISSEMENT = "avertissement"
INFO = "info"
GRAVITES = (ERREUR, AVERTISSEMENT, INFO)
A_CORRIGER = "À corriger"
VERIFIEE = "Vérifiée — exacte"
SUIVIS = (A_CORRIGER, VERIFIEE)
"""Le suivi d'une anomalie, choisi par l'établissement dans la feuille Anomalies : une erreur ne
peut être que corrigée ; un avertissement ou une info vérifiés restent comptés à part."""
ENTETES_ANOMALIES = ("Cellule", "Ligne", "Gravité", "Code", "Valeur", "Message", "Suivi", "Commentaire")
"""Les colonnes de la feuille Anomalies (A à H) ; les deux dernières sont à l'établissement."""


@dataclass(frozen=True)
class CodeAnomalie:
    """Un contrôle de SPEC §4, déclaré une fois : code stable, gravité, intitulé court, modèle
    du message (``message``), et la formule qui le signale en direct dans la grille (mise en
    forme conditionnelle) quand une formule de tableur sait l'exprimer.

    Le message est un modèle ``str.format`` ; ses champs, que le moteur fournit : ``valeur``
    (la valeur citée), ``entete`` (l'en-tête de la colonne), ``debut`` et ``fin`` (la période
    du recueil), ``date_min`` et ``date_max`` (les dates admises), toutes en jj/mm/aaaa,
    ``proposition`` (« (vouliez-vous dire « Scanner » ?) » ou rien), ``pas_dans_la_liste`` et
    ``choisir`` (ce que la colonne attend), ``centile`` et ``seuil`` (d'un délai atypique).

    ``formules`` : colonne → formule, écrite pour la première ligne de données ; ses champs,
    que l'écriture de la grille fournit : ``cellule`` (la cellule de la colonne, « $E5 »),
    ``rempli`` (la ligne a une valeur), ``type``, ``date``, ``delai_rdv``, ``delai_cr`` (leurs
    cellules), ``est_H``, ``est_NH``, ``est_NP``, ``programme``,
    ``hors_types``, ``liste`` (le nom défini de la liste de la colonne), ``debut``, ``fin`` (les
    noms définis de la période), ``date_min``, ``date_max`` (numéros de série), ``delai_min``,
    ``delai_max``."""

    code: str
    gravite: str
    intitule: str
    message: str
    formules: Mapping[str, str] = field(default_factory=dict)
    """Colonne signalée → formule (une règle de mise en forme par colonne)."""


def _delai_invalide() -> str:
    v = "VALUE({cellule})"
    return f'AND({{cellule}}<>"",IFERROR(OR({v}<{{delai_min}},{v}>{{delai_max}},{v}<>INT({v})),TRUE))'


ANOMALIES: dict[str, CodeAnomalie] = {
    a.code: a
    for a in (
        CodeAnomalie(
            "date-manquante", ERREUR, "Date manquante",
            "Date manquante : saisissez le jour de l'examen (jj/mm/aaaa).",
            {"date": 'AND({rempli},{cellule}="")'},
        ),
        CodeAnomalie(
            "date-invalide", ERREUR, "Date invalide",
            "« {valeur} » n'est pas une date entre le {date_min} et le {date_max} : saisissez-la au "
            "format jj/mm/aaaa.",
            {"date": "AND(ISNUMBER({cellule}),OR({cellule}<{date_min},{cellule}>{date_max}))"},
        ),
        CodeAnomalie(
            "date-future", AVERTISSEMENT, "Date dans le futur",
            "Date du {valeur}, postérieure à aujourd'hui : vérifiez le jour, le mois et l'année.",
            {"date": "AND(ISNUMBER({cellule}),{cellule}>TODAY())"},
        ),
        CodeAnomalie(
            "date-hors-periode", AVERTISSEMENT, "Date hors de la période du recueil",
            "Date du {valeur}, hors de la période du recueil (du {debut} au {fin}) : vérifiez-la, ou "
            f"corrigez la période dans la feuille {FEUILLE_PARAMETRES}.",
            {"date": "AND(ISNUMBER({cellule}),OR(AND(ISNUMBER({debut}),{cellule}<{debut}),"
                     "AND(ISNUMBER({fin}),{cellule}>{fin})))"},
        ),
        CodeAnomalie(
            "valeur-hors-liste", ERREUR, "Valeur absente des listes",
            "« {valeur} » {pas_dans_la_liste}{proposition} : {choisir}.",
            {**dict.fromkeys(("modalite", "provenance"), 'AND({cellule}<>"",COUNTIF({liste},{cellule})=0)'),
             "type_rdv": 'AND({cellule}<>"",{hors_types})'},
        ),
        CodeAnomalie(
            "champ-manquant", ERREUR, "Champ obligatoire vide",
            "« {entete} » vide sur une ligne remplie : complétez la cellule.",
            dict.fromkeys(("modalite", "provenance", "type_rdv"), 'AND({rempli},{cellule}="")'),
        ),
        CodeAnomalie(
            "delai-invalide", ERREUR, "Délai invalide",
            "« {valeur} » n'est pas un délai valide : saisissez un nombre entier de jours entre "
            f"{DELAI_MIN} et {DELAI_MAX}.",
            dict.fromkeys(("delai_rdv", "delai_cr"), _delai_invalide()),
        ),
        CodeAnomalie(
            "delai-rdv-manquant", AVERTISSEMENT, "Délai d'obtention manquant",
            "RDV programmé sans délai d'obtention : saisissez le nombre de jours entre la demande et "
            "le rendez-vous.",
            {"delai_rdv": 'AND({programme},{cellule}="")'},
        ),
        CodeAnomalie(
            "delai-rdv-non-programme", AVERTISSEMENT, "Délai d'obtention sur un non programmé",
            "Délai d'obtention de {valeur} jour(s) sur un RDV non programmé (demandé le jour même) : "
            "videz le délai ou corrigez le type de rendez-vous.",
            {"delai_rdv": "AND({est_NP},N({cellule})>0)"},
        ),
        CodeAnomalie(
            "delai-rdv-nul-programme", AVERTISSEMENT, "Délai d'obtention nul sur un programmé",
            "Délai d'obtention nul sur un RDV programmé (pris au moins la veille) : vérifiez le délai, "
            "ou choisissez « Non programmé ».",
            {"delai_rdv": 'AND({programme},{cellule}<>"",{cellule}=0)'},
        ),
        CodeAnomalie(
            "delai-cr-non-honore", AVERTISSEMENT, "Délai de compte-rendu sur un non-honoré",
            "Délai de compte-rendu sur un RDV non honoré (examen non réalisé) : videz le délai ou "
            "corrigez le type de rendez-vous.",
            {"delai_cr": 'AND({est_NH},{cellule}<>"")'},
        ),
        CodeAnomalie(
            "delai-atypique", INFO, "Délai atypique",
            "Délai de {valeur} jours, bien au-delà des autres (au-dessus du {centile}e centile de la "
            "grille ou de {seuil} jours) : vérifiez la saisie.",
        ),
        CodeAnomalie(
            "formule-sans-valeur", ERREUR, "Formule sans valeur enregistrée",
            "Formule « {valeur} » sans valeur enregistrée : le fichier a été écrit par un programme et "
            "jamais enregistré par un tableur. Ouvrez-le dans Excel ou LibreOffice, enregistrez-le, puis "
            "relancez.",
        ),
        CodeAnomalie(
            "valeur-erreur", ERREUR, "Cellule en erreur (#REF!, #N/A…)",
            "La cellule affiche l'erreur {valeur} (formule cassée, référence perdue) : ressaisissez la "
            "valeur de « {entete} ».",
        ),
        CodeAnomalie(
            "ligne-total-tableau", INFO, "Ligne de total d'un tableau Excel",
            "Ligne de total d'un tableau Excel (« {valeur} ») : ce n'est pas un rendez-vous, elle n'est "
            "comptée nulle part.",
        ),
    )
}  # fmt: skip
