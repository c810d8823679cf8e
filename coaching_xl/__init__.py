"""coaching-xl, l'application : la ligne de commande (``coaching_xl.cli``), la démonstration
(``coaching_xl.demo``) et le calcul dans Excel ouvert (``coaching_xl.excel``), au-dessus des
couches ``socle``, ``recueil``, ``moteur`` et ``rapports``."""
