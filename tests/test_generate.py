"""`coaching-xl generate` par CliRunner : codes de sortie, messages en français, fichiers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from coaching_xl.cli import main


@pytest.fixture
def lancer():
    def _lancer(*arguments: str):
        return CliRunner().invoke(main, list(arguments), catch_exceptions=False)

    return _lancer


def test_genere_la_grille(tmp_path, lancer):
    resultat = lancer(
        "generate", "-o", str(tmp_path), "--etablissement", "CH de Test", "--finess", "750712184"
    )
    assert resultat.exit_code == 0, resultat.output
    chemin = tmp_path / "grille_recueil.xlsx"
    assert f"Grille écrite : {chemin}" in resultat.output
    assert "50\u202f000 lignes prêtes à remplir, 5 modalités, 15 provenances." in resultat.output
    assert load_workbook(chemin)["Paramètres"]["B5"].value == "CH de Test"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        "grille_recueil.xlsx", "convention_etablissement_ars.xlsx", "equipe_projet.xlsx",
        "contrat_imagerie_services.xlsx", "feuille_de_route.xlsx",
    ])  # fmt: skip
    assert (
        "Annexes : convention_etablissement_ars.xlsx, equipe_projet.xlsx, "
        "contrat_imagerie_services.xlsx, feuille_de_route.xlsx"
    ) in resultat.output


def test_sans_annexes(tmp_path, lancer):
    resultat = lancer("generate", "-o", str(tmp_path), "--sans-annexes")
    assert resultat.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["grille_recueil.xlsx"]
    assert "Annexes" not in resultat.output


def test_une_annexe_existante_bloque_tout(tmp_path, lancer):
    contrat = tmp_path / "contrat_imagerie_services.xlsx"
    contrat.write_bytes(b"contrat en cours de negociation")
    resultat = lancer("generate", "-o", str(tmp_path))
    assert resultat.exit_code == 1
    assert f"{contrat} existe déjà" in resultat.output
    assert [p.name for p in tmp_path.iterdir()] == ["contrat_imagerie_services.xlsx"]


def test_sans_etablissement_le_rappelle(tmp_path, lancer):
    resultat = lancer("generate", "-o", str(tmp_path))
    assert resultat.exit_code == 0
    assert "Renseignez l'établissement dans la feuille Paramètres." in resultat.output


def test_ne_remplace_pas_une_grille_existante(tmp_path, lancer):
    chemin = tmp_path / "grille_recueil.xlsx"
    chemin.write_bytes(b"saisies de la semaine")
    resultat = lancer("generate", "-o", str(tmp_path))
    assert resultat.exit_code == 1
    assert "existe déjà et contient peut-être des saisies" in resultat.output
    assert "--ecraser" in resultat.output
    assert chemin.read_bytes() == b"saisies de la semaine"
    assert lancer("generate", "-o", str(tmp_path), "--ecraser").exit_code == 0
    assert load_workbook(chemin).sheetnames[0] == "Recueil"


def test_listes_toml(tmp_path, lancer):
    listes = tmp_path / "listes.toml"
    listes.write_text(
        'modalites = ["Scanner", "IRM"]\nprovenances = ["Externe", "Urgences", "Cardiologie"]\n',
        encoding="utf-8",
    )
    resultat = lancer("generate", "-o", str(tmp_path / "out"), "--listes", str(listes))
    assert resultat.exit_code == 0, resultat.output
    assert "2 modalités, 3 provenances" in resultat.output
    feuille = load_workbook(tmp_path / "out" / "grille_recueil.xlsx")["Listes"]
    assert [feuille[f"A{r}"].value for r in range(5, 8)] == ["Scanner", "IRM", None]
    assert feuille["C7"].value == "Cardiologie"


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--listes", "{trop}"], 1, "11 modalités pour 10 emplacements dans la grille"),
        (["--listes", "{absent}"], 2, "absent.toml (le fichier de listes, listes.toml). Vérifiez le chemin"),
        (["--finess", "12345"], 2, "Numéro FINESS « 12345 » invalide"),
        (
            ["--lignes", "0"], 2,
            "--lignes 0 : choisissez un nombre de lignes entre 1 et 1\u202f048\u202f572",
        ),
        (["--lignes", "2000000"], 2, "--lignes 2000000 : choisissez"),
    ],
)  # fmt: skip
def test_entrees_refusees(tmp_path, lancer, arguments, code, message):
    """Une valeur d'option qui ne convient pas : code 2 (usage) ; un fichier au contenu fautif :
    code 1."""
    trop = tmp_path / "trop.toml"
    trop.write_text("modalites = [" + ", ".join(f'"M{i}"' for i in range(11)) + "]", encoding="utf-8")
    arguments = [a.format(trop=trop, absent=tmp_path / "absent.toml") for a in arguments]
    sortie = tmp_path / "sortie"
    resultat = lancer("generate", "-o", str(sortie), *arguments)
    assert resultat.exit_code == code
    assert resultat.output.startswith("Erreur : ")
    assert message in resultat.output
    assert "Traceback" not in resultat.output
    assert not (sortie / "grille_recueil.xlsx").exists()


def test_dossier_impossible(tmp_path, lancer):
    fichier = tmp_path / "un_fichier"
    fichier.write_text("x")
    resultat = lancer("generate", "-o", str(fichier / "dessous"))
    assert resultat.exit_code == 1
    assert "Impossible d'écrire" in resultat.output
    assert "Traceback" not in resultat.output


def test_aucun_temporaire_ne_reste_apres_un_echec(tmp_path, monkeypatch, lancer):
    import recueil.generer

    def disque_plein(classeur, chemin):
        Path(chemin).write_bytes(b"debut")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recueil.generer, "sauver", disque_plein)
    resultat = lancer("generate", "-o", str(tmp_path), "--sans-annexes")
    assert resultat.exit_code == 1
    assert "le disque est plein" in resultat.output
    assert list(tmp_path.iterdir()) == []


def test_erreur_imprevue_sans_trace_sauf_debug(tmp_path, monkeypatch):
    import recueil.generer

    def panne(*args, **kwargs):
        raise ZeroDivisionError("division par zéro")

    monkeypatch.setattr(recueil.generer, "construire_grille", panne)
    resultat = CliRunner().invoke(main, ["generate", "-o", str(tmp_path)])
    assert resultat.exit_code == 1
    assert "Erreur inattendue (ZeroDivisionError : division par zéro)" in resultat.output
    assert "--debug" in resultat.output and "Traceback" not in resultat.output
    resultat = CliRunner().invoke(main, ["--debug", "generate", "-o", str(tmp_path)])
    assert isinstance(resultat.exception, ZeroDivisionError)


def test_aide_en_francais(lancer):
    resultat = lancer("generate", "--help")
    assert resultat.exit_code == 0
    assert "Écrit la grille de recueil" in resultat.output
    assert "--etablissement NOM" in resultat.output
