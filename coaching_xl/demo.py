"""La démonstration de bout en bout : les modèles, une région simulée, le calcul de chaque
grille, la consolidation au dernier jalon — ce que fait une campagne de coaching, en quelques
secondes et sans aucune donnée réelle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from moteur.consolidation import Consolidation, consolider
from rapports.base import EcritureBase, chemins_base, ecrire_base
from rapports.calcul import calculer_fichier
from rapports.consolidation import ecrire_consolidation, nom_par_defaut
from rapports.fiche import dossier_fiches, ecrire_fiches
from rapports.malcom import calculer_fichier as calculer_malcom
from rapports.malcom_pdf import ecrire_pdf
from rapports.presentation_cme import ecrire_cme
from rapports.presentation_jalon import ecrire_point_etape, nom_point_etape
from recueil import schema as s
from recueil.annexes import ANNEXES
from recueil.attendus import lire_attendus
from recueil.calendrier import CALENDRIER_DEFAUT, Calendrier
from recueil.classeur import verifier_cible
from recueil.generer import INDEX_CAMPAGNE, Envoi, generer, generer_campagne
from recueil.grille import NOM_FICHIER, OptionsGrille
from recueil.malcom import ecrire_malcom
from recueil.simulation import ATTENDUS, ecrire_attendus, ecrire_feuilles_de_route, ecrire_region, region
from socle.francais import pluriel

ETABLISSEMENTS = 5
MALCOM = "malcom_hepato_gastro.xlsx"
GRAINE = 2010


@dataclass(frozen=True)
class Demonstration:
    """Ce que la démonstration a écrit."""

    modeles: list[Path]
    grilles: list[Path]
    attendus: Path
    consolidation: Consolidation
    classeur: Path
    fiches: list[Path]
    """Une fiche PDF par établissement, puis la synthèse régionale."""
    campagne: list[Envoi]
    """Les dossiers préparés pour chaque établissement attendu (``generate --attendus``)."""
    base: EcritureBase
    """La base régionale (``consolidate --base``)."""
    feuilles_de_route: list[Path]
    presentations: list[Path]
    """La présentation à la CME du premier établissement, les points d'étape à J3 et au dernier
    jalon (``coaching-xl presentation``)."""
    malcom: Path
    """L'exemple Malcom du mode d'emploi (hépato-gastro-entérologie), calculé : ses feuilles de
    résultats y sont greffées et sa page PDF est à côté."""


def demontrer(
    dossier: Path,
    *,
    etablissements: int = ETABLISSEMENTS,
    calendrier: Calendrier = CALENDRIER_DEFAUT,
    ecraser: bool = False,
    etape: Callable[[str], None] | None = None,
) -> Demonstration:
    """Écrit dans ``dossier`` : les modèles vierges (``modeles/``), les grilles remplies d'une
    région simulée de ``etablissements`` établissements (``region/``) avec leurs résultats, la
    liste des établissements attendus, la consolidation au dernier jalon et ses fiches PDF, et
    l'exemple Malcom calculé (``malcom/``).
    ``etape`` reçoit un message à chaque étape.

    Lève FichierExistant si un fichier de la démonstration existe déjà et que ``ecraser`` est
    faux (rien n'est alors écrit), ErreurEcriture si le dossier n'est pas accessible."""
    dossier = Path(dossier)
    profils = region(etablissements, GRAINE, calendrier)
    jalon = calendrier.jalons[-1].code
    cme = f"cme_{s.nom_de_fichier(profils[0].identite.etablissement)}.pptx"
    cibles = [
        *(dossier / "modeles" / nom for nom in (NOM_FICHIER, *ANNEXES)),
        dossier / "campagne" / INDEX_CAMPAGNE,
        *chemins_base(dossier / nom_par_defaut(jalon), jalon),
        *(dossier / "region" / p.nom_fichier for p in profils),
        *(
            dossier / "region" / f"feuille_de_route_{s.nom_de_fichier(p.identite.etablissement)}.xlsx"
            for p in profils
        ),
        dossier / "region" / ATTENDUS,
        *(
            dossier / "presentations" / nom
            for nom in (
                cme,
                nom_point_etape("J3"),
                nom_point_etape(jalon),
            )
        ),
        dossier / nom_par_defaut(calendrier.jalons[-1].code),
        dossier / "modeles" / "malcom.xlsx",
        dossier / "malcom" / MALCOM,
        dossier / "malcom" / Path(MALCOM).with_suffix(".pdf").name,
    ]
    for cible in cibles:
        verifier_cible(cible, ecraser)
    signaler = etape or (lambda _: None)

    signaler("Modèles vierges : la grille de recueil et ses annexes…")
    modeles = generer(dossier / "modeles", OptionsGrille(calendrier=calendrier), ecraser=ecraser)
    modeles.append(ecrire_malcom(dossier / "modeles" / "malcom.xlsx", ecraser=ecraser))
    signaler(f"Région simulée : {pluriel(etablissements, 'établissement')}, "
             f"du {calendrier.debut_recueil:%d/%m/%Y} au {calendrier.fin_recueil:%d/%m/%Y}…")  # fmt: skip
    attendus = ecrire_attendus(dossier / "region" / ATTENDUS, profils)
    signaler(
        "Campagne : une grille pré-remplie et ses annexes par établissement attendu (generate --attendus)…"
    )
    campagne = generer_campagne(
        dossier / "campagne", attendus, OptionsGrille(calendrier=calendrier), ecraser=ecraser
    )
    grilles = ecrire_region(dossier / "region", profils, calendrier, ecraser=ecraser)
    routes = ecrire_feuilles_de_route(dossier / "region", profils, calendrier, ecraser=ecraser)
    for grille in grilles:
        signaler(f"Calcul des indicateurs : {grille.name}")
        calculer_fichier(grille, calendrier=calendrier)
    signaler(f"Consolidation régionale au jalon {jalon}, avec la base régionale…")
    consolidation = consolider(
        [dossier / "region"], jalon, calendrier, attendus=lire_attendus(attendus), fiches=True, base=True
    )
    classeur = ecrire_consolidation(consolidation, dossier / nom_par_defaut(jalon), ecraser=True)
    base = ecrire_base(consolidation.base, classeur, jalon)
    signaler("Fiches synthétiques PDF de chaque établissement et synthèse régionale…")
    fiches = ecrire_fiches(consolidation, dossier_fiches(classeur, jalon))
    signaler("Présentations : la CME d'un établissement, les points d'étape à J3 et au dernier jalon…")
    a_j3 = consolider([dossier / "region"], "J3", calendrier, attendus=lire_attendus(attendus))
    diapos = dossier / "presentations"
    presentations = [
        ecrire_cme(grilles[0], diapos / cme, calendrier=calendrier, ecraser=ecraser),
        ecrire_point_etape(a_j3, diapos / nom_point_etape("J3"), ecraser),
        ecrire_point_etape(consolidation, diapos / nom_point_etape(jalon), ecraser),
    ]
    signaler("Malcom : l'exemple du mode d'emploi (temps médical d'un service), calculé…")
    malcom = ecrire_malcom(dossier / "malcom" / MALCOM, exemple=True, ecraser=ecraser)
    calcul = calculer_malcom(malcom)
    ecrire_pdf(calcul.resultat, malcom.with_suffix(".pdf"))
    return Demonstration(
        modeles,
        grilles,
        attendus,
        consolidation,
        classeur,
        fiches,
        campagne,
        base,
        routes,
        presentations,
        malcom,
    )
