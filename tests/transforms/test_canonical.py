"""The canonical transform's fingerprint: each character folded or dropped on its own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift.transforms.canonical import fingerprint, folded, ignored


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=30))
def test_a_fingerprint_is_made_of_its_characters_folded_or_dropped(text: str) -> None:
    assert fingerprint(text) == "".join(folded(c) for c in text if not ignored(c))
    assert fingerprint(text + text) == fingerprint(text) * 2


def test_spelling_variants_share_a_fingerprint() -> None:
    assert fingerprint("São-Paulo!") == fingerprint("SAO PAULO") == "saopaulo"
    assert fingerprint("Zürich") != fingerprint("Zurich!x")
