"""Le profil LibreOffice d'un utilisateur français, commun à tous nos tests avec un tableur réel
(conversion en ligne de commande, ``tests/libreoffice.py`` ; pilote UNO, ``tests/uno_pilote.py``).

Paramètres régionaux fr-FR (virgule décimale, dates jj/mm/aaaa, noms de fonctions en français),
recalcul à l'ouverture (sinon LibreOffice affiche les valeurs en cache d'un .xlsx), et pas de
question « garder le format » à l'enregistrement (la réponse d'un utilisateur qui garde son
.xlsx). Ce module n'importe que la bibliothèque standard : le Python de Debian qui fait tourner
le pilote n'a pas les dépendances de coaching-xl.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_REGLAGES = (
    ("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "fr-FR"),
    ("/org.openoffice.Setup/L10N", "ooLocale", "fr"),
    ("/org.openoffice.Office.Linguistic/General", "DefaultLocale", "fr-FR"),
    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"),
    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"),
    ("/org.openoffice.Office.Common/Save/Document", "WarnAlienFormat", "false"),
)
FRANCAIS = "".join(
    f'<item oor:path="{chemin}"><prop oor:name="{nom}" oor:op="fuse"><value>{valeur}</value></prop></item>\n'
    for chemin, nom, valeur in _REGLAGES
)


ENVIRONNEMENT = {"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr", "LC_CTYPE": "C.UTF-8"}
"""L'environnement d'une session française : LibreOffice en tire la langue de son interface
(celle du paquet libreoffice-l10n-fr), donc les noms des fonctions que l'on tape (« SOMME »,
« NB.SI ») ; sans lui, un premier lancement réécrit ``ooLocale`` en en-US."""


def environnement() -> dict[str, str]:
    """L'environnement du processus courant, en français."""
    return {**os.environ, **ENVIRONNEMENT}


def interface_francaise_installee(soffice: str) -> bool:
    """Vrai si la traduction française de LibreOffice (paquet libreoffice-l10n-fr) est là."""
    programme = Path(os.path.realpath(soffice)).parent
    return (programme.parent / "share" / "registry" / "Langpack-fr.xcd").exists()


def franciser(profil: Path) -> None:
    """Règle en français le profil ``profil`` (créé par un premier lancement) : chaque réglage
    remplace celui que LibreOffice y a écrit (un premier lancement sur une machine en anglais
    inscrit ``ooLocale`` en-US, qui l'emporterait sur un réglage ajouté à la suite)."""
    reglages = profil / "user" / "registrymodifications.xcu"
    contenu = reglages.read_text(encoding="utf-8")
    for chemin, nom, _ in _REGLAGES:
        contenu = re.sub(
            rf'<item oor:path="{re.escape(chemin)}"><prop oor:name="{nom}"[^>]*>.*?</item>\n?', "", contenu
        )
    reglages.write_text(contenu.replace("</oor:items>", FRANCAIS + "</oor:items>"), encoding="utf-8")
