"""Les erreurs attendues : chacune porte un message en français qui dit quoi faire."""


class ErreurCoachingXL(Exception):
    """Erreur prévue, due à l'entrée de l'utilisateur ; son message s'affiche tel quel."""


class ErreurListes(ErreurCoachingXL):
    """Le fichier de listes (--listes) est illisible ou ne respecte pas la grille."""


class ErreurParametre(ErreurCoachingXL):
    """Une option de la ligne de commande a une valeur que la grille ne peut pas porter."""


class ErreurUsage(ErreurCoachingXL):
    """La commande est mal employée (option ou argument qui ne convient pas) : code de sortie 2."""


class ErreurOption(ErreurParametre, ErreurUsage):
    """Une option ou un argument a une valeur qui ne convient pas (jalon inconnu, nombre hors
    limites, fichier introuvable) : code de sortie 2, comme les erreurs de click."""


class FichierExistant(ErreurCoachingXL):
    """Le fichier à écrire existe déjà et pourrait contenir des saisies."""


class ErreurEcriture(ErreurCoachingXL):
    """Le fichier ne peut pas être écrit (droits, disque plein, fichier ouvert ailleurs)."""


class GrilleIllisible(ErreurCoachingXL):
    """Le fichier n'est pas une grille que l'on peut relire (absent, corrompu, étranger)."""
