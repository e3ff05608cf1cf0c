"""Turn query answers into bytes: SPARQL results formats, RDF syntaxes and a readable table.

The SPARQL 1.1 Results JSON document is built here (it is a few lines and the same for every answer), and the
XML, CSV and TSV forms are produced by pyoxigraph's own serialisers from that JSON, so a capped or cancelled
answer (a list of rows, no longer a live pyoxigraph iterator) still gets standard-conformant output.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.errors import QueryError
from kg.query.sparql import AskResult, GraphResult, QueryResult, SelectResult, Term
from kg.rdf.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "json": ox.RdfFormat.JSON_LD,
}
CELL_WIDTH = 48


def term_json(term: Term) -> dict:
    """One RDF term as a SPARQL 1.1 Results JSON binding (RDF-star triples included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {k: term_json(v) for k, v in parts.items()}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def results_json(result: SelectResult | AskResult) -> dict:
    """The SPARQL 1.1 Results JSON document for a SELECT or ASK answer."""
    if isinstance(result, AskResult):
        return {"head": {}, "boolean": result.value}
    bindings = [
        {var: term_json(term) for var, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def render(result: QueryResult, fmt: str, *, base: str = "") -> bytes:
    """Serialise an answer in one of the formats its query form allows.

    Args:
        result: the answer.
        fmt: ``table``, ``json``, ``csv``, ``tsv`` or ``xml`` for SELECT/ASK; ``ttl``, ``nt``, ``xml``
            (RDF/XML) or ``json`` (JSON-LD) for CONSTRUCT/DESCRIBE, where ``table`` means Turtle.
        base: the instance IRI base, shortened in tables.

    Returns:
        The encoded document (UTF-8).

    Raises:
        QueryError: the format does not fit the query form (say, CSV for a CONSTRUCT).
    """
    if isinstance(result, GraphResult):
        rdf_format = GRAPH_FORMATS.get("ttl" if fmt == "table" else fmt)
        if rdf_format is None:
            raise QueryError(f"a graph answer can be written as {', '.join(GRAPH_FORMATS)}, not {fmt}")
        return ox.serialize(result.triples, format=rdf_format, prefixes=PREFIXES)
    if fmt == "table":
        return format_table(result, base=base).encode()
    if fmt == "json":
        return json.dumps(results_json(result), ensure_ascii=False).encode()
    if fmt not in RESULTS_FORMATS:
        raise QueryError(f"a SELECT or ASK answer can be written as table, json, csv, tsv or xml, not {fmt}")
    document = json.dumps(results_json(result))
    return ox.parse_query_results(document, ox.QueryResultsFormat.JSON).serialize(format=RESULTS_FORMATS[fmt])


def short_term(term: Term | None, base: str = "") -> str:
    """A term as a person reads it: literals as their text, IRIs as prefix:name or relative to ``base``."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return (
            "<< " + " ".join(short_term(t, base) for t in (term.subject, term.predicate, term.object)) + " >>"
        )
    iri = term.value
    if base and iri.startswith(base):
        return iri[len(base) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def format_table(result: SelectResult | AskResult, *, base: str = "", width: int = CELL_WIDTH) -> str:
    """A plain-text table with one line per row and cells cut to ``width`` characters.

    Returns:
        The table, ending with a line that counts the rows (and says when the answer was capped).
    """
    if isinstance(result, AskResult):
        return ("yes" if result.value else "no") + "\n"
    cells = [[truncate(short_term(t, base), width) for t in row] for row in result.rows]
    header = [f"?{v}" for v in result.variables]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *cells]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    count = f"{len(cells)} row{'s' if len(cells) != 1 else ''}"
    lines.append(count + (" (capped; more exist)" if result.truncated else ""))
    return "\n".join(lines) + "\n"


def truncate(text: str, width: int) -> str:
    """One line of at most ``width`` characters, with an ellipsis when something was cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
