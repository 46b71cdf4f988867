from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recap_nlp.ingest.encodings import UndecodableError, decode_bytes

TEXT = "Du 3 au 11 juin, une délégation de 28 Québécois « en feu » s’est rendue à Angers."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "windows-1252"),
        (TEXT.replace("’", "'").encode("latin-1"), "latin-1"),
    ],
)
def test_decodes_common_encodings(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    expected = TEXT if encoding != "latin-1" else TEXT.replace("’", "'")
    assert decoded.text == expected
    assert not decoded.warning


def test_a_few_bad_bytes_in_utf8_are_replaced_with_a_warning() -> None:
    data = (TEXT * 20).encode("utf-8")
    data = data[:200] + b"\xff" + data[200:]
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert "1 invalid UTF-8" in decoded.warning
    assert "Québécois" in decoded.text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"PK\x03\x04" + bytes(100), "zip"),
        (b"abc\x00def", "NUL"),
    ],
)
def test_binary_files_are_refused(data: bytes, kind: str) -> None:
    with pytest.raises(UndecodableError, match=kind):
        decode_bytes(data)


@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except UndecodableError:
        return
    assert isinstance(decoded.text, str)


SHORT = "Visite à Montréal : délégation très appréciée, échanges concrets."


@pytest.mark.parametrize("n_bad", [1, 2, 3])
def test_a_short_utf8_text_with_bad_bytes_stays_utf8(n_bad: int) -> None:
    data = SHORT.encode("utf-8")
    cut = data.index(b" ")
    data = data[:cut] + b"\xff" * n_bad + data[cut:]  # each \xff is its own bad sequence
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert "délégation" in decoded.text and "Ã" not in decoded.text
    assert decoded.warning.startswith(f"{n_bad} invalid UTF-8")


def test_latin1_with_an_accidental_utf8_pair_stays_latin1() -> None:
    text = "Été à Montréal : délégation très appréciée, Â« échanges »."
    decoded = decode_bytes(text.encode("latin-1"))  # "Â«" is also valid UTF-8 ("«")
    assert decoded.encoding == "latin-1" and decoded.text == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(codec: str) -> None:
    decoded = decode_bytes(TEXT.encode(codec))
    assert (decoded.encoding, decoded.text) == (codec, TEXT)
