"""Analysis package of the report "Built for inference? NVIDIA's GTC 2025 claims, tested".

Data flows one way: ``data/*.csv`` -> :mod:`analysis.data` (one validating
loader) -> one module per concept (:mod:`analysis.jensen_math`, ...) ->
:mod:`analysis.claims` (verdicts) and :mod:`analysis.figures` (exports) ->
the chapter notebooks in ``book/``.  Nothing is computed at import time.
"""

__all__ = ["claims", "data", "figures", "jensen_math", "units"]
