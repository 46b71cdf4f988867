"""reStructuredText posts: field lists as metadata, markup blanked, offsets those of the file."""

from __future__ import annotations

import re
from pathlib import Path

from recap_nlp.ingest.corpus import read_file
from recap_nlp.ingest.normalize import normalize
from recap_nlp.ingest.readers import read_rst
from recap_nlp.records import Document

POST = """Retour sur les Journées du libre
################################

:date: 2019-11-02 10:20
:tags: logiciel libre, conférence
:category: Événements
:author: Camille Martin

Les Journées se sont tenues à **Bordeaux** avec `trois cents personnes <https://exemple.fr/jdl>`_.
Une deuxième ligne du *même* paragraphe [#]_.

Programme
---------

- Atelier sur ``pytest`` animé par Julie Bernard
- Table ronde sur l'accessibilité

.. code-block:: python

   print("bonjour")

.. image:: IMGP5377.jpg
   :alt: La salle

.. [#] Merci à l'équipe de Talence.
"""


def _lines(fields: dict) -> list[str]:
    text = normalize(fields["text"], fields["joined"]).text
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_field_list_is_metadata() -> None:
    fields = read_rst(POST)
    assert (fields["title"], fields["published"], fields["published_source"]) == (
        "Retour sur les Journées du libre",
        "2019-11-02",
        "rst",
    )
    assert fields["author"] == "Camille Martin"
    assert fields["tags"] == ("logiciel libre", "conférence")
    assert fields["categories"] == ("Événements",)


def test_text_kept_in_place_markup_dropped() -> None:
    fields = read_rst(POST)
    text = fields["text"]
    assert len(text) == len(POST)
    assert all(c.isspace() or c == POST[i] for i, c in enumerate(text))
    lines = _lines(fields)
    assert lines == [
        "Retour sur les Journées du libre",
        "Les Journées se sont tenues à Bordeaux avec trois cents personnes . "
        "Une deuxième ligne du même paragraphe .",
        "Programme",
        "Atelier sur animé par Julie Bernard",
        "Table ronde sur l'accessibilité",
        "Merci à l'équipe de Talence.",
    ]
    assert not re.search(r"https?|IMGP|print|:date:|\*|`|#", text)
    (link,) = fields["links"]
    assert link.url == "https://exemple.fr/jdl"
    assert POST[link.start : link.end] == "trois cents personnes"


def test_docutils_errors_are_warnings_and_include_is_not_read(tmp_path: Path) -> None:
    source = (
        "Titre du billet\n===============\n\nUn rôle :inconnu:`x` dans la phrase à Lyon.\n\n"
        ".. include:: /etc/hostname\n\nLa suite du billet reste lisible à Grenoble.\n"
    )
    path = tmp_path / "erreurs.rst"
    path.write_text(source, encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document) and doc.format == "rst"
    assert any("reStructuredText errors" in w and "inconnu" in w for w in doc.warnings)
    assert "Grenoble" in doc.text and ":inconnu:" not in doc.text
    assert len(doc.text) == len(source)
