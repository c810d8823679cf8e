"""Le moteur : relire une grille, en contrôler chaque cellule, calculer les indicateurs.

Rien ici n'imprime ni ne quitte le programme : chaque fonction rend un objet (Grille,
Controle, Resultat) que la ligne de commande, les rapports et la consolidation exploitent.
"""
