"""The package version, in a module that imports nothing (so any module can import it).

Kept equal to ``version`` in ``pyproject.toml`` (``tests/test_layout.py`` checks it).
"""

__version__ = "0.1.0"
