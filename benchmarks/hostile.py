"""Hostile input shapes through the full read path (e-mail parsing included): time must grow linearly.

    python benchmarks/hostile.py [--sizes 10,100,1000,4500] [--out benchmarks/hostile-results.json]

Each row is one shape at 10 KB, 100 KB, 1 MB and 4.5 MB (under the 5 MB limit); the last column is the ratio of
milliseconds per KB at the largest size to that at 100 KB (1.0 = perfectly linear).
"""

from __future__ import annotations

import argparse
import base64
import json
import quopri
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linter import Linter  # noqa: E402
from linter.input.reader import Source  # noqa: E402

SENTENCE = "Helaas kunnen wij uw aanvraag niet toekennen, omdat u te laat was. "
HEAD = "From: a@example.nl\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"


def mail(content_type: str, encoding: str, body: str) -> str:
    return f"{HEAD}Content-Type: {content_type}; charset=utf-8\nContent-Transfer-Encoding: {encoding}\n\n{body}"


def shape(name: str, size: int) -> tuple[str, str]:
    """(text, kind) of about `size` bytes."""
    plain = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
    if name == "repeated 'u. '":
        return ("u. " * (size // 3)), "text"
    if name == "quoted-printable mail":
        return mail("text/plain", "quoted-printable", quopri.encodestring(plain.encode()).decode()), "email"
    if name == "base64 mail":
        return mail("text/plain", "base64", base64.encodebytes(plain.encode()).decode()), "email"
    if name == "HTML mail":
        html = "<html><body>" + "".join(f"<p>{plain[i:i + 300]}</p>" for i in range(0, len(plain), 300)) + "</body></html>"
        return mail("text/html", "8bit", html), "email"
    if name == "one long line":
        return plain.replace(". ", ", "), "text"
    if name == "many short lines":
        return ("ok\n" * (size // 3)), "text"
    raise ValueError(name)


SHAPES = ["repeated 'u. '", "quoted-printable mail", "base64 mail", "HTML mail", "one long line", "many short lines"]


def timed(linter: Linter, text: str, kind: str) -> float:
    started = time.perf_counter()
    if kind == "email":
        linter.lint_source(Source(path="<mail>", text=text, kind="email", data=text.encode()))
    else:
        linter.lint(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="embedded")
    parser.add_argument("--sizes", default="10,100,1000,4500", help="sizes in KB (the largest stays under the 5 MB limit)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    linter = Linter(args.model)
    linter.lint("Helaas kan dat niet.")  # warm up
    rows = {}
    print(f"| shape | {' | '.join(f'{s} KB' for s in sizes)} | ms/KB at {sizes[-1]} KB ÷ at {sizes[1]} KB |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name in SHAPES:
        seconds = [timed(linter, *shape(name, size * 1000)) for size in sizes]
        per_kb = [t * 1000 / size for t, size in zip(seconds, sizes)]
        ratio = per_kb[-1] / per_kb[1]
        rows[name] = {"seconds": dict(zip(map(str, sizes), seconds)), "growth": ratio}
        print(f"| {name} | {' | '.join(f'{t:.2f} s' for t in seconds)} | {ratio:.2f} |", flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
