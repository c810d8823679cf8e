"""Le schéma : les libellés exacts de SPEC §2 et les limites qu'Excel impose aux textes."""

from __future__ import annotations

import itertools

import pytest

from recueil import schema as s


def test_colonnes_dans_l_ordre_de_la_spec():
    assert [(c.lettre, c.entete) for c in s.COLONNES] == [
        ("A", "Date"),
        ("B", "Type d'activité"),
        ("C", "Provenance du patient"),
        ("D", "Type de rendez-vous"),
        ("E", "Délai d'obtention du RDV (jours)"),
        ("F", "Délai de compte-rendu (jours)"),
    ]


def test_types_et_listes_par_defaut():
    assert [t.libelle for t in s.TYPES_RDV] == [
        "Programmé honoré",
        "Programmé non-honoré",
        "Non programmé",
    ]
    assert s.MODALITES.emplacements == 10 and s.PROVENANCES.emplacements == 15
    assert s.MODALITES.defaut == (
        "Radiologie conventionnelle",
        "Scanner",
        "IRM",
        "Echographie",
        "Radiologie interventionnelle",
    )
    assert s.PROVENANCES.defaut[:3] == ("Externe", "Urgences", "Hospi - Service 1")
    assert s.PROVENANCES.defaut[-1] == "Hospi - Service 13"
    assert len(s.PROVENANCES.defaut) == 15


@pytest.mark.parametrize("colonne", s.COLONNES, ids=lambda c: c.cle)
def test_textes_de_validation_dans_les_limites_d_excel(colonne):
    # Excel refuse d'ouvrir sans réparation une validation dont le titre dépasse 32
    # caractères ou le message 255.
    assert len(colonne.aide_titre) <= 32 and len(colonne.erreur_titre) <= 32
    assert len(colonne.aide) <= 255 and len(colonne.erreur) <= 255


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("scanner", "scanner"),
        ("  Scanner ", "scanner"),
        ("Échographie", "echographie"),
        ("Echographie", "echographie"),
        ("Hospi  -   Service 1", "hospi - service 1"),
        ("PROGRAMMÉ NON-HONORÉ", "programme non-honore"),
        ("IRM\u00a0", "irm"),
    ],
)
def test_normaliser(saisi, attendu):
    assert s.normaliser(saisi) == attendu


def test_indicateurs_declares_une_fois():
    assert s.TAUX_PROGRAMMES.numerateur == ("H", "NH")
    assert s.TAUX_PROGRAMMES.denominateur == ("H", "NH", "NP")
    assert s.TAUX_NON_HONORES.numerateur == ("NH",)
    assert s.TAUX_NON_HONORES.denominateur == ("H", "NH")
    assert s.DELAI_RDV.types == ("H", "NH") and s.DELAI_RDV.colonne == "delai_rdv"
    assert s.DELAI_CR.types == ("H", "NP") and s.DELAI_CR.seuil_part == 2
    assert [t.cle for t in s.TRANCHES_CR] == ["J0", "J1", "J2", "J3", "J4-J7", ">J7"]
    assert [t.cle for t in s.TRANCHES_DELAI_RDV] == ["0-7", "8-14", "15-30", "31-60", ">60"]


def test_tranches_contigues():
    for tranches in (s.TRANCHES_CR, s.TRANCHES_DELAI_RDV):
        assert tranches[0].minimum == 0 and tranches[-1].maximum is None
        for a, b in itertools.pairwise(tranches):
            assert b.minimum == a.maximum + 1


def test_codes_d_anomalie_de_la_spec():
    assert set(s.ANOMALIES) == {
        "date-manquante",
        "date-invalide",
        "date-future",
        "date-hors-periode",
        "valeur-hors-liste",
        "champ-manquant",
        "delai-invalide",
        "delai-rdv-manquant",
        "delai-rdv-non-programme",
        "delai-rdv-nul-programme",
        "delai-cr-non-honore",
        "delai-atypique",
        "formule-sans-valeur",
        "valeur-erreur",
        "ligne-total-tableau",
    }
    assert s.ANOMALIES["delai-atypique"].gravite == s.INFO
    assert s.ANOMALIES["valeur-hors-liste"].gravite == s.ERREUR


def test_une_seule_facon_de_citer_une_feuille():
    from recueil.references import plage, reference_feuille

    assert reference_feuille("Recueil") == "Recueil"
    assert reference_feuille("Tableau de bord") == "'Tableau de bord'"
    assert reference_feuille("Mode d'emploi") == "'Mode d''emploi'"
    assert reference_feuille("Paramètres") == "'Paramètres'"
    assert reference_feuille("2010") == "'2010'"
    assert plage("Recueil", "B", 5, 9) == "Recueil!$B$5:$B$9"
    assert plage("Indicateurs (2)", "A", 1) == "'Indicateurs (2)'!$A$1"
