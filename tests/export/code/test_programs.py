"""What every exported program promises: it knows every registered rule and transform (or the
docs say it cannot), it fails loudly on one it does not know, and recipe data never becomes
code."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from tests.export.code.exactness import (
    STANDARD_LIBRARY,
    compare,
    imported_modules,
    load_program,
)
from tests.hostile.payloads import NAMES, PAYLOADS

import rowsift
from rowsift.exceptions import ExportError
from rowsift.export import export_recipe
from rowsift.export.code import CANNOT_EXPORT, EXPORTERS, PYTHON_PROGRAMS
from rowsift.recipe.yaml_text import dump_yaml
from rowsift.rules import COLUMN_RULES, DATASET_RULES, ROWSET_RULES
from rowsift.transforms import TRANSFORMS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "export.md"
REGISTERED = {
    **{f"rule {name}": kind for name, kind in COLUMN_RULES.items()},
    **{f"rule {name}": kind for name, kind in ROWSET_RULES.items()},
    **{f"dataset rule {name}": kind for name, kind in DATASET_RULES.items()},
    **{f"transform {name}": kind for name, kind in TRANSFORMS.items()},
}


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_every_registered_kind_is_exported_or_documented_as_not(target: str) -> None:
    exported = EXPORTERS[target].EXPORTED
    cannot = CANNOT_EXPORT.get(target, {})
    docs = DOCS.read_text(encoding="utf-8")
    for label, kind in REGISTERED.items():
        if kind in exported:
            continue
        assert kind.name in cannot, f"{target} neither exports nor documents the {label}"
        assert f"`{kind.name}`" in docs, f"docs/export.md does not list the {label} for {target}"


@dataclass(frozen=True)
class Unknown:
    """A transform no exporter knows (as a new one would be, before its exporter)."""

    name: ClassVar[str] = "unknown_kind"

    def apply(self, value: Any) -> Any:
        return value


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_a_kind_the_exporter_does_not_know_fails_naming_it(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = rowsift.load_recipe_text("version: 1\ncolumns: {a: {transforms: [strip]}}")
    module = EXPORTERS[target]
    plan = module.outline(recipe)
    column = plan.plan.columns[0]
    odd = type(column)(
        name=column.name,
        required=column.required,
        transforms=(Unknown(),),  # type: ignore[arg-type]
        cast=column.cast,
        rules=column.rules,
    )
    monkeypatch.setattr(
        module,
        "outline",
        lambda _: type(plan)(
            **{
                **plan.__dict__,
                "plan": type(plan.plan)(**{**plan.plan.__dict__, "columns": (odd,)}),
            }
        ),
    )
    with pytest.raises(ExportError, match="unknown_kind"):
        export_recipe(recipe, to=target)


def hostile_recipe() -> dict[str, Any]:
    """Every column named by a payload name; payloads as set members, map keys and values,
    fill values, descriptions and evidence."""
    columns: dict[str, Any] = {}
    for number, name in enumerate(NAMES):
        columns[name] = {
            "description": PAYLOADS[number],
            "transforms": [{"map": {PAYLOADS[number + 1]: PAYLOADS[number + 2]}}],
            "rules": [
                {
                    "in_set": {
                        "values": PAYLOADS[number : number + 5],
                        "evidence": {
                            "statistic": PAYLOADS[number + 3],
                            "observed": 1.0,
                            "note": PAYLOADS[-3],
                            "examples": PAYLOADS[-6:],
                        },
                    }
                },
                {"length": {"max": 40}},
            ],
        }
    columns[NAMES[0]]["transforms"].append({"fill_null": PAYLOADS[-2]})
    return {
        "version": 1,
        "name": PAYLOADS[-3],
        "description": "\n".join(PAYLOADS[:8]),
        "columns": columns,
        "rows": [{"unique": {"columns": NAMES[:3]}}],
    }


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(target, marks=[pytest.mark.spark] if target == "pyspark" else [])
        for target in PYTHON_PROGRAMS
    ],
)
def test_recipe_data_never_becomes_code(target: str, tmp_path: Path) -> None:
    recipe = rowsift.load_recipe_text(dump_yaml(hostile_recipe()))
    source = export_recipe(recipe, to=target)
    tree = ast.parse(source)
    module = EXPORTERS[target]
    libraries = set(getattr(module, "LIBRARIES", (module.LIBRARY,)))
    assert imported_modules(source) <= libraries | STANDARD_LIBRARY
    constants = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    for name in NAMES:
        assert name in constants, f"the column name {name!r} is not a string literal"
    for payload in PAYLOADS[:10]:
        assert payload in constants, f"{payload!r} is not a string literal"
    top = {
        node.name if hasattr(node, "name") else ast.unparse(node).split("=")[0].strip()
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.Assign)
    }
    assert all(name.isidentifier() and name.isascii() for name in top), top
    assert "\u202e" not in source, "a bidi override reaches the text raw"
    assert "\x1b" not in source, "an escape character reaches the text raw"
    table = {
        name: [PAYLOADS[(row + column) % len(PAYLOADS)] for row in range(12)] + [None]
        for column, name in enumerate(NAMES)
    }
    program = load_program(source, tmp_path, "hostile")
    compare(recipe, table, program, what="hostile", target=target)
