"""Importing the notebook tools (nbformat, papermill, nbconvert) without a slow optional checker.

nbformat validates notebooks through jsonschema. When jsonschema is first
imported it registers its format checkers, and for the ``iri`` and
``iri-reference`` formats it imports the optional package ``rfc3987_syntax``,
which builds some 35 Earley parsers at import: measured here at 2.6 to 2.9 s
(``python -X importtime -c "import nbformat"``; importing nbformat, papermill
and nbconvert takes 4.3 to 5.4 s with it and 1.6 to 1.9 s without), in every
process that reads a notebook (jsonschema issue #1428). Notebook schemas use no
IRI format, so the report processes go without that one checker and nothing
else changes: jsonschema imports it inside ``contextlib.suppress(ImportError)``.

:func:`skip_iri_format_checker` is called by the modules that import the
notebook tools (:mod:`analysis.reports.planning`, :mod:`analysis.reports.execution`),
at their import, so that it holds in the batch process, in its pool workers (which
preload :mod:`analysis.reports.execution`) and on dask workers (which import that
module to unpickle the task). It does nothing once jsonschema is imported.
"""

from __future__ import annotations

import sys

SKIPPED_MODULE = "rfc3987_syntax"
"""The optional module jsonschema's format checkers import that the report processes skip."""


def skip_iri_format_checker() -> bool:
    """Keep jsonschema from importing :data:`SKIPPED_MODULE` (its IRI format checker).

    Marks the module as absent in ``sys.modules`` (Python's documented way to
    make an import raise ImportError), unless jsonschema is already imported,
    in which case its checkers are registered and nothing changes.

    Returns:
        Whether the checker is skipped in this process.
    """
    if "jsonschema" not in sys.modules and SKIPPED_MODULE not in sys.modules:
        sys.modules[SKIPPED_MODULE] = None  # type: ignore[assignment]
    return sys.modules.get(SKIPPED_MODULE, False) is None
