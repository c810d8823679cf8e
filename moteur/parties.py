"""Ce que coaching-xl vérifie d'une partie XML pendant qu'il la décompresse lui-même, sans la
garder en mémoire : son prologue (une DTD y serait refusée), sa fin (une partie coupée perdrait
des lignes en silence) et, dans la feuille de données, les cellules qu'un lecteur ne rend pas
(erreurs « #REF! », formules dont la valeur n'a pas été enregistrée).

Chaque morceau décompressé passe une fois ici (``Examen.nourrir``) ; seules de petites
recherches d'octets (``bytes.find``, en C) le parcourent, et le XML d'une cellule n'est analysé
que lorsqu'une de ces recherches la désigne.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

FIN = 1 << 16
"""Ce que l'on garde de la fin d'une partie : sa balise fermante et ce qui peut la suivre
(commentaires, instructions de traitement)."""
APRES_RACINE = 4096
"""Ce que l'on garde du début de l'élément racine (un élément racine vide « <a/> »)."""
_NOM = re.compile(rb"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_BLANCS = b" \t\r\n"
CELLULE_MAX = 1 << 20
"""Au-delà, une cellule n'en est pas une (une cellule Excel compte au plus 32 767 caractères)."""


class DTDTrouvee(Exception):
    """La partie déclare une DTD (des entités) avant son élément racine."""


class Prologue:
    """Le début d'une partie XML, lu au fil de la décompression jusqu'à son élément racine :
    déclaration, blancs, commentaires et instructions de traitement sont sautés quelle que soit
    leur longueur ; une déclaration ``<!DOCTYPE`` lève DTDTrouvee."""

    def __init__(self) -> None:
        self._tampon = b""
        self._dans: bytes | None = None
        """La fin attendue (« --> », « ?> ») de la construction en cours."""
        self._premier = True
        self._decodeur: codecs.IncrementalDecoder | None = None
        self.encodage: str | None = None
        """« utf-16-le » ou « utf-16-be » pour une partie en UTF-16 (aucun tableur n'en écrit)."""
        self.racine: bytes | None = None
        """Le nom de l'élément racine (« worksheet », « x:worksheet ») ; None tant qu'il n'est pas lu."""
        self.fini = False
        self.debut_racine = b""
        """Les premiers octets de l'élément racine."""

    def nourrir(self, morceau: bytes) -> None:
        if self.fini:
            if len(self.debut_racine) < APRES_RACINE:
                self.debut_racine += self._transcrire(morceau)[: APRES_RACINE - len(self.debut_racine)]
            return
        if self._premier:
            self._premier = False
            if morceau.startswith((b"\xff\xfe", b"\xfe\xff")):
                self.encodage = "utf-16-le" if morceau.startswith(b"\xff\xfe") else "utf-16-be"
                self._decodeur = codecs.getincrementaldecoder("utf-16")()
            elif morceau.startswith(b"\xef\xbb\xbf"):
                morceau = morceau[3:]
        self._tampon += self._transcrire(morceau)
        self._avancer()

    def en_utf8(self, octets: bytes) -> bytes:
        """Des octets de la partie, en UTF-8 (la fin d'une partie en UTF-16)."""
        if self.encodage is None:
            return octets
        return octets[len(octets) % 2 :].decode(self.encodage, "replace").encode("utf-8")

    def _transcrire(self, morceau: bytes) -> bytes:
        if self._decodeur is None:
            return morceau
        return self._decodeur.decode(morceau).encode("utf-8")

    def _avancer(self) -> None:
        tampon = self._tampon
        while True:
            if self._dans is not None:
                fin = tampon.find(self._dans)
                if fin < 0:
                    self._tampon = tampon[-(len(self._dans) - 1) :]
                    return
                tampon, self._dans = tampon[fin + len(self._dans) :], None
                continue
            tampon = tampon.lstrip(_BLANCS)
            if not tampon:
                self._tampon = b""
                return
            if tampon.startswith(b"<!--"):
                tampon, self._dans = tampon[4:], b"-->"
            elif tampon.startswith(b"<?"):
                tampon, self._dans = tampon[2:], b"?>"
            elif tampon.startswith(b"<!"):
                if b"<!--".startswith(tampon):  # « <!- » coupé : attendre la suite
                    self._tampon = tampon
                    return
                raise DTDTrouvee
            elif tampon.startswith(b"<"):
                nom = _NOM.match(tampon, 1)
                if nom is None or nom.end() == len(tampon):
                    if len(tampon) > 1024:  # pas un nom d'élément : mal formé, l'analyse le dira
                        self._terminer(None, tampon)
                    else:
                        self._tampon = tampon
                    return
                self._terminer(nom[0], tampon)
                return
            else:
                self._terminer(None, tampon)
                return

    def _terminer(self, racine: bytes | None, tampon: bytes) -> None:
        self.racine, self.fini = racine, True
        self.debut_racine = tampon[:APRES_RACINE]
        self._tampon = b""


def partie_complete(prologue: Prologue, fin: bytes) -> bool:
    """Vrai si la partie se termine par la fermeture de son élément racine (ou si celui-ci est
    vide, « <racine/> »), suivie au plus de ce que XML permet après lui : blancs, commentaires,
    instructions de traitement."""
    racine = prologue.racine
    if racine is None:
        return True  # pas un élément XML reconnaissable : le lecteur ou l'analyse le diront
    vide = re.match(rb"<" + re.escape(racine) + rb"\b[^>]*/>", prologue.debut_racine)
    if vide is not None:
        return len(prologue.debut_racine) >= APRES_RACINE or _que_du_misc(prologue.debut_racine[vide.end() :])
    fermetures = list(re.finditer(rb"</" + re.escape(racine) + rb"\s*>", fin))
    return bool(fermetures) and _que_du_misc(fin[fermetures[-1].end() :])


def _que_du_misc(texte: bytes) -> bool:
    """Vrai si ``texte`` n'est fait que de blancs, commentaires et instructions de traitement."""
    reste = texte.strip(_BLANCS)
    while reste:
        if reste.startswith(b"<!--"):
            fin = reste.find(b"-->", 4)
            if fin < 0:
                return False
            reste = reste[fin + 3 :].lstrip(_BLANCS)
        elif reste.startswith(b"<?"):
            fin = reste.find(b"?>", 2)
            if fin < 0:
                return False
            reste = reste[fin + 2 :].lstrip(_BLANCS)
        else:
            return False
    return True


# --- Cellules d'une feuille qu'un lecteur ne rend pas --------------------------------------


@dataclass(frozen=True)
class CelluleSpeciale:
    """Une cellule que le lecteur rend vide alors qu'elle ne l'est pas."""

    reference: str
    """« D42 » ; « » si la cellule ne dit pas où elle est (attribut r absent)."""
    genre: str
    """« erreur » (#REF!, #N/A…) ou « formule » (formule sans valeur enregistrée)."""
    valeur: str
    """Le texte de l'erreur (« #REF! »), ou la formule."""


_TYPES_TEXTE = (b"str", b"inlineStr")
"""Une formule de texte peut rendre une chaîne vide : ``<v></v>`` est alors sa valeur."""
_ATTRIBUT = re.compile(rb"""\s([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class Cellules:
    """Les cellules spéciales d'une partie de feuille (.xlsx), cherchées morceau par morceau.

    Une cellule d'erreur porte l'attribut ``t="e"`` ; une formule sans valeur, un élément ``<f>``
    sans ``<v>`` (ou avec un ``<v>`` vide hors formule de texte) : écrit par un programme, jamais
    ouvert dans un tableur. ``incertain`` : une cellule désignée n'a pas pu être lue (sans
    référence, ou plus longue qu'une cellule ne peut l'être)."""

    prefixe: bytes = b""
    guillemets: bytes = b'"'
    """Les guillemets des attributs du document (« " », ou « ' » pour certains outils ; les deux si
    l'élément racine les mélange)."""
    trouvees: list[CelluleSpeciale] = field(default_factory=list)
    incertain: bool = False
    _tampon: bytes = b""
    _origine: int = 0
    """Position, dans la partie, du premier octet de ``_tampon``."""
    _vues: set[int] = field(default_factory=set)
    """Positions des cellules déjà examinées."""

    def __post_init__(self) -> None:
        p = self.prefixe
        # « <f » couvre <f>, <f …> et <f/> (et, hors des cellules, <filterColumn>, écarté à
        # l'examen) : deux recherches seulement par morceau, le coût de ce relevé.
        self._motifs = (b"<" + p + b"f", *(b" t=%ce%c" % (g, g) for g in self.guillemets))
        self._ouvertures = (b"<" + p + b"c ", b"<" + p + b"c>")
        self._fermeture = b"</" + p + b"c>"
        self._recouvrement = max(len(m) for m in self._motifs) - 1

    def nourrir(self, morceau: bytes) -> None:
        tampon = self._tampon + morceau
        garder = max(0, len(tampon) - self._recouvrement)
        for motif in self._motifs:
            position = tampon.find(motif)
            while position >= 0:
                attente = self._examiner(tampon, position)
                if attente is not None:
                    garder = min(garder, attente)
                position = tampon.find(motif, position + 1)
        self._origine += garder
        self._tampon = tampon[garder:]
        if len(self._tampon) > CELLULE_MAX:
            self.incertain = True
            self._origine += len(self._tampon) - self._recouvrement
            self._tampon = self._tampon[-self._recouvrement :]

    def _examiner(self, tampon: bytes, position: int) -> int | None:
        """Examine la cellule qui contient ``position`` ; rend la position de son début si elle
        n'est pas encore entière dans le tampon (il faut attendre le morceau suivant)."""
        debut = max(tampon.rfind(o, 0, position + 1) for o in self._ouvertures)
        if debut < 0:
            return None  # hors de toute cellule (ou début perdu : déjà examinée)
        if self._origine + debut in self._vues:
            return None
        fin_balise = tampon.find(b">", debut)
        if fin_balise < 0:
            return debut
        if tampon[fin_balise - 1 : fin_balise] == b"/":
            fin = fin_balise + 1
            if fin <= position:
                return None  # cellule vide fermée avant le motif : le motif est ailleurs
        else:
            fermeture = tampon.find(self._fermeture, fin_balise)
            if fermeture < 0:
                return debut
            fin = fermeture + len(self._fermeture)
            if fin <= position:
                return None
        self._vues.add(self._origine + debut)
        self._lire(tampon[debut:fin], tampon[debut:fin_balise])
        return None

    def _lire(self, cellule: bytes, balise: bytes) -> None:
        attributs = {
            m[1].split(b":")[-1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUT.finditer(balise)
        }
        reference = attributs.get(b"r", b"").decode("ascii", "replace")
        type_ = attributs.get(b"t", b"n")
        p = re.escape(self.prefixe)
        valeur = re.search(rb"<" + p + rb"v(?:\s[^>]*)?>(.*?)</" + p + rb"v>", cellule, re.S)
        formule = re.search(rb"<" + p + rb"f\b[^>]*?(?:/>|>(.*?)</" + p + rb"f>)", cellule, re.S)
        if type_ == b"e":
            texte = valeur[1] if valeur else b"#N/A"
            speciale = CelluleSpeciale(reference, "erreur", _texte(texte) or "#N/A")
        elif formule is not None and (valeur is None or (not valeur[1] and type_ not in _TYPES_TEXTE)):
            speciale = CelluleSpeciale(reference, "formule", "=" + _texte(formule[1] or b""))
        else:
            return
        if not reference:
            self.incertain = True
        self.trouvees.append(speciale)


_ENTITES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}


def _texte(octets: bytes) -> str:
    """Le texte d'un élément XML simple (entités prédéfinies et numériques remplacées)."""

    def remplacer(m: re.Match) -> bytes:
        entite = m[0]
        if entite in _ENTITES:
            return _ENTITES[entite]
        if entite.startswith(b"&#x"):
            return chr(int(entite[3:-1], 16)).encode("utf-8")
        if entite.startswith(b"&#"):
            return chr(int(entite[2:-1])).encode("utf-8")
        return entite

    texte = re.sub(rb"&(?:#x[0-9a-fA-F]+|#\d+|\w+);", remplacer, octets).replace(b"&amp;", b"&")
    return texte.decode("utf-8", "replace").strip()


_ERREUR_ODS = b'calcext:value-type="error"'
_TABLE_ODS = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')


@dataclass
class CellulesOds:
    """Dans le content.xml d'un .ods, le repère des cellules en erreur de la feuille ``nom``
    (LibreOffice les écrit ``calcext:value-type="error"``) : leur position ne se lit qu'en
    comptant lignes et colonnes répétées, ce que fait ``moteur.lecture.analyser_cellules_ods``
    quand ``incertain`` est vrai."""

    nom: str
    trouvees: list[CelluleSpeciale] = field(default_factory=list)
    incertain: bool = False
    _courante: bytes | None = None
    _reste: bytes = b""

    def nourrir(self, morceau: bytes) -> None:
        if self.incertain:
            return
        tampon = self._reste + morceau
        cible = self.nom.encode("utf-8")
        position = 0
        for table in _TABLE_ODS.finditer(tampon):
            if self._courante == cible and _ERREUR_ODS in tampon[position : table.start()]:
                self.incertain = True
                return
            self._courante, position = _texte(table[1]).encode("utf-8"), table.end()
        if self._courante == cible and _ERREUR_ODS in tampon[position:]:
            self.incertain = True
        self._reste = tampon[-512:]
