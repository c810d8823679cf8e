"""Le socle de coaching-xl : ce que toutes les couches partagent et qui n'importe rien d'autre du
projet — erreurs, écriture atomique des fichiers, nombres et formats à la française, version.

L'ordre des couches (vérifié par import-linter, voir pyproject.toml) : socle → recueil → moteur
→ rapports → coaching_xl (la ligne de commande, la démonstration, Excel en direct).
"""

from functools import cache


@cache
def version() -> str:
    """La version de coaching-xl, lue dans les métadonnées du paquet au premier appel (20 ms
    d'importlib.metadata épargnées aux commandes qui ne l'écrivent pas)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coaching-xl")
    except PackageNotFoundError:  # une copie du code qui n'est pas installée
        return "0.0.0+source"


def __getattr__(nom: str) -> str:
    """``socle.__version__`` : ``version()``, au premier usage."""
    if nom == "__version__":
        return version()
    raise AttributeError(f"module 'socle' has no attribute {nom!r}")
