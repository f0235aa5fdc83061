"""`python -m rowsift._cli` runs the command line."""

from rowsift._cli.app import main

main()
