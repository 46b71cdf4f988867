"""Offline French sentiment: per sentence, per post, per theme and per entity, with evaluation.

``classify`` is the trained sentence classifier the pipeline uses (probabilities of each
class and signed drivers, from shipped weights); ``score_text`` scores one sentence with the
textblob-fr lexicon plus rules (negation, intensifiers, contrast, idioms, emoji, exclamation)
and feeds the classifier; ``score_text_lexicon_only`` is the plain lexicon-averaging baseline.
"""

from recap_nlp.sentiment.aggregate import (
    DocSentiment,
    EntitySentiment,
    ThemeSentiment,
    doc_sentiment,
    entity_sentiment,
    score_sentences,
    summary,
    theme_sentiment,
)
from recap_nlp.sentiment.classifier import (
    Classified,
    SentimentModelError,
    classify,
    classify_all,
    load_model,
    read_model,
)
from recap_nlp.sentiment.evaluate import (
    SentimentScores,
    SplitScores,
    evaluate_sentiment,
    format_sentiment_scores,
)
from recap_nlp.sentiment.scorer import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    Polarity,
    score_text,
    score_text_lexicon_only,
)

__all__ = [
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "Classified",
    "DocSentiment",
    "EntitySentiment",
    "Polarity",
    "SentimentModelError",
    "SentimentScores",
    "SplitScores",
    "ThemeSentiment",
    "classify",
    "classify_all",
    "doc_sentiment",
    "entity_sentiment",
    "evaluate_sentiment",
    "format_sentiment_scores",
    "load_model",
    "read_model",
    "score_sentences",
    "score_text",
    "score_text_lexicon_only",
    "summary",
    "theme_sentiment",
]
