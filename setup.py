"""The optional C kernel of the NMF fits; everything else is declared in ``pyproject.toml``.

``recap_nlp.themes._cd_kernel`` is scikit-learn's coordinate-descent update vectorised across
rows, with the same bits (see its source). Without a C compiler the install goes on without it
(``optional``) and the fits use scikit-learn's own update: the same results, slower.
"""

import sys

from setuptools import Extension, setup

# No fused multiply-add: one rounding per product and per sum, as scikit-learn's build.
FLAGS = [] if sys.platform == "win32" else ["-O3", "-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "recap_nlp.themes._cd_kernel",
            ["src/recap_nlp/themes/_cd_kernel.c"],
            extra_compile_args=FLAGS,
            optional=True,
        )
    ]
)
