"""The Dask executor: extraction on a cluster of two workers gives the same graph as the local build."""

from __future__ import annotations

import builtins
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.distributed import DaskMissingError, build_on_dask
from kg.store import KgStore

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install 'kg[dask]')"
)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded workers in this process (no process start-up, the pipeline loads once), reached
    over TCP like a remote cluster."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None
    ) as local:
        assert local.scheduler_address.startswith("tcp://")
        yield local


def same_graph(one: Path, other: Path) -> bool:
    """Whether two stores hold the same quads, blank nodes (which get fresh ids per build) up to renaming."""
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    def dataset(store_dir: Path) -> Dataset:
        data = io.BytesIO()
        KgStore(store_dir, read_only=True).oxigraph.dump(data, ox.RdfFormat.N_QUADS)
        return Dataset().parse(data=data.getvalue(), format="nquads")

    def graphs(store_dir: Path) -> dict:
        return {g.identifier: g for g in dataset(store_dir).graphs() if len(g)}

    left, right = graphs(one), graphs(other)
    return left.keys() == right.keys() and all(isomorphic(left[g], right[g]) for g in left)


def test_dask_build_gives_the_same_quads_as_the_local_build(cluster, tmp_path) -> None:
    local = build([EXAMPLES], tmp_path / "local", base=BASE)
    shards = tmp_path / "shards"
    shards.mkdir()
    report = build_on_dask(
        [EXAMPLES],
        tmp_path / "dask",
        base=BASE,
        scheduler=cluster.scheduler_address,
        partition_size=4,  # 12 papers: three partitions over the two workers
        shard_dir=shards,
    )
    assert (report.papers_added, report.triples) == (local.papers_added, local.triples) == (12, local.triples)
    assert report.ingest.read == local.ingest.read
    assert same_graph(tmp_path / "dask", tmp_path / "local")
    assert not list(shards.iterdir()), "shards are removed once loaded"

    again = build_on_dask([EXAMPLES], tmp_path / "dask", base=BASE, scheduler=cluster.scheduler_address)
    assert (again.papers_added, again.papers_unchanged, again.triples) == (0, 12, 0)


def test_a_changed_paper_replaces_its_old_version(cluster, tmp_path) -> None:
    papers = tmp_path / "papers.jsonl"
    row = {"id": "p1", "title": "Tiny Adapters", "abstract": "We evaluate LoRA on GSM8K and report accuracy."}
    papers.write_text(json.dumps(row) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    build_on_dask([papers], store, base=BASE, scheduler=cluster.scheduler_address)
    row["abstract"] = "We evaluate LoRA on MATH and report accuracy."
    papers.write_text(json.dumps(row) + "\n", encoding="utf-8")
    changed = build_on_dask([papers], store, base=BASE, scheduler=cluster.scheduler_address)
    assert (changed.papers_added, changed.papers_replaced) == (0, 1)
    reference = tmp_path / "reference"
    build([papers], reference, base=BASE)
    assert same_graph(store, reference)


def test_cli_dask_build_is_recorded_as_a_dask_run(cluster, tmp_path) -> None:
    store = str(tmp_path / "store")
    args = ["-q", "--store", store, "build", str(EXAMPLES / "papers.jsonl"), "--format", "json"]
    result = CliRunner().invoke(
        main, [*args, "--executor", "dask", "--scheduler", cluster.scheduler_address], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["run"]["executor"] == "dask"


def test_scheduler_without_the_dask_executor_is_a_usage_error(tmp_path) -> None:
    args = ["--store", str(tmp_path / "s"), "build", str(EXAMPLES), "--scheduler", "tcp://127.0.0.1:8786"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "need --executor dask" in result.output


def test_without_dask_installed_the_executor_says_what_to_install(tmp_path, monkeypatch) -> None:
    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(DaskMissingError, match=r"kg\[dask\]"):
        build_on_dask([EXAMPLES], tmp_path / "store", base=BASE)
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "s"), "build", str(EXAMPLES), "--executor", "dask"]
    )
    assert result.exit_code == 2 and "kg[dask]" in result.stderr
