"""One error hierarchy for the project; the CLI turns these into clean messages and exit codes."""


class KgError(Exception):
    """Base class of every error kg raises on purpose."""

    exit_code = 1


class InputError(KgError):
    """An input file cannot be read at all (missing, unknown format, unreadable)."""

    exit_code = 2


class ModelError(KgError):
    """The spaCy pipeline or a trained model is missing or cannot be loaded."""

    exit_code = 3


class StoreError(KgError):
    """The graph store cannot be opened, written or queried."""

    exit_code = 4


class QueryError(KgError):
    """A SPARQL query is malformed or failed to run."""

    exit_code = 5


class NotFoundError(KgError):
    """A name the user asked for matches nothing in the graph."""

    exit_code = 6


class GraphTooLargeError(KgError):
    """An export selects more of the graph than a browser can lay out and keep usable."""

    exit_code = 7
