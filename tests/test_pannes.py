"""Pannes pendant l'écriture : disque plein (un vrai petit disque, ou une limite de taille de
fichier), interruption entre le fichier temporaire et le remplacement, processus tué, deux
calculs sur la même grille à la fois. La grille survit toujours intacte, et rien ne traîne."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from rapports.greffe import INDEX
from socle import fichiers
from tests.mauvaises_entrees import _grille_rapide, grille
from tests.outils import parties_brutes

PYTHON_AVEC_PAUSE = """
import sys, time
from rapports import greffage
verifier = greffage.verifier

def verifier_puis_attendre(*args, **kwargs):
    verifier(*args, **kwargs)
    print("temporaire écrit", flush=True)
    sys.stdin.readline()

greffage.verifier = verifier_puis_attendre
from coaching_xl.cli import main
main()
"""
"""Un coaching-xl qui s'arrête une fois son fichier temporaire écrit et vérifié, juste avant
de remplacer la grille, jusqu'à ce qu'on lui écrive une ligne."""


def contenu(dossier) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in dossier.iterdir()}


def coaching_xl(*arguments, code: str = "from coaching_xl.cli import main; main()", **options):
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, arguments)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options,
    )  # fmt: skip


def lancer(*arguments):
    resultat = CliRunner().invoke(main, [str(a) for a in arguments])
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit), resultat.exception
    return resultat


@pytest.fixture
def petit_disque(tmp_path):
    """Un disque tmpfs de 2 Mo (il faut pouvoir monter : root, hors conteneur restreint)."""
    point = tmp_path / "disque"
    point.mkdir()
    monte = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)], capture_output=True
    )
    if monte.returncode:
        pytest.skip(
            f"tmpfs impossible à monter ici ({monte.stderr.decode().strip()}) ; voir la limite de taille"
        )
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=True)


def test_disque_plein(petit_disque, tmp_path):
    chemin = grille(petit_disque)
    libre = os.statvfs(petit_disque)
    (petit_disque / "occupe.bin").write_bytes(bytes(libre.f_bavail * libre.f_frsize - 8192))
    avant = contenu(petit_disque)

    resultat = lancer("compute", chemin)

    assert resultat.exit_code == 1
    assert f"Impossible d'écrire {chemin} : le disque est plein" in resultat.output
    assert "Traceback" not in resultat.output
    assert contenu(petit_disque) == avant


def test_taille_de_fichier_limitee(tmp_path):
    """Une vraie écriture qui échoue (EFBIG), sans privilège : la taille des fichiers que le
    processus peut écrire est bornée à celle de la grille."""
    chemin = grille(tmp_path)
    avant = contenu(tmp_path)
    limite = chemin.stat().st_size + 4096

    def borner():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limite, limite))

    processus = coaching_xl("compute", chemin, preexec_fn=borner)
    _, erreurs = processus.communicate(timeout=120)

    assert processus.returncode == 1, erreurs
    assert "dépasse la taille que le système permet d'écrire ici" in erreurs and "Traceback" not in erreurs
    assert contenu(tmp_path) == avant


def test_interruption_entre_temporaire_et_remplacement(tmp_path, monkeypatch):
    chemin = grille(tmp_path)
    avant = contenu(tmp_path)

    def interrompu(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(fichiers.os, "replace", interrompu)
    resultat = lancer("compute", chemin)

    assert resultat.exit_code == 1 and resultat.output.strip() == "Interrompu."
    assert contenu(tmp_path) == avant


@pytest.mark.parametrize("signal_envoye", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_processus_arrete_pendant_l_ecriture(tmp_path, signal_envoye):
    """Arrêté (SIGTERM) : il nettoie en partant. Tué (SIGKILL) : il ne le peut pas, mais la
    grille est intacte et le calcul suivant retire ce qu'il a laissé."""
    chemin = grille(tmp_path)
    avant = contenu(tmp_path)
    processus = coaching_xl("compute", chemin, code=PYTHON_AVEC_PAUSE)
    assert processus.stdout.readline().strip() == "temporaire écrit"
    assert any(nom.endswith(".tmp") for nom in os.listdir(tmp_path))

    processus.send_signal(signal_envoye)
    _, erreurs = processus.communicate(timeout=60)

    assert chemin.read_bytes() == avant[chemin.name]
    if signal_envoye == signal.SIGTERM:
        assert processus.returncode == 1 and erreurs.strip() == "Interrompu."
        assert contenu(tmp_path) == avant
    else:
        assert processus.returncode == -signal.SIGKILL
        assert lancer("compute", chemin).exit_code == 0
        assert sorted(os.listdir(tmp_path)) == [chemin.name]


def test_deux_calculs_a_la_fois(tmp_path):
    """Le second attend que le premier ait remplacé la grille, puis la relit et la recalcule :
    les feuilles de résultats ne s'empilent pas, les parties de l'utilisateur sont intactes."""
    chemin = _grille_rapide(tmp_path, 20_000)
    originales = parties_brutes(chemin)
    premier = coaching_xl("compute", chemin, code=PYTHON_AVEC_PAUSE)
    assert premier.stdout.readline().strip() == "temporaire écrit"

    second = coaching_xl("compute", chemin)
    time.sleep(2)
    assert second.poll() is None  # il attend son tour
    premier.stdin.write("\n")
    premier.stdin.flush()
    for processus in (premier, second):
        _, erreurs = processus.communicate(timeout=120)
        assert processus.returncode == 0, erreurs

    with zipfile.ZipFile(chemin) as archive:
        classeur = archive.read("xl/workbook.xml").decode()
    assert [classeur.count(f'name="{nom}"') for nom in ("Indicateurs", "Services demandeurs", "Anomalies")] == [
        1, 1, 1,
    ]  # fmt: skip
    ecrites = parties_brutes(chemin)
    assert {n: b for n, b in originales.items() if n not in INDEX} == {
        n: ecrites[n] for n in originales if n not in INDEX
    }
    assert sorted(os.listdir(tmp_path)) == [chemin.name]
