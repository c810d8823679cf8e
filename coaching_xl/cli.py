"""La ligne de commande ``coaching-xl`` : elle lit les options, appelle la bibliothèque et
affiche le résultat. C'est le seul module qui imprime ou qui sort du programme."""

from __future__ import annotations

import functools
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from coaching_xl.click_francais import franciser
from socle.erreurs import ErreurCoachingXL, ErreurUsage
from socle.francais import affichable, decimal, pluriel

franciser()
CONTEXTE = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
CHEMIN = click.Path(path_type=Path, file_okay=True, dir_okay=True, readable=False)
"""Un chemin, sans les vérifications de click (en anglais) : la bibliothèque dit, en français,
ce qui ne va pas (introuvable, dossier, illisible)."""
CODE_USAGE = 2


def _gerer_erreurs(commande: Callable[..., Any]) -> Callable[..., Any]:
    """Erreur attendue → son message, code 1 ; erreur imprévue → un message sans trace
    (la trace avec --debug)."""

    @functools.wraps(commande)
    def enveloppe(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return commande(*args, **kwargs)
        except ErreurCoachingXL as e:
            if debug:
                raise
            echo(f"Erreur : {e}", err=True)
            sys.exit(CODE_USAGE if isinstance(e, ErreurUsage) else 1)
        except KeyboardInterrupt:
            echo("Interrompu.", err=True)
            sys.exit(1)
        except Exception as e:
            if debug:
                raise
            echo(
                f"Erreur inattendue ({type(e).__name__} : {e}). Relancez avec "
                "« coaching-xl --debug … » et transmettez le message complet à l'équipe "
                "coaching-xl.",
                err=True,
            )
            sys.exit(1)

    return enveloppe


def _calendrier_option(commande: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--calendrier",
        "fichier_calendrier",
        metavar="FICHIER.toml",
        type=CHEMIN,
        help="Dates des jalons, si elles diffèrent du calendrier par défaut (voir le README).",
    )(commande)


def _lire_calendrier(fichier: Path | None) -> Any:
    from recueil.calendrier import CALENDRIER_DEFAUT, lire_calendrier

    return lire_calendrier(fichier) if fichier else CALENDRIER_DEFAUT


def _attendus_option(commande: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--attendus",
        "fichier_attendus",
        metavar="FICHIER.csv",
        type=CHEMIN,
        help="Les établissements attendus (colonnes etablissement;finess;dt), pour la complétude.",
    )(commande)


def _format_option(commande: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "format_",
        type=click.Choice(["texte", "json"]),
        default="texte",
        show_default=True,
        help="texte : résumé lisible ; json : un document JSON sur la sortie standard (SPEC §8).",
    )(commande)


def echo(texte: str = "", err: bool = False) -> None:
    """Imprime ``texte`` (sur la sortie d'erreur avec ``err``), sans les caractères de contrôle
    qu'une cellule hostile ferait passer jusqu'au terminal."""
    click.echo(affichable(texte), err=err)


def _json(document: dict[str, Any]) -> None:
    echo(json.dumps(document, ensure_ascii=False, indent=1))


class Groupe(click.Group):
    """Le groupe de commandes : les erreurs d'usage de click (en français, voir
    ``click_francais``) sortent avec le code 2 ; une option inconnue qui ressemble à un nom de
    fichier (« -grille.xlsx ») reçoit le conseil qui la fait passer."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        arguments = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.NoSuchOption as e:
            fichier = next(
                (a for a in arguments if a.startswith(e.option_name) and ("." in a or "/" in a)), None
            )
            if fichier is not None:
                e.message += (
                    f" Si « {fichier} » est un fichier, écrivez ./{fichier} (ou placez -- devant lui : "
                    f"« coaching-xl compute -- {fichier} »)."
                )
            e.show()
            sys.exit(e.exit_code)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.exceptions.Abort:
            echo("Interrompu.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=Groupe, context_settings=CONTEXTE)
@click.version_option(package_name="coaching-xl", message="coaching-xl %(version)s")
@click.option("--debug", is_flag=True, help="Affiche la trace complète d'une erreur imprévue.")
def main(debug: bool) -> None:
    """coaching-xl : la grille de recueil du coaching imagerie « Programmer dans les meilleurs
    délais », ses indicateurs et leur consolidation régionale.

    \b
    Commencer :
      coaching-xl demo -o demo/                une région simulée, de la grille à la consolidation
      coaching-xl generate -o mon_dossier/     écrit la grille à remplir
      coaching-xl compute grille.xlsx          calcule les indicateurs dans le classeur
      coaching-xl consolidate grilles/ --jalon J3   compare les établissements
    """
    if threading.current_thread() is threading.main_thread():
        # Arrêté par le système (kill, fermeture de session) : comme Ctrl+C, les fichiers
        # temporaires disparaissent et la grille reste intacte.
        signal.signal(signal.SIGTERM, _interrompre)


def _interrompre(signal_recu: int, pile: Any) -> None:
    raise KeyboardInterrupt


@main.command(context_settings=CONTEXTE)
@click.option(
    "-o",
    "--dossier",
    type=CHEMIN,
    default=Path("."),
    show_default=True,
    help="Dossier où écrire la grille et les annexes.",
)
@click.option(
    "--etablissement",
    default="",
    metavar="NOM",
    help="Nom de l'établissement, repris dans la grille, les annexes et la consolidation.",
)
@click.option("--finess", default="", metavar="N", help="Numéro FINESS (9 caractères).")
@click.option(
    "--lignes",
    type=int,
    default=None,
    metavar="N",
    help="Nombre de lignes prêtes à remplir (50 000 par défaut).",
)
@click.option(
    "--listes",
    "fichier_listes",
    metavar="FICHIER.toml",
    type=CHEMIN,
    help="Remplace les listes de modalités et de provenances (voir le README).",
)
@click.option(
    "--sans-annexes",
    is_flag=True,
    help="N'écrit que la grille, sans la convention, l'équipe projet, le contrat et la feuille de route.",
)
@_calendrier_option
@click.option(
    "--attendus",
    "fichier_attendus",
    metavar="FICHIER.csv",
    type=CHEMIN,
    help="La campagne : une grille pré-remplie et ses annexes par établissement de ce CSV "
    "(colonnes etablissement;finess;dt;referent_dt), chacun dans son dossier.",
)
@click.option("--ecraser", is_flag=True, help="Remplace des fichiers existants du même nom.")
@_gerer_erreurs
def generate(
    dossier: Path,
    etablissement: str,
    finess: str,
    lignes: int | None,
    fichier_listes: Path | None,
    sans_annexes: bool,
    fichier_calendrier: Path | None,
    fichier_attendus: Path | None,
    ecraser: bool,
) -> None:
    """Écrit la grille de recueil grille_recueil.xlsx, prête à remplir dans Excel ou
    LibreOffice, et les annexes du coaching : convention établissement / ARS, équipe projet,
    contrat imagerie – services demandeurs, feuille de route.

    Avec --attendus, prépare la campagne : un dossier par établissement du CSV, avec sa grille
    et ses annexes à son nom, et index_campagne.csv."""
    from recueil import schema
    from recueil.generer import generer
    from recueil.grille import Identite, OptionsGrille
    from recueil.listes import lire_listes, listes_par_defaut

    debut = time.perf_counter()
    if fichier_attendus is not None and (etablissement.strip() or finess.strip()):
        raise ErreurUsage(
            "--attendus prend le nom et le FINESS de chaque établissement dans le CSV : retirez "
            "--etablissement et --finess."
        )
    listes = lire_listes(fichier_listes) if fichier_listes else listes_par_defaut()
    options = OptionsGrille(
        identite=Identite(etablissement=etablissement.strip(), finess=finess),
        listes=listes,
        lignes=schema.LIGNES_PAR_DEFAUT if lignes is None else lignes,
        calendrier=_lire_calendrier(fichier_calendrier),
    )
    if fichier_attendus is not None:
        _generer_campagne(dossier, fichier_attendus, options, not sans_annexes, ecraser, debut)
        return
    grille, *annexes = generer(dossier, options, annexes=not sans_annexes, ecraser=ecraser)
    duree = time.perf_counter() - debut
    echo(f"Grille écrite : {grille} ({decimal(duree, 2)} s)")
    echo(
        f"  {pluriel(options.lignes, 'ligne prête', 'lignes prêtes')} à remplir, "
        f"{pluriel(len(listes['modalites']), 'modalité')}, "
        f"{pluriel(len(listes['provenances']), 'provenance')}."
    )
    if annexes:
        echo("Annexes : " + ", ".join(chemin.name for chemin in annexes))
    if not options.identite.etablissement:
        echo("  Renseignez l'établissement dans la feuille Paramètres.")
    echo(
        "Ouvrez la grille dans Excel ou LibreOffice : feuille Recueil pour saisir, "
        "Tableau de bord pour suivre, Mode d'emploi pour les définitions."
    )


def _generer_campagne(
    dossier: Path, fichier_attendus: Path, options: Any, annexes: bool, ecraser: bool, debut: float
) -> None:
    from recueil.attendus import lire_attendus
    from recueil.generer import INDEX_CAMPAGNE, generer_campagne

    par_etablissement = 5 if annexes else 1
    nombre = len(lire_attendus(fichier_attendus)) * par_etablissement
    with click.progressbar(length=nombre, label="Écriture des classeurs", file=sys.stderr) as barre:
        envois = generer_campagne(dossier, fichier_attendus, options, annexes=annexes, ecraser=ecraser,
                                  progression=lambda _: barre.update(1))  # fmt: skip
    duree = time.perf_counter() - debut
    echo(f"Campagne écrite dans {dossier} : {pluriel(len(envois), 'établissement')} "
         f"({decimal(duree, 1)} s)")  # fmt: skip
    for envoi in envois:
        echo(f"  {envoi.dossier.name + '/':<48} {envoi.attendu.etablissement}")
    echo(f"Index : {Path(dossier) / INDEX_CAMPAGNE}. Envoyez à chaque établissement le contenu de son "
         "dossier ; consolidez ensuite les grilles reçues avec « coaching-xl consolidate ».")  # fmt: skip


@main.command(context_settings=CONTEXTE)
@click.argument("grille", type=CHEMIN)
@_format_option
@click.option(
    "--premieres",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="Nombre d'anomalies détaillées dans le résumé texte.",
)
@_gerer_erreurs
def check(grille: Path, format_: str, premieres: int) -> None:
    """Contrôle chaque cellule d'une grille remplie et liste ses anomalies.

    Code de sortie 0 si la grille ne contient aucune erreur, 1 sinon (ou si elle est
    illisible)."""
    from moteur.controles import controler
    from moteur.lecture import lire_grille
    from moteur.resultat import document_check
    from rapports.resume import resume_check
    from recueil import schema

    controle = controler(lire_grille(grille))
    if format_ == "json":
        _json(document_check(controle))
    else:
        echo(resume_check(controle, premieres))
    if controle.compte(schema.ERREUR):
        sys.exit(1)


def _contrat_option(commande: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--contrat",
        "fichier_contrat",
        metavar="CONTRAT.xlsx",
        type=CHEMIN,
        help="Mesure les objectifs de la feuille « Indicateurs de suivi » de ce contrat (annexe).",
    )(commande)


def _lire_contrat(fichier: Path | None) -> Any:
    """Le contrat, lu avant tout calcul : une erreur n'écrit rien."""
    if fichier is None:
        return None
    from moteur.contrat import lire_contrat

    return lire_contrat(fichier)


def _suivre(resultat: Any, contrat: Any) -> Any:
    """Le suivi du contrat sur la grille, ses avertissements sur la sortie d'erreur."""
    if contrat is None:
        return None
    from moteur.contrat import suivre

    suivi = suivre(resultat, contrat)
    for avertissement in suivi.avertissements:
        echo(f"Attention : {avertissement}", err=True)
    return suivi


@main.command(context_settings=CONTEXTE)
@click.argument("grille", type=CHEMIN)
@_format_option
@click.option(
    "--sortie",
    type=CHEMIN,
    metavar="AUTRE.xlsx",
    help="Écrit la grille et ses résultats dans ce fichier ; la grille d'origine reste intacte.",
)
@_calendrier_option
@_contrat_option
@click.option("--pdf", is_flag=True, help="Écrit aussi la fiche synthétique PDF, à côté du classeur.")
@click.option("--ecraser", is_flag=True, help="Remplace un fichier --sortie qui existe déjà.")
@click.option(
    "--live",
    is_flag=True,
    help="Calcule dans le classeur ouvert dans Excel (Windows ou macOS, extension "
    "coaching-xl[excel]) ; enregistrez-le ensuite.",
)
@_gerer_erreurs
def compute(
    grille: Path,
    format_: str,
    sortie: Path | None,
    fichier_calendrier: Path | None,
    fichier_contrat: Path | None,
    pdf: bool,
    ecraser: bool,
    live: bool,
) -> None:
    """Calcule les indicateurs d'une grille remplie et les écrit dans le même classeur :
    feuilles Indicateurs, Services demandeurs et Anomalies, avec leurs graphiques. Rien de ce
    que contient le classeur n'est modifié ; un nouveau calcul remplace ces feuilles.

    Indicateurs : taux de RDV programmés et de non-honorés, délais d'obtention et de
    compte-rendu, par semaine, mois, période, modalité et provenance, et l'analyse des services
    demandeurs. Les périodes suivent les jalons de la feuille Paramètres, ou ceux de
    --calendrier. Avec --contrat, la feuille Suivi des engagements mesure les objectifs du
    contrat ; avec --pdf, la fiche synthétique s'écrit à côté (grille_fiche.pdf). Avec --live,
    la grille ouverte dans Excel est lue et complétée sans être fermée."""
    from recueil.calendrier import lire_calendrier

    calendrier = lire_calendrier(fichier_calendrier) if fichier_calendrier else None
    contrat = _lire_contrat(fichier_contrat)
    if live:
        if sortie:
            raise ErreurUsage(
                "--live écrit dans le classeur ouvert dans Excel : --sortie ne s'y applique pas "
                "(enregistrez le classeur sous un autre nom depuis Excel)."
            )
        from coaching_xl.excel import calculer_en_direct

        calcul = calculer_en_direct(grille, calendrier, contrat, fiche_a_cote_de=grille if pdf else None)
        messages = [
            f"Résultats écrits dans le classeur ouvert dans Excel : feuilles "
            f"{', '.join(calcul.ecriture.feuilles.values())}. Enregistrez-le (Ctrl+S) pour les garder."
        ]
        if calcul.ecriture.csv_anomalies:
            messages.append(f"Liste complète des anomalies : {calcul.ecriture.csv_anomalies}")
    else:
        from rapports.calcul import calculer_fichier
        from rapports.resume import resume_ecriture

        calcul = calculer_fichier(
            grille, sortie=sortie, ecraser=ecraser, calendrier=calendrier, contrat=contrat, pdf=pdf
        )
        messages = [resume_ecriture(calcul.ecriture)]
    for avertissement in calcul.avertissements:
        echo(f"Attention : {avertissement}", err=True)
    if calcul.fiche is not None:
        messages.append(f"Fiche synthétique : {calcul.fiche}")
    _publier_compute(calcul.resultat, calcul.suivi, messages, format_)


def _publier_compute(resultat: Any, suivi: Any, messages: list[str], format_: str) -> None:
    """La fin de ``compute`` : le résumé (ou le JSON, les messages allant alors sur la sortie
    d'erreur)."""
    from moteur.resultat import document_compute
    from rapports.resume import alertes_vraisemblance, resume_compute, resume_suivi

    if format_ == "json":
        _json(document_compute(resultat))
        echo("\n".join([*alertes_vraisemblance(resultat), *messages]), err=True)
        return
    echo(resume_compute(resultat))
    if suivi is not None:
        echo("")
        echo(resume_suivi(suivi))
    echo("")
    echo("\n".join(messages))


@main.command(context_settings=CONTEXTE)
@click.argument("grille", type=CHEMIN)
@click.option(
    "-o",
    "--sortie",
    type=CHEMIN,
    metavar="FICHE.pdf",
    help="Le fichier PDF (par défaut <grille>_fiche.pdf, à côté de la grille).",
)
@_calendrier_option
@_contrat_option
@_gerer_erreurs
def rapport(
    grille: Path, sortie: Path | None, fichier_calendrier: Path | None, fichier_contrat: Path | None
) -> None:
    """Écrit la fiche synthétique PDF d'une grille remplie (A4, deux pages) : les indicateurs et
    leur évolution par période, le graphique des non-honorés et des délais, les comptes-rendus,
    les modalités, les services demandeurs, la qualité du recueil et, avec --contrat, le suivi
    des engagements. La grille n'est pas modifiée."""
    from moteur.resultat import analyser, essentiel
    from rapports.fiche import Contexte, chemin_fiche, ecrire_fiche
    from recueil.calendrier import lire_calendrier

    if sortie is not None and (sortie.is_dir() or sortie.suffix.lower() != ".pdf"):
        raise ErreurUsage(f"-o {sortie} : la fiche s'écrit dans un fichier .pdf, par exemple -o fiche.pdf.")
    calendrier = lire_calendrier(fichier_calendrier) if fichier_calendrier else None
    contrat = _lire_contrat(fichier_contrat)
    resultat = analyser(grille, calendrier=calendrier)
    suivi = _suivre(resultat, contrat)
    cible = sortie or chemin_fiche(grille)
    fiche = ecrire_fiche(essentiel(resultat), cible, Contexte(resultat.calendrier), suivi)
    echo(f"Fiche synthétique : {fiche}")


@main.command(context_settings=CONTEXTE)
@click.argument("sources", nargs=-1, required=True, type=CHEMIN)
@click.option("--jalon", required=True, metavar="J3", help="Le jalon de la consolidation (J1 à J5).")
@click.option(
    "-o",
    "--sortie",
    type=CHEMIN,
    metavar="FICHIER.xlsx",
    help="Le classeur de la consolidation (par défaut consolidation_<jalon>.xlsx, ici).",
)
@_calendrier_option
@_attendus_option
@_format_option
@click.option(
    "--pdf",
    is_flag=True,
    help="Écrit aussi la fiche de chaque établissement et la synthèse régionale (dossier fiches_<jalon>).",
)
@click.option(
    "--base",
    is_flag=True,
    help="Écrit aussi la base régionale, une ligne par ligne lue (base_<jalon>.parquet et .xlsx).",
)
@click.option(
    "--ecraser", is_flag=True, help="Remplace un fichier de sortie qui n'est pas une consolidation."
)
@_gerer_erreurs
def consolidate(
    sources: tuple[Path, ...],
    jalon: str,
    sortie: Path | None,
    fichier_calendrier: Path | None,
    fichier_attendus: Path | None,
    format_: str,
    pdf: bool,
    base: bool,
    ecraser: bool,
) -> None:
    """Consolide au jalon --jalon les grilles des SOURCES (dossiers, lus avec leurs
    sous-dossiers, ou fichiers) : un classeur Synthèse, Évolution, Classements, Par modalité,
    Complétude et Qualité des données, avec ses graphiques, et Avancement quand les feuilles de
    route des établissements sont dans les dossiers. Les taux de la région sont des rapports de
    sommes. Avec --base, la base régionale (une ligne par ligne lue) en Parquet et en .xlsx.

    Une grille illisible est signalée avec sa raison et n'arrête pas les autres ; de deux
    grilles du même établissement, la plus récente est retenue."""
    from moteur.consolidation import consolider, document_consolidation, trouver_grilles
    from moteur.feuille_de_route import trouver_feuilles_de_route
    from rapports.consolidation import ecrire_consolidation, nom_par_defaut, verifier_sortie
    from rapports.fiche import dossier_fiches, ecrire_fiches
    from rapports.resume import resume_consolidation
    from recueil.attendus import lire_attendus

    calendrier = _lire_calendrier(fichier_calendrier)
    code = calendrier.jalon(jalon).code
    attendus = lire_attendus(fichier_attendus) if fichier_attendus else None
    sortie = sortie or Path(nom_par_defaut(code))
    verifier_sortie(sortie, ecraser)
    chemins = trouver_grilles(sources, exclure=[sortie])
    with click.progressbar(
        length=len(chemins), label="Lecture des grilles", file=sys.stderr, hidden=format_ == "json"
    ) as barre:
        consolidation = consolider(
            chemins,
            code,
            calendrier,
            attendus=attendus,
            progression=lambda _: barre.update(1),
            fiches=pdf,
            base=base,
            feuilles_de_route=trouver_feuilles_de_route(sources),
        )
    for avertissement in consolidation.avertissements:
        echo(f"Attention : {avertissement}", err=True)
    classeur = ecrire_consolidation(consolidation, sortie, ecraser)
    messages = []
    if base and consolidation.base is not None:
        from rapports.base import ecrire_base

        messages.append(ecrire_base(consolidation.base, classeur, code).message)
    if pdf:
        fiches = ecrire_fiches(consolidation, dossier_fiches(sortie, code))
        messages.append(
            f"Fiches synthétiques : {pluriel(len(fiches) - 1, 'établissement')} et la synthèse "
            f"régionale, dans {fiches[-1].parent}"
        )
    if format_ == "json":
        _json(document_consolidation(consolidation))
        echo("\n".join([f"Classeur écrit : {classeur}", *messages]), err=True)
    else:
        echo(resume_consolidation(consolidation, classeur))
        echo("\n".join(messages))


@main.command(context_settings=CONTEXTE)
@click.option(
    "-o",
    "--dossier",
    type=CHEMIN,
    default=Path("demo_coaching_xl"),
    show_default=True,
    help="Dossier où écrire la démonstration.",
)
@click.option(
    "--etablissements",
    type=click.IntRange(1, 200),
    default=5,
    show_default=True,
    help="Nombre d'établissements de la région simulée.",
)
@click.option("--ecraser", is_flag=True, help="Remplace une démonstration précédente dans ce dossier.")
@_gerer_erreurs
def demo(dossier: Path, etablissements: int, ecraser: bool) -> None:
    """Démonstration de bout en bout, sans donnée réelle : écrit les modèles vierges, simule
    une région d'établissements fictifs du jalon J0 à J5, calcule les indicateurs de chaque
    grille et consolide la région au jalon J5."""
    from coaching_xl.demo import demontrer

    debut = time.perf_counter()
    resultat = demontrer(
        dossier, etablissements=etablissements, ecraser=ecraser, etape=lambda m: echo(m, err=True)
    )
    duree = time.perf_counter() - debut
    lignes = sum(g.lignes_lues for g in resultat.consolidation.retenues)
    echo(f"Démonstration écrite dans {dossier}/ en {decimal(duree, 1)} s :")
    grilles = (
        f"{pluriel(len(resultat.grilles), 'grille remplie', 'grilles remplies')} ({pluriel(lignes, 'ligne')})"
    )
    qualite = resultat.consolidation.qualite
    retards = resultat.consolidation.avancement.en_retard() if resultat.consolidation.avancement else []
    for nom, contenu in (
        ("modeles/", f"la grille vierge, ses annexes et Malcom ({len(resultat.modeles)} classeurs)"),
        (
            "campagne/",
            f"un dossier par établissement attendu ({len(resultat.campagne)}), grille et annexes "
            "pré-remplies, et index_campagne.csv",
        ),
        (
            "region/",
            f"{grilles} avec leurs feuilles de résultats, leurs feuilles de route, et la liste des attendus",
        ),
        (
            resultat.classeur.name,
            f"la consolidation régionale : {pluriel(len(qualite.signalements), 'signalement')} "
            f"de qualité des données, {pluriel(len(retards), 'point')} de feuille de route "
            "en retard",
        ),
        (
            resultat.base.parquet.name,
            f"la base régionale ({pluriel(resultat.base.lignes, 'ligne')}), aussi en "
            f"{resultat.base.xlsx.name if resultat.base.xlsx else '—'}",
        ),
        (f"{resultat.fiches[-1].parent.name}/", "une fiche PDF par établissement et la synthèse régionale"),
        (
            "presentations/",
            "la présentation à la CME d'un établissement, les points d'étape à J3 et J5 (.pptx)",
        ),
        ("malcom/", "l'exemple Malcom (temps médical d'un service) calculé, et sa page PDF"),
    ):
        echo(f"  {nom:<23}{contenu}")
    echo("")
    echo(f"Ouvrez d'abord {resultat.classeur} (feuilles Synthèse puis Classements), puis une grille")
    echo(f"de {dossier}/region/ : la feuille Tableau de bord, puis Indicateurs.")


@main.group(cls=click.Group, context_settings=CONTEXTE)
def presentation() -> None:
    """Les diaporamas PowerPoint (16:9, modifiables, graphiques natifs) : la présentation à la
    CME d'un établissement, et le point d'étape du réseau après chaque jalon.

    \b
      coaching-xl presentation cme grille.xlsx --equipe equipe_projet.xlsx
      coaching-xl presentation jalon grilles/ --jalon J3 --attendus etablissements.csv
    """


@presentation.command("cme", context_settings=CONTEXTE)
@click.argument("grille", type=CHEMIN)
@click.option("--equipe", "fichier_equipe", type=CHEMIN, metavar="EQUIPE.xlsx",
              help="L'annexe équipe projet remplie : ses noms vont sur la diapositive.")  # fmt: skip
@click.option("-o", "--sortie", type=CHEMIN, metavar="CME.pptx",
              help="Le diaporama (par défaut <grille>_cme.pptx, à côté de la grille).")  # fmt: skip
@_calendrier_option
@click.option("--ecraser", is_flag=True, help="Remplace un diaporama existant du même nom.")
@_gerer_erreurs
def presentation_cme(
    grille: Path,
    fichier_equipe: Path | None,
    sortie: Path | None,
    fichier_calendrier: Path | None,
    ecraser: bool,
) -> None:
    """Écrit la présentation type à la CME : le dispositif et son calendrier, l'équipe projet,
    le point de départ du service (indicateurs de sa grille, par modalité), les huit actions,
    les services demandeurs à cibler, la contractualisation et ce qui est demandé à la CME. La
    grille n'est pas modifiée."""
    from rapports.presentation_cme import ecrire_cme
    from recueil.calendrier import lire_calendrier

    calendrier = lire_calendrier(fichier_calendrier) if fichier_calendrier else None
    chemin = ecrire_cme(grille, sortie, equipe=fichier_equipe, calendrier=calendrier, ecraser=ecraser)
    echo(f"Présentation à la CME écrite : {chemin}")


@presentation.command("jalon", context_settings=CONTEXTE)
@click.argument("sources", nargs=-1, required=True, type=CHEMIN)
@click.option("--jalon", required=True, metavar="J3", help="Le jalon du point d'étape (J1 à J5).")
@_attendus_option
@click.option("-o", "--sortie", type=CHEMIN, metavar="POINT.pptx",
              help="Le diaporama (par défaut point_etape_<jalon>.pptx, ici).")  # fmt: skip
@_calendrier_option
@click.option("--ecraser", is_flag=True, help="Remplace un diaporama existant du même nom.")
@_gerer_erreurs
def presentation_jalon(
    sources: tuple[Path, ...], jalon: str, fichier_attendus: Path | None, sortie: Path | None,
    fichier_calendrier: Path | None, ecraser: bool,
) -> None:  # fmt: skip
    """Écrit le point d'étape du réseau au jalon --jalon, à partir des grilles des SOURCES (lues
    comme par consolidate) : la région par période, les classements, la complétude, la qualité
    des données, l'avancement des feuilles de route, les plus fortes progressions, puis la
    feuille de route suivante et le prochain jalon ; au dernier jalon, une fiche bilan par
    établissement."""
    from moteur.consolidation import consolider, trouver_grilles
    from moteur.feuille_de_route import trouver_feuilles_de_route
    from rapports.diaporama import verifier_sortie
    from rapports.presentation_jalon import ecrire_point_etape, nom_point_etape
    from recueil.attendus import lire_attendus

    calendrier = _lire_calendrier(fichier_calendrier)
    code = calendrier.jalon(jalon).code
    sortie = sortie or Path(nom_point_etape(code))
    verifier_sortie(sortie, ecraser)
    attendus = lire_attendus(fichier_attendus) if fichier_attendus else None
    chemins = trouver_grilles(sources)
    with click.progressbar(length=len(chemins), label="Lecture des grilles", file=sys.stderr) as barre:
        consolidation = consolider(
            chemins, code, calendrier, attendus=attendus, progression=lambda _: barre.update(1),
            fiches=code == calendrier.jalons[-1].code, feuilles_de_route=trouver_feuilles_de_route(sources),
        )  # fmt: skip
    for avertissement in consolidation.avertissements:
        echo(f"Attention : {avertissement}", err=True)
    chemin = ecrire_point_etape(consolidation, sortie, ecraser)
    etablissements = pluriel(len(consolidation.retenues), "établissement")
    echo(f"Point d'étape au jalon {code} écrit : {chemin} ({etablissements})")


@main.group(cls=click.Group, context_settings=CONTEXTE)
def malcom() -> None:
    """Malcom : l'organisation du temps médical d'un service (activités, tableau de service
    détaillé, gardes et astreintes, potentiels de production face aux objectifs).

    \b
      coaching-xl malcom generate                 écrit malcom.xlsx à remplir
      coaching-xl malcom generate --exemple       l'exemple du mode d'emploi (hépato-gastro)
      coaching-xl malcom check malcom.xlsx        contrôle chaque cellule
      coaching-xl malcom compute malcom.xlsx      calcule et écrit les résultats dans le classeur
    """


@malcom.command("generate", context_settings=CONTEXTE)
@click.option("-o", "--sortie", type=CHEMIN, default=None, metavar="FICHIER.xlsx",
              help="Le classeur à écrire (malcom.xlsx, ou malcom_hepato_gastro.xlsx).")  # fmt: skip
@click.option("--blocs", type=click.IntRange(1, 200), default=30, show_default=True,
              help="Nombre de blocs de 5 lignes (praticiens et lignes de PDS) par semaine type.")  # fmt: skip
@click.option("--activites", type=click.IntRange(1, 60), default=20, show_default=True,
              help="Nombre de lignes d'activités.")  # fmt: skip
@click.option("--exemple", is_flag=True, help="Écrit l'exemple du mode d'emploi au lieu du classeur vide.")
@click.option("--ecraser", is_flag=True, help="Remplace un fichier existant du même nom.")
@_gerer_erreurs
def malcom_generate(sortie: Path | None, blocs: int, activites: int, exemple: bool, ecraser: bool) -> None:
    """Écrit le classeur Malcom : paramétrage, activités, tableau de service détaillé, et ses
    résultats en formules vivantes (8 Ressources base, tableau de bord 3 Ressources)."""
    from recueil.malcom import ecrire_malcom

    sortie = sortie or Path("malcom_hepato_gastro.xlsx" if exemple else "malcom.xlsx")
    if sortie.suffix.lower() != ".xlsx":
        raise ErreurUsage(
            f"--sortie {sortie} : le classeur Malcom s'écrit au format .xlsx (ex. malcom.xlsx)."
        )
    chemin = ecrire_malcom(sortie, blocs=blocs, activites=activites, exemple=exemple, ecraser=ecraser)
    echo(f"Classeur Malcom écrit : {chemin}")
    echo("Remplissez 1 Activités puis 2 Tableau ; 3 Ressources se met à jour. Contrôle : coaching-xl malcom "
         f"check {chemin.name}")  # fmt: skip


@malcom.command("check", context_settings=CONTEXTE)
@click.argument("classeur", type=CHEMIN)
@_format_option
@_gerer_erreurs
def malcom_check(classeur: Path, format_: str) -> None:
    """Contrôle chaque cellule d'un classeur Malcom et liste ses anomalies (code 1 s'il y a au
    moins une erreur)."""
    from moteur.malcom import analyser, document_controle

    resultat = analyser(classeur)
    if format_ == "json":
        _json(document_controle(resultat))
    else:
        echo(_resume_anomalies_malcom(resultat.anomalies, classeur))
    if any(a.gravite == "erreur" for a in resultat.anomalies):
        sys.exit(1)


def _resume_anomalies_malcom(anomalies: list[Any], classeur: Path) -> str:
    erreurs = sum(a.gravite == "erreur" for a in anomalies)
    avertissements = sum(a.gravite == "avertissement" for a in anomalies)
    infos = len(anomalies) - erreurs - avertissements
    lignes = [f"{classeur.name} : {pluriel(erreurs, 'erreur')}, {pluriel(avertissements, 'avertissement')}, "
              f"{pluriel(infos, 'info')}."]  # fmt: skip
    lignes += [f"  [{a.gravite}] {a.code} : {a.message}" for a in anomalies]
    return "\n".join(lignes)


@malcom.command("compute", context_settings=CONTEXTE)
@click.argument("classeur", type=CHEMIN)
@_format_option
@click.option("--pdf", is_flag=True, help="Écrit aussi une page A4 de synthèse PDF, à côté du classeur.")
@_gerer_erreurs
def malcom_compute(classeur: Path, format_: str, pdf: bool) -> None:
    """Calcule heures, heures redressées, potentiels et PDS, et écrit les feuilles « Malcom
    résultats » et « Malcom anomalies » dans le classeur (un nouveau calcul les remplace)."""
    from rapports.malcom import calculer_fichier, resume

    ecriture = calculer_fichier(classeur)
    fiche = None
    if pdf:
        from rapports.malcom_pdf import ecrire_pdf

        fiche = ecrire_pdf(ecriture.resultat, classeur.with_suffix(".pdf"))
    if format_ == "json":
        _json(ecriture.resultat.document())
        return
    echo(resume(ecriture.resultat))
    anomalies = ecriture.resultat.anomalies
    if anomalies:
        echo(_resume_anomalies_malcom(anomalies, classeur).split("\n")[0] + " (feuille « Malcom anomalies »)")
    echo(f"Résultats écrits dans {ecriture.classeur} (feuilles {', '.join(ecriture.feuilles.values())}).")
    if fiche:
        echo(f"Synthèse PDF : {fiche}")
