"""Le calendrier des jalons du coaching : une seule définition pour la grille, le moteur et
les annexes (SPEC §6)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Jalon:
    """Un jalon : code (« J3 »), date de la réunion, étape."""

    code: str
    date: date
    libelle: str


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


CALENDRIER_DEFAUT = Calendrier(
    (
        Jalon("J0", date(2010, 9, 30), "Préparation / référents DT"),
        Jalon("J1", date(2010, 10, 12), "Lancement / établissements"),
        Jalon("J2", date(2010, 11, 10), "Point d'étape"),
        Jalon("J3", date(2010, 12, 7), "Point d'étape"),
        Jalon("J4", date(2011, 1, 13), "Point d'étape"),
        Jalon("J5", date(2011, 2, 15), "Clôture et bilan"),
    )
)


def lundi(jour: date) -> date:
    """Le lundi de la semaine ISO de ``jour``."""
    return jour - timedelta(days=jour.weekday())
