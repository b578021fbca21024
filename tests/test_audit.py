"""`lint-reply-audit`: bulk input formats, errors, privacy, resume, the HTML page, and the Dask example."""

from __future__ import annotations

import csv
import json
import mailbox
import shutil
import sys
from pathlib import Path


from .conftest import require

from linter.frontends.audit import main, mask, read_replies, run_audit, summarize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [json.loads(line) for line in (ROOT / "tests" / "corpus" / "tuning.jsonl").open(encoding="utf-8")]
FIXTURES = ROOT / "tests" / "mail" / "fixtures"
TEAMS = ("Noord", "Zuid", "Oost")


def write_jsonl(path: Path, count: int, extra: str = "") -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            item = CORPUS[i % len(CORPUS)]
            text = item["text"] + (" Bel mij op 06-12345678 of mail a.jansen@example.nl." if i % 50 == 0 else "")
            record = {"id": f"r{i:05d}", "text": text, "team": TEAMS[i % 3], "channel": item.get("channel", "email")}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write(extra)
    return path


def records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "findings.jsonl").open(encoding="utf-8")]


def test_ten_thousand_replies_with_errors_and_teams(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "replies.jsonl", 10_000, extra='{kapot\n{"id": "zonder-tekst"}\n')
    out = tmp_path / "out"
    summary = run_audit([str(source)], out, batch_size=256, progress=False)
    lines = records(out)
    assert len(lines) == summary["replies"] == 10_002
    assert summary["errors"] == 2 and {r["id"] for r in lines if r["error"]} == {"replies.jsonl:10001", "zonder-tekst"}
    assert set(summary["teams"]) == set(TEAMS) and set(summary["channels"]) <= {"email", "chat"}
    assert summary["bad_news"] > 1000 and 0 < summary["handles_in_bad_news"]["clear-refusal"] <= 1
    assert summary["rules"]["capitulation"] > 0 and summary["top_phrases"]["capitulation"]


def test_privacy_no_full_texts_and_masked_phrases(tmp_path: Path) -> None:
    source = tmp_path / "replies.jsonl"
    source.write_text(
        json.dumps({"id": "p1", "text": "U heeft volkomen gelijk, mail a.jansen@example.nl of bel 06-12345678 voor een uitzondering."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_audit([str(source)], out, progress=False)
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "a.jansen@example.nl" not in everything and "06-12345678" not in everything
    assert "volkomen gelijk, mail" not in (out / "report.html").read_text(encoding="utf-8")
    assert '"text": "U heeft volkomen gelijk, mail' not in (out / "findings.jsonl").read_text(encoding="utf-8")
    run_audit([str(source)], tmp_path / "with-text", include_text=True, progress=False)
    assert records(tmp_path / "with-text")[0]["text"].startswith("U heeft volkomen gelijk")
    assert mask("bel +31 6 1234 5678 of mail x@y.nl") == "bel [telefoon] of mail [e-mail]"


def test_resume_after_an_interruption(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "replies.jsonl", 400)
    full = tmp_path / "full"
    run_audit([str(source)], full, progress=False)
    interrupted = tmp_path / "interrupted"
    interrupted.mkdir()
    lines = (full / "findings.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (interrupted / "findings.jsonl").write_text("".join(lines[:150]) + lines[150][:40], encoding="utf-8")  # cut mid-line
    summary = run_audit([str(source)], interrupted, resume=True, progress=False)
    assert sorted(r["id"] for r in records(interrupted)) == sorted(r["id"] for r in records(full))
    assert summary == json.loads((full / "summary.json").read_text(encoding="utf-8"))


def test_folder_maildir_mbox_and_csv(tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "a.txt").write_text("Einde discussie.", encoding="utf-8")
    (folder / "kapot.txt").write_bytes(b"\x00\x01\x02")
    shutil.copy(FIXTURES / "06-gmail-nl-inleg-abrupt.eml", folder / "b.eml")
    maildir = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    mbox = mailbox.mbox(str(tmp_path / "archief.mbox"), create=True)
    fixtures = sorted(FIXTURES.glob("*.eml"))
    for fixture in fixtures:
        maildir.add(fixture.read_bytes())
        mbox.add(fixture.read_bytes())
    mbox.flush()
    table = tmp_path / "export.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["nummer", "bericht", "afdeling"])
        writer.writeheader()
        writer.writerow({"nummer": "c1", "bericht": "Helaas kan dat niet.", "afdeling": "Wonen"})
    replies = list(read_replies([str(folder)]))
    assert [r.id for r in replies] == ["a.txt", "b.eml", "kapot.txt"] and replies[2].error
    assert "Hoe durven" not in replies[1].text  # only the new text of an e-mail
    out = tmp_path / "out"
    status = main([str(folder), str(tmp_path / "Maildir"), str(tmp_path / "archief.mbox"), str(table), "--out", str(out),
                   "--text-field", "bericht", "--id-field", "nummer", "--team-field", "afdeling"])  # fmt: skip
    assert status == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["replies"] == 3 + 2 * len(fixtures) + 1 and summary["errors"] == 1
    assert summary["teams"] == {"Wonen": summary["teams"]["Wonen"]} and summary["teams"]["Wonen"]["bad_news"] == 1


def test_report_page_is_self_contained(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "replies.jsonl", 60)
    run_audit([str(source)], tmp_path / "out", progress=False)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and 'lang="nl"' in page
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for team in TEAMS:
        assert team in page


def test_parallel_jobs_give_the_same_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "replies.jsonl", 300)
    one = run_audit([str(source)], tmp_path / "one", progress=False)
    two = run_audit([str(source)], tmp_path / "two", jobs=2, batch_size=50, progress=False)
    assert one == two
    assert records(tmp_path / "one") == records(tmp_path / "two")


def test_dask_example_gives_the_same_summary(tmp_path: Path) -> None:
    require("dask.bag")
    distributed = require("dask.distributed")
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from dask_audit import audit_on_dask
    finally:
        sys.path.pop(0)
    parts = tmp_path / "archive"
    parts.mkdir()
    for number in range(3):
        lines = [json.dumps({"id": f"p{number}-{i}", "text": CORPUS[(number * 40 + i) % len(CORPUS)]["text"],
                             "team": TEAMS[i % 3]}, ensure_ascii=False) for i in range(40)]  # fmt: skip
        (parts / f"part-{number}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    single = run_audit([str(p) for p in sorted(parts.glob("*.jsonl"))], tmp_path / "out", progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            on_cluster = audit_on_dask(str(parts / "part-*.jsonl"), client, model="embedded")
    assert on_cluster == single


def test_summary_groups_only_known_values() -> None:
    summary = summarize([{"id": "a", "error": "x", "findings": [], "elements": []}])
    assert summary["replies"] == 1 and summary["errors"] == 1 and "teams" not in summary
