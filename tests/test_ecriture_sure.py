"""Ce qui ne tient pas dans le corpus des mauvaises entrées : des situations (lien symbolique,
tube nommé, sortie qui existe déjà, options mal écrites, pannes de la vérification, dossier en
lecture seule, calculs et lectures simultanés), chacune avec ce que coaching-xl doit en dire et
la preuve que rien n'a été abîmé."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from coaching_xl.cli import main
from rapports import greffage, greffe
from socle import fichiers
from tests.mauvaises_entrees import grille
from tests.test_pannes import PYTHON_AVEC_PAUSE, coaching_xl


def lancer(*arguments):
    resultat = CliRunner().invoke(main, [str(a) for a in arguments])
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit), resultat.exception
    return resultat


def instantane(dossier: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(dossier)): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
        for p in sorted(dossier.rglob("*"))
    }


def feuilles(chemin: Path) -> list[str]:
    import fastexcel

    return fastexcel.read_excel(str(chemin)).sheet_names


# --- Ce que l'on désigne à compute --------------------------------------------------------------


def test_lien_symbolique_ecrit_dans_la_grille_qu_il_designe(tmp_path):
    reelle = grille(tmp_path / "donnees", nom="grille_reelle.xlsx")
    lien = tmp_path / "grille.xlsx"
    lien.symlink_to(reelle)
    resultat = lancer("compute", lien)
    assert resultat.exit_code == 0, resultat.output
    assert lien.is_symlink() and lien.resolve() == reelle.resolve()
    assert feuilles(reelle)[-3:] == ["Indicateurs", "Services demandeurs", "Anomalies"]


@pytest.mark.parametrize("commande", ["check", "compute"])
def test_tube_nomme_refuse_sans_attendre(tmp_path, commande):
    tube = tmp_path / "grille.xlsx"
    os.mkfifo(tube)
    processus = subprocess.run(
        [sys.executable, "-m", "coaching_xl", commande, str(tube)], capture_output=True, text=True, timeout=60
    )
    assert processus.returncode == 1
    assert processus.stderr.startswith(f"Erreur : {tube} n'est pas un fichier ordinaire")


def test_sortie_qui_existe_demande_ecraser(tmp_path):
    a = grille(tmp_path / "a")
    b = grille(tmp_path / "b", nom="autre.xlsx")
    avant_a, avant_b = a.read_bytes(), b.read_bytes()
    resultat = lancer("compute", a, "--sortie", b)
    assert resultat.exit_code == 1
    assert f"{b} existe déjà" in resultat.output and "--ecraser" in resultat.output
    assert (a.read_bytes(), b.read_bytes()) == (avant_a, avant_b)
    resultat = lancer("compute", a, "--sortie", b, "--ecraser")
    assert resultat.exit_code == 0, resultat.output
    assert a.read_bytes() == avant_a and feuilles(b)[-3:] == [
        "Indicateurs",
        "Services demandeurs",
        "Anomalies",
    ]


@pytest.mark.parametrize(
    ("source", "sortie", "message"),
    [
        ("grille.xlsx", "bilan.ods", "--sortie {sortie} : les résultats s'écrivent dans un classeur .xlsx"),
        ("grille.xlsm", "bilan.xlsx", "contient des macros (classeur .xlsm) : écrivez les résultats dans un "
                                      "fichier .xlsm (--sortie bilan.xlsm)"),
        ("grille.xlsx", "bilan.xlsm", "n'a pas de macros : écrivez les résultats dans un fichier .xlsx"),
    ],
)  # fmt: skip
def test_sortie_d_un_autre_format_refusee(tmp_path, source, sortie, message):
    chemin = grille(tmp_path, nom="grille.xlsx")
    if source.endswith(".xlsm"):
        chemin = _en_xlsm(chemin)
    avant = instantane(tmp_path)
    resultat = lancer("compute", chemin, "--sortie", tmp_path / sortie)
    assert resultat.exit_code == 2, resultat.output
    assert message.format(sortie=tmp_path / sortie) in resultat.output
    assert instantane(tmp_path) == avant


def _en_xlsm(chemin: Path) -> Path:
    """La même grille, enregistrée « prenant en charge les macros » : seul le type de contenu du
    classeur change (un vbaProject.bin n'est pas nécessaire pour qu'Excel la traite en .xlsm)."""
    xlsm = chemin.with_suffix(".xlsm")
    with zipfile.ZipFile(chemin) as source, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            contenu = source.read(info)
            if info.filename == "[Content_Types].xml":
                contenu = contenu.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    greffage.TYPE_MACROS.encode(),
                )
            cible.writestr(info, contenu)
    chemin.unlink()
    return xlsm


def test_xlsm_calcule_en_xlsm(tmp_path):
    chemin = _en_xlsm(grille(tmp_path))
    resultat = lancer("compute", chemin, "--sortie", tmp_path / "bilan.xlsm")
    assert resultat.exit_code == 0, resultat.output
    with zipfile.ZipFile(tmp_path / "bilan.xlsm") as archive:
        assert greffage.TYPE_MACROS.encode() in archive.read("[Content_Types].xml")


# --- Options mal écrites : du français, le code 2 -----------------------------------------------


def test_fichier_qui_commence_par_un_tiret(tmp_path):
    resultat = lancer("compute", "-grille.xlsx")
    assert resultat.exit_code == 2
    assert "Option inconnue : « -g »" in resultat.output or "Option inconnue" in resultat.output
    assert "./-grille.xlsx" in resultat.output
    assert "No such option" not in resultat.output and "Error:" not in resultat.output


def test_sortie_qui_est_un_dossier(tmp_path):
    chemin = grille(tmp_path)
    avant = instantane(tmp_path)
    resultat = lancer("compute", chemin, "--sortie", tmp_path)
    assert resultat.exit_code == 2
    assert f"--sortie {tmp_path} est un dossier" in resultat.output
    assert "is a directory" not in resultat.output
    assert instantane(tmp_path) == avant


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["compute"], "Argument manquant"),
        (["compute", "g.xlsx", "--format", "xml"], "« xml » n'est pas l'une des valeurs"),
        (["check", "g.xlsx", "--premieres", "-3"], "n'est pas dans l'intervalle"),
        (["consolidate", "."], "Option manquante"),
        (["calcule", "g.xlsx"], "Commande inconnue : « calcule »"),
        (["compute", "g.xlsx", "--sortie"], "L'option « --sortie » attend une valeur."),
    ],
)
def test_erreurs_d_usage_en_francais(arguments, message):
    resultat = lancer(*arguments)
    assert resultat.exit_code == 2
    assert message in resultat.output, resultat.output
    assert resultat.output.startswith("Utilisation :") or "Erreur :" in resultat.output
    assert "Usage:" not in resultat.output and "Error:" not in resultat.output


def test_aide_en_francais():
    sortie = lancer("compute", "--help").output
    assert sortie.startswith("Utilisation : ") and "Affiche cette aide." in sortie
    assert "Show this message" not in sortie and "Usage:" not in sortie


def test_fichier_illisible(tmp_path, monkeypatch):
    """Lecture refusée par le système (en root, les droits ne l'empêchent pas : on la simule)."""
    chemin = grille(tmp_path)
    ouvrir = open

    def refuse(fichier, *args, **kwargs):
        if Path(fichier) == chemin:
            raise PermissionError(errno.EACCES, "Permission denied")
        return ouvrir(fichier, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    resultat = lancer("check", chemin)
    assert resultat.exit_code == 1
    assert resultat.output == (
        f"Erreur : {chemin} : lecture refusée (droits du fichier) ; demandez l'accès ou copiez-le ailleurs.\n"
    )


# --- Quand l'écriture échoue ---------------------------------------------------------------------


def test_verification_qui_echoue_nomme_la_grille(tmp_path, monkeypatch):
    chemin = grille(tmp_path)
    avant = instantane(tmp_path)
    original = greffe._ecrire

    def abime(paquet, sortie, *args):
        original(paquet, sortie, *args)
        sortie.write_bytes(b"ceci n'est pas un zip")

    monkeypatch.setattr(greffe, "_ecrire", abime)
    resultat = lancer("compute", chemin)
    assert resultat.exit_code == 1
    assert resultat.output.startswith(
        f"Erreur : Le classeur que coaching-xl vient d'écrire pour {chemin} ne passe pas sa vérification"
    )
    assert f"{chemin.name} n'a pas été modifié" in resultat.output and "--debug" in resultat.output
    assert "zip file" not in resultat.output
    assert instantane(tmp_path) == avant


def test_prefixe_non_declare_jamais_ecrit(tmp_path, monkeypatch):
    """Si la greffe produisait un xl/workbook.xml qu'Excel et LibreOffice refusent (préfixe non
    déclaré, le défaut d'avant), la vérification l'arrête : la grille reste intacte."""
    chemin = grille(tmp_path)
    avant = instantane(tmp_path)
    serialiser = greffe.serialiser

    def prefixe_perdu(arbre):
        texte = serialiser(arbre)
        if b"<sheets" in texte:
            texte = texte.replace(
                b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"', b""
            )
        return texte

    monkeypatch.setattr(greffe, "serialiser", prefixe_perdu)
    resultat = lancer("compute", chemin)
    assert resultat.exit_code == 1 and "ne passe pas sa vérification" in resultat.output
    assert instantane(tmp_path) == avant


def test_nom_trop_long(tmp_path):
    chemin = grille(tmp_path)
    sortie = tmp_path / ("b" * 300 + ".xlsx")
    resultat = lancer("compute", chemin, "--sortie", sortie)
    assert resultat.exit_code == 1
    assert "trop long pour le système" in resultat.output and "File name too long" not in resultat.output


def test_dossier_protege_en_ecriture(tmp_path, monkeypatch):
    chemin = grille(tmp_path)
    avant = instantane(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fichiers.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(fichiers.os, "access", lambda chemin, mode: False)
    resultat = lancer("compute", chemin)
    assert resultat.exit_code == 1
    assert (
        f"le dossier {tmp_path} est protégé en écriture : écrivez ailleurs (--sortie AUTRE.xlsx"
        in resultat.output
    )
    assert instantane(tmp_path) == avant


def test_echec_ne_laisse_pas_le_dossier_cree(tmp_path, monkeypatch):
    chemin = grille(tmp_path)
    avant = instantane(tmp_path)

    def plein(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(greffe, "_ecrire", plein)
    resultat = lancer("compute", chemin, "--sortie", tmp_path / "nouveau" / "sous-dossier" / "bilan.xlsx")
    assert resultat.exit_code == 1 and "le disque est plein" in resultat.output
    assert instantane(tmp_path) == avant


def test_generate_qui_echoue_ne_laisse_rien(tmp_path, monkeypatch):
    from recueil import annexes

    def panne(options):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(annexes.ANNEXES, annexes.FEUILLE_DE_ROUTE, panne)
    resultat = lancer("generate", "-o", tmp_path / "campagne" / "ch")
    assert resultat.exit_code == 1, resultat.output
    assert "le disque est plein" in resultat.output
    assert list(tmp_path.iterdir()) == []


# --- Calculs et lectures simultanés --------------------------------------------------------------


def test_crochets_dans_le_nom_et_temporaires(tmp_path):
    """Après un SIGKILL sur « a[1].xlsx », son temporaire est retiré par le calcul suivant ; celui
    de « a1.xlsx », que calcule un autre processus au même moment, est laissé en paix."""
    crochets = grille(tmp_path, nom="a[1].xlsx")
    voisine = grille(tmp_path, nom="a1.xlsx")
    tue = coaching_xl("compute", crochets, code=PYTHON_AVEC_PAUSE)
    assert tue.stdout.readline().strip() == "temporaire écrit"
    tue.send_signal(signal.SIGKILL)
    tue.communicate(timeout=60)
    assert len(fichiers.temporaires_de(crochets)) == 1
    en_cours = coaching_xl("compute", voisine, code=PYTHON_AVEC_PAUSE)
    assert en_cours.stdout.readline().strip() == "temporaire écrit"
    temporaire_voisin = fichiers.temporaires_de(voisine)
    assert len(temporaire_voisin) == 1

    assert lancer("compute", crochets).exit_code == 0
    assert fichiers.temporaires_de(crochets) == []
    assert temporaire_voisin[0].exists()
    en_cours.stdin.write("\n")
    en_cours.stdin.flush()
    _, erreurs = en_cours.communicate(timeout=120)
    assert en_cours.returncode == 0, erreurs
    assert feuilles(voisine)[-1] == "Anomalies"


def test_check_pendant_un_remplacement(tmp_path, monkeypatch):
    """Le fichier est remplacé (par compute, ou un tableur) entre deux lectures de check : check
    a tout lu d'une seule lecture, il ne mêle pas deux versions et ne dit pas « abîmé »."""
    import fastexcel

    chemin = grille(tmp_path)
    autre = grille(tmp_path / "autre", lignes=[])
    lire = fastexcel.read_excel

    def remplacer_puis_lire(source, *args, **kwargs):
        os.replace(autre, chemin)
        return lire(source, *args, **kwargs)

    monkeypatch.setattr(fastexcel, "read_excel", remplacer_puis_lire)
    resultat = lancer("check", chemin)
    assert resultat.exit_code == 0, resultat.output
    assert "10 lignes lues" in resultat.output and "abîmé" not in resultat.output


def test_grille_modifiee_pendant_le_calcul(tmp_path, monkeypatch):
    """Enregistrée depuis un tableur pendant le calcul : rien n'est écrit, la nouvelle version
    reste telle quelle, le message dit de relancer."""
    chemin = grille(tmp_path)
    verifier = greffage.verifier

    def enregistrement_concurrent(*args, **kwargs):
        verifier(*args, **kwargs)
        chemin.write_bytes(chemin.read_bytes())  # même contenu, nouvelle version sur le disque

    monkeypatch.setattr(greffage, "verifier", enregistrement_concurrent)
    avant = chemin.read_bytes()
    resultat = lancer("compute", chemin)
    assert resultat.exit_code == 1 and "a changé pendant le calcul" in resultat.output
    assert chemin.read_bytes() == avant
    assert sorted(os.listdir(tmp_path)) == [chemin.name]


# --- Avec et sans lxml : la grille générée par openpyxl, calculée, ouverte par LibreOffice ---------


@pytest.mark.parametrize("lxml", ["True", "False"])
def test_generate_puis_compute_avec_ou_sans_lxml(tmp_path, lxml):
    """openpyxl écrit xl/workbook.xml autrement selon que lxml est utilisé (déclaration de
    l'espace des relations sur chaque feuille, ou sur la racine) : dans les deux cas, le classeur
    calculé s'analyse en XML et se relit."""
    environnement = {**os.environ, "OPENPYXL_LXML": lxml}
    for commande in (["generate", "-o", str(tmp_path), "--sans-annexes"],
                     ["compute", str(tmp_path / "grille_recueil.xlsx")]):  # fmt: skip
        processus = subprocess.run(
            [sys.executable, "-m", "coaching_xl", *commande],
            capture_output=True,
            text=True,
            env=environnement,
        )
        assert processus.returncode == 0, processus.stderr
    chemin = tmp_path / "grille_recueil.xlsx"
    with zipfile.ZipFile(chemin) as archive:
        etree.fromstring(archive.read("xl/workbook.xml"))
    assert lancer("check", chemin).exit_code == 0


@pytest.mark.libreoffice
def test_libreoffice_ouvre_la_grille_calculee_ecrite_avec_lxml(libreoffice, tmp_path):
    environnement = {**os.environ, "OPENPYXL_LXML": "True"}
    for commande in (["generate", "-o", str(tmp_path), "--sans-annexes"],
                     ["compute", str(tmp_path / "grille_recueil.xlsx")]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "coaching_xl", *commande], check=True, env=environnement,
                       capture_output=True)  # fmt: skip
    pdf = libreoffice.convertir(tmp_path / "grille_recueil.xlsx", "pdf", tmp_path / "pdf")
    texte = libreoffice.texte_pdf(pdf)
    assert "Indicateurs — " in texte and "Anomalies — " in texte
