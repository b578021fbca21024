"""Lint a partitioned JSONL archive on a Dask cluster and write the same summary.json as lint-reply-audit.

    python examples/dask_audit.py "archive/part-*.jsonl" --out summary.json               # a local cluster
    python examples/dask_audit.py "s3://bucket/replies/*.jsonl" --scheduler tcp://host:8786 --out summary.json

Each partition is linted by one task with `Linter.lint_many` (spaCy's `nlp.pipe`);
every worker loads the pipeline and rules once. The records are the lines of
findings.jsonl, and `linter.frontends.audit.summarize` turns them into the summary, so a
cluster run and `lint-reply-audit` give the same numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


def audit_on_dask(pattern: str, client=None, model: str | None = None) -> dict:
    """Summary of all replies matching `pattern`, computed on `client` (a dask.distributed Client)."""
    import dask.bag as db

    from linter.frontends.audit import lint_jsonl_lines, summarize

    bag = db.read_text(pattern, linedelimiter="\n", files_per_partition=1)
    # lint_jsonl_lines lives in the installed package, so every worker can import it.
    records = bag.map_partitions(lint_jsonl_lines, model=model)
    computed = client.compute(records).result() if client is not None else records.compute()
    return summarize(computed)


@click.command()
@click.argument("pattern")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("summary.json"))
@click.option("--scheduler", default=None, help="Address of a running Dask scheduler; default: a local cluster.")
@click.option("--workers", default=2, show_default=True, help="Workers of the local cluster.")
@click.option("--model", default=None)
def main(pattern: str, out: Path, scheduler: str | None, workers: int, model: str | None) -> None:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
    else:
        client = Client(LocalCluster(n_workers=workers, threads_per_worker=1))
    with client:
        summary = audit_on_dask(pattern, client, model)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"{summary['replies']} antwoorden; overzicht in {out}")


if __name__ == "__main__":
    main()
