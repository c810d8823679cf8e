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

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree

from moteur.parties import (
    CELLULE_MAX,
    FIN,
    Cellules,
    CellulesOds,
    CelluleSpeciale,
    DTDTrouvee,
    Prologue,
    partie_complete,
)
from socle.erreurs import GrilleIllisible
from socle.fichiers import message_lecture
from socle.francais import entier


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
    fichier: int = (1 << 30) + (64 << 20)
    """Taille du fichier lui-même : au-delà, ses parties dépasseraient ``decompresse``."""


LIMITES = Limites()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
CHIFFRE = "EncryptedPackage".encode("utf-16-le")
"""Le flux qu'Excel écrit dans le conteneur OLE d'un classeur chiffré par mot de passe."""
_ENTETE_LOCAL = struct.Struct("<IHHHHHIIIHH")
_ENTREE_INFLATE, _SORTIE_INFLATE = 1 << 16, 1 << 17
"""Petits morceaux : ce qui est décompressé reste dans le cache du processeur, et le reste
d'entrée que zlib recopie à chaque appel reste court (20 ms au lieu de 28 pour 20 Mo)."""
ANNEXES_MAC = ("__MACOSX/",)
"""Les fichiers qu'ajoute l'archiveur de macOS (« Compresser ») : ni lus ni vérifiés comme du
XML, recopiés tels quels."""


def _mo(octets: float) -> str:
    return entier(round(octets / (1 << 20)))


def _annexe_mac(nom: str) -> bool:
    return nom.startswith(ANNEXES_MAC) or nom.rsplit("/", 1)[-1].startswith("._")


@dataclass
class Paquet:
    """Un classeur inspecté : une seule lecture du fichier (``octets``), dont tout le reste
    découle — un autre programme qui le remplace entre-temps ne mêle pas deux versions. Pour une
    archive, ses parties sont vérifiées avant d'être lues (``verifier``) ou lues ici avec une
    limite (``lire``)."""

    chemin: Path
    contenant: str
    """« zip » ou « ole »."""
    octets: bytes
    empreinte: tuple[int, int, int]
    """(inode, taille, date de modification en ns) du fichier au moment de sa lecture."""
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    limites: Limites = LIMITES
    _verifiees: set[str] = field(default_factory=set)
    _parties: dict[str, str] | None = None
    _archive: zipfile.ZipFile | None = None
    speciales: dict[str, Cellules | CellulesOds] = field(default_factory=dict)
    """Partie de feuille → ses cellules spéciales (erreurs, formules sans valeur), relevées
    pendant sa vérification (``verifier_feuille``)."""

    def flux(self) -> io.BytesIO:
        """Le contenu du fichier tel qu'il a été lu, à relire à volonté."""
        return io.BytesIO(self.octets)

    def archive(self) -> zipfile.ZipFile:
        if self._archive is None:
            self._archive = zipfile.ZipFile(self.flux())
        return self._archive

    def inchange(self) -> bool:
        """Vrai si le fichier sur le disque est encore celui qui a été lu."""
        try:
            return _empreinte(os.stat(self.chemin)) == self.empreinte
        except OSError:
            return False

    def verifier(self, *parties: str, cellules: bool | str = False) -> None:
        """Décompresse chaque partie (sans la garder) et lève GrilleIllisible si elle dépasse la
        taille que l'archive déclare, déclare une DTD ou est coupée ; une partie absente est
        ignorée. Avec ``cellules``, relève aussi les cellules spéciales d'une feuille (pour un
        .ods : le nom de la feuille dans content.xml)."""
        if self.contenant != "zip":
            return
        flux = self.flux()
        for partie in parties:
            info = self.infos.get(partie)
            deja = partie in self._verifiees and (
                not cellules or _cle_speciales(partie, cellules) in self.speciales
            )
            if info is None or deja:
                continue
            examen = _verifier_partie(flux, info, self.chemin, cellules)
            if examen is not None:
                self.speciales[_cle_speciales(partie, cellules)] = examen
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
            return self.archive().read(partie)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
            raise GrilleIllisible(abime(self.chemin, e)) from None

    def xml(self, partie: str) -> Element | None:
        """Une partie XML analysée par defusedxml ; None si elle manque."""
        contenu = self.lire(partie)
        return None if contenu is None else analyser_xml(contenu, self.chemin, partie)

    def parties_de_feuilles(self) -> dict[str, str]:
        """Nom de feuille → partie qui la porte (.xlsx, .xlsm) ; pour un .ods, toutes les
        feuilles sont dans content.xml. Lève GrilleIllisible si deux feuilles portent le même nom
        (ce qu'aucun tableur n'écrit : le lecteur en lirait une, les contrôles une autre)."""
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
        parties: dict[str, str] = {}
        vus: dict[str, str] = {}
        for element in classeur.iter():
            if element.tag.endswith("}sheet"):
                nom = element.get("name", "")
                if nom.casefold() in vus:
                    raise GrilleIllisible(
                        f"{self.chemin} : deux feuilles s'appellent « {nom} » (« {vus[nom.casefold()]} » et "
                        f"« {nom} »), ce qu'aucun tableur n'écrit : le fichier a été fabriqué ou abîmé. "
                        "Ouvrez-le dans Excel ou LibreOffice, renommez l'une des deux, et réenregistrez-le."
                    )
                vus[nom.casefold()] = nom
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                cible = cibles.get(rid, "")
                parties[nom] = cible.lstrip("/") if cible.startswith("/") else f"xl/{cible}"
        return parties

    def partie_de_feuille(self, nom: str) -> str:
        """La partie qui porte la feuille ``nom`` (content.xml pour un .ods)."""
        return self.parties_de_feuilles().get(nom) or "content.xml"

    def verifier_feuille(self, nom: str) -> None:
        """Vérifie la partie de la feuille ``nom`` avant que le lecteur ne la charge, et relève
        ses cellules spéciales (voir ``moteur.parties.Cellules``)."""
        if self.contenant != "zip":
            return
        partie = self.partie_de_feuille(nom)
        if partie not in self.infos:
            raise GrilleIllisible(abime(self.chemin, f"la feuille {nom} ({partie}) manque dans l'archive"))
        self.verifier(partie, cellules=nom if partie == "content.xml" else True)

    def cellules_speciales(self, nom: str) -> tuple[list[CelluleSpeciale], bool]:
        """Les cellules spéciales de la feuille ``nom`` (vérifiée d'abord), et vrai si certaines
        n'ont pas pu être situées."""
        self.verifier_feuille(nom)
        partie = self.partie_de_feuille(nom)
        examen = self.speciales.get(_cle_speciales(partie, nom if partie == "content.xml" else True))
        return ([], False) if examen is None else (examen.trouvees, examen.incertain)

    def erreurs_possibles_xls(self) -> bool:
        """Vrai si un .xls contient peut-être des cellules en erreur (voir ``_ERREURS_XLS``)."""
        return self.contenant == "ole" and _ERREURS_XLS.search(self.octets) is not None

    def tableaux(self, nom: str) -> list[tuple[str, int]]:
        """(plage, nombre de lignes de total) de chaque tableau Excel de la feuille ``nom``."""
        if self.contenant != "zip":
            return []
        partie = self.partie_de_feuille(nom)
        dossier, fichier = partie.rsplit("/", 1) if "/" in partie else ("", partie)
        liens = self.xml(f"{dossier}/_rels/{fichier}.rels")
        if liens is None:
            return []
        tableaux = []
        for lien in liens.iter():
            if lien.tag.endswith("}Relationship") and (lien.get("Type") or "").endswith("/table"):
                cible = lien.get("Target") or ""
                chemin = cible.lstrip("/") if cible.startswith("/") else _normaliser(f"{dossier}/{cible}")
                table = self.xml(chemin)
                if table is not None and table.get("ref"):
                    total = table.get("totalsRowCount") or "0"
                    tableaux.append((table.get("ref"), int(total) if total.isdigit() else 0))
        return tableaux

    def valeurs_enregistrees(self, nom: str, lettre: str, lignes: set[int]) -> dict[int, str]:
        """Numéro de ligne → contenu de l'élément ``<v>`` de la cellule de colonne ``lettre``, pour
        les ``lignes`` qui en ont une, lu dans le XML de la feuille ``nom`` (décompressée une fois
        de plus : ce n'est fait que pour les rares cellules que le lecteur rend vides)."""
        if self.contenant != "zip" or not lignes:
            return {}
        partie = self.partie_de_feuille(nom)
        info = self.infos.get(partie)
        if info is None or partie == "content.xml":
            return {}
        cellule = re.compile(
            rb"<(?:\w+:)?c\s+r=[\"']" + lettre.encode() + rb"(\d+)[\"'][^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)", re.S
        )
        trouvees: dict[int, str] = {}
        tampon, fini = b"", False
        with self.archive().open(info) as flux:
            while not fini:
                morceau = flux.read(_SORTIE_INFLATE)
                fini = not morceau
                tampon += morceau
                fin = len(tampon) if fini else _debut_derniere_cellule(tampon)
                for m in cellule.finditer(tampon, 0, fin):
                    numero = int(m[1])
                    if numero in lignes and m[2] and (valeur := _VALEUR.search(m[2])) and valeur[1].strip():
                        trouvees[numero] = valeur[1].decode("utf-8", "replace").strip()
                tampon = tampon[fin:]
                if len(tampon) > CELLULE_MAX:  # pas une cellule
                    tampon = b""
        return trouvees


def _debut_derniere_cellule(tampon: bytes) -> int:
    """Le début du dernier élément de cellule (« <c » ou « <x:c ») du tampon, peut-être coupé."""
    prefixee = tampon.rfind(b":c ")
    prefixee = tampon.rfind(b"<", 0, prefixee) if prefixee >= 0 else -1
    return max(0, tampon.rfind(b"<c "), prefixee)


_VALEUR = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")


_ERREURS_XLS = re.compile(
    rb"\x06\x00..(?s:.{6})\x02(?s:.{5})\xff\xff|\x05\x02\x08\x00(?s:.{7})\x01", re.DOTALL
)
"""Les enregistrements BIFF d'une cellule en erreur dans un .xls : FORMULA dont le résultat est
une erreur (octet 0 = 2, octets 6-7 = FFFF), ou BOOLERR avec fError = 1. Une recherche grossière
(sur le fichier entier) : un faux positif ne coûte qu'une lecture de plus."""


def _normaliser(chemin: str) -> str:
    import posixpath

    return posixpath.normpath(chemin)


def _cle_speciales(partie: str, cellules: bool | str) -> str:
    """La clé des cellules spéciales relevées : la partie (.xlsx), ou content.xml et le nom de la
    feuille (.ods, dont toutes les feuilles sont dans la même partie)."""
    return f"{partie}:{cellules}" if isinstance(cellules, str) else partie


def _empreinte(etat: os.stat_result) -> tuple[int, int, int]:
    return etat.st_ino, etat.st_size, etat.st_mtime_ns


def inspecter(chemin: Path, limites: Limites = LIMITES) -> Paquet:
    """Reconnaît le contenant de ``chemin`` et vérifie, sans rien décompresser d'autre que les
    petites parties que tout lecteur lit d'abord, qu'il peut être ouvert. Le fichier est lu
    une fois, en entier ; tout ce qui suit travaille sur cette lecture.

    Lève GrilleIllisible, avec un message qui nomme le fichier et dit quoi faire, pour un
    fichier vide, qui n'est pas un fichier ordinaire, ni zip ni OLE, tronqué, chiffré, d'un
    format qui ne correspond pas à son extension, ou dépassant les limites."""
    chemin = Path(chemin)
    try:
        etat = os.stat(chemin)
    except OSError as e:
        raise GrilleIllisible(message_lecture(chemin, e)) from None
    if not stat.S_ISREG(etat.st_mode):
        raise GrilleIllisible(
            f"{chemin} n'est pas un fichier ordinaire (c'est un tube, un périphérique ou une socket) : "
            "indiquez le fichier .xlsx de la grille."
        )
    if etat.st_size > limites.fichier:
        raise GrilleIllisible(
            f"{chemin} fait {_mo(etat.st_size)} Mo, bien plus qu'une grille (un million de lignes : environ "
            "40 Mo) : coaching-xl ne l'ouvre pas."
        )
    try:
        with open(chemin, "rb") as fichier:
            etat = os.fstat(fichier.fileno())
            octets = fichier.read()
    except OSError as e:
        raise GrilleIllisible(message_lecture(chemin, e)) from None
    suffixe = chemin.suffix.lower()
    empreinte = _empreinte(etat)
    if not octets:
        raise GrilleIllisible(
            f"{chemin} est vide (0 octet) : le fichier a été mal copié ou mal téléchargé ; "
            "récupérez-en une copie complète."
        )
    if octets.startswith(OLE):
        return _inspecter_ole(chemin, suffixe, limites, octets, empreinte)
    if octets.startswith(ZIP):
        return _inspecter_zip(chemin, suffixe, limites, octets, empreinte)
    if octets[:64].lstrip()[:1] == b"<":
        raise GrilleIllisible(
            f"{chemin} est une page web ou un fichier texte portant l'extension {suffixe} : ouvrez-le dans "
            "Excel ou LibreOffice et enregistrez-le au format .xlsx."
        )
    raise GrilleIllisible(
        f"{chemin} n'est pas un classeur Excel ou LibreOffice (son contenu ne commence ni comme un "
        ".xlsx ni comme un .xls ou un .ods) : vérifiez que c'est le bon fichier."
    )


def _inspecter_ole(chemin: Path, suffixe: str, limites: Limites, octets: bytes, empreinte) -> Paquet:
    if CHIFFRE in octets:
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
    if len(octets) > limites.ole:
        raise GrilleIllisible(
            f"{chemin} fait {_mo(len(octets))} Mo (au plus {_mo(limites.ole)} Mo pour un .xls) : "
            "enregistrez-le au format .xlsx, plus compact, puis relancez."
        )
    return Paquet(chemin, "ole", octets, empreinte, limites=limites)


def _inspecter_zip(chemin: Path, suffixe: str, limites: Limites, octets: bytes, empreinte) -> Paquet:
    try:
        with zipfile.ZipFile(io.BytesIO(octets)) as archive:
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
                f"{chemin} : la partie {info.filename} se décompresse à {entier(round(taux))} pour 1 (un "
                "classeur dépasse rarement 60 pour 1) : c'est la signature d'une « bombe de "
                "décompression » ; coaching-xl ne l'ouvre pas."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise GrilleIllisible(
                f"{chemin} : la partie {info.filename} utilise une compression que les tableurs n'écrivent "
                "pas : ouvrez le classeur dans Excel ou LibreOffice et réenregistrez-le."
            )
    _verifier_entetes(chemin, octets, infos)
    paquet = Paquet(chemin, "zip", octets, empreinte, {info.filename: info for info in infos}, limites)
    # Ce que tout lecteur lit à l'ouverture d'un classeur, avant la moindre feuille.
    paquet.verifier(
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/sharedStrings.xml", "xl/styles.xml", "mimetype", "META-INF/manifest.xml", "styles.xml",
    )  # fmt: skip
    return paquet


def _verifier_entetes(chemin: Path, octets: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Chaque partie commence bien où le répertoire le dit, sous son nom (30 octets lus par
    partie) : une partie abîmée est signalée avant toute lecture, et non au moment d'écrire."""
    for info in infos:
        entete = octets[info.header_offset : info.header_offset + _ENTETE_LOCAL.size]
        if len(entete) < _ENTETE_LOCAL.size or entete[:4] != b"PK\x03\x04":
            raise GrilleIllisible(abime(chemin, f"partie {info.filename} introuvable"))
        longueur_nom = _ENTETE_LOCAL.unpack(entete)[-2]
        debut = info.header_offset + _ENTETE_LOCAL.size
        nom = octets[debut : debut + longueur_nom]
        if nom not in (info.filename.encode("utf-8"), info.filename.encode("cp437", "replace")):
            raise GrilleIllisible(abime(chemin, f"partie {info.filename} : en-tête local incohérent"))


def _est_xml(nom: str) -> bool:
    return nom.endswith((".xml", ".rels")) and not _annexe_mac(nom)


def _verifier_partie(
    flux: io.BytesIO, info: zipfile.ZipInfo, chemin: Path, cellules: bool | str
) -> Cellules | CellulesOds | None:
    """Décompresse la partie par blocs jusqu'à la taille déclarée + 1 octet, sans rien garder
    que son début et sa fin : une partie XML ne doit ni déclarer de DTD ni être coupée. Avec
    ``cellules``, relève ses cellules spéciales (une feuille) et les rend."""
    flux.seek(info.header_offset)
    entete = flux.read(_ENTETE_LOCAL.size)
    if len(entete) < _ENTETE_LOCAL.size or entete[:4] != b"PK\x03\x04":
        raise GrilleIllisible(abime(chemin, f"partie {info.filename} introuvable"))
    longueur_nom, longueur_extra = _ENTETE_LOCAL.unpack(entete)[-2:]
    flux.seek(info.header_offset + _ENTETE_LOCAL.size + longueur_nom + longueur_extra)
    examen = _Examen(chemin, info.filename, _est_xml(info.filename), cellules)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise GrilleIllisible(_menteur(chemin, info.filename))
        reste = info.file_size
        while reste > 0:
            bloc = flux.read(min(reste, _SORTIE_INFLATE))
            if not bloc:
                raise GrilleIllisible(abime(chemin, f"partie {info.filename} tronquée"))
            examen.nourrir(bloc)
            reste -= len(bloc)
        return examen.terminer()
    inflate = zlib.decompressobj(-15)
    reste, produit = info.compress_size, 0
    try:
        while reste > 0:
            bloc = flux.read(min(reste, _ENTREE_INFLATE))
            if not bloc:
                raise GrilleIllisible(abime(chemin, f"partie {info.filename} tronquée"))
            reste -= len(bloc)
            donnees = bloc
            while donnees and produit <= info.file_size:
                sortie = inflate.decompress(donnees, min(_SORTIE_INFLATE, info.file_size + 1 - produit))
                examen.nourrir(sortie)
                produit += len(sortie)
                donnees = inflate.unconsumed_tail
            if produit > info.file_size:
                raise GrilleIllisible(_menteur(chemin, info.filename))
        sortie = inflate.flush(info.file_size + 1 - produit)
        examen.nourrir(sortie)
        produit += len(sortie)
    except zlib.error as e:
        raise GrilleIllisible(abime(chemin, e)) from None
    if produit != info.file_size:
        raise GrilleIllisible(_menteur(chemin, info.filename))
    return examen.terminer()


class _Examen:
    """Ce qu'on regarde d'une partie pendant sa décompression : le prologue (pas de DTD), la
    fin (pas coupée), et, pour une feuille, ses cellules spéciales."""

    def __init__(self, chemin: Path, partie: str, xml: bool, cellules: bool | str) -> None:
        self.chemin, self.partie, self.xml = chemin, partie, xml
        self.prologue = Prologue() if xml else None
        self.fin = b""
        self.cellules_demandees = cellules
        self.cellules: Cellules | CellulesOds | None = None

    def nourrir(self, morceau: bytes) -> None:
        if self.prologue is None or not morceau:
            return
        if not self.prologue.fini:
            try:
                self.prologue.nourrir(morceau)
            except DTDTrouvee:
                raise GrilleIllisible(_entites(self.chemin, self.partie)) from None
            if self.prologue.fini and self.cellules_demandees:
                racine = self.prologue.racine or b""
                prefixe = racine.split(b":")[0] + b":" if b":" in racine else b""
                self.cellules = (
                    CellulesOds(self.cellules_demandees)
                    if isinstance(self.cellules_demandees, str)
                    else Cellules(prefixe)
                )
                # le morceau qui a fini le prologue contient déjà des cellules
                self.cellules.nourrir(morceau)
        elif self.cellules is not None:
            self.cellules.nourrir(morceau)
        self.fin = morceau[-FIN:] if len(morceau) >= FIN else (self.fin + morceau)[-FIN:]

    def terminer(self) -> Cellules | CellulesOds | None:
        if self.prologue is not None and not partie_complete(self.prologue, self.prologue.en_utf8(self.fin)):
            raise GrilleIllisible(abime(self.chemin, f"{self.partie} : XML incomplet"))
        return self.cellules


def analyser_xml(contenu: bytes, chemin: Path, partie: str) -> Element:
    """Une partie XML analysée par defusedxml : une DTD ou des entités déclarées (« billion
    laughs »), que nul tableur n'écrit, sont refusées ; un XML mal formé aussi."""
    try:
        return ElementTree.fromstring(contenu)
    except DefusedXmlException:
        raise GrilleIllisible(_entites(chemin, partie)) from None
    except ElementTree.ParseError as e:
        ligne, colonne = e.position
        raison = f"{partie} : XML mal formé (ligne {ligne}, colonne {colonne})"
        raise GrilleIllisible(abime(chemin, raison)) from None


def _entites(chemin: Path, partie: str) -> str:
    return (
        f"{chemin} : la partie {partie} déclare des entités XML (DTD), ce qu'aucun tableur n'écrit : le "
        "fichier a pu être fabriqué pour nuire ; coaching-xl ne l'ouvre pas. Si vous êtes sûr de sa "
        "provenance, ouvrez-le dans Excel et réenregistrez-le."
    )


def cause(e: object) -> str:
    """Une cause d'erreur en français : un texte est gardé tel quel ; une exception des
    bibliothèques (en anglais) devient ce qu'elle signifie pour l'utilisateur."""
    if isinstance(e, str):
        return e
    message = str(e).lower()
    if isinstance(e, zlib.error):
        return "données compressées illisibles"
    if isinstance(e, zipfile.BadZipFile):
        if "crc" in message:
            return "somme de contrôle d'une partie fausse"
        if "not a zip file" in message:
            return "répertoire de l'archive introuvable : fichier coupé avant sa fin"
        if "truncated" in message:
            return "partie tronquée"
        return "en-tête de partie illisible"
    if isinstance(e, EOFError):
        return "fin de fichier inattendue : fichier tronqué"
    if isinstance(e, OSError):
        return f"erreur système {e.errno}" if e.errno else "erreur de lecture"
    return "archive incohérente"


def abime(chemin: Path, raison: object) -> str:
    """Le message d'un classeur abîmé : la cause (en français, voir ``cause``), et quoi faire."""
    texte = " ".join(cause(raison).split())[:160]
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
