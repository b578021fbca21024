"""One draft and one lint-reply.toml through every front end: CLI, hook, service and audit agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import require

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "LINT_REPLY_MODEL": "embedded"}
DRAFT = (
    "Beste meneer Bos,\n\nHelaas kunnen wij de huur niet verlagen. Hier valt niet over te discussiëren. "
    "Had u het contract maar beter gelezen.\n\nMet vriendelijke groet,\nAnna\n"
)
CONFIG = 'ignore = ["abrupt-closing", "missing-closing"]\nmin-words = 3\n'


def _cli(folder: Path) -> set[str]:
    draft = folder / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "linter", "--format", "json", str(draft)], cwd=folder, env=ENV,
                         capture_output=True, text=True, timeout=120).stdout  # fmt: skip
    return {f["rule"] for f in json.loads(out)["files"][0]["findings"]}


def _hook(folder: Path) -> set[str]:
    message = "From: a@example.nl\nTo: b@example.com\nSubject: huur\nContent-Type: text/plain; charset=utf-8\n\n" + DRAFT
    result = subprocess.run(
        [sys.executable, "-c", "from linter.frontends.hook import main; raise SystemExit(main())", "--mode", "warn", "--", "true"],
        input=message.encode(), cwd=folder, env={**ENV, "XDG_STATE_HOME": str(folder / "state")}, capture_output=True, timeout=120,
    )  # fmt: skip
    err = result.stderr.decode()
    ids = {"capitulation", "distancing", "defensive-justification", "abrupt-closing", "missing-emotion-acknowledgement",
           "missing-alternative", "missing-closing"}  # fmt: skip
    return {rule for rule in ids if f"[{rule}]" in err}


def _service(folder: Path) -> set[str]:
    require("httpx")
    from starlette.testclient import TestClient

    from linter.api import linter_for
    from linter.config import find_config, load_config
    from linter.frontends.service import create_app

    config = load_config(find_config(cwd=folder))
    with TestClient(create_app(linter_for(config), config=config), base_url="http://localhost") as client:
        report = client.post("/v1/lint", json={"text": DRAFT}).json()
    return {f["rule"] for f in report["files"][0]["findings"]}


def _audit(folder: Path) -> set[str]:
    replies = folder / "replies.jsonl"
    replies.write_text(json.dumps({"id": "1", "text": DRAFT}) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-c", "from linter.frontends.audit import main; raise SystemExit(main())", str(replies),
                    "--out", str(folder / "out")], cwd=folder, env=ENV, capture_output=True, timeout=300, check=True)  # fmt: skip
    record = json.loads((folder / "out" / "findings.jsonl").read_text().splitlines()[0])
    return {f["rule"] for f in record["findings"]}


def test_every_front_end_gives_the_same_findings(tmp_path: Path) -> None:
    (tmp_path / "lint-reply.toml").write_text(CONFIG, encoding="utf-8")
    cli = _cli(tmp_path)
    assert cli and "abrupt-closing" not in cli and "missing-closing" not in cli
    assert _hook(tmp_path) == cli
    assert _service(tmp_path) == cli
    assert _audit(tmp_path) == cli
