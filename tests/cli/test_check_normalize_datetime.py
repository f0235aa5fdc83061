"""`rowsift check` refuses a normalize_datetime it cannot run: what, where, a hint, exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

RECIPE = """\
version: 1
columns:
  visited:
    type: date
    transforms:
      - strip
      - normalize_datetime: {formats: ['%m/%d/%Y', '%d %b %Y'], to: '%Y-%m-%d %H:%M'}
"""


def test_a_directive_it_does_not_read_and_a_missing_field_exit_2(
    cli: Callable, tmp_path: Path
) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    outcome = cli("check", str(recipe))
    assert outcome.code == 2
    where = "r.yaml:7: columns.visited.transforms[1].normalize_datetime"
    assert f"{where}.formats[0]: the format '%m/%d/%Y' has no hour or minute" in outcome.stderr
    assert f"{where}.formats[1]: the format directive %b is not accepted" in outcome.stderr
    assert "Hint: names depend on the language" in outcome.stderr
    assert "Traceback" not in outcome.stderr
