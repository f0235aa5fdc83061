"""`python -m rowsift` runs the command line, as the `rowsift` script does."""

from rowsift._cli.entry import main

main()
