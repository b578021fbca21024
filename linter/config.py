"""Configuration: an organisation's `lint-reply.toml`, found, validated and merged with the command line.

Found in this order (the first that exists is used): `--config PATH`,
`$LINT_REPLY_CONFIG`, `lint-reply.toml` in the current directory or a parent,
`$XDG_CONFIG_HOME/lint-reply/config.toml`. Keys are named like the command-line
options; an option given on the command line wins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .names import CHANNELS, SEVERITIES, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs the hook's start-up; these names are for annotations only
    from typing import Any

CONFIG_ENV = "LINT_REPLY_CONFIG"
FILE_NAME = "lint-reply.toml"
FAIL_ON = ("info", "warning", "error")


class ConfigError(ValueError):
    """A configuration file that is not valid; the text names the file and the key."""


@dataclass
class Config:
    """Settings after merging; `sources` says where each came from."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    channel: str = "email"
    model: str | None = None
    rule_dirs: list[Path] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    min_words: int = 0
    max_size: int = 5_000_000
    path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def to_toml(self) -> str:
        """The merged settings as TOML, each key commented with its source."""
        lines = [f"# configuratiebestand: {self.path or '(geen)'}"]
        scalars = {
            "select": self.select, "ignore": self.ignore, "fail-on": self.fail_on, "channel": self.channel,
            "model": self.model or "", "rule-dirs": [str(p) for p in self.rule_dirs], "min-words": self.min_words, "max-size": self.max_size,
        }  # fmt: skip
        for key, value in scalars.items():
            lines.append(f"{key} = {_toml_value(value)}  # {self.sources.get(key, 'standaard')}")
        for table, values in (("severity", self.severity), ("words", self.words)):
            lines.append(f"\n[{table}]  # {self.sources.get(table, 'standaard')}")
            lines.extend(f"{name} = {_toml_value(value)}" for name, value in sorted(values.items()))
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# key -> (expected type description, validator returning the cleaned value)
def _list_of_str(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def _choice(options: tuple[str, ...]):
    return lambda value: value if isinstance(value, str) and value in options else None


_KEYS: dict[str, tuple[str, Any]] = {
    "select": ("een lijst van regel-id's", _list_of_str),
    "ignore": ("een lijst van regel-id's", _list_of_str),
    "fail-on": ("een van: " + ", ".join(FAIL_ON), _choice(FAIL_ON)),
    "channel": ("een van: " + ", ".join(CHANNELS), _choice(CHANNELS)),
    "model": ("een modelnaam of pad (tekst)", lambda v: v if isinstance(v, str) and v else None),
    "rule-dirs": ("een lijst van mappen (tekst)", _list_of_str),
    "severity": ("een tabel: regel-id = ernst", lambda v: v if isinstance(v, dict) else None),
    "words": ("een tabel: lijstnaam = [woorden]", lambda v: v if isinstance(v, dict) else None),
    "min-words": ("een geheel getal vanaf 0", lambda v: v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None),
    "max-size": ("een aantal bytes (geheel getal vanaf 1)", lambda v: v if isinstance(v, int) and not isinstance(v, bool) and v >= 1 else None),
}


def find_config(explicit: str | None = None, cwd: Path | None = None) -> Path | None:
    """The configuration file to use, or None."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: configuratiebestand niet gevonden")
        return path
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise ConfigError(f"{from_env}: configuratiebestand uit {CONFIG_ENV} niet gevonden")
        return path
    directory = (cwd or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    candidate = base / "lint-reply" / "config.toml"
    return candidate if candidate.is_file() else None


def load_config(path: Path | None) -> Config:
    """Read and validate a configuration file (None: the defaults)."""
    config = Config(path=path)
    if path is None:
        return config
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: kan het bestand niet lezen ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: geen geldige TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: geen geldige configuratie: te diep geneste lijsten of tabellen") from None
    for key, value in data.items():
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS, f"; bekende sleutels: {', '.join(_KEYS)}")
            raise ConfigError(f"{path}: onbekende sleutel '{key}'{hint}")
        expected, clean = _KEYS[key]
        cleaned = clean(value)
        if cleaned is None:
            raise ConfigError(f"{path}: '{key}' moet {expected} zijn, niet {value!r}")
        attribute = key.replace("-", "_")
        if key == "rule-dirs":
            cleaned = [(path.parent / item).resolve() for item in cleaned]
        if key == "severity":
            for rule_id, level in cleaned.items():
                if level not in SEVERITIES:
                    raise ConfigError(f"{path}: [severity] {rule_id} = {level!r}; kies uit: {', '.join(SEVERITIES)}")
        if key == "words":
            for name, entries in cleaned.items():
                if _list_of_str(entries) is None:
                    raise ConfigError(f"{path}: [words] {name} moet een lijst van woorden zijn")
        setattr(config, attribute, cleaned)
        config.sources[key] = str(path)
    return config


def apply_overrides(config: Config, **options: Any) -> Config:
    """Command-line options (not None, not empty) win over the file."""
    for key, value in options.items():
        if value is None or value == () or value == []:
            continue
        setattr(config, key, list(value) if isinstance(value, tuple) else value)
        config.sources[key.replace("_", "-")] = "opdrachtregel"
    return config


def check_rule_ids(config: Config, known: set[str]) -> None:
    """Every rule id the configuration names must exist (with a 'did you mean')."""
    named = [("select", rule_id) for rule_id in config.select]
    named += [("ignore", rule_id) for rule_id in config.ignore]
    named += [("severity", rule_id) for rule_id in config.severity]
    for key, rule_id in named:
        if rule_id not in known:
            hint = did_you_mean(rule_id, known, "; zie --list-rules")
            where = config.sources.get(key, "opdrachtregel")
            raise ConfigError(f"{where}: {key}: onbekende regel '{rule_id}'{hint}")
