"""Le pilote de LibreOffice, comme une personne s'en sert : lancé par le Python de Debian (le seul
qui ait ``uno``, paquet python3-uno), il démarre un LibreOffice sans écran sur un profil français
(fr-FR), puis exécute une à une les actions qu'il lit sur son entrée, une ligne JSON chacune, et
répond une ligne JSON par action. ``tests/libreoffice_uno.py`` en est le client.

Taper dans une cellule, c'est écrire sa propriété ``FormulaLocal`` : exactement ce que la saisie
au clavier donne (« 06/09/2010 » devient le 6 septembre, « 3,5 » un nombre) ; ``setFormula``
analyserait en anglais. Enregistrer, c'est ``store()`` : Ctrl+S, dans le format du fichier.
Ce que l'on vérifie, c'est ce qui s'affiche : ``cell.String``.

Ce fichier n'importe rien de coaching-xl : le Python de Debian n'a pas ses dépendances.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from profil_francais import environnement, franciser  # à côté de ce fichier, bibliothèque standard seule

FILTRES = {
    "xlsx": "Calc MS Excel 2007 XML",
    "ods": "calc8",
    "xls": "MS Excel 97",
    "pdf": "calc_pdf_Export",
}
TYPES_D_AXE = {0: "nombre", 1: "pourcentage", 2: "categorie", 3: "serie", 4: "date"}
"""com.sun.star.chart2.AxisType."""


def proprietes(**valeurs: object) -> tuple:
    liste = []
    for nom, valeur in valeurs.items():
        p = PropertyValue()
        p.Name, p.Value = nom, valeur
        liste.append(p)
    return tuple(liste)


def url(chemin: str) -> str:
    return uno.systemPathToFileUrl(str(Path(chemin).resolve()))


class Pilote:
    def __init__(self, profil: Path) -> None:
        self.profil = profil
        self.tube = f"coachingxl{os.getpid()}"
        self.documents: dict[int, object] = {}
        self._preparer_profil()
        soffice = shutil.which("soffice") or "/usr/bin/soffice"
        self.processus = subprocess.Popen(
            [soffice, f"-env:UserInstallation={url(str(profil))}", "--headless", "--invisible", "--norestore",
             "--nologo", "--nodefault", f"--accept=pipe,name={self.tube};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environnement(),
        )  # fmt: skip
        self.bureau = self._connecter()

    def _preparer_profil(self) -> None:
        reglages = self.profil / "user" / "registrymodifications.xcu"
        if not reglages.exists():
            soffice = shutil.which("soffice") or "/usr/bin/soffice"
            subprocess.run([soffice, f"-env:UserInstallation={url(str(self.profil))}", "--headless",
                            "--terminate_after_init"], capture_output=True, timeout=180,
                           env=environnement())  # fmt: skip
        franciser(self.profil)

    def _connecter(self):
        local = uno.getComponentContext()
        resolveur = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        limite = time.monotonic() + 120
        while True:
            try:
                contexte = resolveur.resolve(f"uno:pipe,name={self.tube};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > limite or self.processus.poll() is not None:
                    raise
                time.sleep(0.3)
        return contexte.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", contexte)

    # --- Actions ----------------------------------------------------------------------------

    def ouvrir(self, chemin: str) -> int:
        document = self.bureau.loadComponentFromURL(url(chemin), "_blank", 0, proprietes(Hidden=True))
        if document is None:
            raise RuntimeError(f"LibreOffice n'a pas ouvert {chemin}")
        identifiant = len(self.documents) + 1
        self.documents[identifiant] = document
        return identifiant

    def _feuille(self, document: int, feuille: str):
        return self.documents[document].Sheets.getByName(feuille)

    def saisir(self, document: int, feuille: str, cellules: dict[str, str]) -> None:
        """Chaque cellule reçoit ce qu'on y tape (FormulaLocal), dans l'ordre donné."""
        onglet = self._feuille(document, feuille)
        for reference, texte in cellules.items():
            onglet.getCellRangeByName(reference).FormulaLocal = texte

    def saisir_lignes(self, document: int, feuille: str, premiere: int, lignes: list[list[str]]) -> None:
        """Des lignes tapées à partir de la ligne ``premiere``, colonne A : une cellule vide n'est
        pas touchée."""
        onglet = self._feuille(document, feuille)
        for i, ligne in enumerate(lignes):
            for j, texte in enumerate(ligne):
                if texte != "":
                    onglet.getCellByPosition(j, premiere - 1 + i).FormulaLocal = texte

    def lire(self, document: int, feuille: str, cellules: list[str]) -> dict[str, str]:
        """Le texte affiché de chaque cellule."""
        onglet = self._feuille(document, feuille)
        return {reference: onglet.getCellRangeByName(reference).String for reference in cellules}

    def lire_plage(self, document: int, feuille: str, plage: str) -> list[list[str]]:
        """Le texte affiché d'une plage, ligne par ligne."""
        zone = self._feuille(document, feuille).getCellRangeByName(plage)
        adresse = zone.RangeAddress
        return [
            [zone.getCellByPosition(c, r).String for c in range(adresse.EndColumn - adresse.StartColumn + 1)]
            for r in range(adresse.EndRow - adresse.StartRow + 1)
        ]

    def valeurs(self, document: int, feuille: str, plage: str) -> list[list[object]]:
        """Les valeurs d'une plage (nombres pour les nombres, texte sinon), ligne par ligne."""
        return [
            list(ligne) for ligne in self._feuille(document, feuille).getCellRangeByName(plage).getDataArray()
        ]

    def formats(self, document: int, feuille: str, cellules: list[str]) -> dict[str, str]:
        """Le code de format de chaque cellule, tel que LibreOffice le tient."""
        doc = self.documents[document]
        onglet = self._feuille(document, feuille)
        codes = {}
        for reference in cellules:
            cle = onglet.getCellRangeByName(reference).NumberFormat
            codes[reference] = doc.NumberFormats.getByKey(cle).FormatString
        return codes

    def commenter(self, document: int, feuille: str, cellule: str, texte: str) -> None:
        onglet = self._feuille(document, feuille)
        adresse = onglet.getCellRangeByName(cellule).CellAddress
        onglet.Annotations.insertNew(adresse, texte)

    def commentaires(self, document: int, feuille: str) -> dict[str, str]:
        onglet = self._feuille(document, feuille)
        resultat = {}
        for i in range(onglet.Annotations.Count):
            note = onglet.Annotations.getByIndex(i)
            a = note.Position
            resultat[_reference(a.Column, a.Row)] = note.String
        return resultat

    def colorer(self, document: int, feuille: str, cellule: str, couleur: int) -> None:
        self._feuille(document, feuille).getCellRangeByName(cellule).CellBackColor = couleur

    def couleur(self, document: int, feuille: str, cellule: str) -> int:
        return self._feuille(document, feuille).getCellRangeByName(cellule).CellBackColor

    def ajouter_feuille(self, document: int, nom: str) -> None:
        feuilles = self.documents[document].Sheets
        feuilles.insertNewByName(nom, feuilles.Count)

    def feuilles(self, document: int) -> list[str]:
        return list(self.documents[document].Sheets.ElementNames)

    def recalculer(self, document: int) -> float:
        """Un recalcul complet (Ctrl+Maj+F9), chronométré."""
        debut = time.perf_counter()
        self.documents[document].calculateAll()
        return time.perf_counter() - debut

    def enregistrer(self, document: int) -> None:
        """Ctrl+S : le même fichier, le même format."""
        self.documents[document].store()

    def enregistrer_sous(self, document: int, chemin: str, format_: str) -> None:
        """Fichier > Enregistrer sous, au format ``format_`` (xlsx, ods, xls) : le document
        désigne ensuite ce fichier."""
        self.documents[document].storeAsURL(url(chemin), proprietes(FilterName=FILTRES[format_]))

    def exporter_pdf(self, document: int, chemin: str, feuille: str | None = None) -> None:
        doc = self.documents[document]
        if feuille is not None:
            controleur = doc.getCurrentController()
            controleur.setActiveSheet(doc.Sheets.getByName(feuille))
            selection = doc.Sheets.getByName(feuille)
            filtre = proprietes(Selection=selection)
            doc.storeToURL(
                url(chemin),
                proprietes(
                    FilterName=FILTRES["pdf"],
                    FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", filtre),
                ),
            )
            return
        doc.storeToURL(url(chemin), proprietes(FilterName=FILTRES["pdf"]))

    def graphiques(self, document: int, feuille: str) -> list[dict]:
        """Chaque graphique de la feuille : titre, position et taille (cm), type de l'axe des
        catégories (« categorie », « date »…)."""
        onglet = self._feuille(document, feuille)
        resultat = []
        for i in range(onglet.DrawPage.Count):
            forme = onglet.DrawPage.getByIndex(i)
            if not forme.supportsService("com.sun.star.drawing.OLE2Shape"):
                continue
            position, taille = forme.Position, forme.Size
            graphique = forme.Model
            titre, axe, date_auto = "", None, None
            with contextlib.suppress(Exception):
                titre = "".join(t.String for t in graphique.getTitleObject().Text)
            try:
                systeme = graphique.getFirstDiagram().getCoordinateSystems()[0]
                echelle = systeme.getAxisByDimension(0, 0).getScaleData()
                axe, date_auto = TYPES_D_AXE.get(echelle.AxisType), bool(echelle.AutoDateAxis)
            except Exception:
                pass
            resultat.append({
                "titre": titre, "x": position.X / 1000, "y": position.Y / 1000,
                "largeur": taille.Width / 1000, "hauteur": taille.Height / 1000, "axe": axe,
                "date_auto": date_auto,
            })  # fmt: skip
        return resultat

    def fermer(self, document: int) -> None:
        self.documents.pop(document).close(True)

    def arreter(self) -> None:
        for document in list(self.documents):
            with contextlib.suppress(Exception):
                self.fermer(document)
        with contextlib.suppress(Exception):
            self.bureau.terminate()
        try:
            self.processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.processus.kill()


def _reference(colonne: int, ligne: int) -> str:
    lettres = ""
    colonne += 1
    while colonne:
        colonne, reste = divmod(colonne - 1, 26)
        lettres = chr(65 + reste) + lettres
    return f"{lettres}{ligne + 1}"


def main() -> None:
    pilote = Pilote(Path(sys.argv[1]))
    print(json.dumps({"ok": True, "resultat": "pret"}), flush=True)
    for ligne in sys.stdin:
        demande = json.loads(ligne)
        action = demande.pop("action")
        if action == "arreter":
            break
        try:
            reponse = {"ok": True, "resultat": getattr(pilote, action)(**demande)}
        except Exception as e:
            reponse = {"ok": False, "erreur": f"{type(e).__name__} : {e}", "trace": traceback.format_exc()}
        print(json.dumps(reponse, ensure_ascii=False), flush=True)
    pilote.arreter()


if __name__ == "__main__":
    main()
