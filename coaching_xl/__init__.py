"""coaching-xl : recueil, indicateurs et consolidation du coaching imagerie."""

__version__ = "0.1.0"
