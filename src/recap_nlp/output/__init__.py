"""Output: the only package that writes files or reads the database.

The DuckDB store and its CSV copies (``store``), the documented tables (``tables``), the
per-document cache (``cache``), figures (``plots``), fact sheets and their templates
(``factsheet/``), both drawn from a run's tables read once (``reports``), exploration of a
finished run (``explore``) and readable labels (``readable``).
"""
