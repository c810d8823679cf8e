"""La fiche synthétique PDF : son texte (pdftotext) porte l'établissement et les valeurs que le
moteur a calculées, à la française ; A4, deux pages ; deux écritures, mêmes octets ; la même
fiche par compute --pdf, rapport et consolidate --pdf, avec la place dans la région."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from coaching_xl.cli import main
from moteur.consolidation import consolider, positions
from moteur.resultat import analyser, essentiel
from rapports.fiche import Contexte, ecrire_fiche, ecrire_synthese_regionale
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from socle.francais import decimal, entier, pluriel, pourcent
from tests import jeux
from tests.test_consolidation import ETABLISSEMENTS, ecrire
from tests.test_contrat import OBJECTIFS, ecrire_contrat

IDENTITE = Identite(etablissement="Centre hospitalier de Valmont", finess="750000001", dt="DT Paris")


@pytest.fixture
def grille(tmp_path):
    return ecrire_grille(tmp_path, OptionsGrille(identite=IDENTITE, lignes=100), jeux.LIGNES)


def _espaces(texte: str) -> str:
    """Le texte d'un PDF, ses espaces (fines, insécables, multiples) réduits à une espace."""
    return re.sub(r"[\s\u202f\u00a0]+", " ", texte)


def _sans_espaces(texte: str) -> str:
    """Sans aucune espace : pdftotext resserre parfois « 3 / 3 » en « 3/3 » dans un tableau."""
    return re.sub(r"[\s\u202f\u00a0]+", "", texte)


def test_texte_et_valeurs_du_moteur(grille, tmp_path, poppler):
    resultat = analyser(grille)
    fiche = ecrire_fiche(essentiel(resultat), tmp_path / "fiche.pdf", Contexte(CALENDRIER_DEFAUT))
    infos = poppler.infos(fiche)
    assert infos["Pages"] == "2"
    assert infos["Page size"].startswith("595") and "(A4)" in infos["Page size"]
    assert infos["Producer"].startswith("coaching-xl")
    texte = _espaces(poppler.texte(fiche))
    assert "Fiche synthétique — Centre hospitalier de Valmont" in texte
    assert "FINESS 750000001 · DT Paris" in texte
    assert f"{entier(12)} lignes lues" in texte
    e = resultat.ensemble
    # Le tableau des indicateurs : la valeur d'ensemble, puis celle de la seule période (avant J1).
    attendus = {
        s.TAUX_PROGRAMMES.libelle: pourcent(e["taux_programmes"]),  # 75,0 %
        s.TAUX_NON_HONORES.libelle: pourcent(e["taux_non_honores"]),  # 22,2 %
        s.DELAI_RDV.libelle: decimal(e["delai_rdv_moyenne"]),  # 25,1
        s.DELAI_CR.libelle: decimal(e["delai_cr_moyenne"]),  # 2,4
    }
    for libelle, valeur in attendus.items():
        assert _espaces(f"{libelle} {valeur}") in texte, libelle
    assert _espaces(pourcent(2 / 9)) == _espaces("22,2 %")
    # Par modalité, services demandeurs, qualité du recueil.
    assert "IRM" in texte and "Externe" in texte
    assert "Qualité du recueil" in texte
    erreurs = resultat.controle.compte(s.ERREUR)
    assert f"{pluriel(erreurs, 'erreur')} (valeurs écartées des calculs)" in texte


def test_deux_ecritures_memes_octets(grille, tmp_path):
    a = ecrire_fiche(essentiel(analyser(grille)), tmp_path / "a.pdf", Contexte(CALENDRIER_DEFAUT))
    b = ecrire_fiche(essentiel(analyser(grille)), tmp_path / "b.pdf", Contexte(CALENDRIER_DEFAUT))
    assert a.read_bytes() == b.read_bytes()
    assert b"CreationDate" not in a.read_bytes()


def test_noir_et_blanc(grille, tmp_path, poppler):
    """Imprimée en niveaux de gris, chaque page garde ses barres (pas de couleur claire qui
    disparaîtrait) : un gris moyen couvre une part visible de la première page."""
    from PIL import Image

    fiche = ecrire_fiche(essentiel(analyser(grille)), tmp_path / "f.pdf", Contexte(CALENDRIER_DEFAUT))
    page = Image.open(poppler.images(fiche, tmp_path / "png", 40, gris=True)[0]).convert("L")
    histogramme = page.histogram()
    gris_moyens = sum(histogramme[90:200]) / sum(histogramme)
    assert gris_moyens > 0.005


def test_compute_pdf_et_rapport(grille, tmp_path, poppler):
    contrat = ecrire_contrat(tmp_path / "contrat.xlsx", OBJECTIFS)
    resultat = CliRunner().invoke(main, ["compute", str(grille), "--pdf", "--contrat", str(contrat)])
    assert resultat.exit_code == 0, resultat.output
    fiche = grille.with_name(f"{grille.stem}_fiche.pdf")
    assert f"Fiche synthétique : {fiche}" in resultat.stdout
    texte = _espaces(poppler.texte(fiche))
    assert "Suivi des engagements du contrat (contrat.xlsx)" in texte
    assert _espaces("Externe Scanner Délai moyen d'obtention ≤ 14 j 15,0 Non") in texte

    avant = grille.read_bytes()
    autre = tmp_path / "sortie" / "fiche valmont.pdf"
    resultat = CliRunner().invoke(main, ["rapport", str(grille), "-o", str(autre)])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.stdout.strip() == f"Fiche synthétique : {autre}"
    assert grille.read_bytes() == avant
    assert "Suivi des engagements" not in poppler.texte(autre)


def test_rapport_refuse_une_sortie_qui_n_est_pas_un_pdf(grille):
    avant = grille.read_bytes()
    resultat = CliRunner().invoke(main, ["rapport", str(grille), "-o", str(grille)])
    assert resultat.exit_code == 2
    assert "la fiche s'écrit dans un fichier .pdf" in resultat.stderr
    assert grille.read_bytes() == avant


def test_consolidate_pdf(tmp_path, poppler):
    region = tmp_path / "region"
    for nom, (finess, dt, lignes) in ETABLISSEMENTS.items():
        ecrire(region, nom, finess, dt, lignes)
    sortie = tmp_path / "consolidation_J2.xlsx"
    resultat = CliRunner().invoke(
        main, ["consolidate", str(region), "--jalon", "J2", "-o", str(sortie), "--pdf"]
    )
    assert resultat.exit_code == 0, resultat.output
    dossier = tmp_path / "fiches_J2"
    assert sorted(p.name for p in dossier.iterdir()) == [
        "fiche_centre_hospitalier_alpha.pdf", "fiche_centre_hospitalier_beta.pdf",
        "fiche_centre_hospitalier_gamma.pdf", "synthese_regionale.pdf",
    ]  # fmt: skip
    assert (
        f"Fiches synthétiques : 3 établissements et la synthèse régionale, dans {dossier}" in resultat.stdout
    )
    beta = _espaces(poppler.texte(dossier / "fiche_centre_hospitalier_beta.pdf"))
    assert "Situation au jalon J2 du 10/11/2010" in beta
    # Dernière période : Beta a 2 non-honorés sur 3 programmés ; médiane des établissements 0 ; 3e sur 3.
    assert _sans_espaces(f"{s.TAUX_NON_HONORES.libelle} 66,7 % — 66,7 % 0,0 % 3 / 3") in _sans_espaces(beta)
    regional = _espaces(poppler.texte(dossier / "synthese_regionale.pdf"))
    assert "Synthèse régionale — jalon J2 du 10/11/2010" in regional
    assert _espaces(f"{s.TAUX_NON_HONORES.libelle} 20,0 %") in regional  # 3 / 15, rapport des sommes


def test_positions_dans_la_fiche_egales_au_moteur(tmp_path, poppler):
    region = tmp_path / "region"
    for nom, (finess, dt, lignes) in ETABLISSEMENTS.items():
        ecrire(region, nom, finess, dt, lignes)
    consolidation = consolider([region], "J2", CALENDRIER_DEFAUT, travailleurs=1, fiches=True)
    gamma = next(g for g in consolidation.retenues if g.nom.endswith("Gamma"))
    place = positions(consolidation, gamma.nom)
    contexte = Contexte(CALENDRIER_DEFAUT, "J2", consolidation.date_jalon, place)
    texte = _espaces(poppler.texte(ecrire_fiche(gamma.essentiel, tmp_path / "gamma.pdf", contexte)))
    rang = place.loc["taux_programmes"]
    assert f"{int(rang['rang'])}/{int(rang['classes'])}" in _sans_espaces(texte)
    synthese = ecrire_synthese_regionale(consolidation, tmp_path / "region.pdf")
    assert "Complétude" in poppler.texte(synthese)
