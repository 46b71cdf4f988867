"""Themes (NMF on TF-IDF, or LDA) over posts, and per-post keywords, with scikit-learn.

Posts are the units (sentences on a corpus of one to three posts), their terms the lemmas of
their content words and the entity names they hold, markup and boilerplate out. The number of
themes is the finest that is as stable as the most stable one when a fifth of the posts is
left out, each theme leading two posts at least (:func:`choose_k`).
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
