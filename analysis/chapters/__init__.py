"""What each chapter shows: its tables, figure builders and verdict functions.

One module per chapter of the book (``new_math_rules``, ``hardware_roadmap``,
``cpo``, ``performance_model``, ...).  A chapter module calls the concept
modules of :mod:`analysis` (which compute and never import
:mod:`analysis.figures`, :mod:`analysis.claims` or this package) and turns
their results into what a reader sees: tables, :class:`analysis.figures.FigureData`
and :class:`analysis.claims.ClaimResult`.  The claims ledger and the figure
registry point here by name; the chapter notebooks import their module.
"""
