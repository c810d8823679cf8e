"""Les contenus des classeurs Malcom d'exemple : le cas du manuel (hépato-gastro-entérologie,
``exemples/malcom_hepato_gastro.xlsx``) et le cas chiffré de MALCOM.md §8 (trois praticiens,
``tests/fixtures/malcom_exemple_3_praticiens.xlsx``), décrits ½ journée par ½ journée."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from recueil import malcom_schema as m
from recueil.malcom import Contenu

_DEMI = {d.code: d for d in m.DEMI_JOURNEES}
_CRENEAU = {c.code: c for c in m.CRENEAUX}
Semaine = dict[str, list[tuple[str, str]]]
"""½ journée → [(Id, « h:mm »), …] (une ligne du bloc par activité)."""


def _heures(texte: str) -> float:
    h, mi = texte.split(":")
    return (int(h) + int(mi) / 60) / 24


def cellules_du_bloc(
    bloc: int, semaine: Semaine, pds: dict[str, list[str]] | None = None, semaine_type: int = 1
) -> dict[str, object]:
    """Les cellules de « 2 Tableau » d'un bloc (de la semaine type 1 ou 2) : Act / Tps, puis les
    PDS (créneau → types, un par ligne du bloc)."""
    cellules: dict[str, object] = {}
    lignes = m.lignes_du_bloc(bloc, semaine_type)

    for code, activites in semaine.items():
        d = _DEMI[code]
        for ligne, (ident, duree) in zip(lignes, activites, strict=False):
            cellules[f"{get_column_letter(d.colonne_act)}{ligne}"] = ident
            cellules[f"{get_column_letter(d.colonne_act + 1)}{ligne}"] = _heures(duree)
    for code, types in (pds or {}).items():
        c = _CRENEAU[code]
        for ligne, type_ in zip(lignes, types, strict=False):
            cellules[f"{get_column_letter(c.colonne)}{ligne}"] = type_
    return cellules


def _contenu(activites, blocs, parametres, periodes, note=None) -> Contenu:
    cellules: dict[str, object] = {}
    for rang, (_, _, _, semaine, pds) in enumerate(blocs, start=1):
        cellules.update(cellules_du_bloc(rang, semaine, pds))
    return Contenu(
        parametres, activites, periodes, [(n, q, np_) for n, q, np_, _, _ in blocs], cellules, note
    )


WE = {
    code: ["Ga"]
    for code in (
        "sam_apres_midi",
        "sam_soiree",
        "sam_nuit",
        "dim_matin",
        "dim_apres_midi",
        "dim_soiree",
        "dim_nuit",
    )
}
"""Une garde de week-end complète (samedi après-midi → lundi matin) : 7 créneaux."""

TROIS_PRATICIENS = _contenu(
    activites=[
        ("Salle", "Salle", None, None, None, None, 1, 1),
        ("Consultations", "Cons", "consultations", 5, _heures("2:00"), 3050),
        ("Endoscopies classiques", "EnC", "actes", 7, _heures("3:30"), 1800),
        ("Administratif", "Adm"),
    ],
    blocs=[
        (
            "Docteur A",
            1,
            "Non",
            {
                "lun_matin": [("Salle", "3:30"), ("Adm", "0:30")],
                "lun_apres_midi": [("Cons", "4:00")],
                "mar_matin": [("EnC", "3:30"), ("Adm", "0:30")],
                "mar_apres_midi": [("Cons", "2:00"), ("Adm", "2:00")],
                "mer_matin": [("Salle", "4:00")],
                "mer_apres_midi": [("Cons", "4:00")],
                "jeu_matin": [("EnC", "3:30"), ("Salle", "0:30")],
                "jeu_apres_midi": [("Adm", "4:00")],
                "ven_matin": [("Salle", "4:00")],
                "ven_apres_midi": [("Cons", "3:00"), ("Adm", "1:00")],
            },
            None,
        ),
        (
            "Docteur B",
            1,
            "Non",
            {
                "lun_matin": [("EnC", "3:30"), ("Salle", "0:30")],
                "lun_apres_midi": [("Salle", "4:00")],
                "mar_matin": [("Salle", "4:00")],
                "mar_apres_midi": [("EnC", "3:30"), ("Adm", "0:30")],
                "mer_matin": [("Cons", "4:00")],
                "mer_apres_midi": [("Adm", "4:00")],
                "jeu_matin": [("Salle", "4:00")],
                "jeu_apres_midi": [("Cons", "4:00")],
                "ven_matin": [("EnC", "3:30"), ("Adm", "0:30")],
                "ven_apres_midi": [("Salle", "2:00"), ("Adm", "2:00")],
                "sam_matin": [("Salle", "2:00")],
            },
            {"mar_nuit": ["AsSec"]},
        ),
        (
            "Docteur C",
            0.5,
            "Non",
            {
                "lun_apres_midi": [("Cons", "4:00")],
                "mar_matin": [("Cons", "3:00"), ("Adm", "1:00")],
                "mer_matin": [("Salle", "4:00")],
                "jeu_apres_midi": [("Cons", "4:00")],
                "ven_matin": [("EnC", "3:30"), ("Adm", "0:30")],
            },
            None,
        ),
        ("Part ligne de garde WE", "PDS", None, {}, WE),
    ],
    parametres={
        "etablissement": "Hôpital d'exemple",
        "service": "Cas chiffré (MALCOM.md §8)",
        "ventilation": m.VENTILATIONS["prorata_quotite"],
        "annee": 2012,
    },
    periodes={"C6": 0.5, "C7": 0.25},
)

HEPATO_GASTRO = _contenu(
    activites=[
        ("Salle", "Salle"),
        ("Consultations", "Cons", "consultations", 5, _heures("2:00"), 2500),
        ("Endoscopies classiques", "EnC", "actes", 7, _heures("3:30"), 1100),
        ("Endoscopies sous AG", "EnAG", "actes", 7, _heures("4:00"), 350),
        ("Staff", "Staff"),
        ("Enseignement", "Ens"),
        ("Administratif", "Adm"),
        ("Activité d'intérêt général", "IG"),
    ],
    blocs=[
        (
            "Docteur 01",
            1,
            "Non",
            {
                "lun_matin": [("Salle", "3:30"), ("Ens", "0:15"), ("Adm", "0:15")],
                "lun_apres_midi": [("Cons", "1:30"), ("Ens", "1:30"), ("Adm", "1:30")],
                "mar_matin": [("Salle", "4:00")],
                "mar_apres_midi": [("Adm", "4:00")],
                "mer_matin": [("EnC", "4:00")],
                "mer_apres_midi": [("Cons", "3:30"), ("Staff", "0:30")],
                "jeu_matin": [("Salle", "3:30"), ("Ens", "0:15"), ("Adm", "0:15")],
                "jeu_apres_midi": [("IG", "4:00")],
                "ven_matin": [("Cons", "0:30"), ("IG", "3:30")],
                "ven_apres_midi": [("Adm", "4:00")],
            },
            {
                "mer_nuit": ["Ga"],
                "lun_soiree": ["AsOp"],
                "mar_soiree": ["AsOp"],
                "jeu_soiree": ["AsOp"],
                "ven_nuit": ["AsSec"],
            },
        ),
        (
            "Docteur 02",
            1,
            "Non",
            {
                "lun_matin": [("EnC", "3:30"), ("Adm", "0:30")],
                "lun_apres_midi": [("Cons", "4:00")],
                "mar_matin": [("Salle", "4:00")],
                "mar_apres_midi": [("Adm", "3:30"), ("Staff", "0:30")],
                "mer_matin": [("Salle", "4:00")],
                "mer_apres_midi": [("Adm", "4:00")],
                "jeu_matin": [("Salle", "4:00")],
                "jeu_apres_midi": [("Cons", "4:00")],
                "ven_matin": [("Salle", "4:00")],
                "ven_apres_midi": [("Adm", "2:00"), ("Ens", "2:00")],
            },
            {"lun_nuit": ["Ga"]},
        ),
        (
            "Docteur 03",
            1,
            "Non",
            {
                "lun_matin": [("Salle", "4:00")],
                "lun_apres_midi": [("EnC", "3:30"), ("Adm", "0:30")],
                "mar_matin": [("Cons", "4:00")],
                "mar_apres_midi": [("Salle", "3:30"), ("Staff", "0:30")],
                "mer_matin": [("Salle", "4:00")],
                "mer_apres_midi": [("Cons", "4:00")],
                "jeu_matin": [("Salle", "4:00")],
                "jeu_apres_midi": [("IG", "3:00"), ("Adm", "1:00")],
                "ven_matin": [("Salle", "4:00")],
                "ven_apres_midi": [("Ens", "4:00")],
                "sam_matin": [("Salle", "3:00")],
            },
            {"jeu_nuit": ["Ga"]},
        ),
        (
            "Docteur 04",
            0.2,
            "Non",
            {
                "mar_matin": [("EnAG", "4:00")],
                "jeu_apres_midi": [("Cons", "4:00")],
            },
            None,
        ),
        (
            "Docteur 05",
            0.2,
            "Non",
            {
                "lun_apres_midi": [("Cons", "4:00")],
                "ven_matin": [("EnC", "3:00"), ("Adm", "1:00")],
            },
            None,
        ),
        ("Part ligne de garde WE", "PDS", None, {}, WE),
    ],
    parametres={
        "etablissement": "Centre hospitalier d'exemple",
        "pole": "Pôle médecine",
        "service": "Hépato-gastro-entérologie",
        "chef_service": "Docteur 01",
        "ventilation": m.VENTILATIONS["prorata_quotite"],
        "annee": 2012,
    },
    periodes={},
    note="Exemple construit sur le cas du mode d'emploi de Malcom v1.0 (ARS Île-de-France, 2012) : "
    "les ½ journées "
    "que ses copies d'écran ne montrent pas sont inventées.",
)
