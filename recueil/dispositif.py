"""Le dispositif de coaching (« Coaching Imagerie, le dispositif v1.2 », ARS Île-de-France) :
ses huit actions, les check-lists de chaque période entre jalons, les engagements de la
convention, la gouvernance de l'équipe projet et les clauses types du contrat avec les services
demandeurs. Les annexes tirent leur contenu d'ici, et de nulle part ailleurs."""

from __future__ import annotations

from dataclasses import dataclass

TITRE_DISPOSITIF = "Coaching Imagerie — « Optimiser l'organisation des services d'imagerie : programmer dans les meilleurs délais »"


@dataclass(frozen=True)
class Action:
    numero: int
    axe: str
    libelle: str


AXES = (
    "Installer le pilotage du projet",
    "Modifier les pratiques pour optimiser la plage de programmation existante",
    "Fluidifier l'activité en contractualisant avec les pôles/services demandeurs",
)
ACTIONS = (
    Action(1, AXES[0], "Mettre en place la gouvernance du projet"),
    Action(2, AXES[0], "Mettre en œuvre un recueil d'indicateurs en routine"),
    Action(3, AXES[1], "Lutter contre les rendez-vous non honorés"),
    Action(4, AXES[1], "Affiner les durées prévisionnelles d'examens"),
    Action(5, AXES[1], "Repenser la gestion de l'agenda"),
    Action(6, AXES[2], "Structurer le déploiement des contrats"),
    Action(7, AXES[2], "Négocier des créneaux pré-attribués"),
    Action(8, AXES[2], "Inciter aux demandes anticipées"),
)

STATUTS_TACHE = ("À faire", "En cours", "Fait", "Sans objet")


@dataclass(frozen=True)
class Etape:
    """Les travaux d'une période entre deux jalons : objectif et check-list par action."""

    objectif: str
    taches: dict[int, tuple[str, ...]]
    """Numéro d'action → points de la check-list (aucun : l'action n'est pas de la période)."""


ETAPES = (
    Etape(
        "Installer le projet sur des bases solides : une équipe projet motivée, la direction "
        "impliquée et un recueil d'indicateurs en routine qui servira de fil rouge ; prévoir la "
        "présentation du projet à la CME ; démarrer les actions sur l'organisation interne "
        "(non-honorés, durées d'examens, agenda).",
        {
            1: (
                "a — Lancement service : présentation du résultat du benchmark et du dispositif de coaching au service",
                "Détermination du référent direction qui soutiendra le projet : contact, présentation du dispositif et signature de la convention",
                "b — Formalisation de l'équipe projet : qui sont les agents motivés ?",
                "c — Point actions et objectifs : analyse du résultat du benchmark, de la méthodologie du coaching et des actions à mener",
                "Prise de rendez-vous pour présenter le projet à la CME (réunion d)",
            ),
            2: (
                "b — Détermination du référent « indicateurs »",
                "Quels indicateurs et comment les produire ?",
                "Détermination des modalités de saisie : tous les jours ? 1 jour par semaine ? le week-end ?",
                "Si utilisation de la grille de recueil : prise en main, « qui remplit quoi », formation de ceux qui la rempliront",
                "c — Choix définitif et méthodologie de recueil des indicateurs",
                "Démarrage de la production des indicateurs",
            ),
        },
    ),
    Etape(
        "Piloter le projet : présentation en CME si elle n'a pas eu lieu, première revue et "
        "exploitation des indicateurs ; mettre en œuvre les réflexions sur l'organisation interne ; "
        "préparer la contractualisation (avec qui et comment, modèles de contrats, planning de "
        "créneaux types, protocoles de demandes de rendez-vous).",
        {
            1: ("Présentation à la CME", "Points avec l'équipe projet"),
            2: (
                "Poursuivre le remplissage des grilles",
                "Réaliser un point sur le recueil : données stables ? fiables ? recueil contraignant ?",
            ),
            3: (
                "Avec l'équipe projet : quelles actions mettre en œuvre ? (cf. fiche action)",
                "Réaliser une 1re proposition d'actions",
                "Dialoguer avec le secrétariat pour évaluer la faisabilité de ces actions",
            ),
            4: (
                "Analyser la fiche de restitution du benchmark : quels actes représentent la plus grosse part d'activité ? leurs durées moyennes ? leur dispersion ? Comparer avec les durées programmées",
                "Dialoguer avec les médecins du service pour évaluer la faisabilité",
                "Évaluer la faisabilité : paramétrage logiciel, protocoles à changer, etc.",
            ),
            5: (
                "Avec l'équipe projet : quelles règles de remplissage de l'agenda ? Déjà établies ? Pas respectées ? À affiner ?",
                "Réaliser une 1re proposition d'actions à présenter à l'ensemble de l'équipe",
            ),
        },
    ),
    Etape(
        "Lancer officiellement la contractualisation avec les pôles/services demandeurs "
        "(négociation des créneaux pré-attribués et des protocoles de demandes d'examen), avec "
        "l'objectif d'un 1er contrat signé ; ajuster les actions de réorganisation interne.",
        {
            1: ("Points avec l'équipe projet",),
            2: ("Poursuivre le remplissage des grilles", "Réaliser un point sur le recueil"),
            3: ("Mettre en œuvre les nouveaux protocoles de sensibilisation et de prise de rendez-vous",),
            4: ("Si nouvelles durées d'examens, les mettre en place",),
            5: ("Mettre en œuvre les nouvelles règles établies",),
            6: (
                "Avec l'équipe projet : quels pôles/services cibler ? quelles modalités de déploiement ? (résultats de la grille de recueil)",
                "Premiers contacts informels avec les chefs de service et cadres des pôles/services demandeurs",
                "Mise au propre d'un 1er modèle de contrat (annexe : contrat imagerie – pôles/services demandeurs)",
                "Prise de rendez-vous avec les représentants des pôles/services demandeurs",
            ),
            7: (
                "Analyse rétrospective des plannings des 3 derniers mois : quels volumes par service demandeur ? quelle stabilité ? (résultats de la grille de recueil)",
                "Établir une première proposition de créneaux pré-attribués, en vue de négocier avec les pôles/services demandeurs",
                "Réfléchir à ce que le service d'imagerie offre en retour (« gagnant-gagnant ») : garantie des créneaux, priorisation par le service demandeur",
            ),
            8: (
                "Analyse rétrospective des pratiques : homogénéité des demandes entre services demandeurs ? au sein de chaque service ?",
                "Établir un premier jet de protocole de demande d'examens, avec engagements réciproques",
                "Réfléchir à ce que le service d'imagerie offre en retour : retour d'information sur les horaires de passage ?",
            ),
        },
    ),
    Etape(
        "Conclure la contractualisation (présentation et signature des contrats, créneaux "
        "pré-attribués, protocoles de demandes) et ajuster les organisations mises en place ; "
        "préparer le bilan de clôture.",
        {
            1: ("Points avec l'équipe projet",),
            2: ("Poursuivre le remplissage des grilles", "Réaliser un point sur le recueil"),
            3: ("Retour d'expérience et ajustements des nouveaux protocoles",),
            4: ("Retour d'expérience et ajustements des nouvelles durées d'examens",),
            5: ("Retour d'expérience et ajustements des nouvelles règles d'agenda",),
            6: (
                "Rendez-vous avec les représentants des pôles/services demandeurs, présentation des contrats",
                "Objectif : signer un 1er contrat avant la clôture",
            ),
            7: (
                "Pour chaque contrat : proposition de créneau(x) ? lesquels ? quelles modalités d'utilisation et de libération ?",
            ),
            8: ("Pour chaque contrat : nouveau protocole de demandes d'examen (qui, quand, comment) ?",),
        },
    ),
)
"""Une étape par période entre jalons, de J1→J2 à J4→J5 (seed §3, d à j)."""

# --- Convention établissement / ARS (seed §1.c) ---------------------------------------------

OBJET_CONVENTION = (
    "La présente convention formalise l'engagement de l'établissement dans le dispositif de "
    "coaching imagerie de l'ARS Île-de-France : un programme de travail commun, précis et "
    "déterminé à l'avance, mené au même rythme par les établissements participants, de jalon en "
    "jalon, pour « optimiser l'organisation des services d'imagerie : programmer dans les "
    "meilleurs délais »."
)
ENGAGEMENTS_ETABLISSEMENT = (
    "prendre connaissance de la feuille de route du dispositif et en suivre le cheminement ;",
    "mettre à disposition les ressources et le temps nécessaires au bon déroulement des travaux ;",
    "assister à l'ensemble des jalons 0, 1, 2 et 3 au siège de l'ARS ;",
    "accepter que ses propres travaux soient diffusés aux autres établissements partenaires.",
)
ENGAGEMENTS_ARS = (
    "apporter à l'établissement le soutien et l'accompagnement de son référent DT et de la Cellule Performance ;",
    "fournir les documents de cadrage, les supports méthodologiques et la grille de recueil des indicateurs ;",
    "organiser les jalons au siège et diffuser après chacun un support « point d'étape » à l'ensemble du réseau ;",
    "donner à l'établissement accès à l'ensemble des travaux des autres établissements du dispositif, et la possibilité d'échanger avec ses homologues lors des jalons.",
)
SIGNATAIRES_CONVENTION = (
    "Le directeur de l'établissement (ou son représentant)",
    "Le chef de service de l'imagerie",
    "Le cadre responsable du service d'imagerie",
    "Pour l'ARS Île-de-France",
)

# --- Équipe projet (seed §2.a.1, §3.d.3) ------------------------------------------------------


@dataclass(frozen=True)
class Role:
    groupe: str
    libelle: str
    mission: str
    lignes: int = 1


ROLES = (
    Role("Pilote du projet", "Pilote du projet",
         "Membre de l'encadrement du service d'imagerie ; interlocuteur du référent DT, veille au bon "
         "déroulement des actions au quotidien, anime l'équipe projet et rend compte au comité de surveillance."),
    Role("Comité de surveillance (réunion mensuelle)", "Chef de service",
         "Le comité se réunit une fois par mois et fait le bilan de l'action en cours."),
    Role("Comité de surveillance (réunion mensuelle)", "Cadre du service", ""),
    Role("Comité de surveillance (réunion mensuelle)", "Représentant des techniciens", ""),
    Role("Comité de surveillance (réunion mensuelle)", "Représentant de la direction", ""),
    Role("Comité de surveillance (réunion mensuelle)", "Référent DT", ""),
    Role("Équipe projet", "Membre volontaire",
         "Membres volontaires du service, mobilisés au cours des actions.", lignes=8),
    Role("Référent indicateurs", "Référent indicateurs",
         "À l'aise avec Excel ; aide et explique le remplissage de la grille de recueil."),
)  # fmt: skip


@dataclass(frozen=True)
class Reunion:
    code: str
    libelle: str
    objet: str


REUNIONS_INTERNES = (
    Reunion("a", "Lancement service",
            "Présenter à l'ensemble du service la fiche de synthèse du benchmark et le dispositif de coaching."),
    Reunion("b", "Formalisation de l'équipe projet",
            "Présenter en détail le benchmark et le dispositif ; valider les membres de l'équipe projet ; "
            "désigner le référent indicateurs."),
    Reunion("c", "Point actions et objectifs",
            "Valider les actions, fixer les objectifs (chiffrés ?), choisir les indicateurs et la manière "
            "de les produire, planifier la suite."),
    Reunion("d", "Présentation à la CME",
            "Présenter la démarche en CME pour informer et obtenir un aval institutionnel."),
)  # fmt: skip
STATUTS_REUNION = ("À planifier", "Planifiée", "Réalisée", "Reportée")

NATURES_RISQUE = ("Organisationnel", "Humain", "Technique", "Institutionnel", "Calendrier", "Financier")
STATUTS_RISQUE = ("Ouvert", "En cours de traitement", "Maîtrisé", "Clos")
ECHELLE_IMPACT = ("1 — faible", "2 — modéré", "3 — important", "4 — majeur")
ECHELLE_PROBABILITE = ("1 — rare", "2 — possible", "3 — probable", "4 — quasi certaine")
CRITICITE_FORTE = 9
"""À partir de cette criticité (impact × probabilité, de 1 à 16), le risque appelle une action
préventive."""
RISQUES_EXEMPLES = (
    ("Le recueil des indicateurs s'essouffle (charge des agents, absences du référent)", "Humain", 3, 3,
     "Désigner un suppléant du référent indicateurs ; saisir un jour par semaine plutôt que tous les jours"),
    ("Faible adhésion des pôles/services demandeurs à la contractualisation", "Institutionnel", 3, 2,
     "Présenter le projet en CME ; commencer par un service volontaire"),
    ("Indisponibilité de l'équipe projet (congés, effectifs)", "Organisationnel", 2, 3,
     "Planifier les réunions internes dès le lancement ; répartir les actions"),
)  # fmt: skip
"""Trois risques typiques, à adapter ou supprimer."""

# --- Contrat imagerie – pôles/services demandeurs (seed §2.c, seed 001 §5) -----------------------

OBJECTIFS_CONTRAT = (
    "Optimiser la programmation et les flux de patients par mode d'entrée (hospitalisés, externes, urgences).",
    "Améliorer la coordination de la prise en charge médicale entre le service demandeur et l'imagerie (pertinence des demandes, délais de rendez-vous).",
    "Améliorer la prise en charge paramédicale des patients (préparation, transmission du dossier).",
    "Améliorer la prise de rendez-vous, la réalisation des examens et la restitution des comptes-rendus.",
    "Optimiser l'occupation des ressources humaines et des équipements (manipulateurs, brancardiers).",
)
ORGANISATION_PARTIES = (
    ("Service d'imagerie", "Horaires d'ouverture et de programmation ; modalités (scanner, IRM…) ; point d'entrée des demandes (téléphone, logiciel, courriel) ; organisation des gardes."),
    ("Pôle / service demandeur", "Horaires de visite médicale et de programmation des examens ; interlocuteurs ; volumes et rythme des demandes (cf. grille de recueil)."),
    ("Transport / brancardage", "Horaires ; procédure de demande de transport ; effectifs et matériel ; fonctionnement en garde."),
)  # fmt: skip


@dataclass(frozen=True)
class Clause:
    theme: str
    demandeur: str
    imagerie: str


CLAUSES = (
    Clause("Demandes d'examen",
           "Transmettre un bon de demande complet : identité du patient, service et UF avec téléphone, "
           "identité du demandeur, examen, régions à explorer, renseignements cliniques, fonction rénale "
           "et risque allergique.",
           "Ne programmer que les demandes complètes ; signaler sans délai au service toute demande incomplète."),
    Clause("Degrés d'urgence",
           "Indiquer le degré d'urgence et son motif ; réserver l'urgence aux situations cliniques qui la justifient.",
           "Réaliser les examens dans le délai propre à chaque degré d'urgence convenu."),
    Clause("Transmission et heure limite",
           "Transmettre les examens prévus au moins la veille avant 16 h (bloc, consultations, examens "
           "protocolisés) ; une demande transmise après 16 h n'est pas assurée d'être honorée le lendemain.",
           "Prendre en charge dans la journée toutes les demandes transmises avant 16 h la veille ; "
           "communiquer l'horaire de passage de chaque patient."),
    Clause("Priorisation des flux",
           "Respecter l'organisation convenue entre hospitalisés, externes et urgences.",
           "Prévoir des créneaux réservés aux urgences (en milieu ou en fin de vacation) pour que le non "
           "programmé ne désorganise pas le programmé."),
    Clause("Transport des patients",
           "Préparer le patient au moins 1 heure avant l'horaire du rendez-vous ; prévenir l'imagerie dès "
           "qu'un patient ne pourra pas être disponible.",
           "Fixer des horaires de premiers et derniers rendez-vous cohérents avec ceux des brancardiers ; "
           "regrouper les rendez-vous pour limiter les trajets."),
    Clause("Comptes-rendus",
           "Consulter les comptes-rendus dans le dossier informatisé dès leur envoi.",
           "Saisir et valider le compte-rendu dans le système d'information et l'envoyer au service dans le "
           "délai convenu (objectif : moins de 48 h) ; le compte-rendu signé suit."),
    Clause("Fonctionnement en mode dégradé",
           "Limiter les demandes non urgentes la nuit, le week-end et lors des pannes annoncées.",
           "Informer les services des pannes, indisponibilités et absences prévues ; organiser la polyvalence "
           "des équipes."),
    Clause("Créneaux pré-attribués",
           "Confirmer la veille, avant l'heure convenue, l'utilisation des créneaux pré-attribués (sans nom de "
           "patient) ; les libérer au plus tôt s'ils ne servent pas.",
           "Garantir au service ses créneaux pré-attribués (jours et horaires ci-dessous) ; remettre à "
           "disposition les créneaux non confirmés la veille."),
    Clause("Demandes anticipées",
           "Transmettre dès qu'ils sont connus les examens prévisibles (programme opératoire, consultations, "
           "examens protocolisés à l'admission).",
           "Traiter ces demandes dans les délais convenus et en informer le service."),
    Clause("Annulations et reports",
           "Prévenir l'imagerie de toute annulation ou tout report dès qu'il est connu.",
           "Réattribuer le créneau libéré ; prévenir le service de tout report de son fait."),
)  # fmt: skip
"""Les clauses types du contrat : exemples du dispositif (retours d'expérience), à adapter."""
SIGNATAIRES_CONTRAT = (
    "Le chef de service d'imagerie",
    "Le cadre du service d'imagerie",
    "Le chef du pôle / service demandeur",
    "Le cadre du pôle / service demandeur",
    "Le responsable du transport / brancardage",
)
