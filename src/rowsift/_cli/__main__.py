"""`python -m rowsift._cli` runs the command line."""

from rowsift._cli.entry import main

main()
