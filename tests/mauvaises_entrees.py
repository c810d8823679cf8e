"""Le corpus des mauvaises entrées : ce qu'une grille qui voyage par courriel peut devenir
(abîmée, étrange, hostile), et ce que coaching-xl doit en dire.

Chaque cas fabrique son fichier dans un dossier vide et déclare la commande à lancer, le code de
sortie, les fragments du message et, pour une grille lisible, les anomalies attendues (code →
cellules, ou nombre). ``tests/test_mauvaises_entrees.py`` vérifie chaque cas ; pour regarder le
corpus à la main :

    python -m tests.mauvaises_entrees DOSSIER     # un sous-dossier par cas
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from openpyxl import Workbook, load_workbook

from recueil import schema as s
from recueil.grille import OptionsGrille, ecrire_grille
from recueil.listes import listes_par_defaut
from socle import fichiers
from socle.francais import entier
from tests import jeux
from tests.fixtures.fabriquer import classeur

H, NH, NP = (t.libelle for t in s.TYPES_RDV)
J = date(2010, 10, 6)
NOM = "grille.xlsx"
FEUILLE = "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class Cas:
    """Une mauvaise entrée et la réponse attendue."""

    nom: str
    fabriquer: Callable[[Path], Path]
    """Dossier vide → le chemin à donner à la commande."""
    sortie: int
    message: tuple[str, ...] = ()
    commande: str = "compute"
    interdits: tuple[str, ...] = ()
    """Ce que la sortie ne doit pas contenir (outre une trace d'exception)."""
    anomalies: dict[str, list[str] | int] | None = None
    """Pour une grille lisible : code → cellules (« C5 ») ou nombre d'anomalies de ce code ;
    les codes absents n'ont aucune anomalie."""
    produits: tuple[str, ...] = ()
    """Les fichiers qu'un calcul réussi ajoute à côté de la grille (la liste CSV des anomalies)."""
    autour: Callable[[Path], contextlib.AbstractContextManager[object]] = field(
        default=lambda chemin: contextlib.nullcontext()
    )
    """Ce qui entoure la commande (fichier en lecture seule, verrou tenu par un autre processus)."""
    verifier: Callable[[Path], None] | None = None
    """Ce qu'il faut encore vérifier dans le classeur écrit (ou la grille)."""
    lent: bool = False


# Fabriques ---------------------------------------------------------------------------------


def grille(dossier: Path, lignes=jeux.LIGNES[:10], nom: str = NOM, **options) -> Path:
    """Une grille générée par coaching-xl, remplie de ``lignes``."""
    return ecrire_grille(dossier, OptionsGrille(lignes=200, **options), lignes, nom=nom)


def parties(chemin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(chemin) as archive:
        return {nom: archive.read(nom) for nom in archive.namelist()}


def reecrire(chemin: Path, contenus: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Réécrit l'archive ``chemin`` avec ces parties, dans cet ordre."""
    with zipfile.ZipFile(chemin, "w", compression) as archive:
        for nom, contenu in contenus.items():
            archive.writestr(nom, contenu)
    return chemin


def changer_partie(chemin: Path, partie: str, changer: Callable[[bytes], bytes]) -> Path:
    contenus = parties(chemin)
    contenus[partie] = changer(contenus[partie])
    return reecrire(chemin, contenus)


def declarer_taille(chemin: Path, partie: str, taille: int) -> Path:
    """Fait mentir l'archive sur la taille décompressée de ``partie`` (en-tête local et
    répertoire central), sans toucher à ses données."""
    octets = bytearray(chemin.read_bytes())
    nom = partie.encode()
    # (signature, position de la taille, de la longueur du nom, du nom) : APPNOTE 4.3.7, 4.3.12
    for signature, taille_en, longueur_en, nom_en in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        for m in re.finditer(re.escape(signature), octets):
            debut = m.start()
            (longueur,) = struct.unpack_from("<H", octets, debut + longueur_en)
            if octets[debut + nom_en : debut + nom_en + longueur] == nom:
                struct.pack_into("<I", octets, debut + taille_en, taille)
    chemin.write_bytes(bytes(octets))
    return chemin


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>\n"
)


def avec_dtd(xml: bytes) -> bytes:
    """Le même XML précédé d'une DTD « billion laughs » (un milliard de « lol » à l'expansion)."""
    corps = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
    return BILLION_LAUGHS.encode() + corps


def cellule_en_ligne(xml: bytes, reference: str, texte: str) -> bytes:
    """Remplace la cellule ``reference`` de la feuille par un texte en ligne (tel qu'Excel
    l'écrit, caractères de contrôle en ``_xHHHH_``)."""
    echappe = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m[0]):04X}_", texte)
    echappe = echappe.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    motif = re.compile(rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)'.encode())
    nouvelle = f'<c r="{reference}" t="inlineStr"><is><t>{echappe}</t></is></c>'.encode()
    resultat, n = motif.subn(nouvelle, xml, count=1)
    assert n == 1, reference
    return resultat


def _pas_un_zip(dossier: Path) -> Path:
    chemin = dossier / NOM
    chemin.write_bytes(np.random.default_rng(0).bytes(4096))
    return chemin


def _vide(dossier: Path) -> Path:
    chemin = dossier / NOM
    chemin.write_bytes(b"")
    return chemin


def _tronque(dossier: Path) -> Path:
    chemin = grille(dossier)
    octets = chemin.read_bytes()
    chemin.write_bytes(octets[: len(octets) // 2])
    return chemin


def _tronque_fin(dossier: Path) -> Path:
    """Seul le répertoire central manque : une pièce jointe coupée au dernier moment."""
    chemin = grille(dossier)
    octets = chemin.read_bytes()
    chemin.write_bytes(octets[: octets.rindex(b"PK\x01\x02")])
    return chemin


def _page_web(dossier: Path) -> Path:
    chemin = dossier / NOM
    chemin.write_text("<!DOCTYPE html><html><body>Session expirée</body></html>")
    return chemin


def _bombe_zip(dossier: Path) -> Path:
    """Une feuille de 64 Mo d'espaces, compressée 1 000 fois."""
    return changer_partie(
        grille(dossier),
        FEUILLE,
        lambda xml: xml.replace(b"<sheetData>", b" " * (64 << 20) + b"<sheetData>", 1),
    )


def _taille_geante(dossier: Path) -> Path:
    """L'archive annonce 4 Go décompressés pour une feuille de quelques Ko."""
    return declarer_taille(grille(dossier), FEUILLE, 0xFFFF_FFF0)


def _taille_menteuse(dossier: Path) -> Path:
    """L'archive annonce moins que la feuille ne contient : calamine la décompresserait en
    entier quoi qu'il soit annoncé."""
    chemin = grille(dossier)
    with zipfile.ZipFile(chemin) as archive:
        taille = archive.getinfo(FEUILLE).file_size
    return declarer_taille(chemin, FEUILLE, taille // 3)


def _trop_de_parties(dossier: Path) -> Path:
    chemin = grille(dossier)
    contenus = parties(chemin) | {f"xl/media/vide{i}.bin": b"" for i in range(10_001)}
    return reecrire(chemin, contenus, zipfile.ZIP_STORED)


def _bombe_xml(partie: str, fabrique: Callable[[Path], Path] = grille) -> Callable[[Path], Path]:
    def fabriquer(dossier: Path) -> Path:
        return changer_partie(fabrique(dossier), partie, avec_dtd)

    return fabriquer


def _bombe_xml_dans_une_cellule(dossier: Path) -> Path:
    """L'entité est aussi appelée dans une cellule : l'étendre, ce serait un milliard de « lol »."""

    def changer(xml: bytes) -> bytes:
        xml = avec_dtd(xml)
        return re.sub(
            rb'<c r="C5"[^>]*?(?:/>|>.*?</c>)',
            b'<c r="C5" t="inlineStr"><is><t>&lol9;</t></is></c>',
            xml,
            count=1,
        )

    return changer_partie(grille(dossier), FEUILLE, changer)


def _chiffre(dossier: Path) -> Path:
    """Un classeur protégé par mot de passe, chiffré comme le fait Excel (ECMA-376 « agile »)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    clair = grille(dossier)
    chiffre = io.BytesIO()
    with open(clair, "rb") as f:
        OOXMLFile(f).encrypt("motdepasse", chiffre)
    clair.write_bytes(chiffre.getvalue())
    return clair


def _xls_renomme(dossier: Path) -> Path:
    """Le début d'un conteneur OLE (.xls 97-2003) : c'est sa signature que coaching-xl lit
    avant de refuser. (Un vrai .xls, converti par LibreOffice, est dans
    test_mauvaises_entrees.)"""
    chemin = dossier / NOM
    chemin.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(4096)
    )
    return chemin


def _xlsx_renomme_xls(dossier: Path) -> Path:
    return grille(dossier).rename(dossier / "grille.xls")


def _sauver(dossier: Path, wb: Workbook, nom: str = NOM) -> Path:
    chemin = dossier / nom
    wb.save(chemin)
    return chemin


def _sans_recueil(dossier: Path) -> Path:
    wb = Workbook()
    wb.active.title = "Planning"
    wb.active.append(["Salle", "Matin", "Après-midi"])
    wb.active.append(["IRM 1", "Dr A", "Dr B"])
    return _sauver(dossier, wb)


def _entetes_renommes(dossier: Path) -> Path:
    return _sauver(dossier, classeur(
        [(J, "Scanner", "Externe", H, 3, 1)],
        entetes=("Jour", "Examen", "Origine", "Statut", "Attente", "Compte rendu"),
    ))  # fmt: skip


def _entetes_doubles(dossier: Path) -> Path:
    return _sauver(dossier, classeur([(J, "Scanner", "Externe", H, 3, 1, J)], entetes=(*s.ENTETES, "Date")))


def _feuille_mal_formee(dossier: Path) -> Path:
    return changer_partie(grille(dossier), FEUILLE, lambda xml: xml[: len(xml) // 2])


def _feuille_absente(dossier: Path) -> Path:
    """Le classeur déclare la feuille Recueil, l'archive ne la contient pas."""
    chemin = grille(dossier)
    contenus = parties(chemin)
    del contenus[FEUILLE]
    return reecrire(chemin, contenus)


def _grille_rapide(dossier: Path, n: int, delai_rdv: int = 3) -> Path:
    """Une grille de ``n`` lignes écrite comme Excel l'écrit (textes en chaînes partagées), vite :
    des scanners externes honorés le 06/10/2010."""
    from tests.benchmarks.entrees import _ecrire

    valeurs = {
        "date": np.full(n, 40457), "modalite": np.zeros(n, int), "provenance": np.zeros(n, int),
        "type": np.zeros(n, int), "delai_rdv": np.full(n, delai_rdv), "delai_cr": np.ones(n, int),
    }  # fmt: skip
    chemin = dossier / NOM
    _ecrire(chemin, valeurs, OptionsGrille(lignes=max(n, 200)))
    return chemin


def _million_d_anomalies(dossier: Path) -> Path:
    """Toutes les lignes d'une feuille Excel, chacune avec un délai de 400 jours."""
    return _grille_rapide(dossier, s.LIGNES_MAX, delai_rdv=400)


def _cellules_geantes(dossier: Path) -> Path:
    geant = "Hospi - " + "x" * 29_992
    return grille(dossier, [(J, "Scanner", geant, H, 3, 1), (J, "IRM", "Externe", H, 10, 0)])


def _sequences_de_terminal(dossier: Path) -> Path:
    """Une provenance qui, citée telle quelle, effacerait l'écran et renommerait la fenêtre."""
    chemin = grille(dossier, [(J, "Scanner", "Externe", H, 3, 1)])
    return changer_partie(
        chemin, FEUILLE, lambda xml: cellule_en_ligne(xml, "C5", "\x1b]0;pirate\x07Ext\x1b[2J")
    )


def _caracteres_de_controle(dossier: Path) -> Path:
    chemin = grille(dossier, [(J, "Scanner", "Externe", H, 3, 1), (J, "IRM", "Externe", H, 10, 0)])
    return changer_partie(chemin, FEUILLE, lambda xml: cellule_en_ligne(xml, "C5", "Ext\x01erne\x1f\x0b"))


FORMULES = ("=1+1", "+33 1 45 00", "-Urgences", "@SOMME(A1)", '=HYPERLINK("http://exemple.invalid")')


def _formules_dans_les_listes(dossier: Path) -> Path:
    listes = listes_par_defaut()
    listes["provenances"] = (*FORMULES, *listes["provenances"][: 15 - len(FORMULES)])
    listes["modalites"] = ("=IRM", *listes["modalites"][1:])
    lignes = [(J, "=IRM" if i % 2 else "Scanner", p, H, 3, 1) for i, p in enumerate(FORMULES)]
    return grille(dossier, lignes, listes=listes)


DATES_TEXTE = (
    "06/10/2010", "6/10/2010", "06-10-2010", "06.10.2010", "2010-10-06", "06/10/10",
    "6 octobre 2010", "mercredi 6 octobre 2010", "6 oct. 2010", "6-oct-2010",
)  # fmt: skip


def _dates_en_texte(dossier: Path) -> Path:
    return grille(dossier, [(d, "Scanner", "Externe", H, 3, 1) for d in (*DATES_TEXTE, "6 brumaire an IX")])


def _cellules_fusionnees(dossier: Path) -> Path:
    """Le type de RDV fusionné sur trois lignes (D5:D7) : seule D5 porte la valeur."""
    chemin = grille(dossier, [(J, "Scanner", "Externe", H, 3, 1)] * 4)
    wb = load_workbook(chemin)
    recueil = wb[s.FEUILLE_RECUEIL]
    recueil.merge_cells("D5:D7")
    wb.save(chemin)
    return chemin


def _lignes_masquees(dossier: Path) -> Path:
    chemin = grille(dossier)
    wb = load_workbook(chemin)
    for rang in (6, 7, 8):
        wb[s.FEUILLE_RECUEIL].row_dimensions[rang].hidden = True
    wb.save(chemin)
    return chemin


def _deux_cents_feuilles(dossier: Path) -> Path:
    wb = classeur([(J, "Scanner", "Externe", H, 3, 1), (J, "IRM", "Externe", NH, 20, None)])
    for i in range(199):
        wb.create_sheet(f"Semaine {i + 1}", index=i).append([f"notes {i + 1}"])
    return _sauver(dossier, wb)


def _chemin_accentue(dossier: Path) -> Path:
    sous = dossier / "Données été 2010" / "Hôpital Saint-Éloi (CH)"
    sous.mkdir(parents=True)
    return grille(sous, nom="grille de l'hôpital — n°1.xlsx")


def _dossier(dossier: Path) -> Path:
    (dossier / NOM).mkdir()
    return dossier / NOM


def _absent(dossier: Path) -> Path:
    return dossier / "grille_introuvable.xlsx"


def _extension(dossier: Path) -> Path:
    chemin = dossier / "grille.csv"
    chemin.write_text("Date;Type d'activité\n06/10/2010;Scanner\n", encoding="utf-8")
    return chemin


# Ce que des tableurs, des programmes ou des mains font aux classeurs (issue 14) ---------------

NS_R = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CLASSEUR_XML = "xl/workbook.xml"
STYLES_XML = "xl/styles.xml"


def _r_sur_chaque_feuille(dossier: Path) -> Path:
    """xl/workbook.xml tel qu'openpyxl l'écrit quand lxml est installé : l'espace de noms des
    relations déclaré sur chaque <sheet>, et non sur la racine."""

    def changer(xml: bytes) -> bytes:
        xml = xml.replace(b" " + NS_R, b"")
        return re.sub(rb"<sheet ", b"<sheet " + NS_R + b" ", xml)

    return changer_partie(grille(dossier), CLASSEUR_XML, changer)


def _noms_definis(xml: bytes, noms: bytes) -> bytes:
    if b"</definedNames>" in xml:
        return xml.replace(b"</definedNames>", noms + b"</definedNames>", 1)
    return xml.replace(b"</sheets>", b"</sheets><definedNames>" + noms + b"</definedNames>", 1)


def _marque_sur_recueil(dossier: Path) -> Path:
    """Une marque de feuille de résultats posée sur la feuille de données (copiée d'un autre
    classeur, ou hostile)."""
    marque = b'<definedName name="_coachingxl_anomalies" localSheetId="0" hidden="1">\'Recueil\'!$A$1</definedName>'
    return changer_partie(grille(dossier), CLASSEUR_XML, lambda xml: _noms_definis(xml, marque))


def _commentaire_sheets(dossier: Path) -> Path:
    """Un commentaire qui contient « </sheets> » avant la liste des feuilles."""
    return changer_partie(
        grille(dossier), CLASSEUR_XML,
        lambda xml: re.sub(rb"(<workbook\b[^>]*>)", rb"\1<!-- ancienne liste : </sheets> -->", xml, count=1),
    )  # fmt: skip


def _remplacer_cellules(
    xml: bytes, ligne: int, fabrique: Callable[[str], bytes], colonnes: str = "ABCDEF"
) -> bytes:
    for lettre in colonnes:
        ref = f"{lettre}{ligne}".encode()
        nouvelle = fabrique(f"{lettre}{ligne}")
        xml, n = re.subn(rb'<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>)', nouvelle, xml, count=1)
        if not n:  # cellule vide dans la grille : on l'ajoute à la fin de sa ligne
            xml = re.sub(rb'(<row r="' + str(ligne).encode() + rb'"[^>]*>.*?)</row>', rb"\1" + nouvelle + b"</row>",
                         xml, count=1, flags=re.S)  # fmt: skip
    return xml


def _formules_sans_valeur(dossier: Path) -> Path:
    """Une ligne de formules jamais calculées (écrites par un programme, pas par un tableur)."""
    return changer_partie(
        grille(dossier), FEUILLE,
        lambda xml: _remplacer_cellules(xml, 8, lambda ref: f'<c r="{ref}"><f>{ref[0]}7</f></c>'.encode()),
    )  # fmt: skip


def _erreurs_de_cellule(dossier: Path) -> Path:
    """Trois lignes entièrement « #REF! » (références perdues) et un « #N/A »."""

    def changer(xml: bytes) -> bytes:
        for ligne in (6, 7, 8):
            xml = _remplacer_cellules(xml, ligne, lambda ref: f'<c r="{ref}" t="e"><v>#REF!</v></c>'.encode())
        return _remplacer_cellules(
            xml, 9, lambda ref: f'<c r="{ref}" t="e"><f>VLOOKUP(1,Z1:Z2,2,0)</f><v>#N/A</v></c>'.encode(), "B"
        )

    return changer_partie(grille(dossier), FEUILLE, changer)


def _ligne_de_total(dossier: Path) -> Path:
    """Les données mises en tableau Excel (Insertion > Tableau) avec sa ligne de total."""
    from openpyxl.worksheet.table import Table

    wb = classeur(
        [*jeux.LIGNES[:10], ("Total", None, None, "=SUBTOTAL(103,D5:D14)", "=SUBTOTAL(101,E5:E14)", None)]
    )
    wb.active.add_table(Table(displayName="Rendez_vous", ref="A4:F15", totalsRowCount=1))
    return _sauver(dossier, wb)


def _deux_feuilles_recueil(dossier: Path) -> Path:
    """Deux <sheet name="Recueil"> : le lecteur lirait la première, une vérification la seconde."""

    def changer(xml: bytes) -> bytes:
        feuilles = re.findall(rb"<sheet\b[^>]*/>", xml)
        doublon = re.sub(rb'name="[^"]*"', b'name="Recueil"', feuilles[1], count=1)
        return xml.replace(feuilles[1], doublon, 1)

    return changer_partie(grille(dossier), CLASSEUR_XML, changer)


def _dtd_apres_commentaire(partie: str) -> Callable[[Path], Path]:
    def fabriquer(dossier: Path) -> Path:
        def changer(xml: bytes) -> bytes:
            corps = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
            return b"<!-- " + b"x" * 5000 + b" -->\n" + BILLION_LAUGHS.encode().split(b"\n", 1)[1] + corps

        return changer_partie(grille(dossier), partie, changer)

    return fabriquer


def _commentaire_final(dossier: Path) -> Path:
    chemin = changer_partie(grille(dossier), FEUILLE, lambda xml: xml + b"\n<!-- fin de la feuille -->\n")
    return changer_partie(chemin, CLASSEUR_XML, lambda xml: xml + b"<!-- enregistre par un outil -->")


def _styles_apostrophes(dossier: Path) -> Path:
    """styles.xml aux attributs entre apostrophes (ce que permet XML, et que d'autres outils écrivent)."""
    return changer_partie(
        grille(dossier), STYLES_XML, lambda xml: re.sub(rb'(\s[\w:]+)="([^"]*)"', rb"\1='\2'", xml)
    )


def _zip_de_mac(dossier: Path) -> Path:
    """L'archive refaite par « Compresser » sur un Mac : des fichiers __MACOSX/._* (AppleDouble)."""
    chemin = grille(dossier)
    double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(64)
    contenus = parties(chemin) | {"__MACOSX/._grille.xlsx": double, "__MACOSX/xl/._workbook.xml": double}
    return reecrire(chemin, contenus)


DATES_ISO = ("2010-10-06T08:30:00Z", "2010-10-06T08:30:00+02:00", "2010-10-06 08:30:00.250-05:00")


def _dates_iso_fuseau(dossier: Path) -> Path:
    return grille(dossier, [(d, "Scanner", "Externe", H, 3, 1) for d in DATES_ISO])


def _date_geante(dossier: Path) -> Path:
    """Une cellule date (format date) qui contient 1E+308 : le lecteur la rend vide."""
    chemin = grille(dossier, [(J, "Scanner", "Externe", H, 3, 1), (J, "IRM", "Externe", H, 3, 1)])
    return changer_partie(
        chemin,
        FEUILLE,
        lambda xml: re.sub(rb'(<c r="A5"[^>]*><v>)\d+(</v>)', rb"\g<1>1E+308\2", xml, count=1),
    )


def _delais_exotiques(dossier: Path) -> Path:
    """« 1_0 » et « ٣ » (trois, en chiffres arabes-indiens) : float() les accepterait."""
    return grille(dossier, [(J, "Scanner", "Externe", H, "1_0", 1), (J, "IRM", "Externe", H, "\u0663", 1)])


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    b"http://schemas.openxmlformats.org/drawingml/2006/chart": b"http://purl.oclc.org/ooxml/drawingml/chart",
    b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": (
        b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing"
    ),
}


def _open_xml_strict(dossier: Path) -> Path:
    """Un classeur « Open XML strict » (Excel : Enregistrer sous > Feuille de calcul Open XML
    stricte) : mêmes parties, autres espaces de noms."""
    chemin = grille(dossier)
    contenus = {}
    for nom, contenu in parties(chemin).items():
        if nom.endswith((".xml", ".rels")):
            for transitoire, strict in STRICT.items():
                contenu = contenu.replace(transitoire, strict)
        if nom == CLASSEUR_XML:
            contenu = re.sub(rb"(<workbook\b)", rb'\1 conformance="strict"', contenu, count=1)
        contenus[nom] = contenu
    return reecrire(chemin, contenus)


def _sans_types_de_contenu(dossier: Path) -> Path:
    chemin = grille(dossier)
    contenus = parties(chemin)
    del contenus["[Content_Types].xml"]
    return reecrire(chemin, contenus)


def _donnees_corrompues(dossier: Path) -> Path:
    """Des octets abîmés au milieu des données compressées de la feuille (un transfert raté)."""
    chemin = grille(dossier, jeux.LIGNES * 20)
    octets = bytearray(chemin.read_bytes())
    with zipfile.ZipFile(chemin) as archive:
        info = archive.getinfo(FEUILLE)
    debut = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(debut + info.compress_size // 3, debut + info.compress_size // 3 + 64):
        octets[i] ^= 0x5A
    chemin.write_bytes(bytes(octets))
    return chemin


# Ce qu'il faut vérifier de plus -------------------------------------------------------------


def _feuilles(chemin: Path) -> list[str]:
    import fastexcel

    return fastexcel.read_excel(str(chemin)).sheet_names


def _resultats_visibles_et_relisibles(chemin: Path) -> None:
    """Les trois feuilles de résultats sont là, après les feuilles d'origine ; chaque partie
    d'index s'analyse en XML, espaces de noms compris ; la grille se relit (check)."""
    from click.testing import CliRunner
    from lxml import etree

    from coaching_xl.cli import main

    assert _feuilles(chemin)[-3:] == ["Indicateurs", "Services demandeurs", "Anomalies"]
    with zipfile.ZipFile(chemin) as archive:
        for nom in ("[Content_Types].xml", CLASSEUR_XML, "xl/_rels/workbook.xml.rels", STYLES_XML):
            etree.fromstring(archive.read(nom))
    resultat = CliRunner().invoke(main, ["check", str(chemin)])
    assert resultat.exit_code == 0, resultat.output


def _recalcul_possible(chemin: Path) -> None:
    """Un second calcul réussit aussi, et remplace les feuilles au lieu de les empiler."""
    from click.testing import CliRunner

    from coaching_xl.cli import main

    resultat = CliRunner().invoke(main, ["compute", str(chemin)])
    assert resultat.exit_code == 0, resultat.output
    _resultats_visibles_et_relisibles(chemin)
    assert _feuilles(chemin).count("Indicateurs") == 1


def _styles_des_resultats(chemin: Path) -> None:
    classeur_ecrit = load_workbook(chemin)
    feuille = classeur_ecrit["Indicateurs"]
    formats = {c.number_format for ligne in feuille.iter_rows(max_row=20) for c in ligne}
    assert any("%" in f for f in formats), formats


def _anomalies_ecrites(chemin: Path) -> list[list[object]]:
    """Les lignes de la feuille Anomalies à partir de la ligne 7 (colonnes A à F)."""
    import fastexcel

    feuille = fastexcel.read_excel(chemin).load_sheet_by_name("Anomalies", header_row=None, use_columns="A:F")
    return [list(ligne) for ligne in feuille.to_pandas().iloc[6:].itertuples(index=False)]


def _liste_plafonnee(chemin: Path) -> None:
    import csv

    lignes = _anomalies_ecrites(chemin)
    plafond, reste = 10_000, s.LIGNES_MAX - 10_000
    assert [ligne[0] for ligne in lignes[:2]] == ["E5", "E6"] and lignes[plafond - 1][0] == f"E{plafond + 4}"
    assert lignes[plafond][0] == (
        f"… et {entier(reste)} autres anomalies : la liste complète est dans grille_anomalies.csv, à côté "
        "de la grille."
    )
    with open(chemin.with_name("grille_anomalies.csv"), encoding="utf-8-sig", newline="") as f:
        liste = list(csv.reader(f, delimiter=";"))
    assert len(liste) == 1 + s.LIGNES_MAX and liste[-1][:4] == [
        f"Recueil!E{s.DERNIERE_LIGNE_EXCEL}",
        str(s.DERNIERE_LIGNE_EXCEL),
        s.ERREUR,
        "delai-invalide",
    ]


def _texte_sans_controle(chemin: Path) -> None:
    """Les caractères de contrôle de la cellule (interdits en XML, dangereux sur un terminal)
    sont cités « \ufffd » ; les blancs de contrôle en fin de cellule sont des blancs."""
    valeur = load_workbook(chemin)["Anomalies"]["E7"].value
    assert valeur == "Ext\ufffderne"


def _texte_geant(chemin: Path) -> None:
    """La valeur est citée coupée, dans la feuille Anomalies comme dans le message."""
    anomalies = load_workbook(chemin)["Anomalies"]
    valeur, message = anomalies["E7"].value, anomalies["F7"].value
    assert valeur.startswith("Hospi - xxx") and valeur.endswith("…") and len(valeur) < 100
    assert message.startswith(f"« {valeur} » n'est pas dans la liste des provenances")


def _formules_restent_du_texte(chemin: Path) -> None:
    classeur = load_workbook(chemin)
    for nom in ("Indicateurs", "Services demandeurs", "Anomalies"):
        assert not [
            c.coordinate for ligne in classeur[nom].iter_rows() for c in ligne if c.data_type == "f"
        ], nom
    services = {classeur["Services demandeurs"].cell(r, 1).value for r in range(7, 7 + len(FORMULES))}
    assert services == set(FORMULES)
    modalites = {classeur["Indicateurs"].cell(r, 1).value for r in range(1, 200)}
    assert "=IRM" in modalites


# Ce qui entoure la commande ------------------------------------------------------------------


@contextlib.contextmanager
def lecture_seule(chemin: Path) -> Iterator[None]:
    mode = chemin.stat().st_mode
    chemin.chmod(0o444)
    try:
        yield
    finally:
        chemin.chmod(mode)


def ouvert_dans(motif: str) -> Callable[[Path], contextlib.AbstractContextManager[None]]:
    """Le fichier de verrou qu'un tableur laisse à côté d'un classeur ouvert."""

    @contextlib.contextmanager
    def ouvert(chemin: Path) -> Iterator[None]:
        verrou = chemin.with_name(motif.format(chemin.name))
        verrou.write_bytes(b"Marie Curie")
        try:
            yield
        finally:
            verrou.unlink()

    return ouvert


@contextlib.contextmanager
def calcul_en_cours(chemin: Path) -> Iterator[None]:
    """Un autre coaching-xl écrit la grille (il tient son verrou), et ne finira pas de sitôt :
    celui qu'on lance attend 1 s au lieu d'une minute, puis renonce."""
    tenant = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys; from socle.fichiers import verrou\n"
            f"with verrou({str(chemin)!r}):\n    print('pret', flush=True); sys.stdin.read()"
        )],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    attente = fichiers.ATTENTE_VERROU
    try:
        assert tenant.stdout.readline().strip() == "pret"
        fichiers.ATTENTE_VERROU = 1.0
        yield
    finally:
        fichiers.ATTENTE_VERROU = attente
        tenant.communicate("", timeout=30)


CAS: tuple[Cas, ...] = (
    # Ce qui n'est pas un classeur
    Cas("pas_un_zip", _pas_un_zip, 1, ("n'est pas un classeur Excel ou LibreOffice",)),
    Cas("vide", _vide, 1, ("est vide (0 octet)", "copie complète")),
    Cas("tronque", _tronque, 1, ("est abîmé ou incomplet", "copie complète")),
    Cas("tronque_fin", _tronque_fin, 1, ("est abîmé ou incomplet",)),
    Cas("page_web", _page_web, 1, ("page web ou un fichier texte",)),
    Cas("dossier", _dossier, 1, ("est un dossier",)),
    Cas("absent", _absent, 1, ("Fichier introuvable", "Vérifiez le chemin")),
    Cas("extension_csv", _extension, 1, ("format « .csv » non pris en charge",)),
    # Ce qui est hostile
    Cas("bombe_zip", _bombe_zip, 1, ("bombe de décompression",)),
    Cas("taille_geante", _taille_geante, 1, ("se décompresse en", "coaching-xl ne l'ouvre pas")),
    Cas("taille_menteuse", _taille_menteuse, 1, ("plus ou moins de données que l'archive ne le déclare",)),
    Cas("trop_de_parties", _trop_de_parties, 1, ("parties (au plus 10\u202f000 dans un classeur)",)),
    Cas("bombe_xml_classeur", _bombe_xml("xl/workbook.xml"), 1, ("xl/workbook.xml déclare des entités XML",)),
    Cas(
        "bombe_xml_chaines",
        _bombe_xml("xl/sharedStrings.xml", lambda dossier: _grille_rapide(dossier, 10)),
        1,
        ("xl/sharedStrings.xml déclare des entités",),
    ),
    Cas("bombe_xml_feuille", _bombe_xml_dans_une_cellule, 1, (f"{FEUILLE} déclare des entités XML",)),
    Cas("chiffre", _chiffre, 1, ("protégé par un mot de passe", "Chiffrer avec mot de passe")),
    # Ce qui est mal nommé ou mal construit
    Cas("xls_renomme_xlsx", _xls_renomme, 1, ("Excel 97-2003 (.xls) enregistré avec l'extension .xlsx",)),
    Cas("xlsx_renomme_xls", _xlsx_renomme_xls, 1, ("enregistré avec l'extension .xls",)),
    Cas("feuille_mal_formee", _feuille_mal_formee, 1, ("est abîmé ou incomplet",)),
    Cas("feuille_absente", _feuille_absente, 1, ("est abîmé ou incomplet",)),
    Cas("sans_recueil", _sans_recueil, 1, ("en-têtes de la grille introuvables", "coaching-xl generate")),
    Cas("entetes_renommes", _entetes_renommes, 1, ("en-têtes de la grille introuvables",)),
    Cas("entetes_doubles", _entetes_doubles, 1, ("« Date » apparaît deux fois (colonnes A et G)",)),
    # Des grilles lisibles, mais étranges
    Cas(
        "million_d_anomalies",
        _million_d_anomalies,
        0,
        ("Liste complète des anomalies",),
        anomalies={"delai-invalide": s.LIGNES_MAX},
        produits=("grille_anomalies.csv",),
        verifier=_liste_plafonnee,
        lent=True,
    ),
    Cas(
        "cellules_geantes",
        _cellules_geantes,
        0,
        anomalies={"valeur-hors-liste": ["C5"]},
        verifier=_texte_geant,
    ),
    Cas(
        "caracteres_de_controle",
        _caracteres_de_controle,
        0,
        anomalies={"valeur-hors-liste": ["C5"]},
        verifier=_texte_sans_controle,
    ),
    Cas(
        "formules_dans_les_listes",
        _formules_dans_les_listes,
        0,
        anomalies={},
        verifier=_formules_restent_du_texte,
    ),
    Cas("dates_en_texte", _dates_en_texte, 0, anomalies={"date-invalide": ["A15"]}),
    Cas("cellules_fusionnees", _cellules_fusionnees, 0, anomalies={"champ-manquant": ["D6", "D7"]}),
    Cas("lignes_masquees", _lignes_masquees, 0, ("10 lignes lues",), anomalies={}),
    Cas("deux_cents_feuilles", _deux_cents_feuilles, 0, anomalies={}),
    Cas("chemin_accentue", _chemin_accentue, 0, ("Hôpital Saint-Éloi (CH)",), anomalies={}),
    # Ce qui empêche d'écrire : la grille se lit, rien ne s'écrit
    Cas("lecture_seule", grille, 1, ("est en lecture seule", "--sortie"), autour=lecture_seule),
    Cas("lecture_seule_check", grille, 0, ("10 lignes lues",), commande="check", autour=lecture_seule),
    Cas(
        "ouvert_dans_excel",
        grille,
        1,
        ("ouvert dans un tableur (~$grille.xlsx présent) : fermez-le",),
        autour=ouvert_dans("~${}"),
    ),
    Cas(
        "ouvert_dans_libreoffice",
        grille,
        1,
        ("ouvert dans un tableur (.~lock.grille.xlsx#",),
        autour=ouvert_dans(".~lock.{}#"),
    ),
    Cas(
        "calcul_en_cours",
        grille,
        1,
        ("en cours d'écriture par un autre coaching-xl",),
        autour=calcul_en_cours,
    ),
    # Ce que des tableurs, des programmes ou des mains font aux classeurs : la grille n'est jamais
    # remplacée par un classeur illisible, aucune ligne ne disparaît, rien ne passe les défenses.
    Cas("r_sur_chaque_feuille", _r_sur_chaque_feuille, 0, anomalies={}, verifier=_recalcul_possible),
    Cas("marque_sur_recueil", _marque_sur_recueil, 0, anomalies={}, verifier=_recalcul_possible),
    Cas("commentaire_sheets", _commentaire_sheets, 0, anomalies={}, verifier=_recalcul_possible),
    Cas(
        "formules_sans_valeur",
        _formules_sans_valeur,
        0,
        ("10 lignes lues",),
        anomalies={"formule-sans-valeur": [f"{lettre}8" for lettre in "ABCDEF"]},
    ),
    Cas(
        "erreurs_de_cellule",
        _erreurs_de_cellule,
        0,
        ("10 lignes lues",),
        anomalies={
            "valeur-erreur": [f"{lettre}{ligne}" for ligne in (6, 7, 8) for lettre in "ABCDEF"] + ["B9"]
        },
    ),
    Cas(
        "ligne_de_total", _ligne_de_total, 0, ("10 lignes lues",), anomalies={"ligne-total-tableau": ["A15"]}
    ),
    Cas("deux_feuilles_recueil", _deux_feuilles_recueil, 1, ("deux feuilles s'appellent « Recueil »",)),
    Cas("dtd_apres_commentaire", _dtd_apres_commentaire(CLASSEUR_XML), 1, ("déclare des entités XML",)),
    Cas("dtd_apres_commentaire_feuille", _dtd_apres_commentaire(FEUILLE), 1, ("déclare des entités XML",)),
    Cas("commentaire_final", _commentaire_final, 0, anomalies={}, verifier=_recalcul_possible),
    Cas("styles_apostrophes", _styles_apostrophes, 0, anomalies={}, verifier=_styles_des_resultats),
    Cas("zip_de_mac", _zip_de_mac, 0, anomalies={}, verifier=_recalcul_possible),
    Cas("dates_iso_fuseau", _dates_iso_fuseau, 0, ("3 lignes lues",), anomalies={}),
    Cas("date_geante", _date_geante, 0, anomalies={"date-invalide": ["A5"]}),
    Cas("delais_exotiques", _delais_exotiques, 0, anomalies={"delai-invalide": ["E5", "E6"]}),
    Cas("open_xml_strict", _open_xml_strict, 0, anomalies={}, verifier=_recalcul_possible),
    Cas(
        "sans_types_de_contenu",
        _sans_types_de_contenu,
        1,
        ("il manque [Content_Types].xml", "Ouvrez-le dans Excel ou LibreOffice"),
    ),
    Cas(
        "donnees_corrompues",
        _donnees_corrompues,
        1,
        ("est abîmé ou incomplet (données compressées illisibles)",),
        interdits=("Error", "invalid", "incorrect"),
    ),
)
CAS_PAR_NOM = {cas.nom: cas for cas in CAS}


def fabriquer(dossier: Path, lents: bool = True) -> dict[str, Path]:
    """Écrit chaque cas dans son sous-dossier de ``dossier``."""
    chemins = {}
    for cas in CAS:
        if cas.lent and not lents:
            continue
        sous = dossier / cas.nom
        shutil.rmtree(sous, ignore_errors=True)
        sous.mkdir(parents=True)
        chemins[cas.nom] = cas.fabriquer(sous)
    return chemins


if __name__ == "__main__":
    for nom, chemin in fabriquer(Path(sys.argv[1] if len(sys.argv) > 1 else "mauvaises_entrees")).items():
        print(f"{nom:28} {chemin}")
