"""Le calendrier des jalons du coaching : une seule définition pour la grille, le moteur et
les annexes (SPEC §6)."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from socle.erreurs import ErreurOption, ErreurParametre
from socle.fichiers import lire_texte, position_toml


@dataclass(frozen=True)
class Jalon:
    """Un jalon : code (« J3 »), date de la réunion, étape, et où et quand elle se tient."""

    code: str
    date: date
    libelle: str
    horaire: str = ""
    lieu: str = ""


@dataclass(frozen=True)
class Periode:
    """Une période entre deux jalons, du ``debut`` inclus à la ``fin`` exclue (None = ouverte)."""

    libelle: str
    debut: date | None
    fin: date | None


@dataclass(frozen=True)
class Calendrier:
    """Les jalons J0…J5 dans l'ordre chronologique."""

    jalons: tuple[Jalon, ...]

    def jalon(self, code: str) -> Jalon:
        """Le jalon de ce code (« J3 », « j3 ») ; ErreurParametre s'il n'existe pas."""
        for j in self.jalons:
            if j.code.casefold() == code.strip().casefold():
                return j
        codes = ", ".join(j.code for j in self.jalons)
        raise ErreurOption(f"Jalon « {code} » inconnu : le calendrier compte {codes}.")

    @property
    def debut_recueil(self) -> date:
        """Début de recueil proposé : le premier jour du mois du jalon de préparation."""
        return self.jalons[0].date.replace(day=1)

    @property
    def fin_recueil(self) -> date:
        """Fin de recueil proposée : le jalon de clôture."""
        return self.jalons[-1].date

    def periodes(self) -> tuple[Periode, ...]:
        """« avant J1 » (la référence), puis J1→J2 … jusqu'au dernier jalon, puis « après »."""
        suivants = self.jalons[1:]
        periodes = [Periode(f"avant {suivants[0].code}", None, suivants[0].date)]
        for a, b in itertools.pairwise(suivants):
            periodes.append(Periode(f"{a.code}→{b.code}", a.date, b.date))
        periodes.append(Periode(f"après {suivants[-1].code}", suivants[-1].date, None))
        return tuple(periodes)


_SIEGE = "ARS, 21-23 rue des Ardennes, 75019 Paris"
_MILLENAIRE = "ARS, site du Millénaire, 35 rue de la Gare, 75019 Paris"
_JOURNEE = "9 h 30 – 16 h 30"
CALENDRIER_DEFAUT = Calendrier((
    Jalon("J0", date(2010, 9, 30), "Préparation / référents DT", "9 h 30 – 12 h 30", f"Salle Jade, {_SIEGE}"),
    Jalon("J1", date(2010, 10, 12), "Lancement / établissements", _JOURNEE, f"Salle Saphir, {_SIEGE}"),
    Jalon("J2", date(2010, 11, 10), "Point d'étape", _JOURNEE, _MILLENAIRE),
    Jalon("J3", date(2010, 12, 7), "Point d'étape", _JOURNEE, _MILLENAIRE),
    Jalon("J4", date(2011, 1, 13), "Point d'étape", _JOURNEE, _MILLENAIRE),
    Jalon("J5", date(2011, 2, 15), "Clôture et bilan", _JOURNEE, _MILLENAIRE),
))  # fmt: skip
"""Le calendrier du dispositif v1.2 (seed §3)."""


JALONS = len(CALENDRIER_DEFAUT.jalons)
"""Le dispositif compte six jalons : ses étapes, sa convention et sa feuille de route en
dépendent ; un calendrier n'en change que les dates, les libellés et les lieux."""


def lundi(jour: date) -> date:
    """Le lundi de la semaine ISO de ``jour``."""
    return jour - timedelta(days=jour.weekday())


def lire_calendrier(chemin: Path) -> Calendrier:
    """Le calendrier d'un fichier TOML (une table ``[[jalon]]`` par jalon, dans l'ordre) ::

        [[jalon]]
        code = "J0"
        date = 2025-09-30
        libelle = "Préparation / référents DT"
        horaire = "9 h 30 – 12 h 30"     # facultatif
        lieu = "ARS, salle Jade"         # facultatif

    Lève ErreurParametre, avec un message qui nomme le fichier et le jalon fautif, si le fichier
    est illisible, ne compte pas les ``JALONS`` jalons du dispositif, ou si un code se répète ou
    une date recule."""
    texte = lire_texte(chemin, "le fichier de calendrier, calendrier.toml")
    try:
        contenu = tomllib.loads(texte)
    except tomllib.TOMLDecodeError as e:
        raise ErreurParametre(
            f"Le calendrier {chemin} est illisible : ce n'est pas un TOML valide ({position_toml(e)}). "
            f"{_EXEMPLE}"
        ) from None
    tables = contenu.get("jalon")
    nombre = len(tables) if isinstance(tables, list) else 0
    if nombre != JALONS:
        raise ErreurParametre(
            f"{chemin} : le dispositif compte {JALONS} jalons (préparation, lancement, trois points "
            f"d'étape, clôture), chacun dans une table [[jalon]] ; le fichier en donne {nombre}. {_EXEMPLE}"
        )
    jalons = []
    for rang, table in enumerate(tables, start=1):
        code, jour = table.get("code"), table.get("date")
        if (
            not isinstance(code, str)
            or not code.strip()
            or not isinstance(jour, date)
            or isinstance(jour, datetime)
        ):
            raise ErreurParametre(
                f"{chemin}, jalon n° {rang} : « code » (texte) et « date » (aaaa-mm-jj, sans guillemets) "
                f"sont obligatoires. {_EXEMPLE}"
            )
        jalons.append(Jalon(code.strip(), jour, str(table.get("libelle", "")), str(table.get("horaire", "")),
                            str(table.get("lieu", ""))))  # fmt: skip
    for avant, apres in itertools.pairwise(jalons):
        if apres.date <= avant.date:
            raise ErreurParametre(
                f"{chemin} : le jalon {apres.code} ({apres.date:%d/%m/%Y}) ne suit pas {avant.code}."
            )
    codes = [j.code for j in jalons]
    if len(set(codes)) < len(codes):
        raise ErreurParametre(f"{chemin} : deux jalons portent le même code ({', '.join(codes)}).")
    return Calendrier(tuple(jalons))


_EXEMPLE = 'Exemple : [[jalon]] code = "J1" date = 2025-10-12 libelle = "Lancement".'
