"""Fuzz (hypothesis) : des grilles valides abîmées au hasard — octets du fichier, ou XML d'une
partie — ne reçoivent jamais qu'un résultat ou une erreur expliquée : ni trace d'exception, ni
« Erreur inattendue », ni attente sans fin (chaque calcul est borné dans le temps).

Le tirage est déterministe (``derandomize``) ; pour fouiller davantage, avec d'autres tirages à
chaque fois : ``COACHING_XL_FUZZ=2000 COACHING_XL_FUZZ_HASARD=1 python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
import threading
import zipfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching_xl.cli import main
from tests.mauvaises_entrees import _grille_rapide

EXEMPLES = int(os.environ.get("COACHING_XL_FUZZ", "40"))
DUREE_MAX = 30.0
"""Secondes qu'un calcul sur une grille de 30 lignes peut prendre, abîmée ou non."""
REGLAGES = settings(
    max_examples=EXEMPLES,
    derandomize=not os.environ.get("COACHING_XL_FUZZ_HASARD"),
    deadline=None,  # la borne est DUREE_MAX, vérifiée par un fil d'exécution
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@functools.cache
def modele() -> bytes:
    """Une grille de 30 lignes telle qu'Excel l'écrit (chaînes partagées)."""
    with tempfile.TemporaryDirectory() as dossier:
        return _grille_rapide(Path(dossier), 30).read_bytes()


def repondre(octets: bytes, commande: str = "compute") -> tuple[int, str]:
    """Lance la commande sur ces octets dans un dossier neuf ; échoue sur une exception non
    gérée, un message « Erreur inattendue » ou une attente de plus de DUREE_MAX."""
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / "grille.xlsx"
        chemin.write_bytes(octets)
        reponse: list = []
        fil = threading.Thread(
            target=lambda: reponse.append(CliRunner().invoke(main, [commande, str(chemin)])), daemon=True
        )
        fil.start()
        fil.join(DUREE_MAX)
        assert not fil.is_alive(), f"{commande} ne répond pas après {DUREE_MAX} s"
        (resultat,) = reponse
        if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
            raise resultat.exception
        assert resultat.exit_code in (0, 1)
        assert "Traceback" not in resultat.output and "Erreur inattendue" not in resultat.output, (
            resultat.output
        )
        if resultat.exit_code:
            assert resultat.output.startswith("Erreur : "), resultat.output
        else:
            assert not [p for p in Path(dossier).iterdir() if p.name != "grille.xlsx"]
        return resultat.exit_code, resultat.output


def test_la_grille_modele_se_calcule():
    assert repondre(modele())[0] == 0


@REGLAGES
@given(
    donnees=st.data(),
    coupe=st.one_of(st.none(), st.floats(0.0, 1.0)),
)
def test_octets_abimes(donnees, coupe):
    octets = bytearray(modele())
    changements = donnees.draw(
        st.lists(st.tuples(st.integers(0, len(octets) - 1), st.integers(0, 255)), min_size=1, max_size=40)
    )
    for position, valeur in changements:
        octets[position] = valeur
    if coupe is not None:
        octets = octets[: int(len(octets) * coupe)]
    repondre(bytes(octets))


MORCEAUX = st.sampled_from([
    b"<", b">", b"&", b"&amp;", b'"', b"</row>", b"<row>", b'<c r="A5">', b"<v>x</v>", b'r="ZZZ99999999"',
    b't="s"', b"<v>999999</v>", b"<v>-1</v>", b"<v>1e308</v>", b"\x00", b"\xff\xfe", "é".encode(),
    b"<!DOCTYPE a>", b"<![CDATA[", b"_x0001_", b'<mergeCell ref="A1:XFD1048576"/>', b"",
])  # fmt: skip


@REGLAGES
@given(donnees=st.data())
def test_xml_abime(donnees):
    with zipfile.ZipFile(io.BytesIO(modele())) as archive:
        contenus = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = sorted(n for n in contenus if n.endswith((".xml", ".rels")))
    partie = donnees.draw(st.sampled_from(xml), label="partie")
    texte = bytearray(contenus[partie])
    for _ in range(donnees.draw(st.integers(1, 6), label="changements")):
        debut = donnees.draw(st.integers(0, len(texte)), label="début")
        fin = donnees.draw(st.integers(debut, min(len(texte), debut + 200)), label="fin")
        texte[debut:fin] = donnees.draw(MORCEAUX, label="morceau")
    contenus[partie] = bytes(texte)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, contenu in contenus.items():
            archive.writestr(nom, contenu)
    repondre(tampon.getvalue())
