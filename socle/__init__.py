"""Le socle de coaching-xl : ce que toutes les couches partagent et qui n'importe rien d'autre du
projet — erreurs, écriture atomique des fichiers, nombres et formats à la française, version.

L'ordre des couches (vérifié par import-linter, voir pyproject.toml) : socle → recueil → moteur
→ rapports → coaching_xl (la ligne de commande, la démonstration, Excel en direct).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coaching-xl")
except PackageNotFoundError:  # une copie du code qui n'est pas installée
    __version__ = "0.0.0+source"
