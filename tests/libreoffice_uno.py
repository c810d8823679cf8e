"""Le client du pilote LibreOffice (``tests/uno_pilote.py``) : un LibreOffice en français, que
les tests (et la suite de mesures) manient comme une personne — taper, enregistrer (Ctrl+S),
rouvrir, lire ce qui s'affiche.

Le pilote tourne sous le Python de Debian (``/usr/bin/python3``, le seul qui ait le module
``uno`` du paquet python3-uno) ; on lui parle par une ligne JSON par action.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.profil_francais import interface_francaise_installee

PILOTE = Path(__file__).with_name("uno_pilote.py")
PYTHON_UNO = "/usr/bin/python3"


def disponible() -> bool:
    """Vrai si LibreOffice en français et le Python de Debian avec uno sont là."""
    soffice = shutil.which("soffice")
    if not (soffice and interface_francaise_installee(soffice) and Path(PYTHON_UNO).exists()):
        return False
    essai = subprocess.run([PYTHON_UNO, "-c", "import uno"], capture_output=True)
    return essai.returncode == 0


class ErreurPilote(RuntimeError):
    """Une action du pilote a échoué dans LibreOffice."""


class LibreOfficeFrancais:
    """Un LibreOffice sans écran, profil fr-FR. Chaque méthode est une action du pilote."""

    def __init__(self, profil: Path) -> None:
        self.processus = subprocess.Popen(
            [PYTHON_UNO, str(PILOTE), str(profil)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
        )  # fmt: skip
        pret = self._lire()
        if pret != "pret":
            raise ErreurPilote(f"le pilote n'a pas démarré : {pret}")

    def _lire(self) -> Any:
        ligne = self.processus.stdout.readline()
        if not ligne:
            raise ErreurPilote(f"le pilote s'est arrêté : {self.processus.stderr.read()}")
        reponse = json.loads(ligne)
        if not reponse["ok"]:
            raise ErreurPilote(f"{reponse['erreur']}\n{reponse.get('trace', '')}")
        return reponse["resultat"]

    def _action(self, action: str, **arguments: Any) -> Any:
        self.processus.stdin.write(json.dumps({"action": action, **arguments}, ensure_ascii=False) + "\n")
        self.processus.stdin.flush()
        return self._lire()

    def __getattr__(self, action: str) -> Any:
        if action.startswith("_"):
            raise AttributeError(action)

        def appeler(**arguments: Any) -> Any:
            return self._action(
                action, **{k: str(v) if isinstance(v, Path) else v for k, v in arguments.items()}
            )

        return appeler

    def arreter(self) -> None:
        if self.processus.poll() is None:
            self.processus.stdin.write(json.dumps({"action": "arreter"}) + "\n")
            self.processus.stdin.flush()
            try:
                self.processus.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.processus.kill()
