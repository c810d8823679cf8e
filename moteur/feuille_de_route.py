"""Les feuilles de route relues (``consolidate``) : dans chaque ``feuille_de_route.xlsx`` que
``generate`` a écrit et que l'établissement a rempli, le statut de chaque point de la check-list
des huit actions, période par période. La consolidation en tire l'avancement de chaque
établissement et les points en retard des périodes que le jalon a closes — le « tour de table :
point d'avancement » de chaque jalon.

Une feuille de route se reconnaît à ses propriétés (``socle.ouvrages``) ; son établissement, à
ses champs Établissement et FINESS (comme une grille), à défaut à la grille de son dossier."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from moteur.lecture import FORMATS, lignes_de, ouvrir, texte_de_cellule
from moteur.valeurs import lire_date
from recueil import dispositif as d
from recueil import schema as s
from recueil.calendrier import Calendrier
from socle.erreurs import ErreurCoachingXL
from socle.ouvrages import TITRES_ANNEXES, titre

FEUILLE = "Feuille de route"
FAIT, SANS_OBJET = d.STATUTS_TACHE[2], d.STATUTS_TACHE[3]
EN_RETARD = (d.STATUTS_TACHE[0], d.STATUTS_TACHE[1])
"""« À faire », « En cours » : un point d'une période close qui n'est pas fait."""
_PERIODE = re.compile(r"^(.+?→.+?)\s*:")
_LIBELLES = {a.numero: a.libelle for a in d.ACTIONS}
_STATUTS = {s.normaliser(statut): statut for statut in d.STATUTS_TACHE}


@dataclass(frozen=True)
class Point:
    etablissement: str
    action: int
    periode: str
    tache: str
    statut: str
    """Un de ``dispositif.STATUTS_TACHE`` ; une case laissée vide compte « À faire »."""
    responsable: str | None = None
    echeance: date | None = None

    @property
    def libelle_action(self) -> str:
        return _LIBELLES.get(self.action, "")


@dataclass
class Route:
    """La feuille de route d'un établissement."""

    fichier: Path
    etablissement: str
    finess: str | None
    points: list[Point] = field(default_factory=list)

    @property
    def cle(self) -> str:
        return self.finess or s.normaliser(self.etablissement)

    def actions(self) -> list[tuple[int, str]]:
        return [(a.numero, a.libelle) for a in d.ACTIONS if any(p.action == a.numero for p in self.points)]

    def part(self, action: int | None, periode: str | None) -> float:
        """La part des points « Fait » (sans compter « Sans objet ») de l'action (toutes avec
        None) sur la période (toutes avec None) ; NaN sans point à compter."""
        retenus = [p for p in self.points if (action is None or p.action == action)
                   and (periode is None or p.periode == periode) and p.statut != SANS_OBJET]  # fmt: skip
        return sum(p.statut == FAIT for p in retenus) / len(retenus) if retenus else math.nan


@dataclass
class Avancement:
    """Les feuilles de route d'une consolidation."""

    periodes: list[str]
    """Les périodes des feuilles de route (« J1→J2 » … « J4→J5 »)."""
    closes: list[str]
    """Celles que le jalon a closes."""
    routes: list[Route]
    notes: list[str] = field(default_factory=list)
    """Les feuilles de route illisibles, ou sans établissement retrouvé."""

    def en_retard(self) -> list[Point]:
        return [
            p for r in self.routes for p in r.points if p.periode in self.closes and p.statut in EN_RETARD
        ]


def est_feuille_de_route(chemin: Path) -> bool:
    return titre(chemin) == TITRES_ANNEXES["feuille_de_route"]


def trouver_feuilles_de_route(sources: Iterable[Path]) -> list[Path]:
    """Les feuilles de route des dossiers (sous-dossiers compris) et des fichiers donnés."""
    trouvees: list[Path] = []
    for source in map(Path, sources):
        candidats = sorted(source.rglob("*.xlsx")) if source.is_dir() else [source]
        trouvees += [p for p in candidats if p.is_file() and p.suffix.lower() in FORMATS
                     and not p.name.startswith(("~$", ".~lock", ".")) and est_feuille_de_route(p)]  # fmt: skip
    return list(dict.fromkeys(trouvees))


def lire_feuille_de_route(chemin: Path) -> Route:
    """Relit une feuille de route. Lève GrilleIllisible (fichier abîmé) ou ErreurParametre (pas
    de feuille « Feuille de route »)."""
    from socle.erreurs import ErreurParametre

    classeur = ouvrir(Path(chemin), "la feuille de route", "feuille_de_route.xlsx")
    lignes = lignes_de(classeur, FEUILLE)
    if lignes is None:
        raise ErreurParametre(f"{chemin} : feuille « {FEUILLE} » introuvable.")
    champs: dict[str, str] = {}
    etablissement = ""
    periode, points = None, []
    for ligne in lignes:
        cellules = [texte_de_cellule(v) for v in ligne] + [""] * 7
        premiere = cellules[0]
        if premiere.startswith(f"{FEUILLE} — ") and not etablissement:
            etablissement = premiere.removeprefix(f"{FEUILLE} — ")
        if s.normaliser(premiere) in ("etablissement", "finess") and cellules[2]:
            champs[s.normaliser(premiere)] = cellules[2]
            continue
        if m := _PERIODE.match(premiere):
            periode = m[1]
            continue
        numero = premiere.removesuffix(".0")
        if periode and numero.isdigit() and int(numero) in _LIBELLES and cellules[2]:
            statut = _STATUTS.get(s.normaliser(cellules[3]), d.STATUTS_TACHE[0])
            echeance = lire_date(cellules[5]) if cellules[5] else None
            points.append(Point("", int(numero), periode, cellules[2], statut, cellules[4] or None, echeance))
    nom = champs.get("etablissement") or (etablissement if etablissement != "établissement" else "")
    return Route(Path(chemin), nom, (champs.get("finess") or "").upper() or None, points)


def lire_avancement(
    chemins: list[Path], calendrier: Calendrier, date_jalon: date, grilles: dict[Path, tuple[str, str]]
) -> Avancement | None:
    """L'avancement de chaque feuille de route trouvée ; ``grilles`` : dossier → (clé, nom) de
    l'établissement de la grille retenue qui s'y trouve, pour nommer une feuille de route sans
    établissement et l'écrire sous le même nom que sa grille. None sans feuille de route."""
    if not chemins:
        return None
    periodes = [p for p in calendrier.periodes()[1 : 1 + len(d.ETAPES)]]
    par_cle = {cle: nom for cle, nom in grilles.values()}
    routes, notes = [], []
    for chemin in chemins:
        try:
            route = lire_feuille_de_route(chemin)
        except ErreurCoachingXL as e:
            notes.append(f"Feuille de route illisible : {e}")
            continue
        if route.cle in par_cle:
            route.etablissement = par_cle[route.cle]
        elif not route.etablissement and chemin.parent in grilles:
            route.etablissement = grilles[chemin.parent][1]
        if not route.etablissement:
            notes.append(f"{chemin} : établissement introuvable (champ Établissement vide, pas de grille dans "
                         "le dossier) ; la feuille de route est lue sous le nom de son dossier.")  # fmt: skip
            route.etablissement = chemin.parent.name
        route.points = [Point(route.etablissement, p.action, p.periode, p.tache, p.statut, p.responsable,
                              p.echeance) for p in route.points]  # fmt: skip
        routes.append(route)
    vues: dict[str, Route] = {}
    for route in sorted(routes, key=lambda r: r.fichier.stat().st_mtime, reverse=True):
        if route.cle in vues or s.normaliser(route.etablissement) in {
            s.normaliser(v.etablissement) for v in vues.values()
        }:
            notes.append(f"Deux feuilles de route pour {route.etablissement} : {route.fichier} (la plus ancienne) "
                         "est écartée.")  # fmt: skip
            continue
        vues[route.cle] = route
    retenues = sorted(vues.values(), key=lambda r: s.normaliser(r.etablissement))
    closes = [p.libelle for p in periodes if p.fin is not None and p.fin <= date_jalon]
    return Avancement([p.libelle for p in periodes], closes, retenues, notes)


def document_avancement(avancement: Avancement) -> dict:
    """Le bloc « avancement » du JSON de la consolidation."""

    def part(v: float) -> float | None:
        return None if math.isnan(v) else round(v, 4)

    return {
        "periodes": avancement.periodes,
        "periodes_closes": avancement.closes,
        "etablissements": [
            {
                "etablissement": r.etablissement,
                "fichier": str(r.fichier),
                "ensemble": part(r.part(None, None)),
                "par_periode": {p: part(r.part(None, p)) for p in avancement.periodes},
                "par_action": [
                    {
                        "action": n,
                        "libelle": lib,
                        "par_periode": {p: part(r.part(n, p)) for p in avancement.periodes},
                        "ensemble": part(r.part(n, None)),
                    }
                    for n, lib in r.actions()
                ],
            }
            for r in avancement.routes
        ],
        "en_retard": [
            {
                "etablissement": p.etablissement,
                "action": p.action,
                "periode": p.periode,
                "point": p.tache,
                "statut": p.statut,
                "responsable": p.responsable,
                "echeance": p.echeance.isoformat() if p.echeance else None,
            }
            for p in avancement.en_retard()
        ],
    }
