"""The command-line interface: thin commands over the public API; errors become exit codes.

`app.py` holds the `rowsift` Typer application and `COMMANDS`, the table of every command's
module, which is imported only when that command runs; `guard.py` holds `guarded`, the one
place where a `RowsiftError` becomes its message and exit code; `options.py` the exit codes and
options the commands share; each other module the commands of one topic (`recipe`: run, check,
explain; `profile`, `suggest`, `review`, `store`, `monitor`, `sniff`, `convert`, `demo`). A
command parses its arguments, calls one public function, renders the result through `console`
(never as markup) and returns its exit code. Modules import Typer and the standard library only
at their top, so that `rowsift --help` and each command start quickly.
"""
