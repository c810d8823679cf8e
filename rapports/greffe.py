"""La greffe : ajouter des feuilles (avec leurs dessins et graphiques) au paquet .xlsx/.xlsm d'un
utilisateur sans jamais réécrire ce qu'il contient.

Les feuilles à greffer viennent d'un petit classeur « greffon » (écrit par ``rapports.xlsx``).
Dans le paquet de l'utilisateur, seules changent les parties d'index — ``[Content_Types].xml``,
``xl/workbook.xml``, ``xl/_rels/workbook.xml.rels`` et ``xl/styles.xml`` (styles ajoutés à la
fin, jamais renumérotés). Elles sont modifiées en XML, espaces de noms compris (lxml) : chaque
élément ajouté prend l'espace de noms du document (transitoire ou « strict ») et un préfixe
déclaré là où il est ajouté ; commentaires, extensions, préfixes et ``mc:Ignorable`` restent
ceux du document. Toute autre partie est recopiée telle quelle, octets compressés compris.

Chaque feuille greffée porte un nom défini masqué ``_coachingxl_<rôle>``, propre à la feuille :
à la greffe suivante, la feuille de même rôle est remplacée à sa place (même déplacée ou
renommée) au lieu d'être ajoutée une seconde fois — à condition que son contenu soit bien celui
d'une feuille de résultats (voir ``Index.marquees``) : une marque ne suffit jamais.

Avant que le fichier de l'utilisateur ne soit remplacé, ``verifier`` relit le paquet écrit :
chaque partie écrite s'analyse (espaces de noms compris), relations et types de contenu se
résolvent, les feuilles sont celles d'avant plus les nouvelles, la feuille de données désigne la
même partie qu'avant, identique à l'octet, les styles existants sont intacts, et le lecteur
(calamine) ouvre le classeur et ses nouvelles feuilles.
"""

from __future__ import annotations

import copy
import io
import posixpath
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from moteur.paquet import Paquet, abime, cause, inspecter
from recueil.references import plage
from socle.erreurs import ErreurEcriture, GrilleIllisible
from socle.ouvrages import MARQUE

TYPES = "[Content_Types].xml"
CLASSEUR = "xl/workbook.xml"
LIENS_CLASSEUR = "xl/_rels/workbook.xml.rels"
STYLES = "xl/styles.xml"
INDEX = (TYPES, CLASSEUR, LIENS_CLASSEUR, STYLES)
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_LIENS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_PRINCIPAL = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ),
    "http://purl.oclc.org/ooxml/spreadsheetml/main": "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
"""Espace de noms de SpreadsheetML (transitoire, strict) → celui des relations (r:id) et la
racine des types de relation du même jeu."""
R_TRANSITOIRE = NS_PRINCIPAL["http://schemas.openxmlformats.org/spreadsheetml/2006/main"]
MODELES = {
    "xl/worksheets/": "xl/worksheets/sheet{}.xml",
    "xl/drawings/": "xl/drawings/drawing{}.xml",
    "xl/charts/": "xl/charts/chart{}.xml",
}
"""Dossier d'une partie du greffon → forme de son nom dans le paquet de l'utilisateur."""
DATE_NOUVELLES = (1980, 1, 1, 0, 0, 0)
"""Date des parties ajoutées : fixe, pour que deux greffes identiques donnent le même paquet."""
_BLOC = 1 << 20
_ANALYSEUR = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)

Lecteur = Callable[[str], bytes | None]
Liens = dict[str, tuple[str, str, bool]]
"""Id de relation → (type, partie cible, cible externe)."""


class XmlRefuse(Exception):
    """Une partie ne s'analyse pas (mal formée, ou avec une DTD)."""


def analyser(contenu: bytes) -> etree._ElementTree:
    """Une partie XML analysée par lxml (commentaires, préfixes et déclarations conservés), sans
    DTD ni entités ni accès au réseau ; lève XmlRefuse sinon."""
    try:
        arbre = etree.parse(io.BytesIO(contenu), _ANALYSEUR)
    except etree.XMLSyntaxError as e:
        raise XmlRefuse(f"XML mal formé ({_francais(e)})") from None
    if arbre.docinfo.internalDTD is not None or arbre.docinfo.doctype:
        raise XmlRefuse("déclaration de DTD")
    return arbre


def _francais(e: etree.XMLSyntaxError) -> str:
    ligne, colonne = e.position if e.position else (0, 0)
    return f"ligne {ligne}, colonne {colonne}"


def serialiser(arbre: etree._ElementTree) -> bytes:
    """Le texte d'une partie modifiée : déclaration XML comme à l'origine (standalone compris),
    le reste tel que lxml l'a lu."""
    return etree.tostring(arbre, xml_declaration=True, encoding="UTF-8", standalone=arbre.docinfo.standalone)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _espace(element: etree._Element) -> str | None:
    return etree.QName(element).namespace


def _enfants(parent: etree._Element, nom: str) -> list[etree._Element]:
    return [e for e in parent if _local(e) == nom]


def _enfant(parent: etree._Element, nom: str) -> etree._Element | None:
    return next(iter(_enfants(parent, nom)), None)


@dataclass
class Feuille:
    """Une feuille du classeur, telle que l'index la décrit."""

    nom: str
    position: int
    rid: str
    partie: str


@dataclass
class Index:
    """Les parties d'index d'un paquet, analysées, et ce qu'on en lit."""

    source: str
    arbres: dict[str, etree._ElementTree]
    feuilles: list[Feuille]
    liens: Liens
    candidates: dict[str, list[Feuille]] = field(default_factory=dict)
    """Rôle → feuilles qui portent la marque de ce rôle (une greffe précédente, ou n'importe qui :
    une marque se copie) ; ``marquees`` ne garde que celles dont le contenu le confirme."""
    marquees: dict[str, Feuille] = field(default_factory=dict)
    """Rôle → feuille de résultats d'une greffe précédente, à remplacer."""
    structure_verrouillee: bool = False

    @property
    def principal(self) -> str:
        """L'espace de noms de SpreadsheetML du classeur (transitoire ou strict)."""
        return _espace(self.arbres[CLASSEUR].getroot()) or next(iter(NS_PRINCIPAL))

    def confirmer(self, est_a_nous: Callable[[Feuille], bool], exclues: set[str] = frozenset()) -> None:
        """Retient, pour chaque rôle, la première feuille marquée que ``est_a_nous`` reconnaît
        comme une feuille de résultats et qui n'est pas l'une des ``exclues`` (la feuille de
        données) : une marque posée ailleurs n'est pas suivie."""
        self.marquees = {}
        for role, feuilles in self.candidates.items():
            for feuille in feuilles:
                if feuille.nom.casefold() in {n.casefold() for n in exclues}:
                    continue
                if feuille.partie and est_a_nous(feuille):
                    self.marquees[role] = feuille
                    break


@dataclass
class Greffon:
    """Les feuilles à greffer : le rôle de chaque feuille, les styles qu'elles emploient, et le
    petit classeur xlsx qui les porte, écrit une fois connus les indices de ces styles dans le
    classeur cible."""

    roles: dict[str, str]
    """Nom de feuille dans le greffon → rôle (« indicateurs »…)."""
    styles: bytes
    """Le styles.xml du greffon."""
    paquet: Callable[[dict[int, int]], bytes]
    """Correspondance (style du greffon → style du classeur cible) → le paquet du greffon, ses
    feuilles écrites avec les styles du classeur cible."""


def _cible(depuis: str, cible: str) -> str:
    """La partie visée par une relation déclarée dans la partie ``depuis``."""
    if cible.startswith("/"):
        return cible.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(depuis), cible))


def _liens_de(partie: str) -> str:
    """La partie .rels des relations de ``partie``."""
    dossier, nom = posixpath.split(partie)
    return posixpath.join(dossier, "_rels", nom + ".rels")


def _partie_de(rels: str) -> str:
    """La partie dont ``rels`` décrit les relations (inverse de ``_liens_de``)."""
    dossier, nom = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(dossier), nom.removesuffix(".rels"))


def _relations(arbre: etree._ElementTree) -> list[etree._Element]:
    return [e for e in arbre.getroot() if _local(e) == "Relationship"]


def _lire_liens(arbre: etree._ElementTree, partie: str) -> Liens:
    liens = {}
    for element in _relations(arbre):
        externe = element.get("TargetMode") == "External"
        cible = element.get("Target", "")
        liens[element.get("Id")] = (
            element.get("Type", ""),
            cible if externe else _cible(partie, cible),
            externe,
        )
    return liens


def _lecteur(paquet: zipfile.ZipFile) -> Lecteur:
    """Les parties d'un paquet que nous avons écrit (le greffon)."""

    def lire(nom: str) -> bytes | None:
        return paquet.read(nom) if nom in paquet.NameToInfo else None

    return lire


def _analyser_partie(lire: Lecteur, partie: str, source: str) -> etree._ElementTree | None:
    contenu = lire(partie)
    if contenu is None:
        return None
    try:
        return analyser(contenu)
    except XmlRefuse as e:
        raise GrilleIllisible(abime(source, f"{partie} : {e}")) from None


def lire_index(paquet: Paquet) -> Index:
    """L'index du paquet : feuilles, relations, feuilles marquées. Lève GrilleIllisible si ce
    n'est pas un classeur Office Open XML complet, ou s'il est abîmé ou piégé."""
    return _index(paquet.lire, str(paquet.chemin))


def _index(lire: Lecteur, nom: str) -> Index:
    arbres = {partie: arbre for partie in INDEX if (arbre := _analyser_partie(lire, partie, nom)) is not None}
    manquantes = [p for p in (TYPES, CLASSEUR, LIENS_CLASSEUR) if p not in arbres]
    if manquantes:
        raise GrilleIllisible(
            f"{nom} : classeur incomplet (il manque {', '.join(manquantes)}) : ce n'est pas un classeur "
            "Excel entier. Ouvrez-le dans Excel ou LibreOffice, qui savent souvent le réparer, et "
            "réenregistrez-le au format .xlsx."
        )
    liens = _lire_liens(arbres[LIENS_CLASSEUR], CLASSEUR)
    classeur = arbres[CLASSEUR].getroot()
    feuilles = []
    sheets = _enfant(classeur, "sheets")
    for position, e in enumerate(_enfants(sheets, "sheet") if sheets is not None else []):
        rid = next((v for k, v in e.attrib.items() if etree.QName(k).localname == "id" and "}" in k), "")
        feuilles.append(Feuille(e.get("name", ""), position, rid, liens.get(rid, ("", "", False))[1]))
    index = Index(nom, arbres, feuilles, liens)
    noms = _enfant(classeur, "definedNames")
    for element in _enfants(noms, "definedName") if noms is not None else []:
        marque, position = element.get("name") or "", element.get("localSheetId") or ""
        if marque.startswith(MARQUE) and position.isdigit() and int(position) < len(feuilles):
            index.candidates.setdefault(marque[len(MARQUE) :], []).append(feuilles[int(position)])
    index.structure_verrouillee = any(
        p.get("lockStructure") in ("1", "true") for p in _enfants(classeur, "workbookProtection")
    )
    return index


def noms_des_feuilles(index: Index, souhaites: dict[str, str]) -> dict[str, str]:
    """Rôle → nom final de sa feuille (voir ``choisir_noms``)."""
    marquees = {role: feuille.nom for role, feuille in index.marquees.items()}
    return choisir_noms([f.nom for f in index.feuilles], marquees, souhaites)


def choisir_noms(
    existantes: list[str], marquees: dict[str, str], souhaites: dict[str, str]
) -> dict[str, str]:
    """Rôle → nom final de sa feuille : celui de la feuille de résultats déjà écrite
    (``marquees`` : rôle → nom, même renommée par l'utilisateur), sinon le nom souhaité, ou
    « Nom (2) » s'il est pris par une autre des feuilles ``existantes``."""
    pris = {nom.casefold() for nom in existantes}
    noms = {}
    for role, nom in souhaites.items():
        if role in marquees:
            noms[role] = marquees[role]
            continue
        candidat, rang = nom, 2
        while candidat.casefold() in pris:
            candidat, rang = f"{nom} ({rang})"[:31], rang + 1
        pris.add(candidat.casefold())
        noms[role] = candidat
    return noms


# --- Styles ---------------------------------------------------------------------------------

_CONTENEURS = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}
_ORDRE_STYLES = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
    "colors", "extLst",
)  # fmt: skip
"""L'ordre des éléments de styleSheet (ECMA-376, CT_Stylesheet)."""


def cle_xml(element: etree._Element) -> tuple:
    """Ce qui identifie un élément indépendamment de ses préfixes et de l'ordre de ses attributs :
    deux styles de même clé sont le même style."""
    attributs = tuple(sorted((etree.QName(k).localname, v) for k, v in element.attrib.items()))
    enfants = tuple(cle_xml(e) for e in element if isinstance(e.tag, str))
    return (_local(element), attributs, enfants, (element.text or "").strip())


def _transposer(element: etree._Element, espace: str | None) -> etree._Element:
    """Une copie de ``element`` dont les éléments passent dans l'espace de noms ``espace``."""
    copie = etree.Element(etree.QName(espace, _local(element)) if espace else _local(element))
    for k, v in element.attrib.items():
        copie.set(k, v)
    copie.text = element.text
    for enfant in element:
        if isinstance(enfant.tag, str):
            sous = _transposer(enfant, espace)
            sous.tail = enfant.tail
            copie.append(sous)
    return copie


def _conteneur(racine: etree._Element, nom: str) -> etree._Element:
    """Le conteneur ``nom`` du styleSheet, créé à sa place s'il manque."""
    existant = _enfant(racine, nom)
    if existant is not None:
        return existant
    nouveau = etree.Element(etree.QName(_espace(racine), nom) if _espace(racine) else nom)
    suivants = _ORDRE_STYLES[_ORDRE_STYLES.index(nom) + 1 :]
    place = next((i for i, e in enumerate(racine) if _local(e) in suivants), len(racine))
    racine.insert(place, nouveau)
    return nouveau


def fusionner_styles(cible: etree._ElementTree, greffon: etree._ElementTree) -> dict[int, int]:
    """Complète les styles de ``cible`` (modifiés sur place) de ceux du greffon qui lui manquent
    — ajoutés à la fin, rien n'est renuméroté — et rend la correspondance indice de style de
    cellule du greffon → indice dans la cible. Un style déjà présent à l'identique est
    réutilisé : une seconde greffe n'ajoute plus rien."""
    racine, source = cible.getroot(), greffon.getroot()
    espace = _espace(racine)
    connus: dict[str, dict[tuple, int]] = {}
    """Conteneur → clé de chacun de ses éléments → son indice (calculé une fois)."""

    def ajouter(nom: str, element: etree._Element) -> int:
        conteneur = _conteneur(racine, nom)
        if nom not in connus:
            connus[nom] = {}
            for i, e in enumerate(_enfants(conteneur, _CONTENEURS[nom])):
                connus[nom].setdefault(cle_xml(e), i)
        cle = cle_xml(element)
        if cle in connus[nom]:
            return connus[nom][cle]
        indice = len(_enfants(conteneur, _CONTENEURS[nom]))
        conteneur.append(_transposer(element, espace))
        conteneur.set("count", str(indice + 1))
        connus[nom][cle] = indice
        return indice

    formats_cible = _enfant(racine, "numFmts")
    existants = _enfants(formats_cible, "numFmt") if formats_cible is not None else []
    formats = {e.get("formatCode"): e.get("numFmtId") for e in existants}
    prochain = max([163, *(int(v) for v in formats.values() if (v or "").isdigit())]) + 1
    formats_greffon = {}
    source_formats = _enfant(source, "numFmts")
    for element in _enfants(source_formats, "numFmt") if source_formats is not None else []:
        code = element.get("formatCode")
        if code not in formats:
            nouveau = copy.deepcopy(element)
            nouveau.set("numFmtId", str(prochain))
            ajouter("numFmts", nouveau)
            formats[code] = str(prochain)
            prochain += 1
        formats_greffon[element.get("numFmtId")] = formats[code]
    renvois = {}
    for nom, attribut in (("fonts", "fontId"), ("fills", "fillId"), ("borders", "borderId")):
        conteneur = _enfant(source, nom)
        elements = _enfants(conteneur, _CONTENEURS[nom]) if conteneur is not None else []
        renvois[attribut] = [ajouter(nom, e) for e in elements]
    correspondance = {0: 0}
    xfs = _enfant(source, "cellXfs")
    for i, xf in enumerate(_enfants(xfs, "xf")[1:] if xfs is not None else [], start=1):
        nouveau = copy.deepcopy(xf)
        for attribut, table in renvois.items():
            if nouveau.get(attribut) is not None:
                nouveau.set(attribut, str(table[int(nouveau.get(attribut))]))
        format_ = nouveau.get("numFmtId")
        if format_ is not None:
            nouveau.set("numFmtId", formats_greffon.get(format_, format_))
        nouveau.set("xfId", "0")
        correspondance[i] = ajouter("cellXfs", nouveau)
    return correspondance


# --- Parties ----------------------------------------------------------------------------------


def _fermeture(lire: Lecteur, depart: str, source: str = "greffon") -> tuple[set[str], dict[str, Liens]]:
    """Les parties qu'atteint ``depart`` par ses relations, elle et leurs .rels compris ; et les
    relations de chacune."""
    vues: set[str] = set()
    liens_de: dict[str, Liens] = {}
    a_voir = [depart]
    while a_voir:
        partie = a_voir.pop()
        if partie in vues:
            continue
        vues.add(partie)
        arbre = _analyser_partie(lire, _liens_de(partie), source)
        if arbre is None:
            continue
        vues.add(_liens_de(partie))
        liens_de[partie] = _lire_liens(arbre, partie)
        a_voir += [cible for _, cible, externe in liens_de[partie].values() if not externe]
    return vues, liens_de


def _premier_libre(occupes: set[str], modele: str) -> str:
    """Le premier nom libre de la forme ``modele`` (« xl/charts/chart{}.xml »)."""
    rang = 1
    while modele.format(rang) in occupes:
        rang += 1
    return modele.format(rang)


def _parties_retirees(paquet: Paquet, index: Index, roles: set[str]) -> set[str]:
    """Les parties des feuilles greffées la fois précédente (rôles regreffés), que plus rien
    d'autre n'atteint."""
    source = str(paquet.chemin)
    retirees: set[str] = set()
    for role, feuille in index.marquees.items():
        if role in roles:
            retirees |= _fermeture(paquet.lire, feuille.partie, source)[0]
    for rels in paquet.infos:
        if rels.endswith(".rels") and rels not in retirees and rels != LIENS_CLASSEUR:
            arbre = _analyser_partie(paquet.lire, rels, source)
            for _, cible, externe in (
                _lire_liens(arbre, _partie_de(rels)) if arbre is not None else {}
            ).values():
                if not externe:
                    retirees.discard(cible)
    # Jamais une feuille que l'index du classeur désigne encore sans qu'on la remplace.
    remplacees = {f.partie for role, f in index.marquees.items() if role in roles}
    return retirees - ({f.partie for f in index.feuilles} - remplacees)


def _parties_neuves(neuf: zipfile.ZipFile, occupees: set[str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Les parties du greffon, renommées pour ne rien écraser (feuilles, dessins, graphiques et
    leurs relations) : (nouveau nom → contenu, nom de feuille → sa partie)."""
    lire = _lecteur(neuf)
    renommage: dict[str, str] = {}
    liens_de: dict[str, Liens] = {}
    feuilles = {}
    for feuille in _index(lire, "greffon").feuilles:
        parties, liens = _fermeture(lire, feuille.partie)
        liens_de |= liens
        for partie in sorted(p for p in parties if not p.endswith(".rels")):
            if partie not in renommage:
                modele = next(m for dossier, m in MODELES.items() if partie.startswith(dossier))
                renommage[partie] = _premier_libre(occupees | set(renommage.values()), modele)
        feuilles[feuille.nom] = renommage[feuille.partie]
    nouvelles = {}
    for ancien, nouveau in renommage.items():
        nouvelles[nouveau] = lire(ancien)
        if ancien in liens_de:
            arbre = analyser(lire(_liens_de(ancien)))
            for element in _relations(arbre):
                _, cible, externe = liens_de[ancien][element.get("Id")]
                if not externe:
                    element.set("Target", "/" + renommage[cible])
            nouvelles[_liens_de(nouveau)] = serialiser(arbre)
    return nouvelles, feuilles


def _espace_liens(index: Index) -> str:
    """La racine des types de relation du classeur (« …/relationships/ »), transitoire ou
    stricte, lue sur ses relations de feuilles."""
    for type_, _, _ in index.liens.values():
        if type_.endswith("/worksheet"):
            return type_[: -len("worksheet")]
    return NS_PRINCIPAL.get(index.principal, R_TRANSITOIRE) + "/"


def _relier(index: Index, greffon: Greffon, feuilles: dict[str, str]) -> None:
    """xl/workbook.xml et ses relations (modifiés sur place) : chaque feuille regreffée pointe
    vers sa nouvelle partie ; chaque feuille nouvelle est ajoutée à la fin, avec sa marque."""
    liens = index.arbres[LIENS_CLASSEUR].getroot()
    classeur = index.arbres[CLASSEUR].getroot()
    principal = index.principal
    espace_r = NS_PRINCIPAL.get(principal, R_TRANSITOIRE)
    type_feuille = _espace_liens(index) + "worksheet"
    sheets = _enfant(classeur, "sheets")
    if sheets is None:
        raise GrilleIllisible(abime(index.source, "xl/workbook.xml sans feuilles"))
    rids = set(index.liens)
    identifiants = [
        int(e.get("sheetId")) for e in _enfants(sheets, "sheet") if (e.get("sheetId") or "").isdigit()
    ]
    sheet_id = max([0, *identifiants])
    position = len(index.feuilles)
    for nom, partie in feuilles.items():
        role = greffon.roles[nom]
        if role in index.marquees:
            rid = index.marquees[role].rid
            for element in _relations(index.arbres[LIENS_CLASSEUR]):
                if element.get("Id") == rid:
                    element.set("Target", "/" + partie)
            continue
        rid = _premier_libre(rids, "rId{}")
        rids.add(rid)
        sheet_id += 1
        etree.SubElement(
            liens, etree.QName(_espace(liens) or NS_LIENS, "Relationship"),
            {"Id": rid, "Type": type_feuille, "Target": "/" + partie},
        )  # fmt: skip
        prefixes = {espace: prefixe for prefixe, espace in sheets.nsmap.items()}
        nouvelle = etree.SubElement(
            sheets,
            etree.QName(principal, "sheet"),
            nsmap=None if espace_r in prefixes else {"r": espace_r},
        )
        nouvelle.set("name", nom)
        nouvelle.set("sheetId", str(sheet_id))
        nouvelle.set(etree.QName(espace_r, "id"), rid)
        marque = etree.SubElement(_noms_definis(classeur, principal), etree.QName(principal, "definedName"))
        marque.set("name", MARQUE + role)
        marque.set("localSheetId", str(position))
        marque.set("hidden", "1")
        marque.text = plage(nom, "A", 1)
        position += 1


def _noms_definis(classeur: etree._Element, principal: str) -> etree._Element:
    """L'élément definedNames du classeur, créé à sa place (après sheets, functionGroups,
    externalReferences) s'il manque."""
    existant = _enfant(classeur, "definedNames")
    if existant is not None:
        return existant
    precedents = ("sheets", "functionGroups", "externalReferences")
    place = max(i for i, e in enumerate(classeur) if _local(e) in precedents) + 1
    nouveau = etree.Element(etree.QName(principal, "definedNames"))
    classeur.insert(place, nouveau)
    return nouveau


def _typer(types: etree._ElementTree, types_greffon: etree._ElementTree, retirees: set[str],
           nouvelles: dict[str, bytes]) -> None:  # fmt: skip
    """[Content_Types].xml (modifié sur place) : les types des parties retirées s'en vont, ceux
    des nouvelles viennent du greffon."""
    racine = types.getroot()
    for element in list(racine):
        if _local(element) == "Override" and (element.get("PartName") or "").lstrip("/") in retirees - set(
            nouvelles
        ):
            racine.remove(element)
    connus = {
        (e.get("PartName") or "").split("/")[2]: e.get("ContentType")
        for e in types_greffon.getroot()
        if _local(e) == "Override" and (e.get("PartName") or "").count("/") >= 3
    }
    presentes = {(e.get("PartName") or "").lstrip("/") for e in racine if _local(e) == "Override"}
    for partie in nouvelles:
        if not partie.endswith(".rels") and partie not in presentes:
            etree.SubElement(
                racine, etree.QName(_espace(racine) or NS_TYPES, "Override"),
                {"PartName": "/" + partie, "ContentType": connus[partie.split("/")[1]]},
            )  # fmt: skip


@dataclass(frozen=True)
class Greffe:
    """Ce qu'une greffe a changé au paquet : les parties ajoutées et retirées, et les feuilles
    attendues dans le classeur écrit (nom → partie, dans l'ordre)."""

    greffees: frozenset[str]
    retirees: frozenset[str]
    """Les parties des feuilles greffées la fois précédente, que la greffe remplace."""
    feuilles: tuple[tuple[str, str], ...] = ()
    nouvelles_feuilles: tuple[str, ...] = ()


def greffer(paquet: Paquet, index: Index, sortie: Path, greffon: Greffon) -> Greffe:
    """Écrit dans ``sortie`` (un autre fichier) le paquet ``paquet`` augmenté des feuilles du
    greffon (``index`` : son index, dont les feuilles marquées ont été confirmées). Lève
    ErreurEcriture si la structure du classeur est protégée."""
    source = paquet.chemin
    if index.structure_verrouillee:
        raise ErreurEcriture(
            f"{source} : la structure du classeur est protégée, on ne peut pas y ajouter de "
            "feuilles. Ôtez la protection (Révision > Protéger le classeur), puis relancez."
        )
    if STYLES not in index.arbres:
        raise GrilleIllisible(
            f"{source} : classeur sans feuille de styles (xl/styles.xml) : ouvrez-le dans Excel ou "
            "LibreOffice et réenregistrez-le."
        )
    arbres = {partie: copy.deepcopy(arbre) for partie, arbre in index.arbres.items()}
    travail = Index(index.source, arbres, index.feuilles, index.liens, index.candidates, index.marquees)
    try:
        correspondance = fusionner_styles(arbres[STYLES], analyser(greffon.styles))
    except (TypeError, ValueError, IndexError):
        # Bien formée, mais hors du schéma d'Office Open XML.
        raise GrilleIllisible(abime(source, f"{STYLES} : feuille de styles non conforme")) from None
    with zipfile.ZipFile(io.BytesIO(greffon.paquet(correspondance))) as neuf:
        retirees = _parties_retirees(paquet, index, set(greffon.roles.values()))
        nouvelles, feuilles = _parties_neuves(neuf, set(paquet.infos) - retirees)
        _relier(travail, greffon, feuilles)
        _typer(arbres[TYPES], analyser(neuf.read(TYPES)), retirees, nouvelles)
    textes = {partie: serialiser(arbre) for partie, arbre in arbres.items()}
    _ecrire(paquet, sortie, textes, retirees, nouvelles)
    attendues = [(f.nom, f.partie) for f in index.feuilles]
    roles = {greffon.roles[nom]: (nom, partie) for nom, partie in feuilles.items()}
    for rang, (nom, _) in enumerate(attendues):
        for role, feuille in index.marquees.items():
            if feuille.nom == nom and role in roles:
                attendues[rang] = (nom, roles[role][1])
    nouvelles_feuilles = [nom for nom in feuilles if greffon.roles[nom] not in index.marquees]
    attendues += [(nom, feuilles[nom]) for nom in nouvelles_feuilles]
    return Greffe(frozenset(nouvelles), frozenset(retirees), tuple(attendues), tuple(feuilles))


# --- Écriture ---------------------------------------------------------------------------------


def _zip64_local(extra: bytes) -> bool:
    """Vrai si le champ « extra » d'un en-tête local contient un bloc ZIP64 (id 0x0001)."""
    position = 0
    while position + 4 <= len(extra):
        ident, taille = struct.unpack("<HH", extra[position : position + 4])
        if ident == 1:
            return True
        position += 4 + taille
    return False


def _copier_brut(source: BinaryIO, chemin: Path, info: zipfile.ZipInfo, destination: BinaryIO) -> None:
    """Recopie une entrée telle quelle : en-tête local, données compressées, descripteur."""
    source.seek(info.header_offset)
    entete = source.read(30)
    if entete[:4] != b"PK\x03\x04":
        raise GrilleIllisible(abime(chemin, f"en-tête local absent pour {info.filename}"))
    longueur_nom, longueur_extra = struct.unpack("<HH", entete[26:30])
    nom_et_extra = source.read(longueur_nom + longueur_extra)
    destination.write(entete + nom_et_extra)
    reste = info.compress_size
    while reste:
        bloc = source.read(min(_BLOC, reste))
        if not bloc:
            raise GrilleIllisible(abime(chemin, f"partie {info.filename} tronquée"))
        destination.write(bloc)
        reste -= len(bloc)
    if info.flag_bits & 0x08:
        signature = source.read(4)
        taille = 20 if _zip64_local(nom_et_extra[longueur_nom:]) else 12
        destination.write(signature + source.read(taille if signature == b"PK\x07\x08" else taille - 4))


def _ecrire(paquet: Paquet, sortie: Path, textes: dict[str, bytes], retirees: set[str],
            nouvelles: dict[str, bytes]) -> None:  # fmt: skip
    """Le paquet de sortie : entrées de la source dans leur ordre (recopiées brutes, ou index
    réécrit à sa place), puis les parties greffées."""
    brut = paquet.flux()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as cible:
        for info in paquet.archive().infolist():
            if info.filename in retirees:
                continue
            if info.filename in textes:
                entree = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entree.compress_type = zipfile.ZIP_DEFLATED
                entree.external_attr = info.external_attr
                cible.writestr(entree, textes[info.filename])
                continue
            copie = copy.copy(info)
            copie.header_offset = cible.fp.tell()
            _copier_brut(brut, paquet.chemin, info, cible.fp)
            # zipfile n'offre pas de copie brute : on tient à jour ce qu'il écrira au répertoire.
            cible.filelist.append(copie)
            cible.NameToInfo[copie.filename] = copie
            cible.start_dir = cible.fp.tell()
            cible._didModify = True
        for nom, contenu in nouvelles.items():
            entree = zipfile.ZipInfo(nom, date_time=DATE_NOUVELLES)
            entree.compress_type = zipfile.ZIP_DEFLATED
            cible.writestr(entree, contenu)


# --- Vérification -------------------------------------------------------------------------------


class Invalide(Exception):
    """Le paquet écrit n'est pas celui qu'il doit être (la raison, en français)."""


def verifier(paquet: Paquet, index: Index, sortie: Path, greffe: Greffe, feuille_donnees: str | None) -> None:
    """Relit ``sortie`` avant qu'il ne remplace quoi que ce soit. Lève ErreurEcriture, qui dit
    que rien n'a été modifié, si l'un de ces contrôles échoue :

    - le paquet passe l'inspection de toute lecture (limites, DTD, parties complètes) ;
    - chaque partie de l'original hors index et hors parties remplacées y est, octet pour
      octet, données compressées comprises ;
    - chaque partie écrite s'analyse en XML, espaces de noms compris (ce qu'Excel et
      LibreOffice exigent : un préfixe non déclaré les fait refuser le fichier) ;
    - chaque relation écrite vise une partie présente, chaque partie ajoutée a son type de
      contenu et aucun type ne désigne une partie retirée ;
    - les feuilles sont celles de l'original, dans l'ordre, suivies des nouvelles ; la feuille
      de données désigne la même partie qu'avant (donc les mêmes lignes : sa partie, ses chaînes
      partagées et ses styles existants sont inchangés), et la date de base (1900/1904) aussi ;
    - le lecteur (calamine) ouvre le classeur, y voit ces feuilles et lit chaque feuille ajoutée.
    """
    try:
        _verifier(paquet, index, sortie, greffe, feuille_donnees)
    except (Invalide, XmlRefuse) as e:
        raison = str(e)
    except GrilleIllisible:
        raison = "il ne se relit pas"
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raison = cause(e)
    else:
        return
    raise ErreurEcriture(
        f"Le classeur que coaching-xl vient d'écrire pour {paquet.chemin} ne passe pas sa vérification "
        f"({raison}) : {paquet.chemin.name} n'a pas été modifié. Relancez avec « coaching-xl --debug » "
        "et transmettez le message à l'équipe coaching-xl."
    )


def _verifier(
    paquet: Paquet, index: Index, sortie: Path, greffe: Greffe, feuille_donnees: str | None
) -> None:
    import fastexcel

    ecrit = inspecter(sortie)
    ecrit.verifier(*greffe.greffees)
    avant, apres = paquet.archive(), ecrit.archive()
    fa, fb = paquet.flux(), ecrit.flux()
    for info in avant.infolist():
        if info.filename in INDEX or info.filename in greffe.retirees:
            continue
        copie = apres.NameToInfo.get(info.filename)
        if copie is None or not _memes_octets(fa, info, fb, copie):
            raise Invalide(f"la partie {info.filename} a changé")
    arbres = {}
    for nom in (*INDEX, *greffe.greffees):
        if nom in apres.NameToInfo and nom.endswith((".xml", ".rels")):
            arbres[nom] = analyser(apres.read(nom))
    presentes = set(apres.NameToInfo)
    for rels in [LIENS_CLASSEUR, *(n for n in greffe.greffees if n.endswith(".rels"))]:
        for _, cible, externe in _lire_liens(arbres[rels], _partie_de(rels)).values():
            if not externe and cible not in presentes:
                raise Invalide(f"la relation de {rels} vers {cible} ne mène à aucune partie")
    types = arbres[TYPES].getroot()
    surcharges = {(e.get("PartName") or "").lstrip("/") for e in types if _local(e) == "Override"}
    extensions = {(e.get("Extension") or "").lower() for e in types if _local(e) == "Default"}
    for partie in greffe.greffees:
        if partie not in surcharges and partie.rsplit(".", 1)[-1].lower() not in extensions:
            raise Invalide(f"la partie {partie} n'a pas de type de contenu")
    if surcharges & (set(greffe.retirees) - set(greffe.greffees)):
        raise Invalide("un type de contenu désigne une partie retirée")
    nouvel_index = _index(lambda nom: apres.read(nom) if nom in presentes else None, str(sortie))
    feuilles = tuple((f.nom, f.partie) for f in nouvel_index.feuilles)
    if feuilles != greffe.feuilles:
        raise Invalide("les feuilles du classeur écrit ne sont pas celles attendues")
    if feuille_donnees is not None:
        avant_donnees = next((f.partie for f in index.feuilles if f.nom == feuille_donnees), None)
        apres_donnees = next((p for n, p in feuilles if n == feuille_donnees), None)
        if avant_donnees is None or apres_donnees != avant_donnees or avant_donnees in greffe.retirees:
            raise Invalide(f"la feuille de données {feuille_donnees} ne désigne plus ses lignes")
    _styles_intacts(index.arbres.get(STYLES), arbres.get(STYLES))
    if _date1904(index.arbres[CLASSEUR]) != _date1904(arbres[CLASSEUR]):
        raise Invalide("la date de base du classeur (1900 ou 1904) a changé")
    try:
        lecteur = fastexcel.read_excel(ecrit.octets)
        noms = lecteur.sheet_names
        if noms != [nom for nom, _ in feuilles]:
            raise Invalide("le lecteur ne voit pas les feuilles attendues")
        for nom in greffe.nouvelles_feuilles:
            lecteur.load_sheet(nom, header_row=None, n_rows=1, dtypes="string")
    except Invalide:
        raise
    except Exception as e:
        raise Invalide(f"le lecteur ne l'ouvre pas ({type(e).__name__})") from None


def _styles_intacts(avant: etree._ElementTree | None, apres: etree._ElementTree | None) -> None:
    """Chaque style existant (formats, polices, remplissages, bordures, styles de cellule et
    différentiels) est encore à son indice, identique : les cellules de l'utilisateur gardent
    leur apparence et leurs dates."""
    if avant is None:
        return
    if apres is None:
        raise Invalide("la feuille de styles a disparu")
    for nom in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        a, b = _enfant(avant.getroot(), nom), _enfant(apres.getroot(), nom)
        anciens = [cle_xml(e) for e in a if isinstance(e.tag, str)] if a is not None else []
        nouveaux = [cle_xml(e) for e in b if isinstance(e.tag, str)] if b is not None else []
        if nouveaux[: len(anciens)] != anciens:
            raise Invalide(f"les styles existants ({nom}) ont changé")


def _date1904(arbre: etree._ElementTree) -> bool:
    proprietes = _enfant(arbre.getroot(), "workbookPr")
    return proprietes is not None and (proprietes.get("date1904") or "0").lower() in ("1", "true")


def _memes_octets(fa: BinaryIO, a: zipfile.ZipInfo, fb: BinaryIO, b: zipfile.ZipInfo) -> bool:
    signature = ("CRC", "compress_size", "file_size", "compress_type")
    if any(getattr(a, attr) != getattr(b, attr) for attr in signature):
        return False
    for fichier, info in ((fa, a), (fb, b)):
        fichier.seek(info.header_offset + 26)
        longueurs = struct.unpack("<HH", fichier.read(4))
        fichier.seek(info.header_offset + 30 + sum(longueurs))
    reste = a.compress_size
    while reste:
        taille = min(_BLOC, reste)
        if fa.read(taille) != fb.read(taille):
            return False
        reste -= taille
    return True
