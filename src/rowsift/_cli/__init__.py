"""The command-line interface: thin commands over the public API; errors become exit codes.

`app.py` holds the `rowsift` Typer application, the commands of the core loop and `_guarded`,
the one place where a `RowsiftError` becomes its message and exit code; each other module holds
the commands of one topic (`profile`, `suggest`, `review`, `store`, `monitor`, `sniff`,
`convert`, `demo`). A command parses its arguments, calls one public function, renders the
result through `console` (never as markup) and returns its exit code. Modules import Typer
and the standard library only at their top, so that `rowsift --help` starts quickly.
"""
