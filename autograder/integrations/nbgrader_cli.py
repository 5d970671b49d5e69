"""``nbgrader`` as the course's tools run it (``python -m autograder.integrations.nbgrader_cli ARGS`` = ``nbgrader ARGS``).

The same application with the same arguments; importing :mod:`autograder` first only spares it jsonschema's
optional IRI grammar (see ``autograder/__init__.py``), which nbgrader would otherwise compile on every start: 2.1 s
instead of 5.6 s a command on two cores. Once the command is done (the gradebook written and closed by nbgrader
itself, the log flushed here) the process ends without the interpreter's teardown, which with torch loaded (the
judge of ``autograde``) costs seconds.
"""
import logging
import sys

import autograder  # (before nbgrader: see the module docstring)
from nbgrader.apps.nbgraderapp import main

if __name__ == "__main__":
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    logging.shutdown()
    autograder.exit_now(code)
