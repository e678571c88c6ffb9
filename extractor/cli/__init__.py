"""The ``claimscope`` command line: argument parsing, exit codes and terminal output, over the library.

It owns no extraction logic: every command calls :mod:`extractor.sdk` or a library subpackage and turns
its errors into one line on stderr and an exit code (0 ok, 1 failed, 2 bad input or arguments, 3 model
unreachable or failing). ``claimscope`` (the console script) and ``python -m extractor`` both run
:func:`main`.
"""

from extractor.cli.app import app, main

__all__ = ["app", "main"]
