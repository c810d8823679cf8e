"""La ligne de commande ``coaching-xl`` : elle lit les options, appelle la bibliothèque et
affiche le résultat. C'est le seul module qui imprime ou qui sort du programme."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from coaching_xl import __version__
from coaching_xl.erreurs import ErreurCoachingXL
from coaching_xl.francais import decimal, entier

CONTEXTE = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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
            click.echo(f"Erreur : {e}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrompu.", err=True)
            sys.exit(1)
        except Exception as e:
            if debug:
                raise
            click.echo(
                f"Erreur inattendue ({type(e).__name__} : {e}). Relancez avec "
                "« coaching-xl --debug … » et transmettez le message complet à l'équipe "
                "coaching-xl.",
                err=True,
            )
            sys.exit(1)

    return enveloppe


@click.group(context_settings=CONTEXTE)
@click.version_option(__version__, "--version", message="coaching-xl %(version)s")
@click.option("--debug", is_flag=True, help="Affiche la trace complète d'une erreur imprévue.")
def main(debug: bool) -> None:
    """coaching-xl : la grille de recueil du coaching imagerie « Programmer dans les meilleurs
    délais », ses indicateurs et leur consolidation régionale.

    \b
    Commencer :
      coaching-xl generate -o mon_dossier/     écrit la grille à remplir
    """


@main.command(context_settings=CONTEXTE)
@click.option(
    "-o",
    "--dossier",
    type=click.Path(file_okay=False, path_type=Path),
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
    type=click.Path(dir_okay=False, path_type=Path),
    help="Remplace les listes de modalités et de provenances (voir le README).",
)
@click.option(
    "--sans-annexes",
    is_flag=True,
    help="N'écrit que la grille, sans la convention, l'équipe projet, le contrat et la feuille de route.",
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
    ecraser: bool,
) -> None:
    """Écrit la grille de recueil grille_recueil.xlsx, prête à remplir dans Excel ou
    LibreOffice, et les annexes du coaching : convention établissement / ARS, équipe projet,
    contrat imagerie – services demandeurs, feuille de route."""
    from recueil import schema
    from recueil.generer import generer
    from recueil.grille import Identite, OptionsGrille
    from recueil.listes import lire_listes, listes_par_defaut

    debut = time.perf_counter()
    listes = lire_listes(fichier_listes) if fichier_listes else listes_par_defaut()
    options = OptionsGrille(
        identite=Identite(etablissement=etablissement.strip(), finess=finess),
        listes=listes,
        lignes=schema.LIGNES_PAR_DEFAUT if lignes is None else lignes,
    )
    grille, *annexes = generer(dossier, options, annexes=not sans_annexes, ecraser=ecraser)
    duree = time.perf_counter() - debut
    click.echo(f"Grille écrite : {grille} ({decimal(duree, 2)} s)")
    click.echo(
        f"  {entier(options.lignes)} lignes prêtes à remplir, "
        f"{len(listes['modalites'])} modalités, {len(listes['provenances'])} provenances."
    )
    if annexes:
        click.echo("Annexes : " + ", ".join(chemin.name for chemin in annexes))
    if not options.identite.etablissement:
        click.echo("  Renseignez l'établissement dans la feuille Paramètres.")
    click.echo(
        "Ouvrez la grille dans Excel ou LibreOffice : feuille Recueil pour saisir, "
        "Tableau de bord pour suivre, Mode d'emploi pour les définitions."
    )


def _format_option(commande: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "format_",
        type=click.Choice(["texte", "json"]),
        default="texte",
        show_default=True,
        help="texte : résumé lisible ; json : un document JSON sur la sortie standard (SPEC §8).",
    )(commande)


def _json(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=1))


@main.command(context_settings=CONTEXTE)
@click.argument("grille", type=click.Path(path_type=Path))
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
        click.echo(resume_check(controle, premieres))
    if controle.compte(schema.ERREUR):
        sys.exit(1)


@main.command(context_settings=CONTEXTE)
@click.argument("grille", type=click.Path(path_type=Path))
@_format_option
@click.option(
    "--sortie",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="AUTRE.xlsx",
    help="Écrit la grille et ses résultats dans ce fichier ; la grille d'origine reste intacte.",
)
@_gerer_erreurs
def compute(grille: Path, format_: str, sortie: Path | None) -> None:
    """Calcule les indicateurs d'une grille remplie et les écrit dans le même classeur :
    feuilles Indicateurs, Services demandeurs et Anomalies, avec leurs graphiques. Rien de ce
    que contient le classeur n'est modifié ; un nouveau calcul remplace ces trois feuilles.

    Indicateurs : taux de RDV programmés et de non-honorés, délais d'obtention et de
    compte-rendu, par semaine, mois, période, modalité et provenance, et l'analyse des services
    demandeurs."""
    from moteur.resultat import analyser, document_compute
    from rapports.ecriture import ecrire_resultats
    from rapports.resume import resume_compute, resume_ecriture

    ecriture = ecrire_resultats(analyser(grille), sortie)
    if format_ == "json":
        _json(document_compute(ecriture.resultat))
        click.echo(resume_ecriture(ecriture), err=True)
    else:
        click.echo(resume_compute(ecriture.resultat))
        click.echo("")
        click.echo(resume_ecriture(ecriture))
