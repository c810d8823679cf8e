"""Les grilles des mesures de performance, fabriquées vite et mises en cache.

La grille vide vient du générateur (openpyxl) ; ses lignes de données sont ensuite écrites
directement dans la feuille Recueil, en chaînes partagées comme Excel les enregistre : remplir
un million de lignes avec openpyxl prendrait une minute et demie et 2,5 Go.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np

from recueil import schema as s
from recueil.classeur import sauver
from recueil.grille import OptionsGrille, construire_grille
from recueil.simulation import region, simuler

CACHE = Path(__file__).parent / "cache"
JOURS = 160
"""Les dates couvrent du 01/09/2010 au 07/02/2011, la période du coaching."""

_TYPES_CONTENU = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_REL_CHAINES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def grille(lignes: int, graine: int = 0, cache: Path = CACHE) -> Path:
    """Une grille de ``lignes`` lignes remplies (au plus 1 048 572), en cache."""
    chemin = cache / f"grille_{lignes}_{graine}.xlsx"
    if not chemin.exists():
        cache.mkdir(parents=True, exist_ok=True)
        temporaire = chemin.with_suffix(".tmp")
        ecrire(temporaire, lignes, graine)
        temporaire.replace(chemin)
    return chemin


def region_simulee(etablissements: int, lignes: int, cache: Path = CACHE) -> Path:
    """Le dossier des grilles d'une région simulée (``recueil.simulation``), ``lignes`` lignes
    par établissement, en cache. Les erreurs de saisie simulées n'y sont pas : seules les
    valeurs comptent pour mesurer une consolidation."""
    dossier = cache / f"region_{etablissements}_{lignes}"
    if not dossier.exists():
        temporaire = dossier.with_suffix(".tmp")
        temporaire.mkdir(parents=True, exist_ok=True)
        for profil in region(etablissements):
            recueil = simuler(profil, lignes=lignes)
            valeurs = {
                "date": (recueil.dates - np.datetime64("1899-12-30")).astype(np.int64),
                "modalite": recueil.modalites, "provenance": recueil.provenances, "type": recueil.types,
                "delai_rdv": recueil.delai_rdv, "delai_cr": recueil.delai_cr,
            }  # fmt: skip
            options = OptionsGrille(identite=profil.identite, lignes=max(lignes, s.LIGNES_PAR_DEFAUT))
            _ecrire(temporaire / profil.nom_fichier, valeurs, options)
        temporaire.rename(dossier)
    return dossier


def _valeurs(lignes: int, graine: int) -> dict[str, np.ndarray]:
    """Des lignes plausibles : 60 % d'honorés, 6 % de non-honorés, délais de quelques semaines."""
    hasard = np.random.default_rng(graine)
    types = hasard.choice(3, size=lignes, p=[0.60, 0.06, 0.34])
    programme = types < 2
    return {
        "date": 40422 + hasard.integers(0, JOURS, lignes),  # 40422 = 01/09/2010
        "modalite": hasard.choice(len(s.MODALITES.defaut), size=lignes, p=[0.3, 0.25, 0.2, 0.2, 0.05]),
        "provenance": hasard.integers(0, len(s.PROVENANCES.defaut), lignes),
        "type": types,
        "delai_rdv": np.where(programme, hasard.gamma(2.0, 10.0, lignes).astype(int).clip(0, 365), -1),
        "delai_cr": np.where(types != 1, hasard.choice([0, 0, 1, 1, 2, 3, 5, 9], lignes), -1),
    }


def ecrire(chemin: Path, lignes: int, graine: int = 0) -> None:
    """Écrit la grille (voir ``grille``)."""
    if not 1 <= lignes <= s.LIGNES_MAX:
        raise ValueError(f"entre 1 et {s.LIGNES_MAX} lignes")
    _ecrire(chemin, _valeurs(lignes, graine), OptionsGrille(lignes=max(lignes, s.LIGNES_PAR_DEFAUT)))


def remplir_modele(modele: Path, chemin: Path, lignes: int, graine: int = 0) -> Path:
    """Une copie du classeur ``modele`` (une grille vide, par exemple templates_xlsx/ d'une autre
    version) remplie de ``lignes`` lignes : pour comparer deux tableaux de bord sur les mêmes
    données."""
    _ecrire(chemin, _valeurs(lignes, graine), vide=Path(modele).read_bytes())
    return chemin


def _ecrire(
    chemin: Path,
    valeurs: dict[str, np.ndarray],
    options: OptionsGrille | None = None,
    vide: bytes | None = None,
) -> None:
    """La grille vide de ``options`` (ou le classeur ``vide``), remplie des ``valeurs`` (numéros
    de série des dates, indices dans les listes par défaut, délais ; -1 : vide)."""
    tampon = io.BytesIO()
    if vide is None:
        sauver(construire_grille(options or OptionsGrille()), tampon)
    else:
        tampon.write(vide)
    chaines = [*s.MODALITES.defaut, *s.PROVENANCES.defaut, *(t.libelle for t in s.TYPES_RDV)]
    decalage = {"modalite": 0, "provenance": len(s.MODALITES.defaut),
                "type": len(s.MODALITES.defaut) + len(s.PROVENANCES.defaut)}  # fmt: skip
    with (
        zipfile.ZipFile(tampon) as source,
        zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as cible,
    ):
        for entree in source.infolist():
            contenu = source.read(entree.filename)
            if entree.filename == "xl/worksheets/sheet1.xml":
                _ecrire_feuille(cible, contenu.decode(), valeurs, decalage)
                continue
            if entree.filename == "[Content_Types].xml":
                contenu = contenu.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES_CONTENU}"/></Types>'.encode(),
                )
            elif entree.filename == "xl/_rels/workbook.xml.rels":
                contenu = contenu.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdChaines" Type="{_REL_CHAINES}" Target="sharedStrings.xml"/>'
                    "</Relationships>".encode(),
                )
            cible.writestr(entree, contenu)
        table = "".join(f"<si><t>{c}</t></si>" for c in chaines)
        cible.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(chaines)}" uniqueCount="{len(chaines)}">{table}</sst>',
        )


def _ecrire_feuille(cible: zipfile.ZipFile, xml: str, valeurs: dict, decalage: dict) -> None:
    """La feuille Recueil : ses quatre premières lignes, puis les données (la note de fin de
    la grille vide, devenue inutile, est retirée)."""
    styles = {int(m[1]): m[2] for m in re.finditer(r'<col[^>]*min="(\d+)"[^>]*style="(\d+)"', xml)}
    styles |= {int(m[2]): m[1] for m in re.finditer(r'<col[^>]*style="(\d+)"[^>]*min="(\d+)"', xml)}
    debut = xml.index("<sheetData>") + len("<sheetData>")
    suite = xml.index("</sheetData>")
    entete = "".join(
        m[0] for m in re.finditer(r'<row r="(\d+)".*?</row>', xml[debut:suite]) if int(m[1]) <= s.LIGNE_ENTETE
    )
    style_date, style_delai = styles.get(1, "0"), styles.get(5, "0")
    n = len(valeurs["date"])
    with cible.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sortie:
        sortie.write((xml[:debut] + entete).encode())
        for depart in range(0, n, 50_000):
            morceau = slice(depart, min(n, depart + 50_000))
            rangs = np.arange(morceau.start, morceau.stop) + s.PREMIERE_LIGNE
            lignes = []
            for r, d, m, p, t, e, f in zip(
                rangs, valeurs["date"][morceau], valeurs["modalite"][morceau],
                valeurs["provenance"][morceau], valeurs["type"][morceau],
                valeurs["delai_rdv"][morceau], valeurs["delai_cr"][morceau], strict=True,
            ):  # fmt: skip
                cellules = (
                    f'<c r="A{r}" s="{style_date}"><v>{d}</v></c>'
                    f'<c r="B{r}" t="s"><v>{m + decalage["modalite"]}</v></c>'
                    f'<c r="C{r}" t="s"><v>{p + decalage["provenance"]}</v></c>'
                    f'<c r="D{r}" t="s"><v>{t + decalage["type"]}</v></c>'
                )
                if e >= 0:
                    cellules += f'<c r="E{r}" s="{style_delai}"><v>{e}</v></c>'
                if f >= 0:
                    cellules += f'<c r="F{r}" s="{style_delai}"><v>{f}</v></c>'
                lignes.append(f'<row r="{r}">{cellules}</row>')
            sortie.write("".join(lignes).encode())
        sortie.write(xml[suite:].encode())


def malcom_plein(blocs: int = 30, cache: Path = CACHE) -> Path:
    """Un classeur Malcom plein : ``blocs`` blocs (dont deux lignes de PDS), 20 activités, deux
    semaines types, chaque praticien sur ses 10 ½ journées avec 2 activités chacune, en cache."""
    import random

    from recueil import malcom_schema as m
    from recueil.malcom import Contenu, construire
    from recueil.malcom_exemple import WE, cellules_du_bloc

    chemin = cache / f"malcom_{blocs}_blocs.xlsx"
    if chemin.exists():
        return chemin
    hasard = random.Random(blocs)
    activites = [(f"Activité {i}", f"A{i:02d}", "actes", 3 + i % 5, (1 + i % 4) / 24, 1000 * (i + 1))
                 for i in range(20)]  # fmt: skip
    ids = [a[1] for a in activites]
    blocs_, cellules = [], {}
    for b in range(1, blocs + 1):
        ligne = b > blocs - 2
        blocs_.append((f"Ligne PDS {b}" if ligne else f"Docteur {b:02d}", "PDS" if ligne else 1, None))
        for semaine in (1, 2):
            demi = {d.code: [(hasard.choice(ids), "2:00"), (hasard.choice(ids), "1:30")]
                    for d in m.DEMI_JOURNEES[:10]} if not ligne else {}  # fmt: skip
            pds = WE if ligne else {hasard.choice(m.CRENEAUX).code: ["Ga"]}
            cellules.update(cellules_du_bloc(b, demi, pds, semaine_type=semaine))
    contenu = Contenu({}, activites, {"D5": 2}, blocs_, cellules)
    cache.mkdir(parents=True, exist_ok=True)
    sauver(construire(blocs=blocs, contenu=contenu), chemin)
    return chemin
