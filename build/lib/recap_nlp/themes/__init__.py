"""Themes (NMF or LDA over TF-IDF of sentence lemmas) and per-post keywords, with scikit-learn.

Sentences, not posts, are the units, so five posts already give a few hundred rows: enough for
a topic model. The number of themes is chosen by the stability of the top terms across random
restarts, with NPMI on the corpus as the second signal (:func:`choose_k`).
"""

from recap_nlp.themes.keywords import extract_keywords
from recap_nlp.themes.model import ThemeResult, fit_themes
from recap_nlp.themes.selection import choose_k
from recap_nlp.themes.vocabulary import ThemeUnit, boilerplate_words, french_stopwords

__all__ = [
    "ThemeResult",
    "ThemeUnit",
    "boilerplate_words",
    "choose_k",
    "extract_keywords",
    "fit_themes",
    "french_stopwords",
]
