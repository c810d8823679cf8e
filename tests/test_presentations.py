"""Les diaporamas (issue 19) : la présentation à la CME d'un établissement et le point d'étape
du réseau. Leurs chiffres sont ceux de ``compute`` et de ``consolidate --format json`` ; leurs
graphiques sont des graphiques natifs (des parties chart, pas des images) ; aucun texte ne
déborde, même avec les noms les plus longs de la simulation ; LibreOffice Impress les
convertit en PDF page pour page."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Emu

from coaching_xl.cli import main
from moteur.consolidation import classement, consolider
from rapports.diaporama import debordements
from recueil import annexes
from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT
from recueil.grille import Identite, OptionsGrille, ecrire_grille
from recueil.simulation import region
from socle.francais import valeur
from tests import jeux


def invoquer(*arguments):
    return CliRunner().invoke(main, [str(a) for a in arguments])


def textes(diapo) -> list[str]:
    return [forme.text_frame.text for forme in diapo.shapes if forme.has_text_frame]


def titre(diapo) -> str:
    """Le texte le plus haut de la diapositive (le pied de page vient après)."""
    return min(
        (f for f in diapo.shapes if f.has_text_frame and f.text_frame.text), key=lambda f: f.top
    ).text_frame.text


def cellules(diapo) -> list[list[str]]:
    return [
        [c.text for c in rangee.cells]
        for forme in diapo.shapes
        if forme.has_table
        for rangee in forme.table.rows
    ]


def graphiques(diapo) -> list:
    return [forme.chart for forme in diapo.shapes if forme.has_chart]


def verifier_natif(chemin: Path, diapos: int) -> Presentation:
    """16:9, le nombre de diapositives, des graphiques natifs et aucune image, des notes partout,
    rien qui déborde."""
    presentation = Presentation(str(chemin))
    assert (Emu(presentation.slide_width).cm, Emu(presentation.slide_height).cm) == pytest.approx(
        (33.867, 19.05), abs=0.01
    )
    assert len(presentation.slides) == diapos
    with zipfile.ZipFile(chemin) as paquet:
        noms = paquet.namelist()
    assert any(n.startswith("ppt/charts/chart") for n in noms)
    assert not any(n.startswith("ppt/media/") for n in noms), "un graphique est une image"
    for diapo in presentation.slides:
        assert diapo.has_notes_slide and diapo.notes_slide.notes_text_frame.text.strip()
    assert debordements(chemin) == []
    return presentation


LE_PLUS_LONG = max((p.identite.etablissement for p in region(200, 2010, CALENDRIER_DEFAUT)), key=len)


@pytest.fixture(scope="module")
def grille_longue(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("cme")
    return ecrire_grille(
        dossier, OptionsGrille(identite=Identite(LE_PLUS_LONG, "750000001", "DT Nord")), jeux.LIGNES * 4
    )


def test_cme_chiffres_de_compute(grille_longue, tmp_path):
    sortie = tmp_path / "cme.pptx"
    resultat = invoquer("presentation", "cme", grille_longue, "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    presentation = verifier_natif(sortie, 9)
    document = json.loads(
        invoquer("compute", grille_longue, "--format", "json", "--sortie", tmp_path / "x.xlsx").stdout
    )
    depart = textes(presentation.slides[3])
    for cle, format_ in ((s.TAUX_PROGRAMMES.cle, "pourcent"), (s.TAUX_NON_HONORES.cle, "pourcent")):
        assert valeur(document["global"][cle], format_) in depart
    assert valeur(document["global"]["delai_rdv"]["moyenne"], "jours") in depart
    (modalites,) = graphiques(presentation.slides[3])
    par_modalite = {m["modalite"]: m for m in document["par_modalite"]}
    assert list(modalites.plots[0].categories) == list(par_modalite)
    valeurs = list(modalites.plots[0].series[0].values)
    assert valeurs == pytest.approx([par_modalite[m]["taux_programmes"] for m in par_modalite])
    assert any(LE_PLUS_LONG in t for t in textes(presentation.slides[0]))
    # Les services à cibler : ceux de la feuille Services demandeurs, hors externes et urgences.
    services = {sd["provenance"]: sd for sd in document["services_demandeurs"]}
    lignes = cellules(presentation.slides[6])[1:]
    assert lignes and all(
        ligne[0] in services and ligne[0] not in ("Externe", "Urgences") for ligne in lignes
    )
    for ligne in lignes:
        assert ligne[1] == str(services[ligne[0]]["volume"])
        assert ligne[2] == valeur(services[ligne[0]]["part_non_programmes"], "pourcent")


def test_cme_equipe_de_l_annexe(grille_longue, tmp_path):
    annexe = tmp_path / "equipe_projet.xlsx"
    annexes.equipe_projet(OptionsGrille(identite=Identite(LE_PLUS_LONG))).save(annexe)
    livre = load_workbook(annexe)
    feuille = livre["Équipe projet"]
    pilote = next(r for r in range(1, 40) if feuille.cell(r, 2).value == "Pilote du projet")
    feuille.cell(pilote, 3).value, feuille.cell(pilote, 4).value = (
        "Mme Claire Dubois-Lefèvre",
        "Cadre supérieure",
    )
    livre.save(annexe)
    sortie = tmp_path / "cme.pptx"
    assert invoquer("presentation", "cme", grille_longue, "--equipe", annexe, "-o", sortie).exit_code == 0
    equipe = cellules(Presentation(str(sortie)).slides[2])
    assert ["Pilote du projet", "Pilote du projet", "Mme Claire Dubois-Lefèvre", "Cadre supérieure"] in equipe
    # Une grille donnée pour l'annexe : message clair, rien d'écrit.
    resultat = invoquer(
        "presentation", "cme", grille_longue, "--equipe", grille_longue, "-o", tmp_path / "b.pptx"
    )
    assert resultat.exit_code == 1 and "n'est pas l'annexe « équipe projet »" in resultat.stderr
    assert not (tmp_path / "b.pptx").exists()


def test_sortie_existante_et_mauvaise_extension(grille_longue, tmp_path):
    sortie = tmp_path / "cme.pptx"
    sortie.write_bytes(b"a moi")
    resultat = invoquer("presentation", "cme", grille_longue, "-o", sortie)
    assert resultat.exit_code == 1 and "--ecraser" in resultat.stderr and sortie.read_bytes() == b"a moi"
    assert invoquer("presentation", "cme", grille_longue, "-o", sortie, "--ecraser").exit_code == 0
    resultat = invoquer("presentation", "cme", grille_longue, "-o", tmp_path / "cme.pdf")
    assert resultat.exit_code == 2 and ".pptx" in resultat.stderr and "Traceback" not in resultat.output


def test_point_d_etape_chiffres_de_consolidate(region_simulee, tmp_path):
    sortie = tmp_path / "point_etape_J3.pptx"
    resultat = invoquer("presentation", "jalon", region_simulee, "--jalon", "J3", "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    presentation = Presentation(str(sortie))
    verifier_natif(sortie, len(presentation.slides))
    document = json.loads(invoquer("consolidate", region_simulee, "--jalon", "J3", "-o", tmp_path / "c.xlsx",
                                   "--format", "json").stdout)  # fmt: skip
    titres = [titre(d) for d in presentation.slides]
    assert titres[1] == "La région, période par période"
    region_tableau = cellules(presentation.slides[1])
    assert region_tableau[0][1:] == ["avant J1", "J1→J2", "J2→J3"]
    assert region_tableau[1][0] == "Taux de RDV programmés"
    consolidation = consolider([region_simulee], "J3", CALENDRIER_DEFAUT)
    assert region_tableau[1][-1] == valeur(
        consolidation.region_periodes.loc["J2→J3", s.TAUX_PROGRAMMES.cle], "pourcent"
    )
    cumul = document["region"]["taux_programmes"]
    assert cumul == pytest.approx(float(consolidation.region[s.TAUX_PROGRAMMES.cle]))
    # Un classement par indicateur comparé, dans l'ordre de la consolidation, la région à sa place.
    for comparaison, diapo in zip(s.COMPARAISONS, list(presentation.slides)[2:7], strict=True):
        (graphique,) = graphiques(diapo)
        attendu = classement(consolidation, comparaison)
        assert list(graphique.plots[0].categories) == [str(n) for n in attendu.index]
        assert list(graphique.plots[0].series[0].values) == pytest.approx(
            attendu["derniere"].tolist(), nan_ok=True
        )
    assert any(t.startswith("Qualité des données") for t in titres)
    assert "Avancement des feuilles de route" in titres
    assert titres[-1].startswith("Prochain jalon : J4") and "13/01/2011" in " ".join(
        textes(presentation.slides[-1])
    )
    assert any(t.startswith("Feuille de route J3→J4") for t in titres)


def test_point_d_etape_au_dernier_jalon_fiches_bilan(region_simulee, tmp_path):
    sortie = tmp_path / "point_etape_J5.pptx"
    assert invoquer("presentation", "jalon", region_simulee, "--jalon", "J5", "-o", sortie).exit_code == 0
    presentation = Presentation(str(sortie))
    verifier_natif(sortie, len(presentation.slides))
    consolidation = consolider([region_simulee], "J5", CALENDRIER_DEFAUT)
    bilans = [titre(d) for d in presentation.slides if titre(d).startswith("Bilan — ")]
    assert bilans == [f"Bilan — {g.nom}" for g in consolidation.retenues]
    assert not any(titre(d).startswith("Prochain jalon") for d in presentation.slides)


@pytest.mark.libreoffice
def test_impress_convertit_chaque_diaporama(libreoffice, grille_longue, region_simulee, tmp_path):
    from tests.libreoffice import Poppler

    cme, jalon = tmp_path / "cme.pptx", tmp_path / "point_etape_J3.pptx"
    assert invoquer("presentation", "cme", grille_longue, "-o", cme).exit_code == 0
    assert invoquer("presentation", "jalon", region_simulee, "--jalon", "J3", "-o", jalon).exit_code == 0
    for deck in (cme, jalon):
        pdf = libreoffice.convertir(deck, "pdf", tmp_path / "pdf")
        assert int(Poppler.infos(pdf)["Pages"]) == len(Presentation(str(deck)).slides)
        texte = Poppler.texte(pdf)
        assert "Programmer dans les meilleurs délais" in texte or "point d'étape" in texte.lower()
    texte = Poppler.texte(libreoffice.convertir(cme, "pdf", tmp_path / "pdf2"))
    assert LE_PLUS_LONG.split()[-1] in texte and " %" in texte


def test_point_d_etape_avec_les_noms_les_plus_longs(grille_longue, tmp_path):
    """Les trois noms les plus longs de la simulation, au dernier jalon (fiches bilan comprises) :
    rien ne déborde."""
    noms = sorted({p.identite.etablissement for p in region(200, 2010, CALENDRIER_DEFAUT)}, key=len)[-3:]
    dossier = tmp_path / "grilles"
    for i, nom in enumerate(noms):
        ecrire_grille(
            dossier, OptionsGrille(identite=Identite(nom, f"75000010{i}")), jeux.LIGNES * 4, nom=f"g{i}.xlsx"
        )
    sortie = tmp_path / "point_etape_J5.pptx"
    assert invoquer("presentation", "jalon", dossier, "--jalon", "J5", "-o", sortie).exit_code == 0
    presentation = verifier_natif(sortie, len(Presentation(str(sortie)).slides))
    assert [titre(d) for d in presentation.slides if titre(d).startswith("Bilan")] == [
        f"Bilan — {nom}" for nom in sorted(noms, key=s.normaliser)
    ]
