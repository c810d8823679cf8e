"""Malcom dans LibreOffice en français, comme un chef de service s'en sert : les formules
vivantes de « 8 Ressources base » et de « 3 Ressources », recalculées par LibreOffice, donnent
les nombres et les phrases du moteur (cas chiffré de §8, exemple du manuel, classeurs tirés au
hasard) ; des durées tapées au clavier (« 3:30 », « 3h30 », « 3,5 »), enregistrées par Ctrl+S,
sont relues comme l'utilisateur les voit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moteur.malcom import analyser, phrases
from recueil import malcom_schema as m
from recueil.classeur import sauver
from recueil.malcom import Base, construire
from tests.conftest import RACINE
from tests.malcom_aleatoire import contenu_aleatoire
from tests.outils import proches

pytestmark = pytest.mark.libreoffice

FIXTURE = RACINE / "tests" / "fixtures" / "malcom_exemple_3_praticiens.xlsx"
EXEMPLE = RACINE / "exemples" / "malcom_hepato_gastro.xlsx"
BASE = Base(m.BLOCS_DEFAUT, m.ACTIVITES_DEFAUT)
TOL = 1e-9


def _nombre(x) -> float | None:
    return x if isinstance(x, float) else None


def _comparer(lo, chemin: Path, saisie: dict[str, str] | None = None) -> None:
    """Les tables 4 (par praticien) et 5 (par activité) recalculées par LibreOffice = le moteur ;
    avec ``saisie`` (cellules de « 2 Tableau » → texte tapé), après cette saisie et Ctrl+S."""
    document = lo.ouvrir(chemin=str(chemin))
    try:
        if saisie:
            lo.saisir(document=document, feuille=m.FEUILLE_TABLEAU, cellules=saisie)
            lo.enregistrer(document=document)
        r = analyser(chemin)
        lo.recalculer(document=document)
        t4 = lo.valeurs(
            document=document, feuille=m.FEUILLE_BASE, plage=f"A{BASE.l4(1)}:Q{BASE.l4(BASE.blocs)}"
        )
        t5 = lo.valeurs(
            document=document, feuille=m.FEUILLE_BASE, plage=f"A{BASE.l5(1)}:M{BASE.l5(BASE.activites)}"
        )
        praticiens = [ligne for ligne in t4 if ligne[16] == m.TYPE_BLOC_PRATICIEN]
        assert [ligne[0] for ligne in praticiens] == [p.nom for p in r.praticiens]
        for ligne, p in zip(praticiens, r.praticiens, strict=True):
            attendu = [p.part_ventilation, p.total_semaine / 24, p.total_annuel / 24, p.recuperation_h / 24,
                       p.coefficient, p.total_redresse / 24, r.part_service(p), *(p.par_an(t) for t in m.IDS_PDS)]  # fmt: skip
            assert proches(ligne[3:13], attendu, TOL), (p.nom, ligne[3:13], attendu)
        activites = [ligne for ligne in t5 if ligne[1]]
        assert [ligne[1] for ligne in activites] == [a.activite.id for a in r.activites]
        for ligne, a in zip(activites, r.activites, strict=True):
            attendu = [a.heures_semaine / 24, a.heures_annuelles / 24, a.heures_redressees / 24, a.part]
            assert proches(ligne[3:7], attendu, TOL), (a.activite.id, ligne[3:7], attendu)
            lus = [_nombre(v) for v in (ligne[7], ligne[9], ligne[10], ligne[12])]
            attendu = [a.potentiel, a.ecart, a.ecart_relatif, a.a_ajuster]
            assert proches(lus, attendu, TOL), (a.activite.id, lus, attendu)
            assert (ligne[11] or None) == a.orientation
        # Les phrases de lecture du tableau de bord (praticien et activité choisis par défaut).
        nom, libelle = lo.lire(
            document=document, feuille=m.FEUILLE_RESSOURCES, cellules=["B4", "B5"]
        ).values()
        if r.praticiens:
            assert nom == r.praticiens[0].nom
            ident = next(a.activite.id for a in r.activites if a.activite.libelle == libelle)
            colonne_a = lo.lire_plage(document=document, feuille=m.FEUILLE_RESSOURCES, plage="A1:A400")
            affichees = [ligne[0] for ligne in colonne_a if ligne[0]]
            for groupe in phrases(r, nom, ident).values():
                for phrase in groupe:
                    assert phrase in affichees, phrase
    finally:
        lo.fermer(document=document)


def test_cas_chiffre_et_exemple(libreoffice_fr):
    _comparer(libreoffice_fr, FIXTURE)
    _comparer(libreoffice_fr, EXEMPLE)


@pytest.mark.parametrize("graine", range(4))
def test_classeurs_au_hasard(libreoffice_fr, tmp_path, graine):
    chemin = tmp_path / f"hasard_{graine}.xlsx"
    contenu = contenu_aleatoire(graine, deux_semaines=graine % 2 == 1)
    sauver(construire(contenu=contenu), chemin)
    _comparer(libreoffice_fr, chemin)
    # Puis une ½ journée de plus tapée dans le premier bloc, et Ctrl+S : tout suit.
    ligne = m.lignes_du_bloc(1)[-1]
    _comparer(
        libreoffice_fr,
        chemin,
        {f"AF{ligne}": contenu.activites[0][1], f"AG{ligne}": "1:15", f"AN{ligne}": "Ga"},
    )


def test_saisie_francaise_et_ctrl_s(libreoffice_fr, tmp_path):
    """Un chef de service tape dans le modèle vierge : durées « 3:30 » (une heure), « 3h30 »
    (un texte), « 3,5 » (un nombre : 3,5 jours) ; Ctrl+S ; le moteur relit ce qu'il voit."""
    lo = libreoffice_fr
    chemin = tmp_path / "malcom.xlsx"
    shutil.copy(RACINE / "templates_xlsx" / "malcom.xlsx", chemin)
    document = lo.ouvrir(chemin=str(chemin))
    lo.saisir(document=document, feuille=m.FEUILLE_ACTIVITES, cellules={
        "C5": "consultations", "D5": "5", "E5": "2:00", "F5": "2500",
    })  # fmt: skip
    lo.saisir(document=document, feuille=m.FEUILLE_TABLEAU, cellules={
        "A14": "Docteur Élise Martin", "AO14": "80 %", "AP14": "Non",
        "B14": "Cons", "C14": "3:30", "D14": "Cons", "E14": "3h30", "H14": "Salle", "I14": "3,5",
        "A19": "Part ligne de garde WE", "AO19": "PDS", "AH19": "Ga", "AI19": "Ga",
    })  # fmt: skip
    lo.saisir(document=document, feuille=m.FEUILLE_RESSOURCES, cellules={"B5": "Consultations"})
    lo.recalculer(document=document)
    affiche = lo.lire(
        document=document, feuille=m.FEUILLE_BASE, cellules=[f"J{BASE.l4(1)}", f"E{BASE.l4(1)}"]
    )
    lo.enregistrer(document=document)
    lo.fermer(document=document)
    r = analyser(chemin)
    codes = [(a.code, a.cellule) for a in r.anomalies]
    assert ("duree-invalide", "'2 Tableau'!I14") in codes
    invalide = next(a for a in r.anomalies if a.cellule == "'2 Tableau'!I14")
    assert "84:00" in invalide.message and "« 3:30 »" in invalide.message
    (p,) = r.praticiens
    assert p.nom == "Docteur Élise Martin" and p.bloc.quotite == pytest.approx(0.8)
    assert p.heures_semaine["Cons"] == pytest.approx(7.0)  # 3:30 (heure) + « 3h30 » (texte)
    assert p.heures_semaine["Salle"] == 0
    cons = r.activite("Cons")
    assert cons.activite.quantite == 5 and cons.activite.duree_h == pytest.approx(2)
    assert r.lignes[0].par_an["Ga"] == 2 * 52
    # Ce que l'utilisateur voit : la part du service en pour cent français, la durée en h:mm.
    assert affiche[f"J{BASE.l4(1)}"] == "100,0 %"
    assert affiche[f"E{BASE.l4(1)}"] == "3:30"
    # Rouvert après Ctrl+S : les phrases sont toujours là, le format aussi.
    document = lo.ouvrir(chemin=str(chemin))
    lo.recalculer(document=document)
    texte = [
        ligne[0]
        for ligne in lo.lire_plage(document=document, feuille=m.FEUILLE_RESSOURCES, plage="A1:A60")
        if ligne[0]
    ]
    assert any(
        t.startswith("Docteur Élise Martin représente 100\u202f% du temps du service") for t in texte
    ), "\n".join(texte)
    lo.fermer(document=document)
