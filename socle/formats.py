"""Les codes de format de nombre de tous nos classeurs (cellules, axes et étiquettes des
graphiques) : une seule définition, reprise partout.

Chaque code survit à un enregistrement par LibreOffice réglé en français et s'y affiche à la
française (« 72,3 % », « 12 346 », « lundi 6 septembre 2010 ») ; Excel les affiche de même. Une
espace simple dans un code (« 0.0 % ») est celle qu'un LibreOffice français prend pour le
séparateur des milliers : il réécrit le code « 0.0,% », qui divise par mille (« 0,1% » pour
72,3 %). L'espace est donc toujours échappée (« 0.0\\ % »). Mesuré avec le pilote fr-FR des
tests (``tests/libreoffice_uno.py``) : ``tests/test_formats_francais.py``.
"""

from __future__ import annotations

POURCENT = "0.0\\ %"
"""72,3 % (une fraction : 0,723)."""
POURCENT_ENTIER = "0\\ %"
"""72 %, pour un axe ou un avancement."""
ECART_POURCENT = "+0.0\\ %;-0.0\\ %;0.0\\ %"
"""+2,5 % / −1,0 % : un écart signé."""
JOURS = "0.0"
"""12,5 (jours)."""
ECART_JOURS = "+0.0;-0.0;0.0"
ENTIER = "#,##0"
"""12 346 (milliers séparés)."""
NOMBRE = "0"
"""Un nombre entier sans séparateur (délais saisis, axes en jours)."""
GENERAL = "General"
DATE_COURTE = "dd/mm/yyyy"
DATE_LONGUE = "[$-40C]dddd d mmmm yyyy"
"""« lundi 6 septembre 2010 » : le préfixe de langue 040C garde les jours en français."""
MOIS = "[$-40C]mmmm yyyy"
"""« septembre 2010 »."""
JOUR_MOIS = "dd/mm"
"""Les semaines sur un axe (« 06/09 »)."""

TOUS = (POURCENT, POURCENT_ENTIER, ECART_POURCENT, JOURS, ECART_JOURS, ENTIER, NOMBRE, DATE_COURTE,
        DATE_LONGUE, MOIS, JOUR_MOIS)  # fmt: skip
