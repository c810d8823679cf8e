"""Le calendrier des jalons du coaching : une seule définition pour la grille, le moteur et
les annexes (SPEC §6)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta


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
        """Le jalon de ce code (« J3 ») ; KeyError s'il n'existe pas."""
        for j in self.jalons:
            if j.code == code:
                return j
        raise KeyError(code)

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


def lundi(jour: date) -> date:
    """Le lundi de la semaine ISO de ``jour``."""
    return jour - timedelta(days=jour.weekday())
