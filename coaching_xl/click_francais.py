"""click en français : ses messages (aide, erreurs d'usage) passent par ``gettext`` ; on lui
donne les nôtres. Un message que nous ne traduisons pas reste celui de click.

Chaque module de click importe ``gettext`` et ``ngettext`` sous les noms ``_`` et ``ngettext`` ;
``franciser()`` les remplace, dans ces modules seulement, par une table de traduction — le même
mécanisme qu'un catalogue .mo, sans fichier binaire à livrer.
"""

from __future__ import annotations

import importlib

TRADUCTIONS = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Aborted!": "Interrompu.",
    "Show this message and exit.": "Affiche cette aide.",
    "Show the version and exit.": "Affiche la version.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Invalid value: {message}": "Valeur refusée : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur refusée pour {param_hint} : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante : generate, check, compute, rapport, consolidate ou demo.",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir « {filename} » : {message}",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » attend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "« {value} » n'est pas un booléen. Valeurs reconnues : {states}"
    ),
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » : lecture refusée.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » : écriture refusée.",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
}
"""Message de click (msgid) → sa traduction ; les paramètres entre accolades sont les siens."""
PLURIELS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop : {args}",
        "Arguments en trop : {args}",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de ces options : {possibilities} ?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option « {name} » attend une valeur.",
        "L'option « {name} » attend {nargs} valeurs.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "« {value} » n'est pas {choice}.",
        "« {value} » n'est pas l'une des valeurs {choices}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Attend {nargs} valeurs, 1 seule donnée.",
        "Attend {nargs} valeurs, {len} données.",
    ),
}
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def traduire(message: str) -> str:
    """La traduction d'un message de click, ou le message lui-même."""
    return TRADUCTIONS.get(message, message)


def traduire_pluriel(singulier: str, pluriel: str, n: int) -> str:
    """La traduction d'un message de click au singulier ou au pluriel selon ``n``."""
    francais = PLURIELS.get((singulier, pluriel))
    if francais is None:
        return singulier if n == 1 else pluriel
    return francais[0] if n == 1 else francais[1]


def franciser() -> None:
    """Fait parler click en français (idempotent)."""
    for nom in MODULES:
        module = importlib.import_module(f"click.{nom}")
        if hasattr(module, "_"):
            module._ = traduire
        if hasattr(module, "ngettext"):
            module.ngettext = traduire_pluriel
