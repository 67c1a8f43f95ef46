"""The overview: one dashboard per organisation and period, across every app.

Its own app because it belongs to none of the others: it reads party life
(`meetings`), liaison and the problem ledger (`liaison`), member development
(`development`), study credits (`study`) and the assessments (`assessments`) for any
organisation's whole subtree and any month, quarter or year, and it owns the table
that makes that affordable at provincial scale: `MonthlyFigures`, the additive
counters of each organisation's own records per month, kept by `overview.summary`
(hourly, and at the end of the demo loader and the scale generator). The pages sum
those rows over a subtree instead of counting raw records on every request.
"""
