"""La consolidation régionale à un jalon (SPEC §6) : chaque grille d'un établissement est lue
(en parallèle, sur tous les cœurs), résumée en agrégats additifs, puis les agrégats
s'additionnent — un taux régional est un rapport de sommes, jamais une moyenne de taux.

Une grille illisible est gardée avec sa raison et n'arrête pas les autres ; deux grilles du
même établissement : la plus récente est retenue, l'autre signalée.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from moteur import indicateurs as ind
from moteur.base import empiler, lignes_de_base
from moteur.controles import controler
from moteur.feuille_de_route import Avancement, lire_avancement, trouver_feuilles_de_route
from moteur.lecture import FORMATS, lire_grille
from moteur.resultat import Essentiel, bloc_indicateurs, calculer, essentiel, liste_indicateurs
from recueil import schema as s
from recueil.attendus import Attendu
from recueil.calendrier import Calendrier, Jalon, lundi
from socle.erreurs import ErreurCoachingXL, ErreurOption, ErreurParametre, GrilleIllisible
from socle.francais import pluriel
from socle.ouvrages import pas_une_grille

if TYPE_CHECKING:
    from moteur.qualite import Qualite

SEUIL_PARALLELE = 4 * 2**20
"""En deçà de 4 Mo de grilles, une lecture en séquence finit avant que des processus de lecture
aient démarré (mesuré : 5 grilles de démonstration, 0,8 Mo, 0,26 s seul contre 0,59 s à deux ;
54 grilles de 20 000 lignes, 25 Mo, 4,4 s seul contre 2,7 s à deux)."""
REGION = "Région"
"""L'étiquette de la ligne de la région dans les tableaux."""
STATUT_LU = "ok"
STATUT_ILLISIBLE = "illisible"


@dataclass
class Synthese:
    """Ce que la consolidation garde d'une grille : identité, agrégats jusqu'au jalon,
    complétude. Petit et sérialisable : c'est ce qu'un processus de lecture renvoie."""

    fichier: Path
    statut: str
    raison: str | None = None
    etablissement: str | None = None
    finess: str | None = None
    dt: str | None = None
    modifie: float = 0.0
    lignes_lues: int = 0
    derniere_date: date | None = None
    semaines: int = 0
    semaines_sans_donnees: int = 0
    anomalies: dict[str, int] = field(default_factory=dict)
    autre_calendrier: bool = False
    """La feuille Paramètres de la grille porte des dates de jalons différentes."""
    periodes: ind.Agregats | None = None
    """Une ligne par période du calendrier jusqu'au jalon."""
    periodes_modalites: ind.Agregats | None = None
    """Une ligne par (période jusqu'au jalon, modalité)."""
    essentiel: Essentiel | None = None
    """Ce que sa fiche synthétique montre, jusqu'au jalon (consolidation avec fiches)."""
    base: pa.Table | None = None
    """Chacune de ses lignes lues, pour la base régionale (``moteur.base`` ; consolidation avec
    base)."""
    verifiees: int = 0
    """Avertissements et infos que l'établissement a marqués « Vérifiée — exacte »."""

    @property
    def nom(self) -> str:
        """Le nom de l'établissement, sinon celui du fichier."""
        return self.etablissement or self.fichier.stem

    @property
    def cle(self) -> str:
        """Ce qui identifie l'établissement d'une grille à l'autre : FINESS, sinon le nom."""
        return self.finess or s.normaliser(self.nom)


def periodes_jusqua(calendrier: Calendrier, code_jalon: str) -> list[str]:
    """Les périodes qui s'achèvent au plus tard au jalon (« avant J1 », « J1→J2 »…)."""
    jalon = calendrier.jalon(code_jalon)
    periodes = [p.libelle for p in calendrier.periodes() if p.fin is not None and p.fin <= jalon.date]
    if not periodes:
        raise ErreurOption(
            f"Au jalon {jalon.code}, aucune période de recueil n'est achevée : consolidez à partir de "
            f"{calendrier.jalons[1].code}."
        )
    return periodes


def synthetiser(
    chemin: Path, calendrier: Calendrier, code_jalon: str, fiche: bool = False, base: bool = False
) -> Synthese:
    """Lit, contrôle et résume une grille, réduite à ses lignes d'avant le jalon ; avec
    ``fiche``, garde aussi l'essentiel de sa fiche synthétique, avec ``base`` chacune de ses
    lignes lues. Une grille illisible donne une synthèse « illisible » avec sa raison, jamais
    une exception."""
    chemin = Path(chemin)
    modifie = chemin.stat().st_mtime if chemin.exists() else 0.0
    jalon = calendrier.jalon(code_jalon).date
    try:
        complet = controler(lire_grille(chemin))
        resultat = calculer(complet.jusqua(jalon), calendrier)
    except ErreurCoachingXL as e:
        return Synthese(chemin, STATUT_ILLISIBLE, str(e), modifie=modifie)
    except Exception as e:  # un fichier hostile ne doit pas arrêter la consolidation
        raison = f"erreur inattendue à la lecture ({type(e).__name__} : {e})"
        return Synthese(chemin, STATUT_ILLISIBLE, raison, modifie=modifie)
    periodes = periodes_jusqua(calendrier, code_jalon)
    parametres = resultat.grille.parametres
    dates = resultat.controle.donnees["date"].dropna().dt.date
    debut = lundi(complet.debut)
    semaines = max(0, (lundi(jalon - timedelta(days=1)) - debut).days // 7 + 1)
    avec_donnees = {lundi(j) for j in set(dates) if j >= debut}
    croise = resultat.agregats["periode_modalite"]
    identite = {cle: parametres.get(cle) or None for cle in ("etablissement", "finess", "dt")}
    return Synthese(
        fichier=chemin,
        statut=STATUT_LU,
        **identite,
        modifie=modifie,
        lignes_lues=complet.lignes_lues,
        derniere_date=max(dates) if len(dates) else None,
        semaines=semaines,
        semaines_sans_donnees=semaines - len(avec_donnees),
        anomalies={g: complet.compte(g) for g in s.GRAVITES},
        autre_calendrier=_dates_des_jalons(resultat.grille.calendrier)
        not in ({}, _dates_des_jalons(calendrier)),
        periodes=resultat.agregats["periode"].selection(periodes),
        periodes_modalites=croise.selection(
            pd.MultiIndex.from_tuples(
                [e for e in croise.etiquettes if e[0] in periodes], names=["periode", "modalite"]
            )
        ),
        essentiel=essentiel(resultat, complet.lignes_lues, periodes) if fiche else None,
        base=lignes_de_base(complet, calendrier, identite["etablissement"] or chemin.stem, identite["finess"],
                            identite["dt"]) if base else None,
        verifiees=complet.verifiees(),
    )  # fmt: skip


def _dates_des_jalons(calendrier: Calendrier | None) -> dict[str, date]:
    return {j.code: j.date for j in calendrier.jalons} if calendrier else {}


@dataclass
class Consolidation:
    """La région à un jalon."""

    jalon: str
    date_jalon: date
    calendrier: Calendrier
    periodes: list[str]
    retenues: list[Synthese]
    """Les grilles lues et retenues, une par établissement, dans l'ordre des noms."""
    illisibles: list[Synthese]
    doublons: list[tuple[Synthese, Synthese]]
    """(grille écartée, grille retenue du même établissement)."""
    attendus: list[Attendu] | None
    region_periodes: pd.DataFrame
    region: pd.Series
    region_modalites: pd.DataFrame
    par_etablissement: dict[str, pd.DataFrame]
    """Nom → indicateurs par période (jusqu'au jalon)."""
    cumuls: pd.DataFrame
    """Une ligne par établissement retenu : ses indicateurs cumulés jusqu'au jalon."""
    dernieres: pd.DataFrame
    """Une ligne par établissement retenu : ses indicateurs sur la dernière période."""
    modalites: pd.DataFrame
    """Indicateurs cumulés par (établissement, modalité)."""
    avancement: Avancement | None = None
    """Les feuilles de route trouvées avec les grilles (``moteur.feuille_de_route``) ; None s'il
    n'y en a aucune."""

    @functools.cached_property
    def qualite(self) -> Qualite:
        """Les contrôles de qualité des données à la dernière période (``moteur.qualite``)."""
        from moteur.qualite import controler_qualite

        return controler_qualite(self)

    @property
    def base(self) -> pa.Table | None:
        """La base régionale : les lignes lues de chaque grille retenue, dans l'ordre des
        établissements (leur nom final, homonymes distingués) ; None sans ``consolider(…,
        base=True)``."""
        if not self.retenues or any(g.base is None for g in self.retenues):
            return None
        return empiler([
            g.base.set_column(0, "etablissement", pa.array([g.nom] * g.base.num_rows).dictionary_encode())
            for g in self.retenues
        ])  # fmt: skip

    @property
    def avertissements(self) -> list[str]:
        """Ce qui mérite l'attention sans arrêter la consolidation."""
        messages = [
            f"Deux grilles pour {retenue.nom} : {retenue.fichier} (la plus récente) est retenue, "
            f"{ecartee.fichier} est écartée."
            for ecartee, retenue in self.doublons
        ]
        messages += [f"{grille.fichier} illisible : {grille.raison}" for grille in self.illisibles]
        messages += [
            f"{grille.fichier} : sa feuille Paramètres porte d'autres dates de jalons ; elle est consolidée "
            "selon le calendrier de la consolidation (option --calendrier)."
            for grille in self.retenues
            if grille.autre_calendrier
        ]
        return messages


STATUTS = {
    "recue": "Reçue",
    "non_attendue": "Reçue, non attendue",
    "manquante": "Manquante",
    "illisible": "Illisible",
    "ecartee": "Écartée (doublon)",
}
"""Statut d'une ligne de la complétude → son libellé."""


@dataclass(frozen=True)
class Completude:
    """Une ligne de la complétude : un établissement attendu ou une grille reçue."""

    etablissement: str
    finess: str | None
    dt: str | None
    statut: str
    """Une clé de ``STATUTS``."""
    grille: Synthese | None
    remarque: str = ""


def completude(consolidation: Consolidation) -> list[Completude]:
    """Grilles attendues et reçues : les attendus dans l'ordre de leur liste (reçus ou
    manquants), puis les grilles reçues sans être attendues, les illisibles et les doublons
    écartés. Sans liste d'attendus, chaque grille lue est « reçue »."""
    lignes = []
    restantes = list(consolidation.retenues)
    for attendu in consolidation.attendus or []:
        grille = next((g for g in restantes if _correspond(attendu, g)), None)
        if grille is None:
            lignes.append(Completude(attendu.etablissement, attendu.finess, attendu.dt, "manquante", None,
                                     "Aucune grille lisible reçue pour cet établissement."))  # fmt: skip
            continue
        restantes.remove(grille)
        lignes.append(
            Completude(grille.nom, grille.finess or attendu.finess, grille.dt or attendu.dt, "recue", grille)
        )
    statut = "non_attendue" if consolidation.attendus is not None else "recue"
    lignes += [Completude(g.nom, g.finess, g.dt, statut, g) for g in restantes]
    lignes += [
        Completude(g.nom, None, None, "illisible", g, g.raison or "") for g in consolidation.illisibles
    ]
    lignes += [
        Completude(
            e.nom, e.finess, e.dt, "ecartee", e, f"Remplacée par la grille plus récente {r.fichier.name}."
        )
        for e, r in consolidation.doublons
    ]
    return lignes


def _correspond(attendu: Attendu, grille: Synthese) -> bool:
    if attendu.finess and grille.finess:
        return attendu.finess == grille.finess
    nom = s.normaliser(attendu.etablissement)
    return nom in (s.normaliser(grille.nom), s.normaliser(grille.fichier.stem))


def trouver_grilles(sources: Iterable[Path], exclure: Iterable[Path] = ()) -> list[Path]:
    """Les classeurs désignés : fichiers donnés, et ceux des dossiers (sous-dossiers compris),
    hors fichiers de verrou des tableurs, hors ``exclure`` (le fichier de consolidation) et,
    dans les dossiers, hors classeurs de coaching-xl qui ne sont pas des grilles (annexes,
    résultats à part d'une grille .ods ou .xls, consolidations précédentes).
    Lève ErreurParametre si une source n'existe pas."""
    exclus = {Path(p).resolve() for p in exclure}
    trouves: list[Path] = []
    for source in map(Path, sources):
        if not source.exists():
            raise ErreurOption(f"Dossier ou fichier introuvable : {source}. Vérifiez le chemin.")
        if source.is_dir():
            candidats = sorted(
                p
                for p in source.rglob("*")
                if p.is_file() and p.suffix.lower() in FORMATS and not pas_une_grille(p)
            )
        else:
            candidats = [source]
        trouves += [
            p for p in candidats
            if not p.name.startswith(("~$", ".~lock", ".")) and p.resolve() not in exclus
        ]  # fmt: skip
    return list(dict.fromkeys(trouves))


def _lire_toutes(
    chemins: list[Path],
    lire: Callable[[Path], Synthese],
    travailleurs: int,
    progression: Callable[[Path], None] | None,
) -> list[Synthese]:
    """``lire`` chaque grille, en séquence ou dans ``travailleurs`` processus ; les synthèses
    dans l'ordre des chemins."""
    if travailleurs <= 1 or len(chemins) <= 1:
        syntheses = []
        for chemin in chemins:
            syntheses.append(lire(chemin))
            if progression:
                progression(chemin)
        return syntheses
    # « spawn » : des processus neufs, sans l'état (fils, verrous) du processus principal.
    contexte = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=travailleurs, mp_context=contexte) as pool:
        futurs = {pool.submit(lire, chemin): chemin for chemin in chemins}
        resultats = {}
        for futur in as_completed(futurs):
            resultats[futurs[futur]] = futur.result()
            if progression:
                progression(futurs[futur])
    return [resultats[chemin] for chemin in chemins]


def consolider(
    sources: Iterable[Path],
    code_jalon: str,
    calendrier: Calendrier,
    *,
    attendus: list[Attendu] | None = None,
    exclure: Iterable[Path] = (),
    travailleurs: int | None = None,
    progression: Callable[[Path], None] | None = None,
    fiches: bool = False,
    base: bool = False,
    feuilles_de_route: list[Path] | None = None,
) -> Consolidation:
    """Consolide au jalon ``code_jalon`` les grilles des ``sources`` (fichiers ou dossiers).

    ``travailleurs`` : processus de lecture (par défaut, un par cœur dès ``SEUIL_PARALLELE``
    octets de grilles, un seul en deçà) ; ``progression`` est appelée après chaque grille lue ;
    ``fiches`` garde de chaque grille l'essentiel de sa fiche synthétique, ``base`` chacune de
    ses lignes lues (``Consolidation.base``) ; ``feuilles_de_route`` : les feuilles de route à
    relire (par défaut, celles des dossiers ``sources``). Lève ErreurParametre
    si aucune grille n'est trouvée ou si le jalon n'existe pas, GrilleIllisible si aucune grille
    trouvée n'est lisible."""
    jalon = calendrier.jalon(code_jalon)
    periodes = periodes_jusqua(calendrier, jalon.code)
    sources = list(map(Path, sources))
    chemins = trouver_grilles(sources, exclure)
    if not chemins:
        raise ErreurParametre(
            "Aucune grille trouvée (.xlsx, .xlsm, .xls, .ods) dans les dossiers et fichiers indiqués."
        )
    if travailleurs is None:
        taille = sum(chemin.stat().st_size for chemin in chemins if chemin.exists())
        travailleurs = (os.cpu_count() or 1) if taille >= SEUIL_PARALLELE else 1
    lire = functools.partial(
        synthetiser, calendrier=calendrier, code_jalon=jalon.code, fiche=fiches, base=base
    )
    syntheses = _lire_toutes(chemins, lire, travailleurs, progression)
    lues = [g for g in syntheses if g.statut == STATUT_LU]
    illisibles = [g for g in syntheses if g.statut != STATUT_LU]
    if not lues:
        raisons = "\n".join(f"  {g.fichier} : {g.raison}" for g in illisibles[:10])
        suite = f"\n  … et {len(illisibles) - 10} autres." if len(illisibles) > 10 else ""
        raise GrilleIllisible(
            f"Aucune grille lisible parmi {pluriel(len(illisibles), 'fichier trouvé', 'fichiers trouvés')} :"
            f"\n{raisons}{suite}"
        )
    retenues, doublons = _sans_doublons(lues)
    consolidation = _assembler(jalon, periodes, calendrier, retenues, illisibles, doublons, attendus)
    routes = trouver_feuilles_de_route(sources) if feuilles_de_route is None else feuilles_de_route
    dossiers = {g.fichier.parent: (g.cle, g.nom) for g in retenues}
    consolidation.avancement = lire_avancement(routes, calendrier, jalon.date, dossiers)
    return consolidation


def _sans_doublons(lues: list[Synthese]) -> tuple[list[Synthese], list[tuple[Synthese, Synthese]]]:
    """Une grille par établissement, la plus récemment enregistrée. D'abord, une même grille
    sous plusieurs formats dans un dossier (grille_recueil.xlsx générée, grille_recueil.ods où
    la saisie continue) : la plus récente, même si l'autre ne dit pas encore l'établissement ;
    puis un même établissement (FINESS, sinon nom) dans plusieurs fichiers."""
    doublons: list[tuple[Synthese, Synthese]] = []

    def plus_recentes(groupes: dict[object, list[Synthese]]) -> list[Synthese]:
        gardees = []
        for grilles in groupes.values():
            grilles.sort(key=lambda g: (g.modifie, str(g.fichier)), reverse=True)
            gardees.append(grilles[0])
            doublons.extend((ecartee, grilles[0]) for ecartee in grilles[1:])
        return gardees

    par_fichier: dict[object, list[Synthese]] = {}
    for grille in lues:
        par_fichier.setdefault((grille.fichier.parent, grille.fichier.stem.casefold()), []).append(grille)
    par_cle: dict[object, list[Synthese]] = {}
    for grille in plus_recentes(par_fichier):
        par_cle.setdefault(grille.cle, []).append(grille)
    retenues = plus_recentes(par_cle)
    homonymes = {nom for nom, n in Counter(g.nom for g in retenues).items() if n > 1}
    for grille in retenues:
        if grille.nom in homonymes:  # deux établissements (FINESS distincts) du même nom
            grille.etablissement = f"{grille.nom} ({grille.finess or grille.fichier.name})"
    retenues.sort(key=lambda g: s.normaliser(g.nom))
    return retenues, doublons


def _assembler(
    jalon: Jalon,
    periodes: list[str],
    calendrier: Calendrier,
    retenues: list[Synthese],
    illisibles: list[Synthese],
    doublons: list[tuple[Synthese, Synthese]],
    attendus: list[Attendu] | None,
) -> Consolidation:
    """Les indicateurs de chaque établissement et de la région, des agrégats additionnés."""
    noms = pd.Index([g.nom for g in retenues], name="etablissement")
    tous = ind.Agregats.empiler([g.periodes for g in retenues])
    region = tous.regrouper(list(tous.etiquettes), "periode")
    # Par modalité, en cumul : chaque établissement (ses périodes additionnées), puis la région.
    modalites = ind.Agregats.empiler([
        g.periodes_modalites.regrouper(
            [(g.nom, m) for _, m in g.periodes_modalites.etiquettes], ["etablissement", "modalite"]
        )
        for g in retenues
    ])  # fmt: skip
    return Consolidation(
        jalon=jalon.code,
        date_jalon=jalon.date,
        calendrier=calendrier,
        periodes=periodes,
        retenues=retenues,
        illisibles=illisibles,
        doublons=doublons,
        attendus=attendus,
        region_periodes=ind.indicateurs(region),
        region=ind.indicateurs(region.total(REGION)).iloc[0],
        region_modalites=ind.indicateurs(
            modalites.regrouper([m for _, m in modalites.etiquettes], "modalite")
        ),
        par_etablissement={g.nom: ind.indicateurs(g.periodes) for g in retenues},
        cumuls=ind.indicateurs(ind.Agregats.empiler([g.periodes.total(g.nom) for g in retenues])).set_axis(
            noms
        ),
        dernieres=ind.indicateurs(
            ind.Agregats.empiler([g.periodes.selection([periodes[-1]]) for g in retenues])
        ).set_axis(noms),
        modalites=ind.indicateurs(modalites),
    )


def classement(consolidation: Consolidation, comparaison: s.Comparaison) -> pd.DataFrame:
    """Le classement d'un indicateur sur la dernière période, du meilleur au moins bon, la
    région à sa place ; colonnes rang (None pour la région et les valeurs indéfinies),
    derniere, cumul, reference (première période), ecart (dernière − référence)."""
    c = consolidation
    cle, premiere, derniere = comparaison.cle, c.periodes[0], c.periodes[-1]
    tableau = pd.DataFrame({
        "derniere": c.dernieres[cle].astype(float),
        "cumul": c.cumuls[cle].astype(float),
        "reference": pd.Series({nom: t.loc[premiere, cle] for nom, t in c.par_etablissement.items()},
                               dtype=float),
    }, index=c.dernieres.index.astype(object))  # fmt: skip
    tableau.loc[REGION] = [
        float(c.region_periodes.loc[derniere, cle]),
        float(c.region[cle]),
        float(c.region_periodes.loc[premiere, cle]),
    ]
    tableau["ecart"] = tableau["derniere"] - tableau["reference"]
    tableau = tableau.sort_values("derniere", ascending=not comparaison.plus_haut_mieux, na_position="last",
                                  kind="stable")  # fmt: skip
    classes = tableau.index != REGION
    rangs = tableau.loc[classes, "derniere"].rank(ascending=not comparaison.plus_haut_mieux, method="min")
    tableau["rang"] = rangs.reindex(tableau.index)
    return tableau


def positions(consolidation: Consolidation, nom: str) -> pd.DataFrame:
    """Où se place l'établissement ``nom`` sur chaque indicateur comparé (dernière période) :
    une ligne par ``schema.COMPARAISONS`` ; colonnes valeur, mediane (médiane des
    établissements), region (rapport des sommes), rang (1 = le meilleur ; vide si sa valeur est
    indéfinie) et classes (établissements classés)."""
    lignes = {}
    for comparaison in s.COMPARAISONS:
        tableau = classement(consolidation, comparaison)
        etablissements = tableau.drop(index=REGION)
        lignes[comparaison.cle] = {
            "valeur": tableau.loc[nom, "derniere"],
            "mediane": etablissements["derniere"].median(),
            "region": tableau.loc[REGION, "derniere"],
            "rang": tableau.loc[nom, "rang"],
            "classes": int(etablissements["rang"].notna().sum()),
        }
    return pd.DataFrame.from_dict(lignes, orient="index")


def document_consolidation(consolidation: Consolidation) -> dict[str, Any]:
    """Le document JSON de SPEC §8 : le jalon, la région (cumul jusqu'au jalon, rapports de
    sommes), et chaque grille lue ou illisible. Les doublons écartés n'y figurent pas : ils sont
    signalés sur la sortie d'erreur."""
    etablissements = []
    for grille in consolidation.retenues:
        etablissements.append({
            "etablissement": grille.nom,
            "fichier": str(grille.fichier),
            "statut": STATUT_LU,
            "raison": None,
            "global": bloc_indicateurs(consolidation.cumuls.loc[grille.nom]),
            "par_periode": liste_indicateurs(consolidation.par_etablissement[grille.nom], "periode"),
            "anomalies": {
                "erreurs": grille.anomalies.get(s.ERREUR, 0),
                "avertissements": grille.anomalies.get(s.AVERTISSEMENT, 0),
                "infos": grille.anomalies.get(s.INFO, 0),
                "verifiees": grille.verifiees,
            },
        })  # fmt: skip
    for grille in consolidation.illisibles:
        etablissements.append({
            "etablissement": grille.nom,
            "fichier": str(grille.fichier),
            "statut": STATUT_ILLISIBLE,
            "raison": grille.raison,
            "global": None,
            "par_periode": [],
            "anomalies": None,
        })  # fmt: skip
    from moteur.feuille_de_route import document_avancement
    from moteur.qualite import document_qualite

    return {
        "jalon": consolidation.jalon,
        "region": bloc_indicateurs(consolidation.region),
        "etablissements": etablissements,
        # Au-delà de SPEC §8 (issue 18) : la qualité des données et l'avancement des feuilles de route.
        "qualite_des_donnees": document_qualite(consolidation.qualite),
        "avancement": document_avancement(consolidation.avancement) if consolidation.avancement else None,
    }
