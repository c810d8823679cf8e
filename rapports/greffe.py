"""La greffe : ajouter des feuilles (avec leurs dessins et graphiques) au paquet .xlsx/.xlsm d'un
utilisateur sans jamais réécrire ce qu'il contient.

Les feuilles à greffer viennent d'un petit classeur « greffon » (écrit par openpyxl). Dans le
paquet de l'utilisateur, seules changent les parties d'index — ``[Content_Types].xml``,
``xl/workbook.xml``, ``xl/_rels/workbook.xml.rels`` et ``xl/styles.xml`` (styles ajoutés à la
fin, jamais renumérotés) — et elles sont modifiées comme du texte, sans être re-sérialisées :
espaces de noms, extensions et ``mc:Ignorable`` restent tels quels. Toute autre partie est
recopiée telle quelle, octets compressés compris.

Chaque feuille greffée porte un nom défini masqué ``_coachingxl_<rôle>``, propre à la feuille,
qu'Excel conserve : à la greffe suivante, la feuille de même rôle est remplacée à sa place
(même si l'utilisateur l'a déplacée ou renommée), au lieu d'être ajoutée une seconde fois.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from coaching_xl.erreurs import ErreurEcriture, GrilleIllisible
from moteur.paquet import Paquet, abime, analyser_xml, inspecter

MARQUE = "_coachingxl_"
TYPES = "[Content_Types].xml"
CLASSEUR = "xl/workbook.xml"
LIENS_CLASSEUR = "xl/_rels/workbook.xml.rels"
STYLES = "xl/styles.xml"
INDEX = (TYPES, CLASSEUR, LIENS_CLASSEUR, STYLES)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_FEUILLE = R + "/worksheet"
TYPE_FEUILLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MODELES = {
    "xl/worksheets/": "xl/worksheets/sheet{}.xml",
    "xl/drawings/": "xl/drawings/drawing{}.xml",
    "xl/charts/": "xl/charts/chart{}.xml",
}
"""Dossier d'une partie du greffon → forme de son nom dans le paquet de l'utilisateur."""
DATE_NOUVELLES = (1980, 1, 1, 0, 0, 0)
"""Date des parties ajoutées : fixe, pour que deux greffes identiques donnent le même paquet."""
_BLOC = 1 << 20

Lecteur = Callable[[str], str | None]
Liens = dict[str, tuple[str, str, bool]]
"""Id de relation → (type, partie cible, cible externe)."""


@dataclass
class Feuille:
    """Une feuille du classeur, telle que l'index la décrit."""

    nom: str
    position: int
    rid: str
    partie: str


@dataclass
class Index:
    """Les parties d'index d'un paquet, en texte, et ce qu'on en lit."""

    textes: dict[str, str]
    feuilles: list[Feuille]
    rids: set[str]
    marquees: dict[str, Feuille] = field(default_factory=dict)
    """Rôle → feuille greffée lors d'une greffe précédente."""
    structure_verrouillee: bool = False


@dataclass
class Greffon:
    """Les feuilles à greffer : le rôle de chaque feuille, les styles qu'elles emploient, et le
    petit classeur xlsx qui les porte, écrit une fois connus les indices de ces styles dans le
    classeur cible."""

    roles: dict[str, str]
    """Nom de feuille dans le greffon → rôle (« indicateurs »…)."""
    styles: str
    """Le styles.xml du greffon."""
    paquet: Callable[[dict[int, int]], bytes]
    """Correspondance (style du greffon → style du classeur cible) → le paquet du greffon, ses
    feuilles écrites avec les styles du classeur cible."""

    @classmethod
    def depuis_paquet(cls, contenu: bytes, roles: dict[str, str]) -> Greffon:
        """Un greffon tout écrit (par openpyxl, par exemple), dont on renumérote les styles."""
        with zipfile.ZipFile(io.BytesIO(contenu)) as neuf:
            styles = neuf.read(STYLES).decode("utf-8")
            feuilles = {f.partie for f in _index(_lecteur(neuf), "greffon").feuilles}

        def paquet(correspondance: dict[int, int]) -> bytes:
            sortie = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(contenu)) as neuf, zipfile.ZipFile(sortie, "w") as copie:
                for info in neuf.infolist():
                    donnees = neuf.read(info)
                    if info.filename in feuilles:
                        donnees = _adapter_feuille(donnees.decode("utf-8"), correspondance).encode("utf-8")
                    copie.writestr(info, donnees)
            return sortie.getvalue()

        return cls(roles, styles, paquet)


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


def _recibler(rels: str, rid: str, cible: str) -> str:
    """Les relations ``rels`` où la relation ``rid`` vise désormais la partie ``cible``."""

    def recibler(element: re.Match) -> str:
        if not re.search(rf'\bId="{re.escape(rid)}"', element[0]):
            return element[0]
        return re.sub(r'\bTarget="[^"]*"', f'Target="/{cible}"', element[0])

    return re.sub(r"<(?:\w+:)?Relationship\b[^>]*>", recibler, rels)


def _analyser_liens(texte: str, partie: str, source: str = "greffon") -> Liens:
    liens = {}
    for element in analyser_xml(texte.encode("utf-8"), Path(source), _liens_de(partie)):
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

    def lire(nom: str) -> str | None:
        return paquet.read(nom).decode("utf-8") if nom in paquet.NameToInfo else None

    return lire


def _lecteur_borne(paquet: Paquet) -> Lecteur:
    """Les parties du classeur de l'utilisateur : vérifiées et bornées (``moteur.paquet``)."""

    def lire(nom: str) -> str | None:
        contenu = paquet.lire(nom)
        if contenu is None:
            return None
        try:
            return contenu.decode("utf-8")
        except UnicodeDecodeError:
            raise GrilleIllisible(f"{paquet.chemin} : la partie {nom} n'est pas du texte UTF-8.") from None

    return lire


def lire_index(chemin: Path) -> Index:
    """L'index du paquet ``chemin`` : feuilles, relations, feuilles déjà greffées. Lève
    GrilleIllisible si ce n'est pas un classeur Office Open XML complet, ou s'il est abîmé ou
    piégé."""
    return _index(_lecteur_borne(inspecter(chemin)), str(chemin))


def _index(lire: Lecteur, nom: str) -> Index:
    textes = {partie: texte for partie in INDEX if (texte := lire(partie)) is not None}
    manquantes = [p for p in (TYPES, CLASSEUR, LIENS_CLASSEUR) if p not in textes]
    if manquantes:
        raise GrilleIllisible(f"{nom} : classeur incomplet (il manque {', '.join(manquantes)}).")
    liens = _analyser_liens(textes[LIENS_CLASSEUR], CLASSEUR, nom)
    classeur = analyser_xml(textes[CLASSEUR].encode("utf-8"), Path(nom), CLASSEUR)
    for partie in (TYPES, STYLES):  # retouchés par des expressions régulières : bien formés d'abord
        if partie in textes:
            analyser_xml(textes[partie].encode("utf-8"), Path(nom), partie)
    feuilles = [
        Feuille(
            e.get("name"),
            position,
            e.get(f"{{{R}}}id"),
            liens.get(e.get(f"{{{R}}}id"), ("", "", False))[1],
        )
        for position, e in enumerate(e for e in classeur.iter() if e.tag.endswith("}sheet"))
    ]
    index = Index(textes, feuilles, set(liens))
    for element in classeur.iter():
        if element.tag.endswith("}definedName") and (element.get("name") or "").startswith(MARQUE):
            position = element.get("localSheetId") or ""
            if position.isdigit() and int(position) < len(feuilles):
                index.marquees[element.get("name")[len(MARQUE) :]] = feuilles[int(position)]
        elif element.tag.endswith("}workbookProtection"):
            index.structure_verrouillee = element.get("lockStructure") in ("1", "true")
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

_CONTENEURS = {
    "numFmts": "numFmt",
    "fonts": "font",
    "fills": "fill",
    "borders": "border",
    "cellXfs": "xf",
}
_ORDRE_STYLES = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")


def _conteneur(texte: str, nom: str) -> re.Match | None:
    """Le conteneur ``nom`` d'un styles.xml : groupe 1 le préfixe, 2 les attributs, 4 le contenu."""
    return re.search(rf"<((?:\w+:)?){nom}\b([^>]*?)(/>|>(.*?)</\1{nom}>)", texte, re.S)


def _enfants(texte: str, nom: str) -> tuple[str, list[str]]:
    """(préfixe, éléments du conteneur ``nom``) d'un styles.xml ; conteneur absent : aucun."""
    trouve = _conteneur(texte, nom)
    if trouve is None:
        return "", []
    prefixe, balise = trouve[1], _CONTENEURS[nom]
    motif = rf"<{prefixe}{balise}\b[^>]*?/>|<{prefixe}{balise}\b[^>]*?>.*?</{prefixe}{balise}>"
    return prefixe, re.findall(motif, trouve[4] or "", re.S)


def _prefixer(xml: str, prefixe: str) -> str:
    """Un fragment écrit sans préfixe, dans l'espace de noms préfixé du fichier cible."""
    return re.sub(r"<(/?)(\w+)", lambda m: f"<{m[1]}{prefixe}{m[2]}", xml) if prefixe else xml


def _attribut(element: str, nom: str) -> str:
    return re.search(rf'\b{nom}="([^"]*)"', element)[1]


def fusionner_styles(cible: str, greffon: str) -> tuple[str, dict[int, int]]:
    """Les styles de ``cible`` complétés de ceux du greffon qui lui manquent (ajoutés à la fin,
    rien n'est renuméroté), et la correspondance indice de style de cellule du greffon →
    indice dans la cible. Un style déjà présent à l'identique est réutilisé : une seconde greffe
    n'ajoute plus rien."""
    prefixe = _enfants(cible, "fonts")[0]
    existants = {nom: _enfants(cible, nom)[1] for nom in _CONTENEURS}
    ajouts: dict[str, list[str]] = {nom: [] for nom in _CONTENEURS}

    def indice(nom: str, element: str) -> int:
        element = _prefixer(element, prefixe)
        tous = existants[nom] + ajouts[nom]
        if element in tous:
            return tous.index(element)
        ajouts[nom].append(element)
        return len(tous)

    formats = {_attribut(e, "formatCode"): _attribut(e, "numFmtId") for e in existants["numFmts"]}
    prochain = max([163, *(int(v) for v in formats.values())]) + 1
    formats_greffon = {}
    for element in _enfants(greffon, "numFmts")[1]:
        code = _attribut(element, "formatCode")
        if code not in formats:
            formats[code] = str(prochain)
            ajouts["numFmts"].append(
                _prefixer(f'<numFmt numFmtId="{prochain}" formatCode="{code}"/>', prefixe)
            )
            prochain += 1
        formats_greffon[_attribut(element, "numFmtId")] = formats[code]
    renvois = {
        attribut: [indice(nom, e) for e in _enfants(greffon, nom)[1]]
        for nom, attribut in (("fonts", "fontId"), ("fills", "fillId"), ("borders", "borderId"))
    }
    correspondance = {0: 0}
    for i, xf in enumerate(_enfants(greffon, "cellXfs")[1][1:], start=1):
        for attribut, table in renvois.items():
            xf = re.sub(rf'\b{attribut}="(\d+)"', lambda m, a=attribut, t=table: f'{a}="{t[int(m[1])]}"', xf)
        xf = re.sub(r'\bnumFmtId="(\d+)"', lambda m: f'numFmtId="{formats_greffon.get(m[1], m[1])}"', xf)
        correspondance[i] = indice("cellXfs", re.sub(r'\bxfId="\d+"', 'xfId="0"', xf))
    for nom in _CONTENEURS:
        if ajouts[nom]:
            cible = _ajouter(cible, nom, prefixe, ajouts[nom], len(existants[nom]))
    return cible, correspondance


def _ajouter(texte: str, nom: str, prefixe: str, elements: list[str], avant: int) -> str:
    """Ajoute des éléments à la fin d'un conteneur de styles (créé s'il manque) et met son compte
    à jour."""
    total = avant + len(elements)
    trouve = _conteneur(texte, nom)
    if trouve is None:
        suivants = (_conteneur(texte, n) for n in _ORDRE_STYLES[_ORDRE_STYLES.index(nom) + 1 :])
        place = next(m for m in suivants if m).start()
        bloc = f'<{prefixe}{nom} count="{total}">{"".join(elements)}</{prefixe}{nom}>'
        return texte[:place] + bloc + texte[place:]
    attributs = re.sub(r'\s*count="\d*"', "", trouve[2])
    contenu = (trouve[4] or "") + "".join(elements)
    bloc = f'<{prefixe}{nom} count="{total}"{attributs}>{contenu}</{prefixe}{nom}>'
    return texte[: trouve.start()] + bloc + texte[trouve.end() :]


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
        texte = lire(_liens_de(partie))
        if texte is None:
            continue
        vues.add(_liens_de(partie))
        liens_de[partie] = _analyser_liens(texte, partie, source)
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
    lire, source = _lecteur_borne(paquet), str(paquet.chemin)
    retirees: set[str] = set()
    for role, feuille in index.marquees.items():
        if role in roles:
            retirees |= _fermeture(lire, feuille.partie, source)[0]
    for rels in paquet.infos:
        if rels.endswith(".rels") and rels not in retirees and rels != LIENS_CLASSEUR:
            for _, cible, externe in _analyser_liens(lire(rels) or "", _partie_de(rels), source).values():
                if not externe:
                    retirees.discard(cible)
    return retirees


def _parties_neuves(neuf: zipfile.ZipFile, occupees: set[str]) -> tuple[dict[str, str], dict[str, str]]:
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
            rels = lire(_liens_de(ancien))
            for rid, (_, cible, externe) in liens_de[ancien].items():
                if not externe:
                    rels = _recibler(rels, rid, renommage[cible])
            nouvelles[_liens_de(nouveau)] = rels
    return nouvelles, feuilles


_STYLE_DE_CELLULE = re.compile(r'(<(?:c|row)\b[^>]*?\ss="|<col\b[^>]*?\sstyle=")(\d+)"')


def _adapter_feuille(xml: str, correspondance: dict[int, int]) -> str:
    """Styles renumérotés vers ceux du classeur cible ; la feuille n'est pas sélectionnée (sinon
    Excel ouvrirait le classeur avec plusieurs feuilles groupées)."""
    xml = re.sub(r'\s+tabSelected="(?:1|true)"', "", xml)
    return _STYLE_DE_CELLULE.sub(lambda m: f'{m[1]}{correspondance.get(int(m[2]), 0)}"', xml)


def _relier(index: Index, greffon: Greffon, feuilles: dict[str, str]) -> tuple[str, str]:
    """xl/workbook.xml et ses relations : chaque feuille regreffée pointe vers sa nouvelle
    partie ; chaque feuille nouvelle est ajoutée à la fin, avec sa marque."""
    liens, classeur = index.textes[LIENS_CLASSEUR], index.textes[CLASSEUR]
    prefixe = m[1] if (m := re.search(r"<((?:\w+:)?)sheets\b", classeur)) else ""
    r_prefixe = m[1] if (m := re.search(rf'xmlns:(\w+)="{re.escape(R)}"', classeur)) else "r"
    rids = set(index.rids)
    sheet_id = max([0, *(int(i) for i in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bsheetId="(\d+)"', classeur))])
    ajoutees, marques = [], []
    for nom, partie in feuilles.items():
        role = greffon.roles[nom]
        rid = index.marquees[role].rid if role in index.marquees else _premier_libre(rids, "rId{}")
        if role in index.marquees:
            liens = _recibler(liens, rid, partie)
            continue
        rids.add(rid)
        sheet_id += 1
        liens = liens.replace(
            "</Relationships>",
            f'<Relationship Id="{rid}" Type="{REL_FEUILLE}" Target="/{partie}"/></Relationships>',
        )
        ajoutees.append(
            _prefixer(f'<sheet name={quoteattr(nom)} sheetId="{sheet_id}" ', prefixe)
            + f'{r_prefixe}:id="{rid}"/>'
        )
        reference = "'" + nom.replace("'", "''") + "'!$A$1"
        position = len(index.feuilles) + len(marques)
        marques.append(
            _prefixer(
                f'<definedName name="{MARQUE}{role}" localSheetId="{position}" hidden="1">'
                f"{escape(reference)}</definedName>",
                prefixe,
            )
        )
    if ajoutees:
        classeur = classeur.replace(f"</{prefixe}sheets>", "".join(ajoutees) + f"</{prefixe}sheets>", 1)
        classeur = _ajouter_noms(classeur, prefixe, "".join(marques))
    return classeur, liens


def _ajouter_noms(classeur: str, prefixe: str, noms: str) -> str:
    """Ajoute des noms définis, à la fin de definedNames (créé à sa place s'il manque)."""
    if f"</{prefixe}definedNames>" in classeur:
        return classeur.replace(f"</{prefixe}definedNames>", noms + f"</{prefixe}definedNames>", 1)
    bloc = f"<{prefixe}definedNames>{noms}</{prefixe}definedNames>"
    if vide := re.search(rf"<{prefixe}definedNames\b[^>]*/>", classeur):
        return classeur[: vide.start()] + bloc + classeur[vide.end() :]
    for precedent in ("externalReferences", "functionGroups", "sheets"):
        if fin := re.search(rf"</{prefixe}{precedent}>", classeur):
            return classeur[: fin.end()] + bloc + classeur[fin.end() :]
    raise ValueError("xl/workbook.xml sans feuilles")


def _typer(types: str, types_greffon: str, retirees: set[str], nouvelles: dict[str, str]) -> str:
    """[Content_Types].xml : les types des parties retirées s'en vont, ceux des nouvelles
    viennent du greffon."""
    for partie in sorted(retirees - set(nouvelles)):
        types = re.sub(rf'<Override\b[^>]*\bPartName="/{re.escape(partie)}"[^>]*/>', "", types)
    connus = dict(re.findall(r'PartName="/xl/(\w+)/[^"]*"\s+ContentType="([^"]+)"', types_greffon))
    presentes = set(re.findall(r'PartName="/([^"]+)"', types))
    ajouts = [
        f'<Override PartName="/{partie}" ContentType="{connus[partie.split("/")[1]]}"/>'
        for partie in nouvelles
        if not partie.endswith(".rels") and partie not in presentes
    ]
    return types.replace("</Types>", "".join(ajouts) + "</Types>")


@dataclass(frozen=True)
class Greffe:
    """Ce qu'une greffe a changé au paquet, hors index."""

    greffees: frozenset[str]
    retirees: frozenset[str]
    """Les parties des feuilles greffées la fois précédente, que la greffe remplace."""


def greffer(source: Path, sortie: Path, greffon: Greffon) -> Greffe:
    """Écrit dans ``sortie`` (un autre fichier) le paquet ``source`` augmenté des feuilles du
    greffon. Lève ErreurEcriture si la structure du classeur est protégée."""
    paquet_source = inspecter(source)
    index = _index(_lecteur_borne(paquet_source), str(source))
    if index.structure_verrouillee:
        raise ErreurEcriture(
            f"{source} : la structure du classeur est protégée, on ne peut pas y ajouter de "
            "feuilles. Ôtez la protection (Révision > Protéger le classeur), puis relancez."
        )
    if STYLES not in index.textes:
        raise GrilleIllisible(f"{source} : classeur sans feuille de styles (xl/styles.xml).")
    textes = dict(index.textes)
    try:
        textes[STYLES], correspondance = fusionner_styles(textes[STYLES], greffon.styles)
    except (TypeError, ValueError, IndexError, StopIteration):
        # Bien formée (lire_index l'a vérifié), mais hors du schéma d'Office Open XML.
        raise GrilleIllisible(abime(source, f"{STYLES} : feuille de styles non conforme")) from None
    with (
        zipfile.ZipFile(source) as paquet,
        zipfile.ZipFile(io.BytesIO(greffon.paquet(correspondance))) as neuf,
    ):
        retirees = _parties_retirees(paquet_source, index, set(greffon.roles.values()))
        nouvelles, feuilles = _parties_neuves(neuf, set(paquet.namelist()) - retirees)
        textes[CLASSEUR], textes[LIENS_CLASSEUR] = _relier(index, greffon, feuilles)
        textes[TYPES] = _typer(textes[TYPES], neuf.read(TYPES).decode("utf-8"), retirees, nouvelles)
        _ecrire(source, sortie, paquet, textes, retirees, nouvelles)
    return Greffe(frozenset(nouvelles), frozenset(retirees))


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


def _copier_brut(source: BinaryIO, info: zipfile.ZipInfo, destination: BinaryIO) -> None:
    """Recopie une entrée telle quelle : en-tête local, données compressées, descripteur."""
    source.seek(info.header_offset)
    entete = source.read(30)
    if entete[:4] != b"PK\x03\x04":
        raise GrilleIllisible(abime(Path(source.name), f"en-tête local absent pour {info.filename}"))
    longueur_nom, longueur_extra = struct.unpack("<HH", entete[26:30])
    nom_et_extra = source.read(longueur_nom + longueur_extra)
    destination.write(entete + nom_et_extra)
    reste = info.compress_size
    while reste:
        bloc = source.read(min(_BLOC, reste))
        if not bloc:
            raise GrilleIllisible(abime(Path(source.name), f"partie {info.filename} tronquée"))
        destination.write(bloc)
        reste -= len(bloc)
    if info.flag_bits & 0x08:
        signature = source.read(4)
        taille = 20 if _zip64_local(nom_et_extra[longueur_nom:]) else 12
        destination.write(signature + source.read(taille if signature == b"PK\x07\x08" else taille - 4))


def _ecrire(source: Path, sortie: Path, paquet: zipfile.ZipFile, textes, retirees, nouvelles) -> None:
    """Le paquet de sortie : entrées de la source dans leur ordre (recopiées brutes, ou index
    réécrit à sa place), puis les parties greffées."""
    with (
        open(source, "rb") as brut,
        zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as cible,
    ):
        for info in paquet.infolist():
            if info.filename in retirees:
                continue
            if info.filename in INDEX:
                entree = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entree.compress_type = zipfile.ZIP_DEFLATED
                entree.external_attr = info.external_attr
                cible.writestr(entree, textes[info.filename].encode("utf-8"))
                continue
            copie = copy.copy(info)
            copie.header_offset = cible.fp.tell()
            _copier_brut(brut, info, cible.fp)
            # zipfile n'offre pas de copie brute : on tient à jour ce qu'il écrira au répertoire.
            cible.filelist.append(copie)
            cible.NameToInfo[copie.filename] = copie
            cible.start_dir = cible.fp.tell()
            cible._didModify = True
        for nom, contenu in nouvelles.items():
            entree = zipfile.ZipInfo(nom, date_time=DATE_NOUVELLES)
            entree.compress_type = zipfile.ZIP_DEFLATED
            cible.writestr(entree, contenu.encode("utf-8"))


def verifier(source: Path, sortie: Path, greffe: Greffe) -> None:
    """Relit ``sortie`` : chaque partie de ``source``, hors index et hors parties remplacées,
    y est octet pour octet (données compressées comprises) ; l'index et les parties greffées se
    décompressent sans erreur de contrôle. Lève ErreurEcriture sinon."""
    try:
        with (
            zipfile.ZipFile(source) as avant,
            zipfile.ZipFile(sortie) as apres,
            open(source, "rb") as fa,
            open(sortie, "rb") as fb,
        ):
            for info in avant.infolist():
                if info.filename in INDEX or info.filename in greffe.retirees:
                    continue
                copie = apres.NameToInfo.get(info.filename)
                if copie is None or not _memes_octets(fa, info, fb, copie):
                    raise ErreurEcriture(f"vérification : la partie {info.filename} a changé")
            for nom in (*INDEX, *greffe.greffees):
                if nom in apres.NameToInfo:
                    apres.read(nom)
    except (zipfile.BadZipFile, OSError) as e:
        raise ErreurEcriture(f"vérification du fichier écrit impossible ({e})") from None


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
