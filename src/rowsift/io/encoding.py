"""Telling a text file's encoding from its first bytes."""

from __future__ import annotations

import codecs
import re

_UNDECODABLE = re.compile("[\udc80-\udcff]")


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start names (a BOM is never wrong), or None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def detect_encoding(head: bytes) -> tuple[str, float]:
    """The encoding of a sample: a BOM, else UTF-16 by its zero bytes, else UTF-8, else cp1252.

    A sample that mixes UTF-8 text with bytes that are not UTF-8 is read as whichever holds
    more of its non-ASCII characters; the records in the other one are quarantined when read.
    """
    bom = bom_encoding(head)
    if bom is not None:
        return bom, 1.0
    pairs = head[:4096]
    if len(pairs) >= 4:
        even = pairs[0::2].count(0) / max(1, len(pairs[0::2]))
        odd = pairs[1::2].count(0) / max(1, len(pairs[1::2]))
        if odd > 0.3 and even < 0.05:
            return "utf-16-le", 0.9
        if even > 0.3 and odd < 0.05:
            return "utf-16-be", 0.9
    if head.isascii():
        return "utf-8", 0.9
    # a character cut off at the sample's end is left out, not counted as undecodable
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    undecodable = len(_UNDECODABLE.findall(text))
    if undecodable == 0:
        return "utf-8", 1.0
    decoded = sum(1 for char in text if ord(char) > 127) - undecodable
    if decoded > undecodable:
        return "utf-8", 0.7
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", 0.6
    return "cp1252", 0.8 if decoded == 0 else 0.6


def decode_sample(head: bytes, encoding: str, *, complete: bool) -> str:
    """The sample as text; undecodable bytes become lone surrogates; a cut-off char is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    try:
        return decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        return head.decode("latin-1")
