"""`lint-reply-audit`: lint many past replies and report how a team writes.

    lint-reply-audit INPUT... --out DIR [--jobs N] [--resume] [--include-text]

INPUT is a folder of .txt/.eml files, an mbox file, a Maildir, or a JSONL/CSV
file with a text column. Writes DIR/findings.jsonl (one line per reply),
DIR/summary.json and DIR/report.html (one self-contained page).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import mailbox
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import click

from ..input.extract import extract_message
from ..input.reader import InputError, decode
from ..names import LONE_SURROGATE
from .command import run_command

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+?\d[\d \-]{7,}\d)(?!\w)")


def mask(text: str) -> str:
    """Matched phrases may be shown; e-mail addresses and phone numbers in them may not."""
    return PHONE.sub("[telefoon]", EMAIL.sub("[e-mail]", text))


@dataclass
class Reply:
    id: str
    text: str = ""
    channel: str = "email"
    team: str | None = None
    fields: dict = field(default_factory=dict)
    error: str | None = None
    source: str = ""  # a stable hash of the input it came from: ids of two inputs never collide


# --- reading -----------------------------------------------------------------


@dataclass
class Fields:
    text: str = "text"
    id: str = "id"
    team: str = "team"
    channel: str = "channel"


def _from_mail(reply_id: str, data: bytes) -> Reply:
    mail = extract_message(data)
    return Reply(reply_id, mail.new.text, fields={"subject": mail.subject} if mail.subject else {})


MAX_FIELD = 5_000_000


def _clean(value):
    """A lone surrogate ("\\ud800" escaped in JSON) cannot be linted or written as UTF-8: replace it."""
    return LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _from_record(reply_id: str, record: dict, names: Fields) -> Reply:
    text = record.get(names.text)
    reply_id = _clean(reply_id)
    if not isinstance(text, str):
        return Reply(reply_id, error=f"geen tekst in veld '{names.text}'")
    channel = str(record.get(names.channel) or "email")
    extra = {_clean(k): _clean(v) for k, v in record.items()
             if k not in (names.text, names.id) and isinstance(v, (str, int, float, bool))}  # fmt: skip
    team = _clean(record.get(names.team))
    return Reply(reply_id, _clean(text), channel if channel in ("email", "chat") else "email", team, extra)


def read_replies(paths: Iterable[str], names: Fields = Fields()) -> Iterator[Reply]:
    """Every reply in the inputs, in a stable order; a reply that cannot be read carries an error."""
    for name in paths:
        source = hashlib.sha256(os.fsencode(os.path.abspath(name))).hexdigest()[:10]
        for reply in _replies_of(name, names):
            reply.source = source
            yield reply


def _replies_of(name: str, names: Fields) -> Iterator[Reply]:
    path = Path(name)
    if path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
        box = mailbox.Maildir(str(path), factory=None, create=False)
        for key in sorted(box.keys()):
            yield _safe(f"{path.name}/{key}", lambda: _from_mail(f"{path.name}/{key}", box.get_bytes(key)))
    elif path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".txt", ".eml") and p.is_file()):
            yield _safe(str(file.relative_to(path)), lambda file=file: _from_file(file, str(file.relative_to(path))))
    elif path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, names)
    elif path.suffix.lower() == ".csv":
        yield from _read_csv(path, names)
    elif path.is_file() and _is_mbox(path):
        box = mailbox.mbox(str(path), create=False)
        for index, key in enumerate(box.keys()):
            yield _safe(f"{path.name}#{index + 1}", lambda: _from_mail(f"{path.name}#{index + 1}", box.get_bytes(key)))
    elif path.is_file():
        yield _safe(path.name, lambda: _from_file(path, path.name))
    else:
        yield Reply(name, error="invoer niet gevonden")


def _safe(reply_id: str, read) -> Reply:
    try:
        return read()
    except (InputError, OSError, ValueError, UnicodeError, mailbox.Error) as error:
        return Reply(reply_id, error=str(error))


def _from_file(path: Path, reply_id: str) -> Reply:
    data = path.read_bytes()
    if path.suffix.lower() == ".eml":
        return _from_mail(reply_id, data)
    return Reply(reply_id, decode(data, reply_id))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def replies_from_jsonl(lines: Iterable[str], names: Fields = Fields(), prefix: str = "regel-") -> Iterator[Reply]:
    """JSONL lines -> replies; a line that is no JSON object becomes a reply with an error."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fallback = f"{prefix}{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Reply(fallback, error=f"geen geldige JSON: {error.msg}")
            continue
        except RecursionError:
            yield Reply(fallback, error="de JSON is te diep genest")
            continue
        if not isinstance(record, dict):
            yield Reply(fallback, error="regel is geen JSON-object")
            continue
        yield _from_record(str(record.get(names.id) or fallback), record, names)


def _read_jsonl(path: Path, names: Fields) -> Iterator[Reply]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield from replies_from_jsonl(handle, names, prefix=f"{path.name}:")


def _read_csv(path: Path, names: Fields) -> Iterator[Reply]:
    # A field may be as long as a whole reply may be (csv's own limit is 131,072 characters).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        number = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # the rest of the file cannot be read as CSV: one error record
                yield Reply(f"{path.name}:{number + 1}", error=f"ongeldige CSV: {error}")
                return
            number = reader.line_num
            yield _from_record(str(record.get(names.id) or f"{path.name}:{number}"), record, names)


# --- linting -------------------------------------------------------------------

_worker_linter = None
_worker_options: dict = {}


def _init_worker(model: str | None, config_path: str | None = None) -> None:
    """The linter of one audit process, built from lint-reply.toml like every other front end."""
    global _worker_linter, _worker_options
    from ..api import linter_for
    from ..config import apply_overrides, find_config, load_config

    config = load_config(find_config(config_path))
    apply_overrides(config, model=model)
    _worker_linter = linter_for(config)
    _worker_options = {"select": config.select, "ignore": config.ignore, "min_words": config.min_words}


def lint_batch(replies: list[Reply], linter=None, include_text: bool = False) -> list[dict]:
    """Records for findings.jsonl; uses `nlp.pipe` for the readable replies of the batch."""
    options = _worker_options if linter is None else {}
    linter = linter or _worker_linter
    readable = [reply for reply in replies if reply.error is None]
    reports = iter(linter.lint_many([r.text for r in readable], channels=[r.channel for r in readable], **options))
    records = []
    for reply in replies:
        record = {"id": reply.id, "source": reply.source, "team": reply.team, "channel": reply.channel, "fields": reply.fields}
        if reply.error is not None:
            record.update(error=reply.error, bad_news=False, findings=[], elements=[])
        else:
            data = next(reports).to_json()
            for item in data["findings"] + data["elements"]:
                item["text"] = mask(item["text"])
            for finding in data["findings"]:
                finding["message"] = mask(finding["message"])
            record.update(error=None, bad_news=data["bad_news"], findings=data["findings"], elements=data["elements"])
            if include_text:
                record["text"] = reply.text
        records.append(record)
    return records


def lint_jsonl_lines(lines: Iterable[str], model: str | None = None, names: Fields = Fields()) -> list[dict]:
    """JSONL lines -> findings.jsonl records; what one task of a distributed run does (see examples/dask_audit.py)."""
    from ..api import get_linter

    return lint_batch(list(replies_from_jsonl(lines, names)), linter=get_linter(model))


def _lint_chunk(args: tuple[list[Reply], bool]) -> list[dict]:
    replies, include_text = args
    return lint_batch(replies, include_text=include_text)


def _chunks(replies: Iterable[Reply], size: int) -> Iterator[list[Reply]]:
    chunk: list[Reply] = []
    for reply in replies:
        chunk.append(reply)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Progress:
    """Count, rate and time left on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int | None, enabled: bool):
        self.total, self.enabled, self.done, self.start = total, enabled, 0, time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        rate = self.done / max(time.monotonic() - self.start, 1e-6)
        left = ""
        if self.total:
            seconds = int(max(self.total - self.done, 0) / rate) if rate else 0
            left = f", nog {seconds // 60}:{seconds % 60:02d}"
        of = f"/{self.total}" if self.total else ""
        sys.stderr.write(f"\r{self.done}{of} antwoorden, {rate:.0f}/s{left}   ")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def done_ids(findings: Path) -> set[tuple[str, str]]:
    """(source, id) of the records already in findings.jsonl (a half-written last line is ignored).

    The source (a hash of the input path) is part of the key: two inputs with the same file
    name, or the same ids inside, never hide each other's replies on --resume."""
    ids: set[tuple[str, str]] = set()
    if findings.is_file():
        with findings.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    ids.add((str(record.get("source", "")), record["id"]))
                except (json.JSONDecodeError, KeyError, TypeError, AttributeError, RecursionError):
                    continue
    return ids


def _private_file(path: Path, mode: str = "w"):
    """Open an output for writing, readable by its owner only (0600): it holds customer phrases."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    descriptor = os.open(path, flags, 0o600)
    os.chmod(path, 0o600)
    return os.fdopen(descriptor, mode, encoding="utf-8")


def run_audit(
    inputs: list[str],
    out: Path,
    jobs: int = 1,
    batch_size: int = 128,
    resume: bool = False,
    include_text: bool = False,
    model: str | None = None,
    names: Fields = Fields(),
    progress: bool | None = None,
    config_path: str | None = None,
) -> dict:
    """Lint every reply of the inputs into `out` (a 0700 folder of 0600 files); returns the summary."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out, 0o700)
    findings = out / "findings.jsonl"
    skip = done_ids(findings) if resume else set()
    if not resume and findings.exists():
        findings.unlink()
    if resume and findings.exists():
        _drop_partial_last_line(findings)
    replies = (reply for reply in read_replies(inputs, names) if (reply.source, reply.id) not in skip)
    total = None if progress is False else sum(1 for _ in read_replies(inputs, names)) - len(skip)
    meter = Progress(total, sys.stderr.isatty() if progress is None else progress)
    with _private_file(findings, "a") as handle:
        for records in _records(replies, jobs, batch_size, include_text, model, config_path):
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            meter.advance(len(records))
    meter.finish()
    summary = summarize(_read_records(findings))
    with _private_file(out / "summary.json") as handle:
        handle.write(json.dumps(summary, ensure_ascii=False, indent=2))
    from .audit_report import render_html

    with _private_file(out / "report.html") as handle:
        handle.write(render_html(summary))
    return summary


def _drop_partial_last_line(path: Path) -> None:
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def _records(replies: Iterator[Reply], jobs: int, batch_size: int, include_text: bool, model: str | None,
             config_path: str | None = None):
    chunks = _chunks(replies, batch_size)
    if jobs <= 1:
        _init_worker(model, config_path)
        for chunk in chunks:
            yield lint_batch(chunk, include_text=include_text)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker, initargs=(model, config_path)) as pool:
        yield from pool.imap(_lint_chunk, ((chunk, include_text) for chunk in chunks))


def _read_records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


# --- summary -------------------------------------------------------------------


def _group_summary(records: list[dict], handles: list[str]) -> dict:
    ok = [r for r in records if not r.get("error")]
    bad_news = [r for r in ok if r.get("bad_news")]
    rules: Counter = Counter()
    for record in ok:
        rules.update({f["rule"] for f in record["findings"]})
    shares = {}
    for name in handles:
        with_handle = sum(1 for r in bad_news if any(e["name"] == name for e in r["elements"]))
        shares[name] = round(with_handle / len(bad_news), 4) if bad_news else None
    return {
        "replies": len(records),
        "errors": len(records) - len(ok),
        "bad_news": len(bad_news),
        "rules": dict(sorted(rules.items())),
        "handles_in_bad_news": shares,
    }


def summarize(records: Iterable[dict], top: int = 10) -> dict:
    """Counts per rule, share of bad-news replies with each handle; per team and channel when known.

    Which elements show the handles, their titles and which rules are pitfalls come from the
    built-in rule set, and are written into the summary for the report page.
    """
    from ..engine.rules import load_rules

    ruleset = load_rules()
    handles = [rule.id for rule in ruleset.handle_elements()]
    records = sorted(records, key=lambda r: r["id"])
    summary = _group_summary(records, handles)
    summary["handle_titles"] = {rule.id: f"{rule.handle}. {rule.title}" for rule in ruleset.handle_elements()}
    summary["pitfall_rules"] = ruleset.pitfalls()
    for key, title in (("team", "teams"), ("channel", "channels")):
        groups: dict[str, list[dict]] = defaultdict(list)
        for record in records:
            if record.get(key):
                groups[str(record[key])].append(record)
        if groups:
            summary[title] = {name: _group_summary(group, handles) for name, group in sorted(groups.items())}
    phrases: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        for finding in record.get("findings", []):
            if finding["kind"] == "pitfall":
                phrases[finding["rule"]][" ".join(finding["text"].lower().split())] += 1
    summary["top_phrases"] = {
        rule: [[phrase, count] for phrase, count in sorted(counter.items(), key=lambda x: (-x[1], x[0]))[:top]]
        for rule, counter in sorted(phrases.items())
    }
    return summary


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]")
@click.argument("inputs", nargs=-1, required=True, metavar="INVOER...")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Map voor de resultaten.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Aantal processen.")
@click.option("--batch-size", type=click.IntRange(min=1), default=128, show_default=True)
@click.option("--resume", is_flag=True, help="Ga verder waar een eerdere run stopte.")
@click.option("--include-text", is_flag=True, help="Zet de volledige tekst van elk antwoord in findings.jsonl.")
@click.option("--model", default=None, metavar="NAAM_OF_PAD")
@click.option("--config", "config_path", default=None, metavar="BESTAND", help="lint-reply.toml (standaard: gezocht zoals door lint-reply).")
@click.option("--text-field", default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@click.option("--team-field", default="team", show_default=True)
@click.option("--channel-field", default="channel", show_default=True)
def cli(inputs, out, jobs, batch_size, resume, include_text, model, config_path, text_field, id_field, team_field,
        channel_field):
    """Controleer veel antwoorden tegelijk en maak een overzicht per regel, team en kanaal."""
    names = Fields(text_field, id_field, team_field, channel_field)
    try:
        summary = run_audit(list(inputs), out, jobs, batch_size, resume, include_text, model, names, config_path=config_path)
    except OSError as error:
        raise click.ClickException(f"kan niet schrijven in {error.filename or out}: {error.strerror or error}") from None
    click.echo(
        f"{summary['replies']} antwoorden, {summary['bad_news']} met slecht nieuws, {summary['errors']} onleesbaar. "
        f"Resultaten in {out}/ (findings.jsonl, summary.json, report.html)."
    )


def main(argv: list[str] | None = None) -> int:
    return run_command(cli, "lint-reply-audit", argv, interrupted_message="afgebroken; ga later verder met --resume")
