"""Mass liaison: contact points, pairings, visit records, opinions and the problem
ledger (挂号销账). Its models arrive with the liaison issue; the app exists now so
the layout is the one the project was designed with."""
