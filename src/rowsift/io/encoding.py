"""Telling a text file's encoding from its first bytes."""

from __future__ import annotations

import codecs
import re

_UNDECODABLE = re.compile("[\udc80-\udcff]")


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark at the start names (a BOM is never wrong), or None.

    UTF-32's little-endian mark starts like UTF-16's, so it is looked for first.

    >>> bom_encoding("id".encode("utf-32")), bom_encoding("id".encode("utf-16"))
    ('utf-32', 'utf-16')
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def wide_encoding(head: bytes) -> str | None:
    r"""UTF-32 or UTF-16 without a byte order mark, told by the zero bytes their characters
    carry, or None. A candidate must decode the sample and keep its line breaks as characters
    (a file of NUL-separated fields has zero bytes too, but its line breaks fall apart).

    >>> wide_encoding("id,n\n1,a\n".encode("utf-16-be")), wide_encoding(b"a\x00b\n1\x002\n")
    ('utf-16-be', None)
    """
    sample = head[:4096]
    if len(sample) < 4:
        return None
    zeros = [sample[at::4].count(0) / len(sample[at::4]) for at in range(4)]
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    candidates = []
    if min(zeros[2], zeros[3]) > 0.9 and zeros[0] < 0.05:
        candidates.append("utf-32-le")
    if min(zeros[0], zeros[1]) > 0.9 and zeros[3] < 0.05:
        candidates.append("utf-32-be")
    if odd > 0.3 and even < 0.05:
        candidates.append("utf-16-le")
    if even > 0.3 and odd < 0.05:
        candidates.append("utf-16-be")
    for encoding in candidates:
        unit = 4 if encoding.startswith("utf-32") else 2
        try:
            text = sample[: len(sample) // unit * unit].decode(encoding)
        except UnicodeDecodeError:
            continue
        if (b"\n" in sample) <= ("\n" in text) and (b"\r" in sample) <= ("\r" in text):
            return encoding
    return None


def is_utf8(data: bytes, *, cut: bool = False) -> bool:
    """Whether `data` is UTF-8 text (ASCII is, and is told at once); with `cut` (the first
    bytes of a longer file), a character cut off at its end counts as whole.

    >>> is_utf8("é".encode()), is_utf8("é".encode()[:1]), is_utf8("é".encode()[:1], cut=True)
    (True, False, True)
    """
    if data.isascii():
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not cut)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes) -> tuple[str, float]:
    """The encoding of a sample: a BOM, else UTF-32 or UTF-16 by their zero bytes, else UTF-8,
    else cp1252.

    A sample that mixes UTF-8 text with bytes that are not UTF-8 is read as whichever holds
    more of its non-ASCII characters; the records in the other one are quarantined when read.
    """
    bom = bom_encoding(head)
    if bom is not None:
        return bom, 1.0
    wide = wide_encoding(head)
    if wide is not None:
        return wide, 0.9
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
