"""Inspecter un classeur avant qu'un lecteur ne l'ouvre : reconnaître son contenant (archive zip
d'un .xlsx, .xlsm ou .ods ; conteneur OLE d'un .xls ou d'un classeur chiffré), refuser ce qui
ne peut pas être un classeur, et borner ce que sa lecture peut coûter.

Les lecteurs (calamine, zipfile) décompressent sans limite, et calamine ne tient pas compte de
la taille que l'archive déclare : une « bombe de décompression » de quelques mégaoctets les
mènerait à des gigaoctets. Avant qu'une partie ne soit lue, on vérifie donc le répertoire de
l'archive (nombre de parties, taille totale, taux de compression de chaque partie), puis on
décompresse soi-même la partie, sans rien garder, en s'arrêtant dès qu'elle dépasse ce qu'elle
déclare. Les limites sont calibrées sur de vraies grilles :

- une grille d'un million de lignes se décompresse en 220 à 300 Mo, à 8-9:1 ; enregistrée par
  LibreOffice, une grille de 1 500 lignes en fait 9 Mo à 20:1 (ses lignes vides mises en
  forme) ; le plus fort taux relevé dans le corpus de classeurs Excel est de 56:1 ;
- un classeur de 200 feuilles compte environ 600 parties.

Le XML que coaching-xl analyse lui-même passe par defusedxml : une déclaration d'entités (DTD),
qu'aucun tableur n'écrit, est refusée.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree

from coaching_xl.erreurs import GrilleIllisible


@dataclass(frozen=True)
class Limites:
    """Ce qu'un classeur peut coûter à lire."""

    parties: int = 10_000
    decompresse: int = 1 << 30
    """Taille décompressée totale (1 Gio : trois fois une grille complète)."""
    taux: float = 200.0
    """Taux de compression d'une partie (au-delà de ``seuil_taux``)."""
    seuil_taux: int = 1 << 20
    partie_lue: int = 64 << 20
    """Une partie que coaching-xl analyse lui-même (index, styles, relations)."""
    ole: int = 256 << 20
    """Taille d'un classeur .xls (non compressé)."""


LIMITES = Limites()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
CHIFFRE = "EncryptedPackage".encode("utf-16-le")
"""Le flux qu'Excel écrit dans le conteneur OLE d'un classeur chiffré par mot de passe."""
ARCHIVES = (".xlsx", ".xlsm", ".ods")
_ENTETE_LOCAL = struct.Struct("<IHHHHHIIIHH")
_BLOC = 1 << 20
_ENTREE_INFLATE, _SORTIE_INFLATE = 1 << 16, 1 << 17
"""Petits morceaux : ce qui est décompressé reste dans le cache du processeur, et le reste
d'entrée que zlib recopie à chaque appel reste court (20 ms au lieu de 28 pour 20 Mo)."""


def _mo(octets: float) -> str:
    return f"{octets / (1 << 20):,.0f}".replace(",", "\u202f")


@dataclass
class Paquet:
    """Un classeur inspecté : son contenant et, pour une archive, ses parties, vérifiées avant
    d'être lues (``verifier``) ou lues ici avec une limite (``lire``)."""

    chemin: Path
    contenant: str
    """« zip » ou « ole »."""
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    limites: Limites = LIMITES
    _verifiees: set[str] = field(default_factory=set)
    _parties: dict[str, str] | None = None

    def verifier(self, *parties: str) -> None:
        """Décompresse chaque partie (sans la garder) et lève GrilleIllisible si elle dépasse la
        taille que l'archive déclare ; une partie absente est ignorée."""
        if self.contenant != "zip":
            return
        with open(self.chemin, "rb") as fichier:
            for partie in parties:
                info = self.infos.get(partie)
                if info is None or partie in self._verifiees:
                    continue
                _verifier_partie(fichier, info, self.chemin)
                self._verifiees.add(partie)

    def lire(self, partie: str) -> bytes | None:
        """Le contenu d'une partie que coaching-xl analyse lui-même, vérifié et borné ; None si
        elle manque."""
        info = self.infos.get(partie)
        if info is None:
            return None
        if info.file_size > self.limites.partie_lue:
            raise GrilleIllisible(
                f"{self.chemin} : la partie {partie} fait {_mo(info.file_size)} Mo décompressée, bien plus "
                "qu'un classeur n'en écrit ; coaching-xl ne l'ouvre pas."
            )
        self.verifier(partie)
        try:
            with zipfile.ZipFile(self.chemin) as archive:
                return archive.read(partie)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
            raise GrilleIllisible(abime(self.chemin, e)) from None

    def xml(self, partie: str) -> Element | None:
        """Une partie XML analysée par defusedxml ; None si elle manque."""
        contenu = self.lire(partie)
        return None if contenu is None else analyser_xml(contenu, self.chemin, partie)

    def parties_de_feuilles(self) -> dict[str, str]:
        """Nom de feuille → partie qui la porte (.xlsx, .xlsm) ; pour un .ods, toutes les
        feuilles sont dans content.xml."""
        if self._parties is None:
            self._parties = self._lire_parties_de_feuilles()
        return self._parties

    def _lire_parties_de_feuilles(self) -> dict[str, str]:
        if "content.xml" in self.infos:
            return {}
        classeur = self.xml("xl/workbook.xml")
        liens = self.xml("xl/_rels/workbook.xml.rels")
        if classeur is None or liens is None:
            return {}
        cibles = {e.get("Id"): e.get("Target", "") for e in liens.iter() if e.tag.endswith("}Relationship")}
        parties = {}
        for element in classeur.iter():
            if element.tag.endswith("}sheet"):
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                cible = cibles.get(rid, "")
                parties[element.get("name", "")] = (
                    cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
                )
        return parties

    def verifier_feuille(self, nom: str) -> None:
        """Vérifie la partie de la feuille ``nom`` avant que le lecteur ne la charge."""
        if self.contenant != "zip":
            return
        partie = self.parties_de_feuilles().get(nom) or "content.xml"
        if partie not in self.infos:
            raise GrilleIllisible(abime(self.chemin, f"la feuille {nom} ({partie}) manque dans l'archive"))
        self.verifier(partie)


def inspecter(chemin: Path, limites: Limites = LIMITES) -> Paquet:
    """Reconnaît le contenant de ``chemin`` et vérifie, sans rien décompresser d'autre que les
    petites parties que tout lecteur lit d'abord, qu'il peut être ouvert.

    Lève GrilleIllisible, avec un message qui nomme le fichier et dit quoi faire, pour un
    fichier vide, ni zip ni OLE, tronqué, chiffré, d'un format qui ne correspond pas à son
    extension, ou dépassant les limites."""
    chemin = Path(chemin)
    with open(chemin, "rb") as fichier:
        debut = fichier.read(8)
    suffixe = chemin.suffix.lower()
    if not debut:
        raise GrilleIllisible(
            f"{chemin} est vide (0 octet) : le fichier a été mal copié ou mal téléchargé ; "
            "récupérez-en une copie complète."
        )
    if debut.startswith(OLE):
        return _inspecter_ole(chemin, suffixe, limites)
    if debut.startswith(ZIP):
        return _inspecter_zip(chemin, suffixe, limites)
    if debut.lstrip()[:1] == b"<":
        raise GrilleIllisible(
            f"{chemin} est une page web ou un fichier texte portant l'extension {suffixe} : ouvrez-le dans "
            "Excel ou LibreOffice et enregistrez-le au format .xlsx."
        )
    raise GrilleIllisible(
        f"{chemin} n'est pas un classeur Excel ou LibreOffice (son contenu ne commence ni comme un "
        ".xlsx ni comme un .xls ou un .ods) : vérifiez que c'est le bon fichier."
    )


def _inspecter_ole(chemin: Path, suffixe: str, limites: Limites) -> Paquet:
    if _contient(chemin, CHIFFRE):
        raise GrilleIllisible(
            f"{chemin} est protégé par un mot de passe (classeur chiffré) : coaching-xl ne peut pas le "
            "lire. Ouvrez-le dans Excel, retirez le mot de passe (Fichier > Informations > Protéger le "
            "classeur > Chiffrer avec mot de passe, champ vide), enregistrez, puis relancez."
        )
    if suffixe != ".xls":
        raise GrilleIllisible(
            f"{chemin} est un classeur Excel 97-2003 (.xls) enregistré avec l'extension {suffixe} : "
            "renommez-le en .xls, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx."
        )
    taille = chemin.stat().st_size
    if taille > limites.ole:
        raise GrilleIllisible(
            f"{chemin} fait {_mo(taille)} Mo (au plus {_mo(limites.ole)} Mo pour un .xls) : enregistrez-le "
            "au format .xlsx, plus compact, puis relancez."
        )
    return Paquet(chemin, "ole", limites=limites)


def _contient(chemin: Path, motif: bytes) -> bool:
    """Vrai si le fichier contient ``motif`` (lu par blocs, sans tout charger)."""
    precedent = b""
    with open(chemin, "rb") as fichier:
        while bloc := fichier.read(_BLOC):
            if motif in precedent + bloc:
                return True
            precedent = bloc[-len(motif) :]
    return False


def _inspecter_zip(chemin: Path, suffixe: str, limites: Limites) -> Paquet:
    try:
        with zipfile.ZipFile(chemin) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise GrilleIllisible(abime(chemin, e)) from None
    if suffixe == ".xls":
        raise GrilleIllisible(
            f"{chemin} est un classeur .xlsx (ou .ods) enregistré avec l'extension .xls : renommez-le avec "
            "son extension d'origine, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx."
        )
    if len(infos) > limites.parties:
        raise GrilleIllisible(
            f"{chemin} contient {len(infos):,} parties (au plus {limites.parties:,} dans un classeur) : ce "
            "n'est pas une grille, ou le fichier a été fabriqué pour saturer le lecteur.".replace(
                ",", "\u202f"
            )
        )
    total = sum(info.file_size for info in infos)
    if total > limites.decompresse:
        raise GrilleIllisible(
            f"{chemin} se décompresse en {_mo(total)} Mo (au plus {_mo(limites.decompresse)} Mo ; une grille "
            "d'un million de lignes en fait environ 300) : coaching-xl ne l'ouvre pas."
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise GrilleIllisible(
                f"{chemin} est une archive chiffrée : coaching-xl ne peut pas la lire. Enregistrez le "
                "classeur sans mot de passe, puis relancez."
            )
        taux = info.file_size / max(info.compress_size, 1)
        if info.file_size > limites.seuil_taux and taux > limites.taux:
            raise GrilleIllisible(
                f"{chemin} : la partie {info.filename} se décompresse à {taux:,.0f} pour 1 (un classeur "
                f"dépasse rarement 60 pour 1) : c'est la signature d'une « bombe de décompression » ; "
                "coaching-xl ne l'ouvre pas.".replace(",", "\u202f")
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise GrilleIllisible(
                f"{chemin} : la partie {info.filename} utilise une compression que les tableurs n'écrivent "
                "pas : ouvrez le classeur dans Excel ou LibreOffice et réenregistrez-le."
            )
    _verifier_entetes(chemin, infos)
    paquet = Paquet(chemin, "zip", {info.filename: info for info in infos}, limites)
    # Ce que tout lecteur lit à l'ouverture d'un classeur, avant la moindre feuille.
    paquet.verifier(
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/sharedStrings.xml", "xl/styles.xml", "mimetype", "META-INF/manifest.xml", "styles.xml",
    )  # fmt: skip
    return paquet


def _verifier_entetes(chemin: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Chaque partie commence bien où le répertoire le dit, sous son nom (30 octets lus par
    partie) : une partie abîmée est signalée avant toute lecture, et non au moment d'écrire."""
    with open(chemin, "rb") as fichier:
        for info in infos:
            fichier.seek(info.header_offset)
            entete = fichier.read(_ENTETE_LOCAL.size)
            if len(entete) < _ENTETE_LOCAL.size or entete[:4] != b"PK\x03\x04":
                raise GrilleIllisible(abime(chemin, f"partie {info.filename} introuvable"))
            longueur_nom = _ENTETE_LOCAL.unpack(entete)[-2]
            nom = fichier.read(longueur_nom)
            if nom not in (info.filename.encode("utf-8"), info.filename.encode("cp437", "replace")):
                raise GrilleIllisible(abime(chemin, f"partie {info.filename} : en-tête local incohérent"))


def _verifier_partie(fichier, info: zipfile.ZipInfo, chemin: Path) -> None:
    """Décompresse la partie par blocs jusqu'à la taille déclarée + 1 octet, sans rien garder
    que son début et sa fin : une partie XML ne doit ni déclarer de DTD ni être coupée."""
    fichier.seek(info.header_offset)
    entete = fichier.read(_ENTETE_LOCAL.size)
    if len(entete) < _ENTETE_LOCAL.size or entete[:4] != b"PK\x03\x04":
        raise GrilleIllisible(abime(chemin, f"partie {info.filename} introuvable"))
    longueur_nom, longueur_extra = _ENTETE_LOCAL.unpack(entete)[-2:]
    fichier.seek(info.header_offset + _ENTETE_LOCAL.size + longueur_nom + longueur_extra)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise GrilleIllisible(_menteur(chemin, info.filename))
        depart = fichier.tell()
        debut = fin = fichier.read(min(info.file_size, _PROLOGUE))
        if info.file_size > _PROLOGUE:
            fichier.seek(depart + info.file_size - _FIN)
            fin = fichier.read(_FIN)
        _verifier_xml(debut, fin, chemin, info)
        return
    inflate = zlib.decompressobj(-15)
    reste, produit, debut, fin = info.compress_size, 0, b"", b""
    try:
        while reste > 0:
            bloc = fichier.read(min(reste, _ENTREE_INFLATE))
            if not bloc:
                raise GrilleIllisible(abime(chemin, f"partie {info.filename} tronquée"))
            reste -= len(bloc)
            donnees = bloc
            while donnees and produit <= info.file_size:
                sortie = inflate.decompress(donnees, min(_SORTIE_INFLATE, info.file_size + 1 - produit))
                if produit < _PROLOGUE:
                    debut += sortie[: _PROLOGUE - produit]
                fin = sortie[-_FIN:] if len(sortie) >= _FIN else (fin + sortie)[-_FIN:]
                produit += len(sortie)
                donnees = inflate.unconsumed_tail
            if produit > info.file_size:
                raise GrilleIllisible(_menteur(chemin, info.filename))
        sortie = inflate.flush(info.file_size + 1 - produit)
        produit += len(sortie)
        fin = (fin + sortie)[-_FIN:]
    except zlib.error as e:
        raise GrilleIllisible(abime(chemin, e)) from None
    if produit != info.file_size:
        raise GrilleIllisible(_menteur(chemin, info.filename))
    _verifier_xml(debut, fin, chemin, info)


_PROLOGUE = 4096
"""Les premiers octets d'une partie, où une DTD devrait se trouver (avant l'élément racine)."""
_FIN = 256
_DTD = tuple(m.encode(e) for m in ("<!DOCTYPE", "<!ENTITY") for e in ("ascii", "utf-16-le", "utf-16-be"))
_RACINE = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _verifier_xml(debut: bytes, fin: bytes, chemin: Path, info: zipfile.ZipInfo) -> None:
    """Refuse une partie XML qui déclare une DTD (même celles que calamine analyse, et non
    defusedxml : feuilles, chaînes partagées ; dans le texte d'une cellule, « < » est toujours
    écrit « &lt; », « <!DOCTYPE » n'y peut être que du balisage), ou qui ne se termine pas par
    la fermeture de son élément racine : coupée, elle perdrait des lignes en silence."""
    if any(motif in debut for motif in _DTD):
        raise GrilleIllisible(_entites(chemin, info.filename))
    if not info.filename.endswith((".xml", ".rels")) or debut.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    racine = _RACINE.search(debut)
    if racine is None:
        return
    ferme = fin.rstrip().endswith(b"</" + racine[1] + b">")
    if not (ferme or re.fullmatch(rb"[^>]*/>\s*", debut[racine.end() :])):
        raise GrilleIllisible(abime(chemin, f"{info.filename} : XML incomplet"))


def analyser_xml(contenu: bytes, chemin: Path, partie: str) -> Element:
    """Une partie XML analysée par defusedxml : une DTD ou des entités déclarées (« billion
    laughs »), que nul tableur n'écrit, sont refusées ; un XML mal formé aussi."""
    try:
        return ElementTree.fromstring(contenu)
    except DefusedXmlException:
        raise GrilleIllisible(_entites(chemin, partie)) from None
    except ElementTree.ParseError as e:
        raise GrilleIllisible(abime(chemin, f"{partie} : XML mal formé ({e})")) from None


def _entites(chemin: Path, partie: str) -> str:
    return (
        f"{chemin} : la partie {partie} déclare des entités XML (DTD), ce qu'aucun tableur n'écrit : le "
        "fichier a pu être fabriqué pour nuire ; coaching-xl ne l'ouvre pas. Si vous êtes sûr de sa "
        "provenance, ouvrez-le dans Excel et réenregistrez-le."
    )


def abime(chemin: Path, cause: object) -> str:
    """Le message d'un classeur abîmé : la cause, et quoi faire."""
    texte = " ".join(str(cause).split())[:160]
    return (
        f"{chemin} est abîmé ou incomplet ({texte}) : récupérez-en une copie complète (un envoi par "
        "courriel ou un téléchargement interrompu tronque les fichiers), ou ouvrez-le dans Excel ou "
        "LibreOffice, qui savent parfois le réparer, et réenregistrez-le."
    )


def _menteur(chemin: Path, partie: str) -> str:
    return (
        f"{chemin} : la partie {partie} contient plus ou moins de données que l'archive ne le déclare : "
        "fichier abîmé ou fabriqué pour nuire ; coaching-xl ne l'ouvre pas."
    )
