"""The query commands as a whole: help texts, JSON everywhere, and `kg serve` run as a real process."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from fixtures.query.helpers import invoke, small_store

from kg.cli.query import COMMANDS

TIMEOUT = 20


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    small_store(path)
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_help_with_an_example(disk_store, command):
    result = invoke(disk_store, command.name, "--help")
    assert result.exit_code == 0 and "Example" in result.output and f"kg {command.name}" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["sparql", "ASK { ?s ?p ?o }"],
        ["lookup", "GSM8K"],
        ["claims", "GSM8K"],
        ["neighbors", "GSM8K"],
        ["path", "ReFT", "SVAMP"],
        ["related", "GSM8K"],
    ],
    ids=lambda a: a[0],
)
def test_every_reading_command_speaks_json(disk_store, args):
    result = invoke(disk_store, *args, "--format", "json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.output), dict)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_kg_serve_runs_read_only_and_stops_on_a_signal(disk_store, stop):
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import click\n"
        "from kg.cli import Context, KgGroup\n"
        "from kg.cli.query import serve\n"
        "@click.group(cls=KgGroup)\n"
        "@click.pass_context\n"
        "def kg(ctx):\n"
        "    ctx.obj = Context(store=Path(sys.argv[1]), base='https://w3id.org/kg/id/', quiet=False)\n"
        "kg.add_command(serve)\n"
        "kg(['serve', '--port', '0', '--timeout', '5'])\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", script, str(disk_store)],
        cwd=Path(__file__).parent,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal: a suite started by make or in the background may run with SIGINT ignored,
        # and the server would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        banner = process.stderr.readline()
        url = re.search(r"(http://\S+/sparql)", banner).group(1)
        assert "read-only" in banner
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"})
        with urllib.request.urlopen(f"{url}?{query}", timeout=TIMEOUT) as response:
            count = json.load(response)["results"]["bindings"][0]["n"]["value"]
        assert count == "5"
        update = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, data=update, timeout=TIMEOUT)
        assert refused.value.code == 403
    finally:
        process.send_signal(stop)
        _, errors = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0 and "stopped" in errors
