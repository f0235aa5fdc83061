"""A corpus of hostile recipes, generated from compact specs.

Each `RecipeCase` is the text (or bytes) of a recipe meant for the small table `TABLE`; the
`expect` field says what a correct answer is: "valid" (the run succeeds), "invalid" (a recipe
error, exit code 2) or "either" (a recipe error, or a run that accounts for every record).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Expect = Literal["valid", "invalid", "either"]

TABLE = (
    "id,country,code,amount,when\n"
    "1,NO,01,10.5,2024-01-05\n"
    "2,SE,02,-3,2024-02-29\n"
    "3,DK,yes,abc,05.03.2024\n"
    "4,no,on,1e3,\n"
)
"""Five columns whose values look like YAML 1.1 booleans, octals and numbers."""


@dataclass(frozen=True)
class RecipeCase:
    id: str
    text: str | bytes
    expect: Expect = "either"


def _column(body: str, name: str = "country") -> str:
    return f"version: 1\ncolumns:\n  {name}:\n    {body}\n"


def _bombs() -> Iterator[RecipeCase]:
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        laughs.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    bomb = "\n".join(f"# {line}" for line in ()) + "\n".join(laughs)
    yield RecipeCase(
        "billion-laughs-in-set",
        "version: 1\nx-anchors:\n  "
        + "\n  ".join(laughs)
        + "\ncolumns:\n  country:\n    rules: [{in_set: *a9}]\n",
        "invalid",
    )
    yield RecipeCase(
        "billion-laughs-top",
        bomb + "\nversion: 1\ncolumns: {country: {rules: [{in_set: *a9}]}}\n",
        "invalid",
    )
    yield RecipeCase(
        "alias-small",
        "version: 1\ncolumns:\n  country: &c {rules: [not_null]}\n  code: *c\n",
        "either",
    )
    yield RecipeCase(
        "merge-key",
        "version: 1\ncolumns:\n  country: &c {rules: [not_null]}\n  code: {<<: *c}\n",
        "either",
    )
    yield RecipeCase(
        "recursive-alias",
        "version: 1\ncolumns: &x\n  country: {rules: [{in_set: *x}]}\n",
        "invalid",
    )


def _tags() -> Iterator[RecipeCase]:
    payloads = [
        "!!python/object/apply:os.system ['touch /tmp/rowsift-pwned']",
        "!!python/object/new:subprocess.Popen [['touch', '/tmp/rowsift-pwned']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!custom value",
        "!!timestamp 2024-01-01",
        "!!float '1'",
    ]
    for index, payload in enumerate(payloads):
        yield RecipeCase(f"tag-{index:02d}", _column(f"rules: [{{in_set: [{payload}]}}]"))
        if index < 4:
            yield RecipeCase(f"tag-top-{index:02d}", f"{payload}\n", "invalid")


def _nesting() -> Iterator[RecipeCase]:
    for depth in (50, 1_000, 20_000):
        yield RecipeCase(
            f"nested-lists-{depth}",
            _column(f"rules: [{{in_set: {'[' * depth}{']' * depth}}}]"),
            "invalid",
        )
        yield RecipeCase(
            f"nested-maps-{depth}",
            _column("rules: " + "{a: " * depth + "1" + "}" * depth),
            "invalid",
        )
    yield RecipeCase(
        "nested-block",
        "version: 1\ncolumns:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200)),
        "invalid",
    )


def _sizes() -> Iterator[RecipeCase]:
    values = ", ".join(f"v{i}" for i in range(10_000))
    yield RecipeCase("in-set-10k", _column(f"rules: [{{in_set: [{values}]}}]"), "valid")
    mapping = ", ".join(f"v{i}: w{i}" for i in range(5_000))
    yield RecipeCase("map-5k", _column(f"transforms: [{{map: {{{mapping}}}}}]"), "valid")
    columns = "".join(f"  c{i}: {{required: false}}\n" for i in range(500))
    yield RecipeCase("columns-500", f"version: 1\ncolumns:\n  id: {{}}\n{columns}", "valid")
    yield RecipeCase("comment-1mb", "# " + "x" * 1_000_000 + "\n" + _column("{}"), "valid")
    yield RecipeCase("name-100k", _column("{}", name="x" * 100_000), "either")
    rules = ", ".join("not_null" for _ in range(500))
    yield RecipeCase("rules-500", _column(f"rules: [{rules}]"), "either")


def _scalars() -> Iterator[RecipeCase]:
    # YAML 1.1 would read these as booleans, octals, sexagesimals or null: a recipe must
    # either keep them as the text they are or refuse them with a hint to quote them
    tricky = [
        "NO",
        "no",
        "yes",
        "on",
        "off",
        "y",
        "n",
        "~",
        "null",
        "01",
        "0o17",
        "1e3",
        "12:30",
        "2024-01-01",
        ".inf",
        ".nan",
        "0x1F",
        "+1",
        "-0",
        "1_000",
        "TRUE",
    ]
    for index, value in enumerate(tricky):
        yield RecipeCase(
            f"in-set-{index:02d}-{value}", _column(f"rules: [{{in_set: [{value}, SE]}}]")
        )
        yield RecipeCase(
            f"fill-null-{index:02d}", _column(f"transforms: [{{fill_null: {value}}}]", name="code")
        )
    yield RecipeCase("map-yes-key", _column("transforms: [{map: {yes: Y, no: N}}]", name="code"))
    yield RecipeCase("map-null-key", _column("transforms: [{map: {~: x, null: y}}]", name="code"))
    yield RecipeCase(
        "map-int-key", _column("transforms: [{map: {1: one, 01: zero-one}}]", name="code")
    )
    yield RecipeCase(
        "between-strings",
        _column("type: float\n    rules: [{between: {min: NO, max: yes}}]", name="amount"),
        "invalid",
    )
    yield RecipeCase("version-string", 'version: "1"\ncolumns: {country: {}}\n')
    yield RecipeCase("version-float", "version: 1.0\ncolumns: {country: {}}\n")
    yield RecipeCase("version-999", "version: 999\ncolumns: {country: {}}\n", "invalid")
    yield RecipeCase(
        "duplicate-keys", "version: 1\ncolumns:\n  country: {}\n  country: {rules: [not_null]}\n"
    )
    yield RecipeCase(
        "duplicate-rule-keys", _column("rules: [{between: {min: 1, min: 2}}]", name="amount")
    )


def _patterns() -> Iterator[RecipeCase]:
    patterns = [
        "(a+)+$",
        "(a|aa)*b",
        "(.*a){25}",
        "^(([a-z])+.)+[A-Z]([a-z])+$",
        "(x+x+)+y",
        "(a)\\1",
        "(?=a)b",
        "(?<!a)b",
        "a{1000}{1000}",
        "a{100000}",
        "\\p{NotAProperty}",
        "[",
        "(?P<n>a)(?P=n)",
        "\\",
        "(?i)" + "a?" * 500 + "a" * 500,
    ]
    for index, pattern in enumerate(patterns):
        quoted = "'" + pattern.replace("'", "''") + "'"
        yield RecipeCase(f"pattern-{index:02d}", _column(f"rules: [{{matches: {quoted}}}]"))
        yield RecipeCase(
            f"replace-{index:02d}",
            _column(f"transforms: [{{replace: {{pattern: {quoted}, with: x}}}}]"),
        )


def _internal_names() -> Iterator[RecipeCase]:
    for name in (
        "_rowsift_row",
        "_rowsift_reasons",
        "_rowsift_line",
        "_rowsift_parse",
        "_rowsift_raw",
        "_rowsift_x",
        "row",
        "dataset",
        "len",
        "__index_level_0__",
    ):
        yield RecipeCase(f"column-named-{name}", _column("{rules: [not_null]}", name=name))
        yield RecipeCase(
            f"compare-with-{name}",
            _column(f"rules: [{{compare: {{op: '>=', column: {name}}}}}]", name="id"),
        )
    yield RecipeCase(
        "unique-on-internal",
        "version: 1\ncolumns: {id: {}}\nrows:\n  - unique: {columns: [_rowsift_row]}\n",
    )
    yield RecipeCase(
        "null-rate-internal",
        "version: 1\ncolumns: {id: {}}\n"
        "dataset:\n  - null_rate: {column: _rowsift_reasons, max: 0.1}\n",
    )


def _shapes() -> Iterator[RecipeCase]:
    texts: list[tuple[str, str | bytes, Expect]] = [
        ("empty", "", "invalid"),
        ("only-comment", "# nothing\n", "invalid"),
        ("list-top", "- a\n- b\n", "invalid"),
        ("scalar-top", "hello\n", "invalid"),
        ("two-documents", "version: 1\ncolumns: {country: {}}\n---\nversion: 1\n", "invalid"),
        ("binary", bytes(range(256)), "invalid"),
        ("nul-in-text", "version: 1\ncolumns: {coun\x00try: {}}\n", "invalid"),
        ("utf16", "version: 1\ncolumns: {country: {}}\n".encode("utf-16"), "either"),
        ("bom", "\ufeffversion: 1\ncolumns: {country: {}}\n", "either"),
        ("tabs", "version: 1\ncolumns:\n\tcountry: {}\n", "invalid"),
        ("unknown-key", "version: 1\ncolumns: {country: {}}\nexec: rm -rf /\n", "invalid"),
        ("markup-name", "version: 1\nname: '[bold red]x[/]'\ncolumns: {country: {}}\n", "valid"),
        (
            "markup-column",
            "version: 1\ncolumns: {'[/]': {required: false}, country: {}}\n",
            "valid",
        ),
        ("formula-fill", _column("transforms: [{fill_null: '=HYPERLINK(\"x\")'}]"), "valid"),
        (
            "sql-quote-set",
            _column('rules: [{in_set: ["\'; DROP TABLE runs; --", NO, SE]}]'),
            "valid",
        ),
        ("bidi-set", _column('rules: [{in_set: ["\u202eON", SE]}]'), "valid"),
        ("strftime-e", _column("type: date\n    format: '%e.%m.%Y'", name="when"), "either"),
        (
            "strftime-huge",
            _column("type: date\n    format: '" + "%Y" * 5_000 + "'", name="when"),
            "either",
        ),
        ("strftime-bad", _column("type: date\n    format: '%Q%'", name="when"), "invalid"),
        (
            "source-query-copy",
            "version: 1\nsource: {query: \"COPY t TO '/tmp/x'\"}\ncolumns: {id: {}}\n",
            "either",
        ),
        (
            "source-bad-encoding",
            "version: 1\nsource: {encoding: no-such-codec}\ncolumns: {id: {}}\n",
            "invalid",
        ),
        (
            "source-delimiter-long",
            "version: 1\nsource: {delimiter: ',,'}\ncolumns: {id: {}}\n",
            "either",
        ),
        (
            "webhook-file",
            "version: 1\nmonitor: {webhook: 'file:///etc/passwd'}\ncolumns: {id: {}}\n",
            "either",
        ),
        (
            "min-over-max",
            _column("type: float\n    rules: [{between: {min: 5, max: 1}}]", name="amount"),
            "invalid",
        ),
        ("empty-in-set", _column("rules: [{in_set: []}]"), "either"),
    ]
    for name, text, expect in texts:
        yield RecipeCase(name, text, expect)


PENDING: dict[str, str] = {}
"""Cases that fail today, with the area whose fix they wait for; they join the suite (by
leaving this table) once that fix lands. They are not run, so the suite stays green."""


def hostile_recipes() -> list[RecipeCase]:
    """Every case of the corpus that passes today, with unique ids (see `PENDING`)."""
    cases = [
        *_bombs(),
        *_tags(),
        *_nesting(),
        *_sizes(),
        *_scalars(),
        *_patterns(),
        *_internal_names(),
        *_shapes(),
    ]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "corpus ids must be unique"
    assert set(PENDING) <= set(ids), "every pending case is in the corpus"
    return [case for case in cases if case.id not in PENDING]
