"""Builds the corpus of hostile and broken input (binary cases are generated, not committed).

Each case names its file and the outcome the pipeline must give: ``processed``,
``warned`` (processed with a warning) or ``skipped`` (with a reason containing ``reason``).
Used by tests/test_robustness.py and by `make stress`.
"""

from __future__ import annotations

import codecs
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FRENCH = (
    "Le 27 septembre dernier se déroulait à Rimouski une journée de conférences sur l’innovation "
    "numérique. Plus de 80 participants ont échangé sur les « bonnes pratiques » du secteur "
    "culturel, avec le soutien de la Ville de Rimouski. Une belle réussite, à refaire !\n"
)
# Distinct posts, so that no two processed cases are near duplicates of each other.
VARIANTS = (
    "Du 12 au 14 mars, une quinzaine d’entrepreneurs ont visité Lyon et Grenoble pour rencontrer "
    "des incubateurs. Les échanges ont été concrets et plusieurs partenariats sont à l’étude.\n",
    "Notre équipe a participé au Salon des Solidarités à Paris en juin 2019. Nous y avons présenté "
    "trois projets de coopération internationale devant un public nombreux et curieux.\n",
    "La tournée régionale s’est arrêtée à Sherbrooke, puis à Trois-Rivières, où les élus locaux "
    "ont rappelé l’importance du numérique pour les petites entreprises du territoire.\n",
    "Le Festival des sciences de Bordeaux a accueilli plus de 300 élèves cette année. Les ateliers "
    "de robotique ont encore une fois été les plus populaires auprès des jeunes.\n",
    "Au terme de cette semaine à Bruxelles, la délégation de douze artistes est rentrée avec des "
    "contacts précieux et l’envie de revenir présenter ses créations l’an prochain.\n",
    "Entre le 2 et le 5 octobre, l’université a reçu des chercheurs venus de Dakar et de Tunis "
    "pour un colloque consacré à l’eau potable et à la santé publique.\n",
    "Malheureusement, la conférence de clôture a été annulée à cause de la tempête, mais les "
    "organisateurs ont promis de la reprogrammer au printemps à Rimouski.\n",
    "Lors du Sommet de la Francophonie économique, vingt-huit jeunes pousses ont présenté leurs "
    "solutions devant des investisseurs venus de Montréal, de Genève et d’Abidjan.\n",
)
NO_ENTITY = (
    "Nous avons passé une bonne journée. Les échanges étaient riches et nous reviendrons "
    "certainement l’an prochain pour poursuivre les discussions entamées.\n"
)
ENGLISH = (
    "This is an English post about the conference we attended last year. The talks were "
    "good and the people we met were very friendly, so we will come back next year.\n"
)


@dataclass(frozen=True)
class Case:
    name: str
    outcome: Literal["processed", "warned", "skipped", "duplicate", "ignored"]
    reason: str = ""


def build_bad_corpus(folder: Path, *, big: bool = True) -> list[Case]:
    """Write every bad-input case into ``folder`` and return the expected outcomes."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def write(name: str, data: bytes | str, outcome: str = "", reason: str = "") -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if outcome:
            cases.append(Case(name, outcome, reason))  # type: ignore[arg-type]

    write("vide.txt", b"", "skipped", "empty file")
    write("blancs.txt", "  \n\t\n   ", "skipped", "empty file")
    write("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(256), "skipped", "PNG image")
    write("archive.md", _zip_bytes(folder), "skipped", "zip archive")
    write("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "skipped", "unsupported file type")
    bad_utf8 = (FRENCH * 5).encode("utf-8")
    write(
        "utf8_casse.txt", bad_utf8[:150] + b"\xff\xfe" + bad_utf8[150:], "warned", "invalid UTF-8"
    )
    words = VARIANTS[3].encode("utf-8").split(b" ")  # a short post, two corrupt sequences
    write(
        "utf8_court_casse.txt",
        b" ".join([*words[:5], b"\xff", *words[5:12], b"\xc3(", *words[12:]]),
        "warned",
        "2 invalid UTF-8",
    )
    utf16 = (
        "Le marché de Noël de Colmar a attiré des familles venues d’Alsace et de Suisse. Les "
        "artisans présents ont salué une édition calme et bien organisée.\n"
    )
    write("utf16_sans_bom.txt", utf16.encode("utf-16-le"), "processed")
    write("windows1252.txt", VARIANTS[0].encode("cp1252"), "processed")
    write("latin1.txt", VARIANTS[1].replace("’", "'").encode("latin-1"), "processed")
    write("utf16.txt", VARIANTS[2].encode("utf-16"), "processed")
    write(
        "scripts_seuls.html",
        "<html><head><script>alert('x')</script></head></html>",
        "skipped",
        "no main text",
    )
    write("cookies.html", _cookie_banner(), "skipped", "no main text")
    write("lignes.jsonl", _jsonl_lines())
    cases.append(Case("lignes.jsonl:1", "processed"))
    cases.append(Case("lignes.jsonl:2", "skipped", "malformed JSON line"))
    cases.append(Case("lignes.jsonl:3", "skipped", "string 'text' field"))
    cases.append(Case("lignes.jsonl:4", "processed"))
    write("anglais.txt", ENGLISH, "skipped", "not French")
    write("sans_entite.txt", NO_ENTITY, "processed")
    write("nom avec espaces é.txt", FRENCH, "processed")
    write("une copie.txt", FRENCH, "duplicate")  # sorts after the original it repeats
    write(
        "front_matter_casse.md",
        f"---\ntitle: [pas fermé\n---\n{NO_ENTITY}{VARIANTS[0]}",
        "warned",
        "front matter",
    )
    write(
        "fevrier.txt",
        "Le 31 février 2018, nous étions à Lyon pour une mission. " + VARIANTS[3],
        "processed",
    )
    write("script.txt", "<script>alert('pirate')</script> " + VARIANTS[4], "processed")
    (folder / "boucle").symlink_to(folder, target_is_directory=True)
    (folder / "introuvable.txt").symlink_to(folder / "n_existe_pas.txt")
    cases.append(Case("introuvable.txt", "skipped", "unreadable"))
    if hasattr(os, "mkfifo"):  # reading a FIFO would wait forever
        os.mkfifo(folder / "tube.txt")
        cases.append(Case("tube.txt", "skipped", "not a regular file (FIFO)"))
    if big:
        line = " ".join(
            f"{VARIANTS[5].strip()} ({i})" for i in range(1_000_000 // len(VARIANTS[5]))
        )
        write("une_ligne_1mo.txt", line, "processed")
        _write_sparse_big(folder / "enorme_20mo.txt")
        cases.append(Case("enorme_20mo.txt", "skipped", "too large"))
    return cases


def _zip_bytes(folder: Path) -> bytes:
    path = folder / ".tmp.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("post.txt", FRENCH)
    data = path.read_bytes()
    path.unlink()
    return data


def _cookie_banner() -> str:
    return (
        "<html><body><div id='cookies'><p>Nous utilisons des cookies pour améliorer votre "
        "expérience. En poursuivant votre navigation, vous acceptez leur utilisation.</p>"
        "<button>Accepter</button><button>Refuser</button></div></body></html>"
    )


def _jsonl_lines() -> str:
    return "\n".join(
        [
            json.dumps({"id": "jsonl-bon", "text": VARIANTS[7], "published": "2018-10-01"}),
            '{"id": "jsonl-casse", "text": "pas fermé',
            json.dumps({"id": "jsonl-type", "text": ["pas", "une", "chaîne"]}),
            json.dumps(
                {
                    "id": "jsonl-types-meta",
                    "text": NO_ENTITY + VARIANTS[6],
                    "title": ["x"],
                    "published": 12,
                }
            ),
        ]
    )


def _write_sparse_big(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(codecs.BOM_UTF8)
        chunk = (FRENCH * 200).encode("utf-8")
        for _ in range(20_000_000 // len(chunk) + 1):
            handle.write(chunk)
