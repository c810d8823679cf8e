"""Le fichier TOML des listes (--listes) : ce qu'il accepte, ce qu'il refuse et pourquoi."""

from __future__ import annotations

import pytest

from recueil import schema as s
from recueil.listes import lire_listes, listes_par_defaut
from socle.erreurs import ErreurListes, ErreurOption


def ecrire(tmp_path, contenu: str):
    chemin = tmp_path / "listes.toml"
    chemin.write_text(contenu, encoding="utf-8")
    return chemin


def test_remplace_une_liste_et_garde_l_autre(tmp_path):
    listes = lire_listes(ecrire(tmp_path, 'modalites = ["Scanner", "  IRM  ", "Mammographie"]'))
    assert listes["modalites"] == ("Scanner", "IRM", "Mammographie")
    assert listes["provenances"] == s.PROVENANCES.defaut


def test_cle_accentuee_acceptee(tmp_path):
    listes = lire_listes(ecrire(tmp_path, '"Modalités" = ["Scanner"]'))
    assert listes["modalites"] == ("Scanner",)


def test_listes_par_defaut():
    assert listes_par_defaut() == {
        "modalites": s.MODALITES.defaut,
        "provenances": s.PROVENANCES.defaut,
    }


@pytest.mark.parametrize(
    ("contenu", "extrait"),
    [
        (
            "modalites = [" + ", ".join(f'"M{i}"' for i in range(11)) + "]",
            "11 modalités pour 10 emplacements dans la grille. Retirez-en 1",
        ),
        (
            "provenances = [" + ", ".join(f'"P{i}"' for i in range(17)) + "]",
            "17 provenances pour 15 emplacements dans la grille. Retirez-en 2",
        ),
        (
            'equipements = ["Scanner"]',
            "clé « equipements » inconnue. Clés acceptées : modalites, provenances",
        ),
        ('modalites = ["Scanner", "scanner "]', "contient deux fois le même libellé"),
        ('modalites = ["Échographie", "Echographie"]', "contient deux fois le même libellé"),
        ("modalites = []", "la liste « modalites » est vide"),
        ('modalites = ["Scanner", "  "]', "libellé n° 2 vide"),
        ('modalites = "Scanner"', "doit être une liste de textes entre guillemets"),
        ("modalites = [1, 2]", "doit être une liste de textes entre guillemets"),
        ('modalites = ["' + "x" * 300 + '"]', "trop long (300 caractères, 255 au plus)"),
        ("modalites = [Scanner]", "n'est pas un TOML valide"),
    ],
)
def test_refus_explicites(tmp_path, contenu, extrait):
    chemin = ecrire(tmp_path, contenu)
    with pytest.raises(ErreurListes) as erreur:
        lire_listes(chemin)
    assert extrait in str(erreur.value)
    assert str(chemin) in str(erreur.value)


def test_fichier_absent(tmp_path):
    """Un chemin d'option qui ne mène à rien : une erreur d'usage (code 2)."""
    with pytest.raises(ErreurOption, match="Fichier introuvable"):
        lire_listes(tmp_path / "absent.toml")


def test_fichier_pas_en_utf8(tmp_path):
    chemin = tmp_path / "listes.toml"
    chemin.write_bytes('modalites = ["Échographie"]'.encode("latin-1"))
    with pytest.raises(ErreurListes, match="n'est pas du texte UTF-8 : enregistrez le fichier de listes"):
        lire_listes(chemin)
