"""The `clip-zero-shot` command. One module per command group; only this package prints or exits."""
