"""Chaque mauvaise entrée du corpus (tests/mauvaises_entrees.py) reçoit un message clair en
français et le bon code de sortie, sans trace d'exception ; la grille reste intacte à l'octet
près et aucun fichier ne traîne (temporaire, verrou) ; une grille lisible donne les bonnes
anomalies."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from moteur.resultat import analyser
from rapports.greffe import INDEX
from tests.mauvaises_entrees import CAS, CAS_PAR_NOM, Cas, grille
from tests.outils import parties_brutes


def instantane(dossier) -> dict[str, bytes | None]:
    """Chaque fichier (et dossier) sous ``dossier`` avec son contenu."""
    return {
        str(p.relative_to(dossier)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(dossier.rglob("*"))
    }


def lancer(*arguments) -> tuple[int, str]:
    resultat = CliRunner().invoke(main, [str(a) for a in arguments])
    if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
        raise resultat.exception  # une exception qui a échappé à la ligne de commande
    return resultat.exit_code, resultat.output


def test_le_corpus_compte_au_moins_25_cas():
    assert len(CAS) >= 25 and len({cas.nom for cas in CAS}) == len(CAS)


@pytest.mark.parametrize("cas", CAS, ids=lambda cas: cas.nom)
def test_mauvaise_entree(cas: Cas, tmp_path):
    chemin = cas.fabriquer(tmp_path)
    avant = instantane(tmp_path)
    with cas.autour(chemin):
        code, sortie = lancer(cas.commande, chemin)

    assert code == cas.sortie, sortie
    assert "Traceback" not in sortie and "Erreur inattendue" not in sortie
    for fragment in cas.message:
        assert fragment in sortie
    for fragment in cas.interdits:
        assert fragment not in sortie
    if code:
        assert sortie.startswith("Erreur : ") and (str(chemin) in sortie or chemin.name in sortie)
    apres = instantane(tmp_path)
    if code or cas.commande == "check":
        assert apres == avant  # rien d'écrit, rien d'abîmé, rien qui traîne
    else:
        produits = {str(chemin.with_name(nom).relative_to(tmp_path)) for nom in cas.produits}
        assert set(apres) == set(avant) | produits  # ni temporaire ni verrou
        cle = str(chemin.relative_to(tmp_path))
        copie = tmp_path.parent / f"{tmp_path.name}_avant.xlsx"
        copie.write_bytes(avant[cle])
        originales, ecrites = parties_brutes(copie), parties_brutes(chemin)
        assert {n: b for n, b in originales.items() if n not in INDEX} == {
            n: ecrites[n] for n in originales if n not in INDEX
        }
    if cas.anomalies is not None:
        controle = analyser(chemin).controle
        attendues = {
            code: (sorted(f"Recueil!{c}" for c in cellules) if isinstance(cellules, list) else cellules)
            for code, cellules in cas.anomalies.items()
        }
        anomalies = controle.anomalies.assign(cellule=controle.cellules())
        trouvees = {
            code: (sorted(groupe["cellule"]) if isinstance(attendues.get(code), list) else len(groupe))
            for code, groupe in anomalies.groupby("code")
        }
        assert trouvees == attendues
    if cas.verifier:
        cas.verifier(chemin)


@pytest.mark.libreoffice
def test_vrai_xls_renomme_xlsx(libreoffice, tmp_path):
    """Un vrai classeur Excel 97-2003, écrit par LibreOffice, puis renommé en .xlsx."""
    (tmp_path / "source").mkdir()
    xls = libreoffice.convertir(grille(tmp_path / "source"), "xls", tmp_path)
    chemin = xls.rename(tmp_path / "grille.xlsx")
    avant = chemin.read_bytes()
    code, sortie = lancer("compute", chemin)
    assert code == 1
    assert sortie == (
        f"Erreur : {chemin} est un classeur Excel 97-2003 (.xls) enregistré avec l'extension .xlsx : "
        "renommez-le en .xls, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx.\n"
    )
    assert chemin.read_bytes() == avant
    assert lancer("check", chemin.rename(tmp_path / "grille.xls"))[0] == 0


OUVERTS_PAR_LIBREOFFICE = (
    "r_sur_chaque_feuille", "marque_sur_recueil", "commentaire_sheets", "commentaire_final",
    "styles_apostrophes", "zip_de_mac", "open_xml_strict", "ligne_de_total", "erreurs_de_cellule",
)  # fmt: skip


@pytest.mark.libreoffice
def test_libreoffice_ouvre_chaque_grille_calculee(libreoffice, tmp_path):
    """Ce qu'un tableur refuserait (préfixe non déclaré, feuilles invisibles, styles mal
    fusionnés) se verrait ici : LibreOffice ouvre chaque grille calculée et en rend les résultats."""
    chemins = []
    for nom in OUVERTS_PAR_LIBREOFFICE:
        cas = CAS_PAR_NOM[nom]
        (tmp_path / nom).mkdir()
        chemin = cas.fabriquer(tmp_path / nom)
        assert lancer("compute", chemin)[0] == 0
        chemins.append(chemin.rename(tmp_path / f"{nom}.xlsx"))
    pdfs = libreoffice.convertir_tous(chemins, "pdf", tmp_path / "pdf")
    assert [p.stem for p in pdfs] == list(OUVERTS_PAR_LIBREOFFICE)
    for pdf in pdfs:
        texte = libreoffice.texte_pdf(pdf)
        assert "Indicateurs — " in texte and "Anomalies — " in texte, pdf.stem


@pytest.mark.libreoffice
@pytest.mark.parametrize("format_", ["ods", "xls"])
def test_erreurs_de_cellule_en_ods_et_xls(libreoffice, tmp_path, format_):
    """Enregistrées par LibreOffice en .ods ou en .xls, les lignes entièrement « #REF! » ne
    disparaissent pas non plus (calamine rend ces cellules vides dans les deux formats)."""
    (tmp_path / "source").mkdir()
    xlsx = CAS_PAR_NOM["erreurs_de_cellule"].fabriquer(tmp_path / "source")
    converti = libreoffice.convertir(xlsx, format_, tmp_path)
    controle = analyser(converti).controle
    assert controle.lignes_lues == 10
    erreurs = controle.anomalies[controle.anomalies["code"] == "valeur-erreur"]
    cellules = sorted(controle.cellules(erreurs))
    assert cellules == sorted(
        [f"Recueil!{lettre}{ligne}" for ligne in (6, 7, 8) for lettre in "ABCDEF"] + ["Recueil!B9"]
    )
    assert set(erreurs["valeur"]) & {"#REF!", "#RÉF !"}  # LibreOffice en français écrit « #RÉF ! »


def test_les_virgules_du_message_restent_des_virgules(tmp_path):
    """Seuls les nombres sont mis à la française : la virgule d'un nom de fichier reste une
    virgule, le taux s'écrit « 1 0xx pour 1 » (espace fine)."""
    bombe = CAS_PAR_NOM["bombe_zip"].fabriquer(tmp_path)
    nom = bombe.with_name("grille, copie.xlsx")
    bombe.rename(nom)
    resultat = CliRunner().invoke(main, ["check", str(nom)])
    assert resultat.exit_code == 1
    assert "grille, copie.xlsx" in resultat.output
    assert re.search(r"se décompresse à \d{1,3}(\u202f\d{3})* pour 1 \(un classeur dépasse", resultat.output)
