"""Turning the bytes of a post into text: BOMs, UTF-8, Windows-1252, Latin-1, binaries."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Magic numbers of the binary files most often dropped into a folder of posts by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive (or docx/xlsx)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes 0x80-0x9F are control characters in Latin-1 but typographic quotes, dashes and
# the euro sign in Windows-1252: their presence decides between the two.
_C1_RANGE = bytes(range(0x80, 0xA0))
# Without a BOM, UTF-16 shows as NUL bytes at every other position of ASCII-heavy text.
_UTF16_NUL_SHARE = 0.3


class UndecodableError(ValueError):
    """The bytes are not text in any encoding this reader accepts."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """Decode a post's bytes, detecting BOMs, UTF-8, Windows-1252 and Latin-1.

    Raises:
        UndecodableError: for binary files (images, archives, NUL bytes).

    Example:
        >>> decode_bytes("Québec".encode("cp1252")).encoding
        'windows-1252'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding), encoding.replace("-sig", " with BOM"))
    utf16 = _decode_utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    _reject_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _decode_mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    if any(byte in _C1_RANGE for byte in data):
        return Decoded(data.decode("cp1252", errors="replace"), "windows-1252")
    return Decoded(data.decode("latin-1"), "latin-1")


def _reject_binary(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UndecodableError(f"binary file ({kind})")
    if b"\x00" in data[:4096]:
        raise UndecodableError("binary file (contains NUL bytes)")


def _decode_utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM: NUL bytes on one side of most pairs, text once decoded.

    Example: ``"Été à Lyon".encode("utf-16-le")`` decodes as ``utf-16-le``.
    """
    if len(data) < 4 or len(data) % 2 or data.startswith(tuple(m for m, _ in _MAGIC)):
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    for encoding, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls / pairs >= _UTF16_NUL_SHARE and others / pairs < 0.02:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            if _looks_like_text(text):
                return Decoded(text, encoding)
    return None


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for c in text[:2048] if ord(c) < 32 and c not in "\t\n\r")
    return controls == 0


def _decode_mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few corrupt bytes: keep it, and say how many sequences were replaced.

    The text is UTF-8 when its valid multi-byte sequences (accents) outnumber the invalid
    ones, whatever its length: Latin-1 or Windows-1252 French almost never forms a valid
    sequence by chance (an accent is followed by an ASCII letter).
    """
    text = data.decode("utf-8", errors="replace")
    n_bad = text.count("\ufffd") - data.count("\ufffd".encode())
    n_valid = sum(1 for char in text if ord(char) >= 0x80) - text.count("\ufffd")
    if n_valid <= n_bad:
        return None
    warning = f"{n_bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD"
    return Decoded(text, "utf-8", warning)
