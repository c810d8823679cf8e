"""La page A4 de synthèse de Malcom (``coaching-xl malcom compute --pdf``) : potentiels face aux
objectifs, temps par praticien, permanence des soins — mise en page de la fiche synthétique."""

from __future__ import annotations

from pathlib import Path

from moteur.malcom import ResultatMalcom, nombre_fr, orientations, pourcent_fr
from rapports.fiche import Page, document_pdf
from recueil import malcom_schema as m
from socle import couleurs
from socle.francais import decimal

ENTETES_CATEGORIES = (
    "Soirée\n< 24h",
    "Nuit prof.\n> 24h",
    "Samedi\naprès-midi",
    "Soirée WE\n< 24h",
    "Nuit prof.\nWE > 24h",
    "Dimanche\nmatin",
    "Dimanche\naprès-midi",
)
"""Les 7 catégories de PDS (``malcom_schema.CATEGORIES``), sur deux lignes d'en-tête."""


def ecrire_pdf(resultat: ResultatMalcom, chemin: Path) -> Path:
    """Écrit la page de synthèse dans ``chemin`` (écriture atomique)."""
    s = resultat.saisie
    nom = " — ".join(x for x in (s.etablissement, s.service) if x) or s.chemin.name
    with document_pdf(chemin, f"Malcom — {nom}") as pdf:
        page = Page(f"Malcom — {nom} — coaching-xl")
        page.texte(f"Malcom — {nom}", 15, gras=True)
        page.texte(
            f"Organisation du temps médical : {len(resultat.praticiens)} praticien(s), "
            f"{len(resultat.lignes)} ligne(s) de PDS, année de {sum(s.semaines.values())} semaines.",
            9,
        )
        page.section("Potentiels et objectifs annuels")
        avec = [a for a in resultat.activites if a.potentiel is not None]
        page.tableau(
            ["Activité", "Potentiel / an", "Objectif", "Écart", "Orientation"],
            [
                [
                    a.activite.libelle,
                    f"{nombre_fr(a.potentiel)} {a.activite.marqueur or ''}",
                    nombre_fr(a.activite.objectif) if a.activite.objectif is not None else "—",
                    pourcent_fr(a.ecart_relatif, signe=True) if a.ecart_relatif is not None else "—",
                    {"insuffisant": "insuffisant", "adequat": "en adéquation", "marge": "marge notable"}.get(
                        a.orientation or "", "—"
                    ),
                ]
                for a in avec
            ]
            or [["(aucune activité à temps alloué)", "", "", "", ""]],
            [3, 2, 1.3, 1, 1.5],
        )
        for phrase in orientations(resultat):
            page.paragraphe(phrase)
        if avec:
            axes = page.axes(0.2, largeur=1.0, etiquettes=0.2)
            libelles = [a.activite.libelle for a in avec][::-1]
            valeurs = [100 * (a.ecart_relatif or 0.0) for a in avec][::-1]
            axes.barh(
                libelles,
                valeurs,
                color=[f"#{couleurs.ROUGE_TEXTE}" if v < 0 else f"#{couleurs.BLEU}" for v in valeurs],
            )
            axes.axvline(0, color="#444444", lw=0.8)
            axes.set_xlabel("écart relatif du potentiel à l'objectif (%)", fontsize=7)
            page.descendre(0.2)
        page.section("Temps par praticien (heures redressées, après récupération des gardes)")
        page.tableau(
            [
                "Praticien",
                "Quotité",
                "Semaine\ntype",
                "Heures\n/ an",
                "Récupé-\nration",
                "Redressées",
                "Part du\nservice",
                "Gardes\n/ mois",
            ],
            [
                [
                    p.nom,
                    pourcent_fr(p.bloc.quotite),
                    f"{decimal(p.total_semaine, 1)} h",
                    nombre_fr(p.total_annuel),
                    f"{nombre_fr(p.recuperation_h)} h",
                    nombre_fr(p.total_redresse),
                    pourcent_fr(resultat.part_service(p) or 0.0),
                    nombre_fr(p.par_an("Ga") / 12, 1),
                ]
                for p in resultat.praticiens
            ],
            [3, 1, 1.3, 1.3, 1.3, 1.3, 1.3, 1.2],
        )
        page.section("Permanence des soins : gardes par mois")
        page.tableau(
            ["Praticien", *ENTETES_CATEGORIES],
            [[p.nom, *(nombre_fr(v, 1) for v in p.par_mois("Ga").values())] for p in resultat.praticiens],
            [3, *[1] * len(m.CATEGORIES)],
        )
        page.finir(pdf, 1, 1)
    return Path(chemin)
