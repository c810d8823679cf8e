"""Greffer des feuilles de résultats dans le classeur d'un utilisateur, sans jamais l'abîmer :
ni classeur ouvert dans un tableur, ni lecture seule, ni macros perdues ; le fichier n'est
remplacé qu'une fois le nouveau écrit à côté, relu et vérifié (chaque partie d'origine
identique) — au moindre échec, l'original reste intact et aucun fichier temporaire ne demeure.

La façon commune à ``compute`` (``rapports.ecriture``) et à ``malcom compute``
(``rapports.malcom``) ; rien de pandas ni d'openpyxl ici.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from moteur.paquet import Paquet
from rapports.greffe import Greffon, greffer, lire_index, noms_des_feuilles, verifier
from socle.erreurs import ErreurEcriture, ErreurUsage
from socle.fichiers import ecriture_atomique, fichier_reel


def verrous(chemin: Path) -> list[Path]:
    """Les fichiers de verrou qu'Excel (``~$nom``) ou LibreOffice (``.~lock.nom#``) laissent à
    côté d'un classeur ouvert."""
    candidats = (chemin.with_name(f"~${chemin.name}"), chemin.with_name(f".~lock.{chemin.name}#"))
    return [c for c in candidats if c.exists()]


def verifier_cible(chemin: Path) -> None:
    """Refuse d'écrire dans un classeur ouvert ailleurs ou en lecture seule."""
    ouverts = verrous(chemin)
    if ouverts:
        raise ErreurEcriture(
            f"{chemin} est ouvert dans un tableur ({ouverts[0].name} présent) : fermez-le, puis "
            "relancez. (Si aucun tableur ne l'a ouvert, supprimez ce fichier de verrou.)"
        )
    if chemin.exists() and not chemin.stat().st_mode & stat.S_IWUSR:
        raise ErreurEcriture(
            f"{chemin} est en lecture seule : ôtez cet attribut (propriétés du fichier), ou "
            "écrivez les résultats ailleurs avec --sortie AUTRE.xlsx."
        )


TYPE_MACROS = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
"""Le type de contenu du classeur d'un .xlsm : Excel refuse un .xlsx qui le porte, et un .xlsm
qui ne le porte pas."""


def verifier_macros(paquet: Paquet, cible: Path) -> None:
    """Un classeur à macros ne s'écrit qu'en .xlsm, un classeur sans macros qu'en .xlsx : Excel
    refuserait d'ouvrir l'un sous l'extension de l'autre. Lève ErreurUsage."""
    if cible == fichier_reel(paquet.chemin):
        return
    types = paquet.xml("[Content_Types].xml")
    macros = types is not None and any(
        (e.get("ContentType") or "") == TYPE_MACROS for e in types.iter() if e.tag.endswith("}Override")
    )
    attendue = ".xlsm" if macros else ".xlsx"
    if cible.suffix.lower() != attendue:
        nature = "contient des macros (classeur .xlsm)" if macros else "n'a pas de macros"
        raise ErreurUsage(
            f"{paquet.chemin.name} {nature} : écrivez les résultats dans un fichier {attendue} "
            f"(--sortie {cible.with_suffix(attendue).name}), sans quoi Excel refuserait de l'ouvrir."
        )


def greffer_feuilles(
    paquet: Paquet, cible: Path, roles: Callable[[set[str]], dict[str, str]],
    fabriquer: Callable[[dict[str, str]], Greffon], est_a_nous: Callable[[str], bool],
    feuille_donnees: str | None,
    commande: str, ensuite: Callable[[], None] | None = None,
) -> dict[str, str]:  # fmt: skip
    """Greffe (ou remplace) des feuilles de résultats dans le classeur lu ``paquet`` et l'écrit
    dans ``cible`` (le même fichier, ou un autre), sans toucher au reste : ``roles`` (les rôles
    déjà marqués dans le classeur → rôle → nom souhaité), ``fabriquer`` (noms finals → greffon),
    ``est_a_nous`` (le contenu d'une feuille marquée dit-il qu'elle est à nous ?),
    ``feuille_donnees`` (la feuille de l'utilisateur, jamais remplacée), ``commande`` (à relancer,
    pour les messages), ``ensuite`` (fait avant le remplacement, dans la même écriture). Le
    fichier n'est remplacé qu'une fois le nouveau relu et vérifié ; s'il a changé sur le disque
    depuis sa lecture, rien n'est écrit. Rend rôle → nom de la feuille écrite."""
    source = paquet.chemin
    verifier_cible(cible)
    verifier_macros(paquet, cible)
    index = lire_index(paquet)
    index.confirmer(
        lambda feuille: est_a_nous(feuille.nom), exclues={feuille_donnees} if feuille_donnees else set()
    )
    noms = noms_des_feuilles(index, roles(set(index.marquees)))
    greffon = fabriquer(noms)
    en_place = cible == fichier_reel(source)

    def toujours_la_meme() -> None:
        if en_place and not paquet.inchange():
            raise ErreurEcriture(
                f"{source} a changé pendant le calcul (enregistré depuis un tableur ?) : rien n'a été écrit. "
                f"Fermez-le dans le tableur, puis relancez {commande}."
            )

    with ecriture_atomique(cible, toujours_la_meme) as temporaire:
        greffe = greffer(paquet, index, temporaire, greffon)
        verifier(paquet, index, temporaire, greffe, feuille_donnees)
        if ensuite is not None:
            ensuite()
    return noms
