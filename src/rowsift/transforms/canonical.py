"""`canonical`: a value that differs from a listed value only in case, spacing, punctuation or
accents becomes that listed value.

Two texts are equal under the **fingerprint**, defined here once and matched alike on every
engine: every character that `ignored` (whitespace, punctuation of the ASCII, Latin-1 and General
Punctuation blocks, combining marks) is dropped, and every other character is replaced by its
`folded` form (the base letter of its canonical decomposition when the rest is combining marks,
then its simple lower case when that is one character). Only the Basic Multilingual Plane folds;
other characters, and those whose lower case is several characters, stand for themselves.

No engine runs Unicode normalisation alike, so nothing is normalised at run time: each listed
value becomes one anchored pattern whose every character is a class of all the characters that
fold to it, with ignored characters allowed between them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from rowsift.transforms.text import WHITESPACE

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

_PUNCTUATION_BLOCKS = ((0x21, 0x7E), (0xA1, 0xBF), (0x2010, 0x205E), (0x0300, 0x036F))
"""Where ignored characters are looked for: ASCII, Latin-1 punctuation, General Punctuation, and
the combining diacritical marks."""


def ignored(char: str) -> bool:
    """Whether the fingerprint drops the character.

    >>> [ignored(c) for c in " -,\u2019\u0301a9"]
    [True, True, True, True, True, False, False]
    """
    if char in WHITESPACE:
        return True
    code = ord(char)
    inside = any(low <= code <= high for low, high in _PUNCTUATION_BLOCKS)
    return inside and unicodedata.category(char)[0] in "PM"


def folded(char: str) -> str:
    """The character the fingerprint puts in its place.

    >>> folded("É"), folded("ß"), folded("Ø"), folded("ǅ")
    ('e', 'ß', 'ø', 'ǆ')
    """
    if ord(char) > 0xFFFF:
        return char
    parts = unicodedata.normalize("NFD", char)
    base = parts[0] if all(unicodedata.category(p) == "Mn" for p in parts[1:]) else char
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fingerprint(text: str) -> str:
    """The text as the transform compares it.

    >>> fingerprint("  São-Paulo! "), fingerprint("SAO PAULO")
    ('saopaulo', 'saopaulo')
    """
    return "".join(map(_char_print, text))


@cache
def _char_print(char: str) -> str:
    """One character's part of the fingerprint (nothing when it is ignored); texts repeat
    their characters, so each is worked out once."""
    return "" if ignored(char) else folded(char)


@cache
def _folds_to() -> dict[str, str]:
    """Every BMP character that folds to another, grouped by what it folds to: ``{e: éÉèE...}``."""
    groups: dict[str, list[str]] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        target = folded(char)
        if target != char and not ignored(char):
            groups.setdefault(target, []).append(char)
    return {target: "".join(chars) for target, chars in groups.items()}


@cache
def _ignored_class() -> str:
    chars = [
        chr(code)
        for low, high in _PUNCTUATION_BLOCKS
        for code in range(low, high + 1)
        if ignored(chr(code))
    ]
    return _class(WHITESPACE + "".join(chars))


def ignored_run() -> str:
    """A pattern matching a run of what the fingerprint ignores (between a value's letters)."""
    return _ignored_class() + "*"


def _class(chars: str) -> str:
    """A character class of exactly these characters (punctuation escaped for every engine;
    ``<`` and ``>`` are not, since Rust's regex refuses ``\\<`` and ``\\>``)."""
    unique = dict.fromkeys(chars)
    escaped = [
        "\\" + c if c.isascii() and not c.isalnum() and c not in " <>" else c for c in unique
    ]
    return "[" + "".join(escaped) + "]"


def fingerprint_pattern(text: str) -> str:
    """An anchored pattern matching exactly the texts whose fingerprint is `text`'s."""
    gap = ignored_run()
    folds = _folds_to()
    parts = [_class(char + folds.get(char, "")) for char in fingerprint(text)]
    return "^" + gap + gap.join(parts) + gap + "$"


@dataclass(frozen=True)
class Canonical:
    """A value whose fingerprint equals a listed value's becomes that listed value (the first
    listed, should two share one); other values are kept."""

    name: ClassVar[str] = "canonical"
    values: tuple[str, ...]

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The listed value the value is a variant of, else the value."""
        import narwhals.stable.v2 as nw

        result = value
        for listed in reversed(self.values):
            found = value.str.contains(fingerprint_pattern(listed))
            result = nw.when(found).then(nw.lit(listed)).otherwise(result)
        return result


CanonicalTransform = Canonical
"""The transforms of this module; `rowsift.transforms.Transform` joins every module's."""
