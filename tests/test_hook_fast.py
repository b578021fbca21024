"""The hook's quick path with a warm linter: what it leaves out must not change any answer.

- the built-in rules folder is found from the package's own folder, as importlib.resources finds it;
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from linter import names

ROOT = Path(__file__).resolve().parent.parent


def _rules_dir_by_resources() -> Path:
    from importlib import resources

    packaged = resources.files("linter") / "rules"
    return Path(str(packaged)) if packaged.is_dir() else Path(names.__file__).resolve().parent.parent / "rules"


def test_the_rules_folder_is_the_one_importlib_resources_names() -> None:
    assert names.builtin_rules_dir() == _rules_dir_by_resources()


def test_the_rules_folder_of_the_installed_package_is_the_one_importlib_resources_names(tmp_path: Path) -> None:
    # Outside the checkout (isolated mode: no PYTHONPATH, no current folder) the installed wheel is used.
    code = ("from importlib import resources; from pathlib import Path; from linter import names; "
            "print(names.builtin_rules_dir()); print(Path(str(resources.files('linter') / 'rules')))")
    done = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    if done.returncode != 0:
        import pytest

        pytest.skip("lint-reply is not installed")
    ours, theirs = done.stdout.splitlines()
    assert ours == theirs
    assert Path(ours).is_dir()
