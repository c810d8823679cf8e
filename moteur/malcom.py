"""Malcom : relire le classeur (onglets 0, 1 et 2, jamais les formules des onglets 3 et 8),
revalider chaque cellule (MALCOM.md §5) et calculer les 12 étapes de §4, en Python pur.

Les paramètres se trouvent par leur nom défini (``malcom_…``) — un classeur dont on a déplacé des
lignes reste lisible —, à défaut à leur place dans le modèle ; les tableaux, par leurs en-têtes
(« Activité » / « Id », bandeaux « Semaine type 1 » et « 2 »). Les heures sont des heures
décimales (3:30 = 3,5) ; rien n'est arrondi avant l'affichage.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from moteur.lecture import Classeur, _position, ouvrir
from moteur.lecture import _feuille as _feuille
from moteur.lecture import _lettre as lettre
from recueil import malcom_schema as m
from recueil.references import reference_feuille
from recueil.schema import normaliser
from socle.erreurs import GrilleIllisible
from socle.francais import decimal

Cellules = dict[tuple[int, int], str]
"""(ligne, colonne), à partir de 1 → texte de la cellule (les cellules vides n'y sont pas)."""

SIMILARITE_ID = 0.5
"""Les Id sont courts : « EnAG » doit suggérer « EnC », « Gard » suggérer « Ga »."""


# --- Lecture des valeurs -------------------------------------------------------------------

_ORIGINE_1900 = datetime(1899, 12, 31)
_ORIGINE_1904 = datetime(1904, 1, 1)
_DATE_HEURE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_HEURES = re.compile(r"^(\d{1,3})\s*(?::|h)\s*(\d{1,2})?\s*(?::\s*(\d{1,2}))?$", re.IGNORECASE)
_ISO = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$", re.IGNORECASE)


def _nombre(texte: str) -> float | None:
    try:
        return float(texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def lire_duree(texte: str | None, date1904: bool = False) -> tuple[float | None, float | None]:
    """(heures, jours d'un nombre nu) : « 3:30 », « 3h30 », « 3 h 30 », « 3h », une heure
    Excel (relue « 1899-12-31 03:30:00 ») → (3.5, None) ; un nombre nu *v* est *v* jours, comme
    Excel le range (4 → 96 h), et rendu aussi en second pour suggérer « 4:00 ». (None, None) si
    ce n'est pas une durée."""
    if texte is None:
        return None, None
    brut = texte.strip()
    if (d := _DATE_HEURE.match(brut)) is not None:
        annee, mois, jour, h, mi, se = (int(g or 0) for g in d.groups())
        try:
            instant = datetime(annee, mois, jour, h, mi, se)
        except ValueError:
            return None, None
        ecart = instant - (_ORIGINE_1904 if date1904 else _ORIGINE_1900)
        heures = ecart.total_seconds() / 3600
        return (heures, None) if heures >= 0 else (None, None)
    if (h := _HEURES.match(brut)) is not None:
        heures, minutes, secondes = (int(g or 0) for g in h.groups())
        if minutes >= 60 or secondes >= 60:
            return None, None
        return heures + minutes / 60 + secondes / 3600, None
    if (iso := _ISO.match(brut)) is not None and any(iso.groups()):
        h, mi, se = (float(g or 0) for g in iso.groups())
        return h + mi / 60 + se / 3600, None
    if (v := _nombre(brut)) is not None:
        return v * 24, v
    return None, None


def hmm(heures: float) -> str:
    """3,5 → « 3:30 » ; −2,9785 → « −2:59 » (minutes arrondies)."""
    signe = "\u2212" if heures < 0 else ""
    minutes = round(abs(heures) * 60)
    return f"{signe}{minutes // 60}:{minutes % 60:02d}"


def lire_fraction(texte: str | None) -> float | None:
    """Un pourcentage : 0.2 (cellule à 20 %), « 20 % », « 20% » → 0,2 ; un nombre au-delà de 2
    est un pourcentage tapé sans % (50 → 0,5)."""
    if texte is None:
        return None
    brut = texte.strip()
    pourcent = brut.endswith("%")
    v = _nombre(brut.rstrip("%").strip()) if pourcent else _nombre(brut)
    if v is None:
        return None
    return v / 100 if pourcent or v > 2 else v


def _entier(texte: str | None) -> int | None:
    v = _nombre(texte) if texte is not None else None
    return int(v) if v is not None and v == int(v) else None


def _cite(valeur: object) -> str:
    return f"« {valeur} »"


# --- Ce qui est lu --------------------------------------------------------------------------


@dataclass(frozen=True)
class Anomalie:
    code: str
    gravite: str
    feuille: str
    ligne: int | None
    cellule: str | None
    valeur: str | None
    message: str

    def document(self) -> dict:
        return {
            "code": self.code,
            "gravite": self.gravite,
            "feuille": self.feuille,
            "ligne": self.ligne,
            "cellule": self.cellule,
            "valeur": self.valeur,
            "message": self.message,
        }


@dataclass
class Activite:
    id: str
    libelle: str
    marqueur: str | None
    quantite: float | None
    duree_h: float | None
    objectif: int | None
    taux: dict[str, float | None]
    """Taux propres aux périodes B et C (None : celui de la période)."""
    ligne: int

    @property
    def productivite(self) -> float | None:
        if self.quantite and self.duree_h:
            return self.quantite / self.duree_h
        return None


@dataclass
class Bloc:
    numero: int
    nom: str
    ligne: bool
    """Vrai pour une ligne de PDS à ventiler (quotité « PDS »)."""
    quotite: float
    participe: bool
    premiere_ligne: int
    quotite_valide: bool = True
    """Faux si la quotité lue était invalide (100 % est alors employé, sans la comparer aux ½
    journées remplies)."""
    heures: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)
    """Semaine → ½ journée → Id → heures."""
    pds: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict)
    """Semaine → (créneau, type) → nombre de cellules."""


@dataclass
class Saisie:
    """Le classeur Malcom relu et revalidé."""

    chemin: Path
    etablissement: str | None
    service: str | None
    ventilation: str
    recup_affectees: bool
    seuil_marge: float
    duree_max: float
    semaines: dict[str, int]
    taux: dict[str, float]
    semaines_types: int
    recuperation: dict[tuple[str, str], float]
    activites: list[Activite]
    blocs: list[Bloc]
    anomalies: list[Anomalie]
    version_modele: int = m.VERSION_MODELE
    classeur: Classeur | None = field(default=None, repr=False, compare=False)
    """Le classeur relu (son paquet, vérifié, est celui que l'écriture des résultats greffe)."""

    @property
    def paquet(self):
        return self.classeur.paquet if self.classeur is not None else None


class _Releve:
    """Les anomalies, au fil de la lecture."""

    def __init__(self) -> None:
        self.liste: list[Anomalie] = []

    def signaler(
        self,
        code: str,
        feuille: str,
        ligne: int | None = None,
        colonne: int | None = None,
        valeur: object = None,
        **champs: object,
    ) -> None:
        definition = m.CODES[code]
        cellule = f"{reference_feuille(feuille)}!{lettre(colonne - 1)}{ligne}" if ligne and colonne else None
        texte = None if valeur is None else str(valeur)
        champs.setdefault("valeur", texte)
        champs.setdefault("valeur_citee", _cite(texte))
        champs.setdefault("proposition", "")
        message = definition.message.format(**champs)
        if cellule:
            message = f"{cellule} : {message}"
        self.liste.append(Anomalie(code, definition.gravite, feuille, ligne, cellule, texte, message))


def _proposition(valeur: str, possibles: list[str]) -> str:
    formes = {normaliser(p): p for p in possibles}
    proches = difflib.get_close_matches(normaliser(valeur), list(formes), n=1, cutoff=SIMILARITE_ID)
    return f" (vouliez-vous dire « {formes[proches[0]]} » ?)" if proches else ""


def _reconnaitre(valeur: str, possibles: dict[str, str]) -> tuple[str | None, bool]:
    """(valeur canonique, exacte à la casse près) ; None si inconnue. ``possibles`` : forme
    canonique → elle-même, clés telles quelles."""
    for canon in possibles:
        if valeur.strip().casefold() == canon.casefold() and valeur == valeur.strip():
            return canon, True
    forme = normaliser(valeur)
    for canon in possibles:
        if normaliser(canon) == forme:
            return canon, False
    return None, False


def _cellules(classeur: Classeur, nom: str) -> Cellules:
    table, indices = classeur.charger(nom)
    cellules: Cellules = {}
    for j, colonne in enumerate(indices):
        for rang, valeur in enumerate(table.column(j).to_pylist()):
            if valeur is not None and str(valeur).strip() != "":
                cellules[rang + 1, colonne + 1] = str(valeur)
    return cellules


def colonne_de(lettres: str) -> int:
    """« AO » → 41 (colonnes comptées à partir de 1)."""
    return _position(lettres + "1")[1] + 1


_REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^!']+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


def noms_definis(classeur: Classeur) -> dict[str, tuple[str, int, int, int, int]]:
    """Nom défini (en minuscules) → (feuille, ligne, colonne, dernière ligne, dernière colonne),
    pour les noms qui désignent une cellule ou une plage (pas une formule)."""
    racine = classeur.paquet.xml("xl/workbook.xml") if classeur.paquet.contenant != "ole" else None
    if racine is None:
        return {}
    noms = {}
    for element in racine.iter():
        if not element.tag.endswith("}definedName") or element.get("localSheetId") is not None:
            continue
        r = _REFERENCE.match((element.text or "").strip())
        if r is None:
            continue
        feuille = (r.group(1) or "").replace("''", "'") or r.group(2)
        l1, c1 = int(r.group(4)), colonne_de(r.group(3))
        l2, c2 = (int(r.group(6)), colonne_de(r.group(5))) if r.group(5) else (l1, c1)
        noms[(element.get("name") or "").lower()] = (feuille, l1, c1, l2, c2)
    return noms


# --- Lecture du classeur ---------------------------------------------------------------------


def lire(chemin: Path) -> Saisie:
    """Relit et revalide le classeur Malcom ``chemin``. Lève GrilleIllisible pour un fichier
    illisible, un format que Malcom ne lit pas, ou un classeur qui n'est pas un Malcom."""
    chemin = Path(chemin)
    classeur = ouvrir(chemin, "le classeur Malcom", "malcom.xlsx")
    if chemin.suffix.lower() not in (".xlsx", ".xlsm"):
        raise GrilleIllisible(
            f"{chemin} : Malcom relit les classeurs .xlsx (les durées d'un .ods ou d'un .xls ne se "
            "relisent pas sûrement). Ouvrez-le dans votre tableur et enregistrez-le au format Excel "
            "(.xlsx), puis relancez."
        )
    feuilles = {nom: _feuille(classeur, nom) for nom in (*m.FEUILLES_ATTENDUES, m.FEUILLE_META)}
    if any(feuilles[nom] is None for nom in m.FEUILLES_ATTENDUES):
        meta = feuilles[m.FEUILLE_META]
        if meta is None:
            message = m.CODES["modele-inconnu"].message.format(fichier=chemin)
            if any(normaliser(n) == "recueil" for n in classeur.sheet_names):
                message += " (C'est une grille de recueil : « coaching-xl compute » la calcule.)"
            raise GrilleIllisible(message)
        manquantes = [n for n in m.FEUILLES_ATTENDUES if feuilles[n] is None]
        raise GrilleIllisible(
            f"{chemin} : classeur Malcom incomplet, il manque l'onglet {', '.join(manquantes)}. "
            "Rétablissez-le (ou repartez d'un classeur généré par « coaching-xl malcom generate »)."
        )
    version = m.VERSION_MODELE
    if feuilles[m.FEUILLE_META] is not None:
        meta = _cellules(classeur, feuilles[m.FEUILLE_META])
        paires = {normaliser(v): meta.get((ligne, 2), "") for (ligne, col), v in meta.items() if col == 1}
        lue = _entier(paires.get("version du modele"))
        if lue and lue > m.VERSION_MODELE:
            raise GrilleIllisible(
                f"{chemin} : classeur Malcom de version {lue}, plus récente que ce coaching-xl "
                f"(version {m.VERSION_MODELE}) : mettez coaching-xl à jour."
            )
        version = lue or version
    releve = _Releve()
    noms = noms_definis(classeur)
    contenus = {nom: _cellules(classeur, feuilles[nom]) for nom in m.FEUILLES_ATTENDUES}
    lecture = _Lecture(classeur, contenus, noms, releve)
    saisie = lecture.tout(chemin)
    saisie.version_modele = version
    saisie.classeur = classeur
    return saisie


class _Lecture:
    def __init__(
        self, classeur: Classeur, contenus: dict[str, Cellules], noms: dict, releve: _Releve
    ) -> None:
        self.classeur = classeur
        self.contenus = contenus
        self.noms = noms
        self.releve = releve
        self.date1904 = classeur.date1904

    # Une cellule nommée (ou, à défaut, sa place dans le modèle).
    def _place(self, nom: str, feuille: str, ligne: int, colonne: int) -> tuple[str, int, int]:
        trouve = self.noms.get(nom.lower())
        if trouve and normaliser(trouve[0]) == normaliser(feuille):
            return feuille, trouve[1], trouve[2]
        return feuille, ligne, colonne

    def _valeur(self, feuille: str, ligne: int, colonne: int) -> str | None:
        return self.contenus[feuille].get((ligne, colonne))

    def tout(self, chemin: Path) -> Saisie:
        p = self._parametres()
        periodes = self._periodes()
        recuperation = self._recuperation()
        activites = self._activites()
        blocs, semaines_types = self._blocs(activites, periodes["semaines_types"], p["duree_max"])
        semaines = {k: periodes[f"semaines_{k}"] for k in m.PERIODES}
        if sum(semaines.values()) != 52:
            self.releve.signaler(
                "semaines-incoherentes", m.FEUILLE_TABLEAU, None, None, sum(semaines.values())
            )
        participants = [b for b in blocs if not b.ligne and b.participe]
        if not participants and any(b.ligne and any(b.pds.values()) for b in blocs):
            self.releve.signaler("aucun-participant", m.FEUILLE_TABLEAU)
        return Saisie(
            chemin=chemin,
            etablissement=p["etablissement"],
            service=p["service"],
            ventilation=p["ventilation"],
            recup_affectees=p["recup_affectees"],
            seuil_marge=p["seuil_marge"],
            duree_max=p["duree_max"],
            semaines=semaines,
            taux={k: periodes[f"taux_{k}"] for k in ("B", "C")},
            semaines_types=semaines_types,
            recuperation=recuperation,
            activites=activites,
            blocs=blocs,
            anomalies=self.releve.liste,
        )

    def _parametres(self) -> dict:
        f = m.FEUILLE_PARAMETRAGE
        lus: dict = {}
        for p in m.PARAMETRES:
            feuille, ligne, col = self._place(p.nom_defini, f, p.ligne, 2)
            valeur = self._valeur(feuille, ligne, col)
            lus[p.cle] = self._parametre(p, valeur, ligne, col)
        return lus

    def _parametre(self, p: m.Parametre, valeur: str | None, ligne: int, col: int) -> object:
        f = m.FEUILLE_PARAMETRAGE
        defauts = {
            "ventilation": "equitable",
            "recup_affectees": False,
            "seuil_marge": m.SEUIL_MARGE_DEFAUT,
            "duree_max": m.DUREE_MAX_DEFAUT,
            "annee": None,
        }
        if p.cle in ("etablissement", "pole", "service", "chef_service"):
            return " ".join(valeur.split()) if valeur else None
        if valeur is None:
            return defauts[p.cle]

        def refuser(attendu: str, defaut: str) -> object:
            self.releve.signaler(
                "parametre-invalide", f, ligne, col, valeur, libelle=p.libelle, attendu=attendu, defaut=defaut
            )
            return defauts[p.cle]

        if p.cle == "ventilation":
            possibles = {libelle: cle for cle, libelle in m.VENTILATIONS.items()}
            canon, exact = _reconnaitre(valeur, dict.fromkeys(possibles))
            if canon is None:
                return refuser(" ou ".join(f"« {v} »" for v in possibles), m.VENTILATIONS["equitable"])
            self._normaliser(canon, exact, f, ligne, col, valeur)
            return possibles[canon]
        if p.cle == "recup_affectees":
            canon, exact = _reconnaitre(valeur, dict.fromkeys((m.OUI, m.NON)))
            if canon is None:
                return refuser("« Oui » ou « Non »", m.NON)
            self._normaliser(canon, exact, f, ligne, col, valeur)
            return canon == m.OUI
        if p.cle == "seuil_marge":
            v = lire_fraction(valeur)
            return v if v is not None and 0 <= v <= 1 else refuser("un pourcentage de 0 % à 100 %", "10 %")
        if p.cle == "duree_max":
            h, _ = lire_duree(valeur, self.date1904)
            return h if h is not None and 1 <= h <= 12 else refuser("une durée de 1:00 à 12:00", "5:00")
        v = _entier(valeur)
        return (
            v
            if v is not None and 2000 <= v <= 2100
            else refuser("une année de 2000 à 2100", "l'année en cours")
        )

    def _normaliser(self, canon: str, exact: bool, feuille: str, ligne: int, col: int, valeur: str) -> None:
        if not exact:
            self.releve.signaler(
                "valeur-a-normaliser",
                feuille,
                ligne,
                col,
                valeur,
                comment="qu'en ôtant accents ou espaces",
                conduite=f"Choisissez {_cite(canon)} dans le menu.",
            )

    def _duree_en_texte(self, feuille: str, ligne: int, col: int, brut: str, heures: float) -> None:
        """Une durée tapée en texte (« 3h30 ») : le moteur la lit, les formules non."""
        if _DATE_HEURE.match(brut.strip()) is None and _nombre(brut) is None:
            self.releve.signaler(
                "valeur-a-normaliser",
                feuille,
                ligne,
                col,
                brut,
                comment="que comme un texte",
                conduite=f"Retapez-la au format h:mm ({_cite(hmm(heures))}), que les formules comptent.",
            )

    def _periodes(self) -> dict:
        f = m.FEUILLE_TABLEAU
        lus: dict = {}
        places = {
            "semaines_A": (m.LIGNES_PERIODES["A"], 2),
            "semaines_B": (m.LIGNES_PERIODES["B"], 2),
            "semaines_C": (m.LIGNES_PERIODES["C"], 2),
            "taux_B": (m.LIGNES_PERIODES["B"], 3),
            "taux_C": (m.LIGNES_PERIODES["C"], 3),
            "semaines_types": (m.LIGNES_PERIODES["A"], 4),
        }
        for cle, (ligne, col) in places.items():
            feuille, ligne, col = self._place(m.NOMS_PERIODES[cle], f, ligne, col)
            valeur = self._valeur(feuille, ligne, col)
            periode = cle[-1]
            if cle.startswith("semaines_") and cle != "semaines_types":
                defaut = m.SEMAINES_DEFAUT[periode]
                v = _entier(valeur) if valeur is not None else defaut
                if v is None or not 0 <= v <= 52:
                    self.releve.signaler(
                        "periode-invalide",
                        f,
                        ligne,
                        col,
                        valeur,
                        periode=periode,
                        attendu="un nombre entier de semaines de 0 à 52",
                        defaut=defaut,
                    )
                    v = defaut
            elif cle.startswith("taux_"):
                defaut = m.TAUX_DEFAUT[periode]
                v = lire_fraction(valeur) if valeur is not None else defaut
                if v is None or not 0 <= v <= 2:
                    self.releve.signaler(
                        "periode-invalide",
                        f,
                        ligne,
                        col,
                        valeur,
                        periode=periode,
                        attendu="un taux de 0 % à 200 %",
                        defaut=f"{round(defaut * 100)} %",
                    )
                    v = defaut
            else:
                v = _entier(valeur) if valeur is not None else 1
                if v not in (1, 2):
                    self.releve.signaler(
                        "periode-invalide",
                        f,
                        ligne,
                        col,
                        valeur,
                        periode="A",
                        attendu="1 ou 2 semaines types",
                        defaut=1,
                    )
                    v = 1
            lus[cle] = v
        return lus

    def _recuperation(self) -> dict[tuple[str, str], float]:
        f = m.FEUILLE_PARAMETRAGE
        trouve = self.noms.get(m.NOM_RECUPERATION)
        if trouve and normaliser(trouve[0]) == normaliser(f):
            ligne0, col0 = trouve[1], trouve[2]
        else:
            ligne0, col0 = m.LIGNE_ENTETE_RECUPERATION + 1, 3
        table = {}
        for i, creneau in enumerate(m.CRENEAUX):
            for j, type_ in enumerate(m.TYPES_PDS):
                defaut = creneau.recuperation_ga if type_.id == "Ga" else 0.0
                ligne, col = ligne0 + i, col0 + j
                valeur = self._valeur(f, ligne, col)
                h, _ = lire_duree(valeur, self.date1904) if valeur is not None else (defaut, None)
                if h is None or not 0 <= h <= 24:
                    self.releve.signaler(
                        "parametre-invalide",
                        f,
                        ligne,
                        col,
                        valeur,
                        libelle=f"Récupération {type_.id}, {creneau.jour} {creneau.libelle}",
                        attendu="une durée de 0:00 à 24:00",
                        defaut=hmm(defaut),
                    )
                    h = defaut
                table[creneau.code, type_.id] = h
        return table

    def _activites(self) -> list[Activite]:
        f = m.FEUILLE_ACTIVITES
        cellules = self.contenus[f]
        entete = m.LIGNE_ENTETE_ACTIVITES
        for ligne in range(1, 31):
            if (
                normaliser(cellules.get((ligne, 1), "")) == "activite"
                and normaliser(cellules.get((ligne, 2), "")) == "id"
            ):
                entete = ligne
                break
        derniere = max((ligne for ligne, _ in cellules), default=entete)
        activites: list[Activite] = []
        vus: dict[str, str] = {}
        for ligne in range(entete + 1, derniere + 1):
            brut = {col: cellules.get((ligne, col)) for col in range(1, 9)}
            if not any(v is not None for v in brut.values()):
                continue
            a = self._activite(ligne, brut, vus)
            if a is not None:
                activites.append(a)
        return activites

    def _activite(self, ligne: int, brut: dict[int, str | None], vus: dict[str, str]) -> Activite | None:
        f, r = m.FEUILLE_ACTIVITES, self.releve
        libelle = " ".join(brut[1].split()) if brut[1] else None
        ident = brut[2].strip() if brut[2] else None
        if libelle is None:
            r.signaler("activite-libelle-manquant", f, ligne, 1, None, ligne=ligne)
        nom = libelle or ident or f"ligne {ligne}"
        if ident is None:
            r.signaler("activite-id-manquant", f, ligne, 2, None, libelle=nom)
            return None
        if not re.fullmatch(rf"[\w-]{{1,{m.ID_MAX}}}", ident) or ident.isdigit():
            r.signaler("activite-id-invalide", f, ligne, 2, ident)
            return None
        if normaliser(ident) in {normaliser(t) for t in m.IDS_PDS}:
            r.signaler("activite-id-reserve", f, ligne, 2, ident)
            return None
        if normaliser(ident) in vus:
            r.signaler("activite-id-doublon", f, ligne, 2, ident, autre=_cite(vus[normaliser(ident)]))
            return None
        vus[normaliser(ident)] = ident
        libelle = libelle or ident
        marqueur = " ".join(brut[3].split()) if brut[3] else None
        quantite = duree = None
        valide = True
        if brut[4] is not None:
            q = _nombre(brut[4])
            if q is None or q <= 0:
                r.signaler(
                    "temps-alloue-invalide",
                    f,
                    ligne,
                    4,
                    brut[4],
                    libelle=libelle,
                    champ="Quantité",
                    attendu="un nombre supérieur à 0",
                )
                valide = False
            else:
                quantite = q
        if brut[5] is not None:
            h, _ = lire_duree(brut[5], self.date1904)
            if h is None or not 0 < h <= 24:
                r.signaler(
                    "temps-alloue-invalide",
                    f,
                    ligne,
                    5,
                    _duree_citee(brut[5], h),
                    libelle=libelle,
                    champ="Durée",
                    attendu="une durée de 0:01 à 24:00, au format h:mm",
                    proposition=_heures_voulues(h, 24),
                )
                valide = False
            else:
                duree = h
                self._duree_en_texte(f, ligne, 5, brut[5], h)
        if valide and (brut[4] is None) != (brut[5] is None):
            r.signaler(
                "temps-alloue-incomplet",
                f,
                ligne,
                5 if brut[5] is None else 4,
                None,
                libelle=libelle,
                manque="la Durée" if brut[5] is None else "la Quantité",
            )
        if not (valide and quantite and duree):
            quantite = duree = None
        if quantite and duree and not marqueur:
            r.signaler("marqueur-manquant", f, ligne, 3, None, libelle=libelle)
        objectif = None
        if brut[6] is not None:
            o = _nombre(brut[6])
            if o is None or o < 0 or o != int(o):
                r.signaler("objectif-invalide", f, ligne, 6, brut[6], libelle=libelle)
            else:
                objectif = int(o)
                if brut[4] is None and brut[5] is None:
                    r.signaler("objectif-sans-temps-alloue", f, ligne, 6, brut[6], libelle=libelle)
        taux: dict[str, float | None] = {}
        for periode, col in (("B", 7), ("C", 8)):
            taux[periode] = None
            if brut[col] is not None:
                t = lire_fraction(brut[col])
                if t is None or not 0 <= t <= 2:
                    r.signaler("taux-invalide", f, ligne, col, brut[col], libelle=libelle)
                else:
                    taux[periode] = t
        return Activite(ident, libelle, marqueur, quantite, duree, objectif, taux, ligne)

    def _semaines(self) -> dict[int, tuple[int, int]]:
        """Semaine type → (première ligne du premier bloc, nombre de blocs), par les bandeaux."""
        cellules = self.contenus[m.FEUILLE_TABLEAU]
        bandeaux = {}
        for (ligne, col), v in cellules.items():
            if col == 1 and normaliser(v) in ("semaine type 1", "semaine type 2"):
                bandeaux.setdefault(int(normaliser(v)[-1]), ligne)
        if 1 not in bandeaux:
            bandeaux[1] = m.SEMAINES[1][0]
        derniere = max((ligne for ligne, _ in cellules), default=0)
        debut1 = bandeaux[1] + 4
        fin1 = bandeaux[2] - 2 if 2 in bandeaux else derniere + 1
        blocs = max(0, (fin1 - debut1 + m.LIGNES_PAR_BLOC - 1) // m.LIGNES_PAR_BLOC)
        semaines = {1: (debut1, blocs)}
        if 2 in bandeaux:
            semaines[2] = (bandeaux[2] + 4, blocs)
        return semaines

    def _blocs(
        self, activites: list[Activite], semaines_types: int, duree_max: float
    ) -> tuple[list[Bloc], int]:
        f, r = m.FEUILLE_TABLEAU, self.releve
        cellules = self.contenus[f]
        semaines = self._semaines()
        debut1, nombre = semaines[1]
        ids = {a.id: a.id for a in activites}
        tous_ids = [a.id for a in activites]
        blocs: list[Bloc] = []
        noms_vus: set[str] = set()
        contenu_semaine2 = False
        if 2 in semaines:
            debut2 = semaines[2][0]
            contenu_semaine2 = any(
                debut2 <= ligne < debut2 + m.LIGNES_PAR_BLOC * nombre
                and 2 <= col <= m.COLONNE_DERNIERE_SAISIE
                for ligne, col in cellules
            )
        m_ = semaines_types
        if semaines_types == 2 and not contenu_semaine2:
            r.signaler("semaine-type-2-vide", f)
            m_ = 1
        elif semaines_types == 1 and contenu_semaine2:
            r.signaler("semaine-type-2-ignoree", f)
        lues = [1, 2][:m_]
        for numero in range(1, nombre + 1):
            l1 = debut1 + m.LIGNES_PAR_BLOC * (numero - 1)
            lignes = {
                w: range(
                    semaines[w][0] + m.LIGNES_PAR_BLOC * (numero - 1),
                    semaines[w][0] + m.LIGNES_PAR_BLOC * numero,
                )
                for w in lues
            }
            contenu = any(
                (ligne, col) in cellules
                for w in lues
                for ligne in lignes[w]
                for col in range(2, m.COLONNE_DERNIERE_SAISIE + 1)
            ) or any(
                (ligne, col) in cellules
                for ligne in lignes[1]
                for col in (m.COLONNE_QUOTITE, m.COLONNE_NON_PARTICIPATION)
            )
            nom = cellules.get((l1, m.COLONNE_NOM))
            nom = " ".join(nom.split()) if nom else None
            if nom is None:
                if contenu:
                    r.signaler("praticien-sans-nom", f, l1, m.COLONNE_NOM, None, lignes=f"{l1} à {l1 + 4}")
                continue
            if normaliser(nom) in noms_vus:
                r.signaler("praticien-doublon", f, l1, m.COLONNE_NOM, nom)
                continue
            noms_vus.add(normaliser(nom))
            bloc = self._entete_bloc(numero, nom, l1)
            for w in lues:
                self._semaine_du_bloc(bloc, w, lignes[w], ids, tous_ids, duree_max)
            blocs.append(bloc)
        return blocs, m_

    def _entete_bloc(self, numero: int, nom: str, ligne: int) -> Bloc:
        f, r = m.FEUILLE_TABLEAU, self.releve
        cellules = self.contenus[f]
        brut_q = cellules.get((ligne, m.COLONNE_QUOTITE))
        est_ligne, quotite, valide = False, 1.0, True
        if brut_q is None:
            r.signaler("quotite-par-defaut", f, ligne, m.COLONNE_QUOTITE, None, nom=nom)
        else:
            canon, exact = _reconnaitre(brut_q, {m.PDS: m.PDS})
            if canon is not None:
                est_ligne = True
                self._normaliser(canon, exact, f, ligne, m.COLONNE_QUOTITE, brut_q)
            else:
                q = lire_fraction(brut_q)
                if q is None or not 0.01 - 1e-9 <= q <= 1 + 1e-9:
                    r.signaler("quotite-invalide", f, ligne, m.COLONNE_QUOTITE, _quotite_citee(brut_q))
                    q, valide = 1.0, False
                quotite = q
        participe = True
        brut_p = cellules.get((ligne, m.COLONNE_NON_PARTICIPATION))
        if brut_p is not None and not est_ligne:
            canon, exact = _reconnaitre(brut_p, dict.fromkeys((m.OUI, m.NON)))
            if canon is None:
                r.signaler(
                    "parametre-invalide",
                    f,
                    ligne,
                    m.COLONNE_NON_PARTICIPATION,
                    brut_p,
                    libelle=f"Non participation PDS de {nom}",
                    attendu="« Oui » ou « Non »",
                    defaut=m.NON,
                )
            else:
                self._normaliser(canon, exact, f, ligne, m.COLONNE_NON_PARTICIPATION, brut_p)
                participe = canon == m.NON
        quotite_retenue = 1.0 if est_ligne else quotite
        return Bloc(numero, nom, est_ligne, quotite_retenue, participe and not est_ligne, ligne, valide)

    def _semaine_du_bloc(
        self, bloc: Bloc, w: int, lignes: range, ids: dict[str, str], tous_ids: list[str], duree_max: float
    ) -> None:
        f, r = m.FEUILLE_TABLEAU, self.releve
        cellules = self.contenus[f]
        heures: dict[str, dict[str, float]] = {}
        signale_ligne = False
        for d in m.DEMI_JOURNEES:
            vus: dict[str, int] = {}
            total = 0.0
            for ligne in lignes:
                act, tps = cellules.get((ligne, d.colonne_act)), cellules.get((ligne, d.colonne_act + 1))
                if act is None and tps is None:
                    continue
                if bloc.ligne:
                    if not signale_ligne:
                        col = d.colonne_act if act is not None else d.colonne_act + 1
                        r.signaler("ligne-pds-avec-activites", f, ligne, col, act or tps, nom=bloc.nom)
                        signale_ligne = True
                    continue
                ident = None
                if act is not None:
                    ident, exact = _reconnaitre(act, ids)
                    if ident is None:
                        r.signaler(
                            "activite-inconnue",
                            f,
                            ligne,
                            d.colonne_act,
                            act,
                            proposition=_proposition(act, tous_ids),
                        )
                    else:
                        self._normaliser(ident, exact, f, ligne, d.colonne_act, act)
                if tps is None:
                    if act is not None:
                        r.signaler("duree-manquante", f, ligne, d.colonne_act + 1, act)
                    continue
                h, _ = lire_duree(tps, self.date1904)
                if act is None:
                    r.signaler(
                        "duree-sans-activite", f, ligne, d.colonne_act + 1, hmm(h) if h is not None else tps
                    )
                    continue
                if h is None or h < 0 or h > m.TPS_MAX:
                    r.signaler(
                        "duree-invalide",
                        f,
                        ligne,
                        d.colonne_act + 1,
                        _duree_citee(tps, h),
                        proposition=_heures_voulues(h, m.TPS_MAX),
                    )
                    continue
                if h == 0:
                    r.signaler("duree-manquante", f, ligne, d.colonne_act + 1, act)
                    continue
                self._duree_en_texte(f, ligne, d.colonne_act + 1, tps, h)
                if ident is None:
                    continue
                if ident in vus:
                    r.signaler(
                        "activite-doublon-demi-journee",
                        f,
                        ligne,
                        d.colonne_act,
                        ident,
                        nom=bloc.nom,
                        demi_journee=d.libelle,
                    )
                vus[ident] = vus.get(ident, 0) + 1
                heures.setdefault(d.code, {})[ident] = heures.get(d.code, {}).get(ident, 0.0) + h
                total += h
            if total > duree_max + 1e-9:
                r.signaler(
                    "demi-journee-surchargee",
                    f,
                    lignes[0],
                    d.colonne_act,
                    hmm(total),
                    nom=bloc.nom,
                    demi_journee=d.libelle,
                    maximum=hmm(duree_max),
                )
        bloc.heures[w] = heures
        comptes: dict[tuple[str, str], int] = {}
        for c in m.CRENEAUX:
            dans_creneau = 0
            for ligne in lignes:
                valeur = cellules.get((ligne, c.colonne))
                if valeur is None:
                    continue
                kind, exact = _reconnaitre(valeur, dict.fromkeys(m.IDS_PDS))
                if kind is None:
                    r.signaler(
                        "pds-valeur-hors-liste",
                        f,
                        ligne,
                        c.colonne,
                        valeur,
                        proposition=_proposition(valeur, list(m.IDS_PDS)),
                    )
                    continue
                self._normaliser(kind, exact, f, ligne, c.colonne, valeur)
                comptes[c.code, kind] = comptes.get((c.code, kind), 0) + 1
                dans_creneau += 1
            if dans_creneau >= 2 and not bloc.ligne:
                r.signaler(
                    "pds-doublon-creneau",
                    f,
                    lignes[0],
                    c.colonne,
                    dans_creneau,
                    nom=bloc.nom,
                    creneau=f"{c.jour} {c.libelle}",
                )
        bloc.pds[w] = comptes


def _duree_citee(brut: str, heures: float | None) -> str:
    """La durée telle que le tableur l'affiche (« 96:00 » pour le 4 d'une cellule h:mm, que le
    lecteur rend « 1900-01-04 00:00:00 »), ou le texte saisi."""
    return hmm(heures) if heures is not None and _DATE_HEURE.match(brut.strip()) else brut


def _heures_voulues(heures: float | None, maximum: float) -> str:
    """Un 4 tapé dans une cellule de durée vaut 4 jours (96:00) : s'il fallait lire 4 heures, la
    suggestion « (vouliez-vous dire « 4:00 » ?) »."""
    if heures is not None and heures > maximum and 0 < heures / 24 <= maximum:
        return f" (vouliez-vous dire « {hmm(heures / 24)} » ?)"
    return ""


def _quotite_citee(brut: str) -> str:
    q = lire_fraction(brut)
    return f"{decimal(q * 100, 0)} %" if q is not None and not brut.strip().endswith("%") else brut


# --- Calcul (§4) ---------------------------------------------------------------------------


@dataclass
class Praticien:
    bloc: Bloc
    part_ventilation: float
    heures_semaine: dict[str, float]
    """Id → H(p,a)."""
    heures_par_demi_journee: dict[str, dict[str, float]]
    """½ journée → Id → H(p,d,a)."""
    heures_annuelles: dict[str, float]
    affectees: dict[tuple[str, str], float]
    """(créneau, type) → F(p,s,k), par an."""
    ventilees: dict[tuple[str, str], float]
    recuperation_h: float
    coefficient: float
    heures_redressees: dict[str, float]
    potentiels: dict[str, float | None]
    demi_journees: float

    @property
    def nom(self) -> str:
        return self.bloc.nom

    @property
    def total_semaine(self) -> float:
        return sum(self.heures_semaine.values())

    @property
    def total_annuel(self) -> float:
        return sum(self.heures_annuelles.values())

    @property
    def total_redresse(self) -> float:
        return sum(self.heures_redressees.values())

    def redressees(self) -> dict[tuple[str, str], float]:
        """G(p,s,k) = V + F."""
        cles = set(self.affectees) | set(self.ventilees)
        return {c: self.ventilees.get(c, 0.0) + self.affectees.get(c, 0.0) for c in cles}

    def par_an(self, type_: str) -> float:
        return sum(v for (_, k), v in self.redressees().items() if k == type_)

    def par_mois(self, type_: str) -> dict[str, float]:
        categorie = {c.code: c.categorie for c in m.CRENEAUX}
        mois = {cat.code: 0.0 for cat in m.CATEGORIES}
        for (s, k), v in self.redressees().items():
            if k == type_:
                mois[categorie[s]] += v / 12
        return mois

    def creneaux_de_garde(self) -> int:
        return sum(1 for (s, k), v in self.redressees().items() if k == "Ga" and v > 0)


@dataclass
class LignePds:
    bloc: Bloc
    par_semaine: dict[str, float]
    par_an: dict[str, float]
    ventilee: bool


@dataclass
class SyntheseActivite:
    activite: Activite
    coefficient: float
    heures_semaine: float
    heures_annuelles: float
    heures_redressees: float
    part: float | None
    potentiel: float | None
    ecart: float | None
    ecart_relatif: float | None
    orientation: str | None
    a_ajuster: float | None


@dataclass
class ResultatMalcom:
    saisie: Saisie
    praticiens: list[Praticien]
    lignes: list[LignePds]
    activites: list[SyntheseActivite]
    total_redresse: float
    anomalies: list[Anomalie]
    """Celles de la lecture, puis celles que le calcul révèle (récupération, quotité…)."""

    def part_service(self, p: Praticien) -> float | None:
        return p.total_redresse / self.total_redresse if self.total_redresse else None

    def activite(self, ident: str) -> SyntheseActivite:
        return next(a for a in self.activites if a.activite.id == ident)

    def document(self) -> dict:
        return document(self)


def coefficient_annuel(saisie: Saisie, a: Activite) -> float:
    """f(a) = n_A + n_B·τ_B(a) + n_C·τ_C(a)."""
    n = saisie.semaines
    taux = {k: a.taux[k] if a.taux.get(k) is not None else saisie.taux[k] for k in ("B", "C")}
    return n["A"] + n["B"] * taux["B"] + n["C"] * taux["C"]


def calculer(saisie: Saisie) -> ResultatMalcom:
    """Les 12 étapes de MALCOM.md §4."""
    mw = saisie.semaines_types
    semaines = range(1, mw + 1)
    W = sum(saisie.semaines.values())
    coefficients = {a.id: coefficient_annuel(saisie, a) for a in saisie.activites}
    ids = [a.id for a in saisie.activites]

    def moyenne_pds(bloc: Bloc) -> dict[tuple[str, str], float]:
        c: dict[tuple[str, str], float] = defaultdict(float)
        for w in semaines:
            for cle, n in bloc.pds.get(w, {}).items():
                c[cle] += n / mw
        return dict(c)

    # Étape 4 : lignes à ventiler et PDS affectées.
    N: dict[tuple[str, str], float] = defaultdict(float)
    lignes = []
    for bloc in saisie.blocs:
        if not bloc.ligne:
            continue
        c = moyenne_pds(bloc)
        for cle, v in c.items():
            N[cle] += W * v
        par_semaine = {t: sum(v for (_, k), v in c.items() if k == t) for t in m.IDS_PDS}
        lignes.append(LignePds(bloc, par_semaine, {t: W * v for t, v in par_semaine.items()}, False))
    # Étape 5 : parts de ventilation.
    participants = [b for b in saisie.blocs if not b.ligne and b.participe]
    somme_q = sum(b.quotite for b in participants)
    for ligne in lignes:
        ligne.ventilee = bool(participants) and any(ligne.par_semaine.values())

    def part(bloc: Bloc) -> float:
        if bloc not in participants:
            return 0.0
        if saisie.ventilation == "prorata_quotite":
            return bloc.quotite / somme_q if somme_q else 0.0
        return 1 / len(participants)

    iota = 1.0 if saisie.recup_affectees else 0.0
    supplementaires: list[Anomalie] = []
    praticiens = []
    for bloc in saisie.blocs:
        if bloc.ligne:
            continue
        # Étape 1 : heures de la semaine type.
        par_demi: dict[str, dict[str, float]] = {}
        for w in semaines:
            for d, heures in bloc.heures.get(w, {}).items():
                for a, h in heures.items():
                    par_demi.setdefault(d, {}).setdefault(a, 0.0)
                    par_demi[d][a] += h / mw
        semaine = {a: sum(par_demi.get(d.code, {}).get(a, 0.0) for d in m.DEMI_JOURNEES) for a in ids}
        # Étapes 2–3 : heures annuelles.
        annuelles = {a: semaine[a] * coefficients[a] for a in ids}
        # Étapes 4–6 : PDS.
        F = {cle: W * v for cle, v in moyenne_pds(bloc).items()}
        sigma = part(bloc)
        V = {cle: sigma * n for cle, n in N.items()} if participants else {}
        # Étape 7 : récupération.
        R = sum(saisie.recuperation.get(cle, 0.0) * v for cle, v in V.items())
        R += iota * sum(saisie.recuperation.get(cle, 0.0) * v for cle, v in F.items())
        # Étape 8 : heures redressées.
        T = sum(annuelles.values())
        rho = max(0.0, 1 - R / T) if T > 0 else 0.0
        if T > 0 and R > T:
            supplementaires.append(_recuperation_superieure(bloc, R))
        redressees = {a: rho * annuelles[a] for a in ids}
        # Étape 9 : potentiels.
        potentiels = {
            a.id: (redressees[a.id] * a.productivite if a.productivite is not None else None)
            for a in saisie.activites
        }
        demi = (
            sum(
                1
                for w in semaines
                for d in m.DEMI_JOURNEES
                if any(v > 0 for v in bloc.heures.get(w, {}).get(d.code, {}).values())
            )
            / mw
        )
        praticiens.append(
            Praticien(bloc, sigma, semaine, par_demi, annuelles, F, V, R, rho, redressees, potentiels, demi)
        )
    for p in praticiens:
        attendues = p.bloc.quotite * 10
        if p.bloc.quotite_valide and abs(p.demi_journees - attendues) > 1 + 1e-9:
            releve = _Releve()
            releve.signaler(
                "quotite-demi-journees",
                m.FEUILLE_TABLEAU,
                p.bloc.premiere_ligne,
                m.COLONNE_QUOTITE,
                decimal(p.demi_journees, 0 if p.demi_journees == int(p.demi_journees) else 1),
                nom=p.nom,
                quotite=f"{decimal(p.bloc.quotite * 100, 0)} %",
                attendues=decimal(attendues, 0 if attendues == int(attendues) else 1),
            )
            supplementaires.extend(releve.liste)
        if not p.bloc.participe and p.affectees:
            releve = _Releve()
            releve.signaler(
                "non-participant-avec-pds",
                m.FEUILLE_TABLEAU,
                p.bloc.premiere_ligne,
                m.COLONNE_NON_PARTICIPATION,
                m.OUI,
                nom=p.nom,
            )
            supplementaires.extend(releve.liste)
    for ligne in lignes:
        if not any(ligne.par_semaine.values()):
            releve = _Releve()
            releve.signaler(
                "ligne-pds-vide",
                m.FEUILLE_TABLEAU,
                ligne.bloc.premiere_ligne,
                m.COLONNE_NOM,
                ligne.bloc.nom,
                nom=ligne.bloc.nom,
            )
            supplementaires.extend(releve.liste)
    # Étapes 10–11 : objectifs, parts.
    ZT = sum(p.total_redresse for p in praticiens)
    syntheses = []
    for a in saisie.activites:
        H = sum(p.heures_semaine[a.id] for p in praticiens)
        Y = sum(p.heures_annuelles[a.id] for p in praticiens)
        Z = sum(p.heures_redressees[a.id] for p in praticiens)
        potentiel = Z * a.productivite if a.productivite is not None else None
        ecart = relatif = orientation = ajuster = None
        if potentiel is not None and a.objectif is not None:
            ecart = potentiel - a.objectif
            if a.objectif:
                relatif = potentiel / a.objectif - 1
                orientation = (
                    "insuffisant"
                    if relatif < 0
                    else "adequat"
                    if relatif <= saisie.seuil_marge + 1e-12
                    else "marge"
                )
            if potentiel:
                ajuster = H * (a.objectif / potentiel - 1)
        syntheses.append(
            SyntheseActivite(
                a,
                coefficients[a.id],
                H,
                Y,
                Z,
                Z / ZT if ZT else None,
                potentiel,
                ecart,
                relatif,
                orientation,
                ajuster,
            )
        )
    return ResultatMalcom(saisie, praticiens, lignes, syntheses, ZT, saisie.anomalies + supplementaires)


def _recuperation_superieure(bloc: Bloc, R: float) -> Anomalie:
    releve = _Releve()
    releve.signaler(
        "recuperation-superieure",
        m.FEUILLE_TABLEAU,
        bloc.premiere_ligne,
        m.COLONNE_NOM,
        f"{decimal(R, 1)} h",
        nom=bloc.nom,
    )
    return releve.liste[0]


def analyser(chemin: Path) -> ResultatMalcom:
    """Relit, revalide et calcule le classeur Malcom ``chemin``."""
    return calculer(lire(chemin))


# --- Document JSON (§7) --------------------------------------------------------------------


def compter(anomalies: list[Anomalie]) -> dict:
    par_code: dict[str, int] = {}
    for a in anomalies:
        par_code[a.code] = par_code.get(a.code, 0) + 1
    return {
        "erreurs": sum(a.gravite == m.E for a in anomalies),
        "avertissements": sum(a.gravite == m.A for a in anomalies),
        "infos": sum(a.gravite == m.INFO for a in anomalies),
        "par_code": par_code,
        "liste": [a.document() for a in anomalies],
    }


def entete(saisie: Saisie) -> dict:
    return {"fichier": saisie.chemin.name, "modele": m.MODELE, "version_modele": saisie.version_modele}


def document_controle(r: ResultatMalcom) -> dict:
    return {**entete(r.saisie), "anomalies": compter(r.anomalies)}


def _par_type(valeurs: dict[tuple[str, str], float]) -> dict[str, dict[str, float]]:
    return {
        t: {
            s: v
            for (s, k), v in sorted(valeurs.items(), key=lambda x: _ordre_creneau(x[0][0]))
            if k == t and v
        }
        for t in m.IDS_PDS
    }


_RANG_CRENEAU = {c.code: i for i, c in enumerate(m.CRENEAUX)}


def _ordre_creneau(code: str) -> int:
    return _RANG_CRENEAU[code]


def document(r: ResultatMalcom) -> dict:
    s = r.saisie
    praticiens = []
    for p in r.praticiens:
        total_z = p.total_redresse
        praticiens.append(
            {
                "nom": p.nom,
                "quotite": p.bloc.quotite,
                "participe_pds": p.bloc.participe,
                "part_ventilation": p.part_ventilation,
                "demi_journees": p.demi_journees,
                "heures_semaine": p.heures_semaine,
                "heures_annuelles": p.heures_annuelles,
                "heures_redressees": p.heures_redressees,
                "potentiels": p.potentiels,
                "heures_semaine_par_demi_journee": {
                    d.code: p.heures_par_demi_journee.get(d.code, {}) for d in m.DEMI_JOURNEES
                },
                "total_heures_semaine": p.total_semaine,
                "total_heures_annuelles": p.total_annuel,
                "recuperation_h": p.recuperation_h,
                "coefficient_redressement": p.coefficient,
                "total_heures_redressees": total_z,
                "part_temps_service": r.part_service(p),
                "part_temps_par_activite": {
                    a: (z / total_z if total_z else None) for a, z in p.heures_redressees.items()
                },
                "pds": {
                    "affectees_an": _par_type(p.affectees),
                    "ventilees_an": _par_type(p.ventilees),
                    "redressees_an": _par_type(p.redressees()),
                    "total_an": {t: p.par_an(t) for t in m.IDS_PDS},
                    "par_mois": {t: p.par_mois(t) for t in m.IDS_PDS},
                },
            }
        )
    par_demi = []
    for d in m.DEMI_JOURNEES:
        heures = {
            a.id: sum(p.heures_par_demi_journee.get(d.code, {}).get(a.id, 0.0) for p in r.praticiens)
            for a in s.activites
        }
        par_demi.append(
            {
                "demi_journee": d.code,
                "libelle": d.libelle,
                "heures_semaine": heures,
                "par_praticien": {
                    p.nom: sum(p.heures_par_demi_journee.get(d.code, {}).values()) for p in r.praticiens
                },
                "total": sum(heures.values()),
            }
        )
    return {
        **entete(s),
        "etablissement": s.etablissement,
        "service": s.service,
        "parametres": {
            "ventilation": s.ventilation,
            "recuperation_pds_affectees": s.recup_affectees,
            "seuil_marge": s.seuil_marge,
            "semaines": dict(s.semaines),
            "semaines_an": sum(s.semaines.values()),
            "taux": dict(s.taux),
            "semaines_types": s.semaines_types,
        },
        "activites": [
            {
                "id": a.activite.id,
                "libelle": a.activite.libelle,
                "marqueur": a.activite.marqueur,
                "quantite": a.activite.quantite,
                "duree_h": a.activite.duree_h,
                "productivite_h": a.activite.productivite,
                "objectif_annuel": a.activite.objectif,
                "taux": {
                    k: (a.activite.taux[k] if a.activite.taux[k] is not None else s.taux[k])
                    for k in ("B", "C")
                },
                "coefficient_annuel": a.coefficient,
            }
            for a in r.activites
        ],
        "praticiens": praticiens,
        "lignes_pds": [
            {
                "nom": ligne.bloc.nom,
                "par_semaine": ligne.par_semaine,
                "par_an": ligne.par_an,
                "ventilee": ligne.ventilee,
            }
            for ligne in r.lignes
        ],
        "par_activite": [
            {
                "id": a.activite.id,
                "libelle": a.activite.libelle,
                "marqueur": a.activite.marqueur,
                "heures_semaine": a.heures_semaine,
                "heures_annuelles": a.heures_annuelles,
                "heures_redressees": a.heures_redressees,
                "part_temps_service": a.part,
                "potentiel": a.potentiel,
                "objectif_annuel": a.activite.objectif,
                "ecart": a.ecart,
                "ecart_relatif": a.ecart_relatif,
                "orientation": a.orientation,
                "heures_semaine_a_ajuster": a.a_ajuster,
            }
            for a in r.activites
        ],
        "par_demi_journee": par_demi,
        "totaux": {
            "heures_semaine": sum(p.total_semaine for p in r.praticiens),
            "heures_annuelles": sum(p.total_annuel for p in r.praticiens),
            "recuperation_h": sum(p.recuperation_h for p in r.praticiens),
            "heures_redressees": r.total_redresse,
        },
        "anomalies": compter(r.anomalies),
    }


# --- Phrases de lecture (§3.5), les mêmes que les formules de « 3 Ressources » ------------------

ESPACE_FINE = "\u202f"


def _arrondi(x: float, chiffres: int = 0) -> float:
    """Arrondi du tableur (ROUND) : la moitié s'éloigne de zéro (Python arrondit au pair)."""
    facteur = 10**chiffres
    return math.copysign(math.floor(abs(x) * facteur + 0.5 + 1e-9) / facteur, x)


def nombre_fr(x: float, chiffres: int = 0) -> str:
    """1 365 ; 1,7 (espace fine des milliers, virgule), arrondi comme le tableur."""
    return decimal(_arrondi(x, chiffres), chiffres)


def pourcent_fr(x: float, signe: bool = False) -> str:
    """« 39 % », et signé « +10 % », « −2 % » : arrondi au pour cent, comme le tableur."""
    v = int(_arrondi(100 * x))
    if not signe:
        return f"{v}{ESPACE_FINE}%"
    return f"{'+' if v > 0 else chr(0x2212) if v < 0 else ''}{abs(v)}{ESPACE_FINE}%"


def liste_majoritaire(heures: dict[str, float]) -> str:
    """Les ½ journées, de la plus chargée à la moins chargée (ex aequo gardés), qui réunissent au
    moins la moitié des heures, jointes par « , » et « et » (``heures`` : code → heures)."""
    total = sum(heures.values())
    retenues = [
        (d, heures.get(d.code, 0.0))
        for d in m.DEMI_JOURNEES
        if heures.get(d.code, 0.0) > 0 and sum(v for v in heures.values() if v > heures[d.code]) < 0.5 * total
    ]
    retenues.sort(key=lambda x: -x[1])
    libelles = [d.libelle for d, _ in retenues]
    return (
        libelles[0]
        if len(libelles) == 1
        else ", ".join(libelles[:-1]) + " et " + libelles[-1]
        if libelles
        else ""
    )


def phrases(r: ResultatMalcom, nom: str, ident: str) -> dict[str, list[str]]:
    """Les phrases de lecture de « 3 Ressources » pour le praticien ``nom`` et l'activité
    ``ident`` : panneau → phrases."""
    p = next(x for x in r.praticiens if x.nom == nom)
    a = r.activite(ident)
    lib = a.activite.libelle
    ZT = r.total_redresse
    z_pa, z_p, z_a = p.heures_redressees[ident], p.total_redresse, a.heures_redressees
    praticien, activite = [], []
    if ZT:
        praticien.append(
            f"{nom} représente {pourcent_fr(z_p / ZT)} du temps du service, "
            f"décomposé en {pourcent_fr(z_pa / ZT)} "
            f"pour {lib} et {pourcent_fr((z_p - z_pa) / ZT)} pour ses autres activités."
        )
    if z_p:
        heures = {d: h.get(ident, 0.0) for d, h in p.heures_par_demi_journee.items()}
        majorite = f", majoritairement {liste_majoritaire(heures)}" if z_pa > 0 else ""
        praticien.append(f"{nom} consacre {pourcent_fr(z_pa / z_p)} de son temps à {lib}{majorite}.")
    if a.potentiel is not None:
        praticien.append(
            f"{nom} peut potentiellement réaliser {nombre_fr(p.potentiels[ident] or 0.0)} "
            f"{a.activite.marqueur or ''} par an."
        )
    if ZT:
        activite.append(
            f"{lib} représente {pourcent_fr(z_a / ZT)} du temps du service, "
            f"décomposé en {pourcent_fr(z_pa / ZT)} "
            f"pour {nom} et {pourcent_fr((z_a - z_pa) / ZT)} pour les autres praticiens."
        )
    service = {
        d.code: sum(x.heures_par_demi_journee.get(d.code, {}).get(ident, 0.0) for x in r.praticiens)
        for d in m.DEMI_JOURNEES
    }
    if sum(service.values()):
        activite.append(f"Le temps de {lib} est majoritairement {liste_majoritaire(service)}.")
    k = p.creneaux_de_garde()
    pds = (
        [
            f"En moyenne, {nom} devra assumer {nombre_fr(p.par_an('Ga') / 12 / k, 1)} garde(s) par mois "
            f"sur chacun "
            f"de ses {k} créneaux de garde."
        ]
        if k
        else [f"{nom} n'assure pas de garde."]
    )
    return {"praticien": praticien, "activite": activite, "orientations": orientations(r), "pds": pds}


def orientations(r: ResultatMalcom) -> list[str]:
    """Une phrase par activité qui a un objectif et un potentiel (§3.5)."""
    textes = []
    for a in r.activites:
        e = pourcent_fr(a.ecart_relatif, signe=True) if a.ecart_relatif is not None else ""
        lib = a.activite.libelle
        if a.orientation == "insuffisant":
            textes.append(
                f"Le temps alloué à {lib} semble insuffisant pour réaliser les objectifs "
                f"({nombre_fr(a.potentiel)} "
                f"{a.activite.marqueur or ''} pour un objectif de {nombre_fr(a.activite.objectif)}, {e})."
            )
        elif a.orientation == "adequat":
            textes.append(f"{lib} : potentiel en adéquation avec l'objectif ({e}).")
        elif a.orientation == "marge":
            textes.append(
                f"{lib} dispose d'une marge notable ({e}) : du temps pourrait être réalloué "
                "à d'autres activités."
            )
    return textes
