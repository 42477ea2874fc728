"""The command line: ``ae-explorer COMMAND ...`` (the window opens without a command)."""

COMMANDS = ("train", "evaluate", "bench", "interpolate", "encode", "replay")
"""The first words ``ae-explorer`` hands to the command line (kept equal to the parser's)."""
