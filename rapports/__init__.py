"""Les rapports : ce que l'on montre des résultats (résumés, feuilles, graphiques, PDF)."""
