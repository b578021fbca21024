"""The README's sample outputs are what the commands print (tools/readme_samples.py rewrites them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_samples_match_the_commands() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "readme_samples.py"), "--check"],
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_has_samples_to_check() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    import readme_samples

    assert readme_samples.BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
