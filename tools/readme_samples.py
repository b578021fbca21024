"""Keep the README's sample outputs true: every ```text block that starts with
"$ lint-reply ..." holds exactly what that command prints.

    python tools/readme_samples.py          # rewrite the blocks
    python tools/readme_samples.py --check  # exit 1 when a block differs (the test suite runs this)
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```text\n\$ (lint-reply[^\n]*)\n(.*?)```", re.DOTALL)


def run(command: str) -> str:
    """The command's output as a user on a fresh checkout sees it (embedded pipeline, no colour)."""
    program, *args = shlex.split(command)
    module = {"lint-reply": "linter"}[program]
    env = {**os.environ, "NO_COLOR": "1", "LINT_REPLY_MODEL": "embedded", "PYTHONPATH": str(ROOT)}
    env.pop("LINT_REPLY_CONFIG", None)
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return result.stdout + result.stderr


def refreshed(text: str) -> str:
    return BLOCK.sub(lambda m: f"```text\n$ {m.group(1)}\n{run(m.group(1))}```", text)


def main() -> int:
    current = README.read_text(encoding="utf-8")
    wanted = refreshed(current)
    if "--check" in sys.argv:
        if wanted != current:
            print("README.md: a sample output differs from what the command prints; run python tools/readme_samples.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    print(f"README.md: {len(BLOCK.findall(current))} sample outputs refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
