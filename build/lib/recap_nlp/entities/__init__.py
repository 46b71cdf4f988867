"""Named entities: recognisers beyond the model, filters, type refinement, canonical names."""

from recap_nlp.entities.canonical import canonicalize
from recap_nlp.entities.gazetteer import GazetteerError, load_user_gazetteer
from recap_nlp.entities.mentions import extract_mentions

__all__ = ["GazetteerError", "canonicalize", "extract_mentions", "load_user_gazetteer"]
