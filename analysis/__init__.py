"""Analysis package of the report "Built for inference? NVIDIA's GTC 2025 claims, tested".

Three layers, data flowing one way (``tests/test_layers.py`` checks the imports):

* **core**: :mod:`analysis.data` (one validating loader), :mod:`analysis.units`,
  :mod:`analysis.figures` (theme, registry, export) and :mod:`analysis.claims`
  (verdict scale, ledger);
* **concept modules** compute and never import figures, claims or chapters:
  :mod:`analysis.jensen_math`, :mod:`analysis.growth`, :mod:`analysis.roofline`,
  :mod:`analysis.models`, :mod:`analysis.systems`, :mod:`analysis.perf`,
  :mod:`analysis.calibration`, :mod:`analysis.network`, :mod:`analysis.network_power`,
  :mod:`analysis.optics`, :mod:`analysis.catalog` (the data catalog and zip),
  :mod:`analysis.build_info` (version, commit and date of a build);
* **chapter modules** (:mod:`analysis.chapters`) present: each chapter's tables,
  figure builders and verdict functions, called by its notebook in ``book/``.

Nothing is computed at import time.
"""
