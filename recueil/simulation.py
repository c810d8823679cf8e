"""Une région simulée : des grilles remplies pour des établissements fictifs, du jalon de
préparation à la clôture, pour la démonstration, les exemples et les mesures.

Tout est tiré d'un générateur aléatoire initialisé par une graine : même graine, mêmes
grilles. Les ordres de grandeur suivent les chiffres publiés en imagerie : non-honorés vers
4 % en IRM, 7 % au scanner, davantage en radiologie conventionnelle, et plus nombreux quand le
rendez-vous est lointain ; délai d'obtention médian de quelques semaines pour une IRM externe,
d'une semaine environ pour un patient hospitalisé ; non programmés nombreux depuis les
urgences, rares en externe ; comptes-rendus surtout à J0–J2, avec une traîne. Après J2, le
coaching fait baisser les non-honorés et la part de non programmés des services ; quelques
erreurs de saisie réalistes parsèment les grilles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from recueil import schema as s
from recueil.calendrier import CALENDRIER_DEFAUT, Calendrier
from recueil.dispositif import STATUTS_TACHE
from recueil.grille import Identite, Ligne, OptionsGrille, ecrire_grille
from socle.fichiers import ecrire_csv

H, NH, NP = range(3)
"""Les types de rendez-vous, dans l'ordre de ``schema.TYPES_RDV``."""
MODALITES = s.MODALITES.defaut
CONVENTIONNELLE, SCANNER, IRM, ECHOGRAPHIE, INTERVENTIONNELLE = range(5)
EXTERNE, URGENCES = 0, 1
SERVICES = range(2, len(s.PROVENANCES.defaut))
"""Les services d'hospitalisation (« Hospi - Service n »)."""

NON_HONORES = np.array([0.20, 0.086, 0.029, 0.097, 0.052])
"""Taux de non-honorés de référence par modalité (conventionnelle, scanner, IRM, écho, interv.)."""
DELAI_MEDIAN = {
    "externe": np.array([6, 14, 28, 12, 21]),
    "hospitalise": np.array([1, 3, 7, 3, 5]),
    "urgences": np.array([1, 2, 5, 2, 3]),
}
"""Délai d'obtention médian (jours) d'un rendez-vous programmé, par origine et modalité."""
MODALITES_PAR_ORIGINE = {
    "externe": [0.30, 0.20, 0.25, 0.22, 0.03],
    "hospitalise": [0.35, 0.30, 0.15, 0.17, 0.03],
    "urgences": [0.50, 0.35, 0.05, 0.10, 0.00],
}
NON_PROGRAMMES = {"externe": 0.05, "hospitalise": 0.45, "urgences": 0.90}
"""Part de non programmés avant le coaching, par origine de la demande."""
COMPTE_RENDU = {
    "urgences": [0.82, 0.12, 0.03, 0.01, 0.015, 0.005],
    "autres": [0.38, 0.25, 0.14, 0.08, 0.10, 0.05],
}
"""Probabilité d'un compte-rendu à J0, J1, J2, J3, J4–J7, au-delà de J7."""
JOURS_DE_LA_SEMAINE = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.15, 0.08])
"""Activité relative du lundi au dimanche (le week-end : urgences et hospitalisés)."""
TAUX_ANOMALIES = 0.004

_VILLES = (
    "Valbrune", "Saint-Aurèle", "Montlaurent", "Bréval-sur-Oise", "Hauteclaire", "Bellerive",
    "Roncières", "Port-Aulnay", "Châtelmont", "Fontbrune", "Saint-Jouvin", "Larmont",
    "Vervonne", "Mérival", "Aubrac-les-Pins", "Clairefont", "Sainte-Odile-des-Prés", "Valmorin",
)  # fmt: skip
_FORMES = (
    "Centre hospitalier de {}", "CHU de {}", "Hôpital privé de {}", "Groupe hospitalier {}",
    "Clinique de {}", "Centre hospitalier intercommunal de {}",
)  # fmt: skip
_DT = ("DT Nord", "DT Sud", "DT Est", "DT Ouest")


@dataclass(frozen=True)
class Profil:
    """Un établissement simulé et ce qui le distingue de ses voisins."""

    identite: Identite
    graine: int
    volume: float
    """Examens par semaine ouvrée."""
    services: int
    """Nombre de services d'hospitalisation demandeurs."""
    attente: float
    """Multiplie les délais d'obtention (0,7 : rapide ; 1,5 : engorgé)."""
    absenteisme: float
    """Multiplie les taux de non-honorés."""
    effet_coaching: float
    """De 0 (rien ne change) à 1 (l'établissement applique tout le plan d'actions)."""
    rapidite_cr: float
    """Part des comptes-rendus tardifs ramenés à J0 (négative : plus lents)."""
    interruption: tuple[date, date] | None = None
    """Semaines sans saisie (congés du référent)."""
    arret: date | None = None
    """Dernier jour saisi, si la grille n'a pas été tenue jusqu'au bout."""

    @property
    def nom_fichier(self) -> str:
        """« grille_centre_hospitalier_de_valbrune.xlsx »."""
        return f"grille_{s.normaliser(self.identite.etablissement).replace(' ', '_')}.xlsx"


@dataclass
class RecueilSimule:
    """Les lignes simulées d'un établissement, colonne par colonne (indices dans les listes
    par défaut ; -1 : délai vide), et les cellules saisies de travers qui les remplacent."""

    dates: np.ndarray
    modalites: np.ndarray
    provenances: np.ndarray
    types: np.ndarray
    delai_rdv: np.ndarray
    delai_cr: np.ndarray
    saisies: dict[tuple[int, int], object] = field(default_factory=dict)
    """(ligne, colonne) → la valeur effectivement saisie (texte, vide…)."""

    def __len__(self) -> int:
        return len(self.dates)

    def lignes(self) -> Iterator[Ligne]:
        """Les lignes telles qu'on les saisit : date, libellés, délais (None : vide)."""
        types = [t.libelle for t in s.TYPES_RDV]
        provenances = s.PROVENANCES.defaut
        for i, (jour, m, p, t, e, f) in enumerate(
            zip(self.dates.tolist(), self.modalites.tolist(), self.provenances.tolist(),
                self.types.tolist(), self.delai_rdv.tolist(), self.delai_cr.tolist(), strict=True)
        ):  # fmt: skip
            ligne: list[object] = [jour, MODALITES[m], provenances[p], types[t],
                                   e if e >= 0 else None, f if f >= 0 else None]  # fmt: skip
            for colonne in range(len(ligne)):
                if (i, colonne) in self.saisies:
                    ligne[colonne] = self.saisies[i, colonne]
            yield ligne


def region(n: int, graine: int = 2010, calendrier: Calendrier = CALENDRIER_DEFAUT) -> list[Profil]:
    """``n`` établissements fictifs, tous différents, toujours les mêmes pour une graine.

    Un établissement sur cinq (le troisième, le huitième…) s'interrompt pendant les fêtes ;
    un sur cinq (le cinquième…) cesse de saisir trois semaines avant la clôture : la feuille
    Complétude de la consolidation a de quoi montrer."""
    hasard = np.random.default_rng(graine)
    noms = [forme.format(ville) for ville, forme in zip(_VILLES, _FORMES * len(_VILLES), strict=False)]
    profils = []
    for i in range(n):
        nom = noms[i % len(noms)] + (f" {i // len(noms) + 1}" if i >= len(noms) else "")
        noel = date(calendrier.jalons[0].date.year, 12, 20)
        profils.append(
            Profil(
                identite=Identite(
                    etablissement=nom,
                    finess=f"99{(i * 7919 + 104729) % 10**7:07d}",
                    dt=_DT[i % len(_DT)],
                    referent_indicateurs="Référent simulé",
                ),
                graine=int(hasard.integers(2**31)),
                volume=float(hasard.uniform(90, 260)),
                services=int(hasard.integers(5, 11)),
                attente=float(hasard.uniform(0.7, 1.5)),
                absenteisme=float(hasard.uniform(0.75, 1.35)),
                effet_coaching=float(hasard.uniform(0.2, 1.0)),
                rapidite_cr=float(hasard.uniform(-0.3, 0.5)),
                interruption=(noel, noel + timedelta(days=13)) if i % 5 == 2 else None,
                arret=calendrier.fin_recueil - timedelta(days=22) if i % 5 == 4 else None,
            )
        )
    return profils


def simuler(
    profil: Profil, calendrier: Calendrier = CALENDRIER_DEFAUT, lignes: int | None = None
) -> RecueilSimule:
    """Les lignes d'un établissement du début du recueil à la veille de la clôture, dans
    l'ordre des dates : selon son activité, ou exactement ``lignes`` (exemples, mesures)."""
    hasard = np.random.default_rng(profil.graine)
    dates = _dates(hasard, profil, calendrier, lignes)
    n = len(dates)
    jour_semaine = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 01/01/1970 : un jeudi
    provenances = _provenances(hasard, profil, jour_semaine >= 5)
    origine = np.where(provenances == EXTERNE, 0, np.where(provenances == URGENCES, 2, 1))
    origines = ("externe", "hospitalise", "urgences")
    modalites = np.empty(n, dtype=np.int64)
    for k, nom in enumerate(origines):
        ici = origine == k
        modalites[ici] = hasard.choice(len(MODALITES), size=int(ici.sum()), p=MODALITES_PAR_ORIGINE[nom])
    progres = _progres(dates, calendrier) * profil.effet_coaching

    part_np = np.array([NON_PROGRAMMES[o] for o in origines])[origine]
    # Le coaching porte sur les services demandeurs ; les urgences restent non programmées.
    part_np = part_np * (1 - np.where(origine == 1, 0.45, np.where(origine == 0, 0.3, 0.03)) * progres)
    programme = hasard.random(n) >= part_np

    medianes = np.stack([DELAI_MEDIAN[o] for o in origines])[origine, modalites] * profil.attente
    delai_rdv = np.clip(np.rint(medianes * hasard.lognormal(0.0, 0.7, n)), 1, s.DELAI_MAX).astype(np.int64)
    # Plus le rendez-vous est lointain, plus il est oublié.
    risque = NON_HONORES[modalites] * profil.absenteisme * (0.3 + 1.5 * (1 - np.exp(-delai_rdv / 20)))
    risque *= np.where(origine == 1, 0.8, 1.0) * (1 - 0.4 * progres)
    types = np.where(programme, np.where(hasard.random(n) < risque, NH, H), NP)

    delai_cr = _comptes_rendus(hasard, profil, origine == 2, progres)
    recueil = RecueilSimule(
        dates=dates,
        modalites=modalites,
        provenances=provenances,
        types=types,
        delai_rdv=np.where(types == NP, -1, delai_rdv),
        delai_cr=np.where(types == NH, -1, delai_cr),
    )
    _erreurs_de_saisie(hasard, recueil)
    return recueil


def _dates(
    hasard: np.random.Generator, profil: Profil, calendrier: Calendrier, lignes: int | None
) -> np.ndarray:
    jours = np.arange(
        np.datetime64(calendrier.debut_recueil), np.datetime64(profil.arret or calendrier.fin_recueil)
    )
    poids = JOURS_DE_LA_SEMAINE[(jours.view("int64") - 4) % 7].copy()
    if profil.interruption:
        debut, fin = map(np.datetime64, profil.interruption)
        poids[(jours >= debut) & (jours <= fin)] = 0
    if lignes is None:
        par_jour = hasard.poisson(poids * profil.volume / JOURS_DE_LA_SEMAINE[:5].sum())
    else:
        par_jour = hasard.multinomial(lignes, poids / poids.sum())
    return np.repeat(jours, par_jour)


def _provenances(hasard: np.random.Generator, profil: Profil, week_end: np.ndarray) -> np.ndarray:
    """Externe ~45 %, urgences ~20 %, le reste réparti inégalement entre les services ; le
    week-end, ni externes ni services programmés : les urgences et quelques hospitalisés."""
    services = SERVICES[: profil.services]
    poids_services = hasard.dirichlet(np.full(len(services), 1.5)) * 0.35
    semaine = np.zeros(len(s.PROVENANCES.defaut))
    semaine[[EXTERNE, URGENCES]] = 0.45, 0.20
    semaine[list(services)] = poids_services
    fin_semaine = semaine.copy()
    fin_semaine[EXTERNE] = 0
    fin_semaine[list(services)] *= 0.3
    provenances = hasard.choice(len(semaine), size=len(week_end), p=semaine / semaine.sum())
    provenances[week_end] = hasard.choice(
        len(semaine), size=int(week_end.sum()), p=fin_semaine / fin_semaine.sum()
    )
    return provenances


def _progres(dates: np.ndarray, calendrier: Calendrier) -> np.ndarray:
    """0 jusqu'à J2, puis croît jusqu'à 1 à J4 : les actions du plan produisent leurs effets."""
    j2, j4 = (np.datetime64(calendrier.jalons[k].date) for k in (2, min(4, len(calendrier.jalons) - 1)))
    duree = max(1, int((j4 - j2) / np.timedelta64(1, "D")))
    return np.clip((dates - j2) / np.timedelta64(1, "D") / duree, 0.0, 1.0)


def _comptes_rendus(
    hasard: np.random.Generator, profil: Profil, urgences: np.ndarray, progres: np.ndarray
) -> np.ndarray:
    n = len(urgences)
    tranches = np.empty(n, dtype=np.int64)
    tranches[urgences] = hasard.choice(6, size=int(urgences.sum()), p=COMPTE_RENDU["urgences"])
    tranches[~urgences] = hasard.choice(6, size=int((~urgences).sum()), p=COMPTE_RENDU["autres"])
    # Un service plus rapide (ou plus rapide depuis le coaching) ramène des comptes-rendus à J0.
    ramene = hasard.random(n) < np.clip(profil.rapidite_cr + 0.2 * progres, 0, 1)
    tranches = np.where(ramene & (tranches > 0), tranches - 1, tranches)
    plus_lent = hasard.random(n) < np.clip(-profil.rapidite_cr, 0, 1)
    tranches = np.where(plus_lent & (tranches < 5), tranches + 1, tranches)
    jours = tranches.copy()
    jours[tranches == 4] = hasard.integers(4, 8, int((tranches == 4).sum()))
    jours[tranches == 5] = np.minimum(8 + hasard.geometric(0.15, int((tranches == 5).sum())), 60)
    return jours


Saisie = tuple[int, object] | None
"""Une erreur de saisie : (colonne, valeur saisie ; None = cellule laissée vide), ou None si
elle ne s'applique pas à la ligne."""


def _modalite_mal_orthographiee(r: RecueilSimule, i: int) -> Saisie:
    return 1, ("Scaner", "irm", "Echo", "Radio conventionnelle")[i % 4]


def _type_oublie(r: RecueilSimule, i: int) -> Saisie:
    return 3, None


def _delai_avec_unite(r: RecueilSimule, i: int) -> Saisie:
    return (4, f"{r.delai_rdv[i]} j") if r.types[i] != NP else None


def _delai_oublie(r: RecueilSimule, i: int) -> Saisie:
    return (4, None) if r.types[i] != NP else None


def _compte_rendu_sur_non_honore(r: RecueilSimule, i: int) -> Saisie:
    return (5, 2) if r.types[i] == NH else None


def _delai_sur_non_programme(r: RecueilSimule, i: int) -> Saisie:
    return (4, 7) if r.types[i] == NP else None


def _date_impossible(r: RecueilSimule, i: int) -> Saisie:
    return 0, "31/11/2010"


def _annee_mal_frappee(r: RecueilSimule, i: int) -> Saisie:
    return 0, annee_mal_frappee(r.dates[i].astype(object))


def annee_mal_frappee(jour: date) -> date:
    """« 2001 » tapé pour l'année : le même jour en 2001 (un 29 février devient le 28)."""
    return jour.replace(year=2001, day=min(jour.day, 28) if jour.month == 2 else jour.day)


_ERREURS = {
    _modalite_mal_orthographiee: 3,
    _type_oublie: 2,
    _delai_avec_unite: 2,
    _delai_oublie: 1,
    _compte_rendu_sur_non_honore: 2,
    _delai_sur_non_programme: 2,
    _date_impossible: 1,
    _annee_mal_frappee: 1,
}
"""Les erreurs que l'on retrouve dans les grilles, et leur fréquence relative."""


def _erreurs_de_saisie(hasard: np.random.Generator, recueil: RecueilSimule) -> None:
    lignes = np.flatnonzero(hasard.random(len(recueil)) < TAUX_ANOMALIES)
    erreurs = list(_ERREURS)
    poids = np.array(list(_ERREURS.values()), dtype=float)
    choix = hasard.choice(len(erreurs), size=len(lignes), p=poids / poids.sum())
    for i, k in zip(lignes.tolist(), choix.tolist(), strict=True):
        saisie = erreurs[k](recueil, i)
        if saisie is not None:
            recueil.saisies[i, saisie[0]] = saisie[1]


def ecrire_region(
    dossier: Path,
    profils: list[Profil],
    calendrier: Calendrier = CALENDRIER_DEFAUT,
    *,
    lignes: int | None = None,
    ecraser: bool = False,
) -> list[Path]:
    """Écrit dans ``dossier`` la grille remplie de chaque établissement (``lignes`` lignes
    chacune, sinon selon son activité) ; renvoie les chemins.

    Lève FichierExistant si une grille existe déjà et que ``ecraser`` est faux."""
    chemins = []
    for profil in profils:
        recueil = simuler(profil, calendrier, lignes)
        options = OptionsGrille(identite=profil.identite, calendrier=calendrier)
        chemins.append(
            ecrire_grille(dossier, options, recueil.lignes(), ecraser=ecraser, nom=profil.nom_fichier)
        )
    return chemins


def ecrire_feuilles_de_route(
    dossier: Path, profils: list[Profil], calendrier: Calendrier = CALENDRIER_DEFAUT, *, ecraser: bool = False
) -> list[Path]:
    """La feuille de route de chaque établissement, remplie comme il l'aurait fait : d'autant
    plus de points « Fait » que l'établissement applique le plan d'actions ; celui dont la
    grille s'arrête avant la clôture laisse des points « À faire » sur les dernières périodes.
    Rend les chemins (``feuille_de_route_<établissement>.xlsx``)."""
    from recueil.annexes import feuille_de_route
    from recueil.classeur import enregistrer, verifier_cible

    chemins = []
    for profil in profils:
        chemin = Path(dossier) / f"feuille_de_route_{s.nom_de_fichier(profil.identite.etablissement)}.xlsx"
        verifier_cible(chemin, ecraser)
        classeur = feuille_de_route(OptionsGrille(identite=profil.identite, calendrier=calendrier))
        feuille = classeur["Feuille de route"]
        hasard = np.random.default_rng(profil.graine + 7)
        periode = -1
        for rang in range(1, feuille.max_row + 1):
            if feuille.cell(rang, 1).value == "N°":
                periode += 1
                continue
            statut = feuille.cell(rang, 4)
            if not isinstance(feuille.cell(rang, 1).value, int) or statut.value not in STATUTS_TACHE:
                continue
            en_retard = profil.arret is not None and periode >= 2
            fait, en_cours = (0.4, 0.6) if en_retard else (0.93 + 0.04 * profil.effet_coaching, 0.97)
            tirage = hasard.random()
            statut.value = (STATUTS_TACHE[3] if tirage > 0.97 else STATUTS_TACHE[2] if tirage < fait
                            else STATUTS_TACHE[1] if tirage < en_cours else STATUTS_TACHE[0])  # fmt: skip
        chemins.append(enregistrer(classeur, chemin))
    return chemins


ABSENT = Identite(etablissement="Centre hospitalier de Vervonne", finess="990999999", dt="DT Nord")
"""Un établissement attendu qui n'envoie pas sa grille : la complétude le montre."""
ATTENDUS = "etablissements_attendus.csv"


def ecrire_attendus(chemin: Path, profils: list[Profil]) -> Path:
    """La liste des établissements attendus par la Cellule Performance (CSV de l'option
    --attendus) : ceux des ``profils``, et un qui n'enverra rien."""
    identites = [p.identite for p in profils] + [ABSENT]
    return ecrire_csv(
        chemin, ["etablissement", "finess", "dt"], ((i.etablissement, i.finess, i.dt) for i in identites)
    )


EXEMPLES = 3
LIGNES_PAR_EXEMPLE = 1500


def ecrire_exemples(dossier: Path, ecraser: bool = False) -> list[Path]:
    """Le dossier ``exemples/`` : les grilles de trois établissements de la région simulée,
    1 500 lignes chacune, et la liste des établissements attendus (un test vérifie qu'ils sont
    à jour)."""
    profils = region(EXEMPLES)
    grilles = ecrire_region(dossier, profils, lignes=LIGNES_PAR_EXEMPLE, ecraser=ecraser)
    return [*grilles, ecrire_attendus(Path(dossier) / ATTENDUS, profils)]
