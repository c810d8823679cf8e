"""Des jeux de lignes dont chaque indicateur a été calculé à la main (voir les commentaires)."""

from __future__ import annotations

from datetime import date

from recueil import schema as s

H, NH, NP = (t.libelle for t in s.TYPES_RDV)

# Douze lignes (n° 1 à 12) dont chaque indicateur se calcule de tête.
LIGNES = [
    # semaine du lundi 6 septembre 2010
    (date(2010, 9, 6), "Scanner", "Externe", H, 10, 0),  # 1
    (date(2010, 9, 6), "Scanner", "Hospi - Service 1", H, 4, 1),  # 2
    (date(2010, 9, 7), "IRM", "Externe", NH, 30, None),  # 3
    (date(2010, 9, 8), "IRM", "Urgences", NP, None, 0),  # 4
    (date(2010, 9, 10), "Echographie", "Urgences", NP, None, 2),  # 5
    (date(2010, 9, 12), "Scanner", "Externe", H, 20, 5),  # 6
    # semaine du lundi 13 septembre 2010
    (date(2010, 9, 13), "IRM", "Externe", H, 61, 9),  # 7
    (date(2010, 9, 14), "IRM", "Externe", NH, 61, None),  # 8
    (date(2010, 9, 15), "Scanner", "Urgences", NP, None, 3),  # 9
    (date(2010, 9, 15), "Scanner", "Hospi - Service 2", H, 7, 1),  # 10
    (date(2010, 9, 16), "Scanner", "Externe", H, None, None),  # 11
    # sans date : compte dans l'ensemble, dans aucune semaine
    (None, "IRM", "Externe", H, 8, 1),  # 12
]

# H = 7 (lignes 1, 2, 6, 7, 10, 11, 12) ; NH = 2 (3, 8) ; NP = 3 (4, 5, 9).
# Délais RDV (H, NH renseignés) : 10, 4, 30, 20, 61, 61, 7, 8 → somme 201, n = 8 ;
#   triés 4 7 8 10 20 30 61 61 : médiane (10 + 20) / 2 = 15 ; p90 : rang 0,9 × 7 = 6,3 → 61.
# Délais CR (H, NP renseignés) : 0, 1, 0, 2, 5, 9, 3, 1, 1 → somme 22, n = 9 ;
#   triés 0 0 1 1 1 2 3 5 9 : médiane 1 ; p90 : rang 7,2 → 5 + 0,2 × 4 = 5,8 ; ≤ 2 j : 6 sur 9.
ENSEMBLE = {
    "honores": 7, "non_honores": 2, "non_programmes": 3,
    "taux_programmes": 9 / 12, "taux_non_honores": 2 / 9,
    "delai_rdv": {"n": 8, "moyenne": 201 / 8, "mediane": 15.0, "p90": 61.0},
    "delai_cr": {"n": 9, "moyenne": 22 / 9, "mediane": 1.0, "p90": 5.8, "part_48h": 6 / 9},
    # CR par tranche : J0 {1, 4}, J1 {2, 10, 12}, J2 {5}, J3 {9}, J4-J7 {6}, > J7 {7}.
    "distribution_cr": {"J0": 2, "J1": 3, "J2": 1, "J3": 1, "J4-J7": 1, ">J7": 1},
    # Programmés avec délai, par tranche (NH) : 0-7 {2, 10} (0) ; 8-14 {1, 12} (0) ;
    # 15-30 {3, 6} (1) ; 31-60 aucun ; > 60 {7, 8} (1).
    "non_honores_par_tranche_delai": {"0-7": 0.0, "8-14": 0.0, "15-30": 0.5, "31-60": None,
                                      ">60": 0.5},
}  # fmt: skip
# Semaine du 06/09 : lignes 1 à 6. RDV 10, 4, 30, 20 (triés 4 10 20 30 : médiane 15,
# p90 rang 2,7 → 20 + 0,7 × 10 = 27) ; CR 0, 1, 0, 2, 5 (médiane 1, p90 rang 3,6 → 2 + 0,6 × 3
# = 3,8 ; ≤ 2 j : 4 sur 5).
SEMAINE_0609 = {
    "honores": 3, "non_honores": 1, "non_programmes": 2,
    "taux_programmes": 4 / 6, "taux_non_honores": 1 / 4,
    "delai_rdv": {"n": 4, "moyenne": 16.0, "mediane": 15.0, "p90": 27.0},
    "delai_cr": {"n": 5, "moyenne": 8 / 5, "mediane": 1.0, "p90": 3.8, "part_48h": 4 / 5},
}  # fmt: skip
# Semaine du 13/09 : lignes 7 à 11. RDV 61, 61, 7 (médiane 61, p90 61) ; CR 9, 3, 1
# (triés 1 3 9 : médiane 3, p90 rang 1,8 → 3 + 0,8 × 6 = 7,8 ; ≤ 2 j : 1 sur 3).
SEMAINE_1309 = {
    "honores": 3, "non_honores": 1, "non_programmes": 1,
    "taux_programmes": 4 / 5, "taux_non_honores": 1 / 4,
    "delai_rdv": {"n": 3, "moyenne": 43.0, "mediane": 61.0, "p90": 61.0},
    "delai_cr": {"n": 3, "moyenne": 13 / 3, "mediane": 3.0, "p90": 7.8, "part_48h": 1 / 3},
}  # fmt: skip
# Par modalité : Scanner {1, 2, 6, 9, 10, 11} : H 5, NH 0, NP 1 ; RDV 10, 4, 20, 7 ;
# CR 0, 1, 5, 3, 1. IRM {3, 4, 7, 8, 12} : H 2, NH 2, NP 1 ; RDV 30, 61, 61, 8 ; CR 0, 9, 1.
# Echographie {5} : NP 1 ; CR 2.
PAR_MODALITE = {
    "Scanner": {"honores": 5, "non_honores": 0, "non_programmes": 1,
                "taux_programmes": 5 / 6, "taux_non_honores": 0.0,
                "delai_rdv": {"n": 4, "moyenne": 41 / 4}, "delai_cr": {"n": 5, "moyenne": 2.0}},
    "IRM": {"honores": 2, "non_honores": 2, "non_programmes": 1,
            "taux_programmes": 4 / 5, "taux_non_honores": 0.5,
            "delai_rdv": {"n": 4, "moyenne": 160 / 4}, "delai_cr": {"n": 3, "moyenne": 10 / 3}},
    "Echographie": {"honores": 0, "non_honores": 0, "non_programmes": 1,
                    "taux_programmes": 0.0, "taux_non_honores": None,
                    "delai_rdv": {"n": 0, "moyenne": None}, "delai_cr": {"n": 1, "moyenne": 2.0}},
}  # fmt: skip
# Par provenance : Externe {1, 3, 6, 7, 8, 11, 12} : H 5, NH 2, NP 0 ;
# Urgences {4, 5, 9} : NP 3 ; Hospi - Service 1 {2} : H 1 ; Hospi - Service 2 {10} : H 1.
PAR_PROVENANCE = {
    "Externe": {"honores": 5, "non_honores": 2, "non_programmes": 0,
                "taux_programmes": 1.0, "taux_non_honores": 2 / 7},
    "Urgences": {"honores": 0, "non_honores": 0, "non_programmes": 3,
                 "taux_programmes": 0.0, "taux_non_honores": None},
    "Hospi - Service 1": {"honores": 1, "non_honores": 0, "non_programmes": 0,
                          "taux_programmes": 1.0, "taux_non_honores": 0.0},
    "Hospi - Service 2": {"honores": 1, "non_honores": 0, "non_programmes": 0,
                          "taux_programmes": 1.0, "taux_non_honores": 0.0},
}  # fmt: skip
