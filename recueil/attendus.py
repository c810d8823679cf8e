"""Les établissements que la Cellule Performance attend : le CSV ``etablissement;finess;dt``
(et, facultativement, ``referent_dt``) de l'option ``--attendus``. Une seule définition, lue
par ``generate --attendus`` (une grille pré-remplie par établissement) et par ``consolidate``
(la complétude : qui a envoyé sa grille, qui manque)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from recueil import schema as s
from socle.erreurs import ErreurCoachingXL, ErreurParametre
from socle.fichiers import lire_texte

COLONNES = ("etablissement", "finess", "dt", "referent_dt")
"""Les colonnes du CSV, dans l'ordre ; seule ``etablissement`` est obligatoire."""
SYNONYMES = {"etablissement": ("etablissement", "nom")}
"""Les autres noms admis d'une colonne ; « referent_dt » s'écrit aussi « Référent DT »."""


@dataclass(frozen=True)
class Attendu:
    """Un établissement que la Cellule Performance attend (une ligne du CSV)."""

    etablissement: str
    finess: str | None = None
    dt: str | None = None
    referent_dt: str | None = None
    ligne: int = 0
    """La ligne du CSV (1 : les en-têtes), pour les messages."""

    @property
    def cle(self) -> str:
        return self.finess or s.normaliser(self.etablissement)


def lire_attendus(chemin: Path) -> list[Attendu]:
    """La liste des établissements attendus : un CSV (séparateur ; ou ,) dont les colonnes
    s'appellent « etablissement » (ou « établissement », « nom »), et facultativement
    « finess », « dt » et « referent_dt ». Lève ErreurParametre si le fichier est illisible ou
    sans colonne d'établissement."""
    texte = lire_texte(chemin, "la liste des établissements attendus, un CSV", "utf-8-sig")
    separateur = ";" if texte.count(";") >= texte.count(",") else ","
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=separateur)
    lignes = [(lecteur.line_num, ligne) for ligne in lecteur]
    colonnes = {s.normaliser(c).replace(" ", "_"): c for c in (lecteur.fieldnames or []) if c}

    def colonne(cle: str) -> str | None:
        return next((colonnes[n] for n in SYNONYMES.get(cle, (cle,)) if n in colonnes), None)

    nom = colonne("etablissement")
    if nom is None:
        raise ErreurParametre(
            f"{chemin} : colonne « etablissement » introuvable (colonnes lues : "
            f"{', '.join(colonnes.values()) or 'aucune'}). Première ligne attendue : etablissement;finess;dt"
        )
    autres = {cle: colonne(cle) for cle in COLONNES[1:]}
    attendus = []
    for numero, ligne in lignes:
        if not (ligne.get(nom) or "").strip():
            continue
        champs = {cle: ((ligne.get(c) or "").strip() or None) if c else None for cle, c in autres.items()}
        if champs["finess"]:
            champs["finess"] = champs["finess"].upper()
        attendus.append(Attendu(" ".join(ligne[nom].split()), ligne=numero, **champs))
    return attendus


def verifier_attendus(
    attendus: list[Attendu], chemin: Path, valider: Callable[[Attendu], object] | None = None
) -> None:
    """Vérifie chaque ligne avant d'écrire quoi que ce soit : ``valider`` (qui lève une
    ErreurCoachingXL pour un FINESS invalide…), puis aucun établissement deux fois (même FINESS
    ou même nom). Lève ErreurParametre en citant le fichier et la ligne du CSV."""
    if not attendus:
        raise ErreurParametre(f"{chemin} : aucun établissement (la colonne « etablissement » est vide).")
    problemes = []
    for attendu in attendus:
        try:
            if valider is not None:
                valider(attendu)
        except ErreurCoachingXL as e:
            problemes.append(f"ligne {attendu.ligne} ({attendu.etablissement}) : {e}")
    vus: dict[str, Attendu] = {}
    for attendu in attendus:
        for cle in filter(None, (attendu.finess, s.normaliser(attendu.etablissement))):
            premier = vus.setdefault(cle, attendu)
            if premier is not attendu:
                quoi = f"FINESS {cle}" if cle == attendu.finess else f"« {attendu.etablissement} »"
                problemes.append(f"ligne {attendu.ligne} : {quoi} figure déjà ligne {premier.ligne}.")
                break
    if problemes:
        suite = f"\n  … et {len(problemes) - 10} autres." if len(problemes) > 10 else ""
        raise ErreurParametre(
            f"{chemin} : {len(problemes)} ligne(s) à corriger, rien n'a été écrit :\n  "
            + "\n  ".join(problemes[:10])
            + suite
        )
