"""`kg sparql` and the library under it: running queries, output formats, named queries, safe parameters."""

from __future__ import annotations

import csv
import io
import json
import random
import threading

import pyoxigraph as ox
import pytest
from fixtures.query.helpers import BASE, ENTITY, add_trig, invoke, small_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import NotFoundError, QueryError
from kg.query.named import adhoc_bindings, bind_params, get_query, load_queries, parse_header
from kg.query.render import render
from kg.query.sparql import AskResult, GraphResult, QueryTimeout, SelectResult, run_query, with_values
from kg.store import KgStore, refresh_derived

LABELS = "SELECT DISTINCT ?e ?label WHERE { ?e a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"
# Parameters that make every shipped query return rows on small.trig; a new query must be added here.
NAMED_PARAMS = {
    "acronyms": {},
    "claims-beating": {"method": "ReFT"},
    "co-used-datasets": {},
    "methods-on-benchmark": {"benchmark": "GSM8K"},
    "papers-proposing": {"method": "self consistency"},
    "results-for-benchmark": {"benchmark": "gsm-8k"},
    "search-claims": {"text": "OUTPERFORMS"},
    "top-benchmarks": {},
    "top-entities": {"type": "dataset"},
}
HOSTILE = ['"} UNION { ?s ?p ?o }', "'", '"', "{", "}", "\\", '") } #', "} ; DROP ALL ; {"]


@pytest.fixture(scope="module")
def store():
    return small_store()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "store"
    small_store(path)
    return path


def named(store, name: str, **params: str) -> SelectResult:
    query = get_query(name)
    result = run_query(store, query.text, bind_params(query, params, store))
    assert isinstance(result, SelectResult)
    return result


def column(result: SelectResult, name: str) -> list[str]:
    return [row[result.variables.index(name)].value for row in result.rows]


def test_select_answers_in_every_results_format(store):
    result = run_query(store, LABELS)
    assert isinstance(result, SelectResult)
    assert column(result, "label") == ["GSM8K", "ImageNet", "MathQA", "SVAMP"]
    doc = json.loads(render(result, "json"))
    assert doc["head"]["vars"] == ["e", "label"]
    assert doc["results"]["bindings"][0]["label"] == {"type": "literal", "value": "GSM8K"}
    rows = list(csv.reader(io.StringIO(render(result, "csv").decode())))
    assert rows[0] == ["e", "label"] and rows[1] == [ENTITY + "gsm8k", "GSM8K"]
    assert render(result, "tsv").decode().splitlines()[1] == f'<{ENTITY}gsm8k>\t"GSM8K"'
    parsed = ox.parse_query_results(render(result, "xml"), ox.QueryResultsFormat.XML)
    assert [s["label"].value for s in parsed] == column(result, "label")


def test_table_shortens_iris_truncates_cells_and_counts_rows(store):
    result = run_query(
        store, "SELECT ?c ?t WHERE { ?c a kg:Claim ; kg:text ?t } ORDER BY DESC(STRLEN(?t)) LIMIT 1"
    )
    table = render(result, "table", base="https://w3id.org/kg/id/").decode()
    header, rule, row, count = table.splitlines()
    assert header.split() == ["?c", "?t"] and set(rule) <= {"-", " "}
    assert row.startswith("claim/") and row.endswith("…")
    assert count == "1 row"


def test_literal_datatypes_and_languages_survive_json(store):
    result = run_query(
        store, "SELECT ?d ?l WHERE { BIND(\"2024-01-17\"^^xsd:date AS ?d) BIND('x'@en AS ?l) }"
    )
    binding = json.loads(render(result, "json"))["results"]["bindings"][0]
    assert binding["d"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert binding["l"] == {"type": "literal", "value": "x", "xml:lang": "en"}


def test_ask_and_graph_answers(store):
    assert run_query(store, "ASK { ?p kg:proposes ?m }") == AskResult(True)
    assert json.loads(render(AskResult(False), "json")) == {"head": {}, "boolean": False}
    graph = run_query(store, "CONSTRUCT { ?p kg:proposes ?m } WHERE { ?p kg:proposes ?m }")
    assert isinstance(graph, GraphResult) and len(graph.triples) == 4
    for fmt, rdf_format in [
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("xml", ox.RdfFormat.RDF_XML),
    ]:
        assert {q.triple for q in ox.parse(render(graph, fmt), rdf_format)} == set(graph.triples)
    assert b"kg:proposes" in render(graph, "table")  # a table of a graph is Turtle with the project prefixes
    with pytest.raises(QueryError, match="graph answer"):
        render(graph, "csv")


def test_row_cap_and_cancellation(store):
    capped = run_query(store, LABELS, max_rows=2)
    assert len(capped.rows) == 2 and capped.truncated
    assert not run_query(store, LABELS, max_rows=4).truncated
    assert "capped" in render(capped, "table").decode()
    stop = threading.Event()
    stop.set()
    with pytest.raises(QueryTimeout):
        run_query(store, LABELS, cancel=stop)


def test_malformed_query_and_unprojected_binding_are_query_errors(store):
    with pytest.raises(QueryError, match="malformed"):
        run_query(store, "SELEKT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="bind"):
        run_query(store, "SELECT ?e WHERE { ?e skos:prefLabel ?name }", {"name": ox.Literal("GSM8K")})


def test_every_named_query_is_documented_and_answers_on_the_small_graph(store):
    queries = load_queries()
    assert set(queries) == set(NAMED_PARAMS)
    for name, query in queries.items():
        assert query.summary.endswith(".") and query.description, name
        assert all(p.help for p in query.params), name
        assert {p.name for p in query.params} == set(NAMED_PARAMS[name]), name
        assert named(store, name, **NAMED_PARAMS[name]).rows, name


def test_named_queries_answer_their_question(store):
    top = named(store, "top-benchmarks")
    assert column(top, "label")[:2] == ["GSM8K", "SVAMP"] and column(top, "papers")[:2] == ["3", "2"]
    methods = named(store, "methods-on-benchmark", benchmark="GSM8K")
    roles = dict(zip(column(methods, "label"), column(methods, "role"), strict=True))
    assert roles["Reinforced Fine-Tuning"] == "proposed" and roles["Supervised Fine-Tuning"] == "used"
    assert "Robust Fine-Tuning" not in roles
    (beats,) = named(store, "claims-beating", method="ReFT").records()
    assert beats["beats"].value == "Supervised Fine-Tuning" and beats["by"].value == "9 points"
    assert set(beats["where"].value.split(", ")) == {"GSM8K", "MathQA"}
    pairs = named(store, "co-used-datasets")
    assert (column(pairs, "first")[0], column(pairs, "second")[0], column(pairs, "papers")[0]) == (
        "COCO",
        "ImageNet",
        "2",
    )
    datasets = named(store, "top-entities", type="Dataset")
    assert set(column(datasets, "label")) == {"COCO", "ImageNet", "CIFAR-10"}
    acronyms = named(store, "acronyms")
    assert column(acronyms, "acronym")[0] == "RFT" and column(acronyms, "meanings")[0] == "2"
    assert column(named(store, "results-for-benchmark", benchmark="GSM8K"), "value") == ["75.3%"]


def test_entity_parameters_resolve_names_and_report_ambiguity(store):
    titles = column(named(store, "papers-proposing", method="Self-Consistency"), "title")
    assert titles == ["Self-Consistency Improves Chain of Thought Reasoning in Language Models"]
    with pytest.raises(NotFoundError, match="ambiguous"):
        named(store, "papers-proposing", method="RFT")
    with pytest.raises(NotFoundError, match="no entity"):
        named(store, "papers-proposing", method="GSM8K")  # a benchmark, not a method


def test_parameters_are_checked_against_the_declaration(store):
    query = get_query("top-entities")
    with pytest.raises(QueryError, match="needs --param type"):
        bind_params(query, {}, store)
    with pytest.raises(QueryError, match="no parameter colour"):
        bind_params(query, {"type": "Method", "colour": "red"}, store)
    with pytest.raises(NotFoundError, match="unknown entity type"):
        bind_params(query, {"type": "Gadget"}, store)
    with pytest.raises(NotFoundError, match="top-benchmarks"):
        get_query("top-benchmark")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_string_parameters_are_bound_as_plain_literals(store, text):
    assert named(store, "search-claims", text=text).rows == ()
    with pytest.raises(NotFoundError):
        named(store, "papers-proposing", method=text)
    adhoc = run_query(
        store, "SELECT ?name ?e WHERE { ?e skos:prefLabel ?name }", adhoc_bindings({"name": text})
    )
    assert adhoc.rows == ()


def test_a_literal_with_quotes_and_braces_matches_itself():
    odd = 'we say "it works" } UNION { ?s ?p ?o } here'
    local = small_store()
    claim = f"e:odd a kg:Claim ; kg:text {json.dumps(odd)} ; kg:inPaper p:x ."
    add_trig(local, f"g:odd {{ {claim} p:x dcterms:title 'Odd' }}")
    assert column(named(local, "search-claims", text='"it works" } UNION {'), "sentence") == [odd]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_search_claims_returns_only_sentences_containing_the_text(store, text):
    sentences = column(named(store, "search-claims", text=text), "sentence")
    assert all(text.lower() in s.lower() for s in sentences)


def test_header_parser_reads_summary_description_and_params():
    query = parse_header(
        "demo", "# Summary line.\n#\n# More words\n# here.\n# @param x entity:Method The X.\nSELECT ?x {}"
    )
    assert (query.summary, query.description) == ("Summary line.", "More words here.")
    assert [(p.name, p.kind, p.entity_type, p.help) for p in query.params] == [
        ("x", "entity", "Method", "The X.")
    ]
    with pytest.raises(QueryError, match="kind"):
        parse_header("bad", "# S.\n# @param x number The X.\nSELECT * {}")
    with pytest.raises(QueryError, match="summary"):
        parse_header("bare", "SELECT * {}")


def test_cli_runs_text_file_and_named_queries(disk_store, tmp_path):
    out = invoke(disk_store, "sparql", LABELS, "--format", "csv")
    assert out.exit_code == 0 and out.output.splitlines()[1] == f"{ENTITY}gsm8k,GSM8K"
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?p kg:evaluatesOn ?b }")
    assert json.loads(invoke(disk_store, "sparql", "-f", str(query_file), "--format", "json").output)[
        "boolean"
    ]
    named_out = invoke(disk_store, "sparql", "--named", "methods-on-benchmark", "--param", "benchmark=GSM8K")
    assert named_out.exit_code == 0 and "Reinforced Fine-Tuning" in named_out.output
    construct = invoke(disk_store, "sparql", "CONSTRUCT WHERE { ?m kg:outperforms ?n }", "--format", "nt")
    assert len(construct.output.strip().splitlines()) == 2


def test_cli_lists_named_queries(disk_store):
    listing = invoke(disk_store, "sparql", "--list")
    assert "methods-on-benchmark  --param benchmark=<entity>" in listing.output
    as_json = json.loads(invoke(disk_store, "sparql", "--list", "--format", "json").output)
    assert {q["name"] for q in as_json} == set(NAMED_PARAMS)


def test_cli_errors_have_exit_codes(disk_store):
    assert invoke(disk_store, "sparql").exit_code == 2
    assert invoke(disk_store, "sparql", "ASK {}", "--named", "acronyms").exit_code == 2
    assert invoke(disk_store, "sparql", "--named", "acronyms", "--param", "novalue").exit_code == 2
    bad = invoke(disk_store, "sparql", "SELECT WHERE {")
    assert bad.exit_code == QueryError.exit_code and "malformed SPARQL" in bad.output
    unknown = invoke(disk_store, "sparql", "--named", "acronym")
    assert unknown.exit_code == NotFoundError.exit_code and "acronyms" in unknown.output
    missing = invoke(disk_store.parent / "absent", "sparql", "ASK {}")
    assert missing.exit_code == 4 and "no graph store" in missing.output


def test_named_queries_run_on_a_graph_built_by_the_real_writer():
    from fixtures.rdf.sample import sample_store

    built = sample_store()
    assert column(named(built, "top-benchmarks"), "label")[0] == "GSM8K"
    (beats,) = named(built, "claims-beating", method="ReFT").records()
    assert beats["beats"].value == "supervised fine-tuning" and beats["by"].value == "9.2%"
    values = column(named(built, "results-for-benchmark", benchmark="GSM8K"), "value")
    assert sorted(values) == ["9.2%", "from 17% to 60%"]


def test_bound_values_are_also_stated_first_in_the_outermost_group():
    bound = {"x": ox.NamedNode(ENTITY + "gsm8k"), "t": ox.Literal('"} UNION { ?s ?p ?o } #')}
    text = (
        '# a { comment\nSELECT ?x ?t (GROUP_CONCAT(?l; separator="{") AS ?c)\n'
        "WHERE { ?x skos:altLabel ?l } GROUP BY ?x ?t"
    )
    hinted = with_values(text, bound) or ""
    assert hinted.index("VALUES") > hinted.index("WHERE {") and hinted.startswith(text[: text.index("WHERE")])
    assert with_values("SELECT ?x WHERE ?x", bound) is None
    answer = run_query(small_store(), hinted, bound)
    assert isinstance(answer, SelectResult) and len(answer.rows) == 1 and "GSM-8K" in answer.rows[0][2].value


def test_bound_values_answer_the_same_in_every_query_form(store):
    bound = {"b": ox.NamedNode(ENTITY + "gsm8k")}
    construct = run_query(store, "CONSTRUCT { ?p kg:evaluatesOn ?b } WHERE { ?p kg:evaluatesOn ?b }", bound)
    assert isinstance(construct, GraphResult) and len(construct.triples) == 3  # the template takes no VALUES
    assert run_query(store, "ASK { ?p kg:evaluatesOn ?b }", bound) == AskResult(True)


# The plain texts of the named queries that were rewritten for Oxigraph's evaluation: the rewrites must answer
# exactly as these do.
PLAIN = {
    "acronyms": """
SELECT ?acronym (COUNT(DISTINCT ?entity) AS ?meanings)
  (GROUP_CONCAT(DISTINCT ?label; separator=" | ") AS ?expansions)
WHERE { ?entity kg:acronym ?acronym ; skos:prefLabel ?label . }
GROUP BY ?acronym ORDER BY DESC(?meanings) ?acronym""",
    "co-used-datasets": """
SELECT ?first ?second (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  { ?paper kg:uses ?a } UNION { ?paper kg:evaluatesOn ?a }
  { ?paper kg:uses ?b } UNION { ?paper kg:evaluatesOn ?b }
  FILTER EXISTS { { ?a a kg:Dataset } UNION { ?a a kg:Benchmark } }
  FILTER EXISTS { { ?b a kg:Dataset } UNION { ?b a kg:Benchmark } }
  FILTER(STR(?a) < STR(?b))
  ?a skos:prefLabel ?first . ?b skos:prefLabel ?second .
} GROUP BY ?a ?b ?first ?second ORDER BY DESC(?papers) ?first ?second LIMIT 25""",
    "top-benchmarks": """
SELECT ?benchmark ?label (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper kg:evaluatesOn ?benchmark . ?benchmark skos:prefLabel ?label .
} GROUP BY ?benchmark ?label ORDER BY DESC(?papers) ?label LIMIT 25""",
    "search-claims": """
SELECT DISTINCT ?text ?sentence ?kind ?title ?date WHERE {
  ?claim a kg:Claim ; kg:text ?sentence ; kg:inPaper ?paper .
  FILTER(CONTAINS(LCASE(?sentence), LCASE(?text)))
  OPTIONAL { ?claim kg:kind ?kind }
  ?paper dcterms:title ?title .
  OPTIONAL { ?paper dcterms:date ?date }
} ORDER BY DESC(STR(?date)) ?sentence""",
}
TYPES = ("Method", "Dataset", "Benchmark", "Task", "Metric")
WORDS = ("we", "outperform", "outperforms", "the", "baseline", "OUTPERFORMS", "by", "2.1%", "on", "data")


def synthetic_store(papers: int = 120, entities: int = 45, seed: int = 7) -> KgStore:
    """Many small random papers (fixed seed) in the shape the writer gives them: each paper graph types,
    labels and mentions the entities it links, and the derived graph is refreshed as after a build. Counts
    tie, some benchmarks are typed Dataset by some papers, datasets are proposed, tasks share labels and
    acronyms are shared: the cases where a rewritten query could drift from its plain form."""
    rng = random.Random(seed)
    kinds = [rng.choice(TYPES) for _ in range(entities)]
    labels = [f"Task {i % 3}" if kind == "Task" else f"Entity {i:02d}" for i, kind in enumerate(kinds)]
    acronyms = [
        f"T{i % 3}" if kind == "Task" else rng.choice(["", "", "AB", "CD", f"X{i}"])
        for i, kind in enumerate(kinds)
    ]
    relations = {"Method": ["proposes", "uses"], "Dataset": ["proposes", "uses", "evaluatesOn"]}
    relations["Benchmark"] = ["evaluatesOn", "uses"]
    store = KgStore(None)
    graphs = []
    for n in range(papers):
        facts = [f"p:s{n} a kg:Paper ; dcterms:title 'Paper {n % 40}'"]
        if rng.random() < 0.8:
            facts.append(f"p:s{n} dcterms:date '2024-0{1 + n % 9}-01'")
        for i in rng.sample(range(entities), rng.randint(2, 9)):
            kind = "Dataset" if kinds[i] == "Benchmark" and i % 2 and rng.random() < 0.3 else kinds[i]
            facts.append(f"e:x{i} a kg:Entity, kg:{kind} ; kg:label '{labels[i]}'")
            facts.append(
                f"p:s{n} kg:mentions e:x{i} ; kg:{rng.choice(relations.get(kinds[i], ['uses']))} e:x{i}"
            )
            if acronyms[i]:
                facts.append(f"e:x{i} kg:acronym '{acronyms[i]}'")
        for c in range(rng.randint(0, 3)):
            claim = f"<{BASE}claim/s{n}/{c}>"
            kind = rng.choice(["comparison", "finding"])
            facts.append(
                f"{claim} a kg:Claim ; kg:text '{' '.join(rng.choices(WORDS, k=6))}' ; kg:kind '{kind}'"
            )
            facts.append(f"{claim} kg:inPaper p:s{n}")
        graphs.append(f"g:s{n} {{ {' . '.join(facts)} . }}")
    add_trig(store, "\n".join(graphs))
    refresh_derived(store, BASE)
    return store


def rows(store, text: str, bindings) -> list[tuple]:
    """The answer as comparable tuples; a GROUP_CONCAT cell (the acronyms' expansions) as a sorted list,
    since SPARQL leaves the order of concatenated values open."""
    result = run_query(store, text, bindings)
    return [
        tuple(" | ".join(sorted(t.value.split(" | "))) if t is not None else None for t in row)
        for row in result.rows
    ]


def test_rewritten_queries_answer_as_their_plain_forms():
    synthetic = synthetic_store()
    cases = {
        "acronyms": [{}],
        "co-used-datasets": [{}],
        "search-claims": [{"text": t} for t in ("outperforms", "OUTPERFORMS", "", "on", "absent")],
        "top-benchmarks": [{}],
    }
    assert set(cases) == set(PLAIN)
    for name, params in cases.items():
        query = get_query(name)
        answered = 0
        for store, values in [(small_store(), NAMED_PARAMS[name])] + [(synthetic, p) for p in params]:
            bound = bind_params(query, values, store)
            expected = rows(store, PLAIN[name], bound)
            assert rows(store, query.text, bound) == expected, (name, values)
            answered += len(expected)
        assert answered > 10, name
