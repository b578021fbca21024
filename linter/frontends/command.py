"""What every command shares: Dutch click texts and one way from an error to one line and an exit code.

The hook runs on every send, and importing click costs it more than the rest of its work with a
warm linter. So a command can be described by an `OptionTable`: one table of its long options,
from which both its click command and a small strict parser are built. The strict parser takes
only plainly well-formed arguments (known long options with valid separate values, `--`, the
command after it) and gives the same values click would; anything else (help, errors, unknown or
abbreviated options, `--option=value`, values that start with "-") goes to click, so what the
user sees is click's answer, as before. `echo` is `click.echo(..., err=True)` without importing
click when it would write the same.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # importing typing costs the hook's start-up; these names are for annotations only
    from typing import Any, Callable

FLOAT_TEXT = frozenset("0123456789.")


def echo(message: str, nl: bool = True) -> None:
    """`click.echo(message, err=True, nl=nl)`: written directly when click would write it unchanged
    (a plain text stream with a real encoding and no escape sequence that click strips when
    standard error is not a terminal), else by click itself."""
    stream = sys.stderr
    out = message + "\n" if nl else message
    if os.name != "nt" and "\x1b" not in out and _plain_text_stream(stream):
        if out:
            stream.write(out)
        stream.flush()
        return
    import click

    click.echo(message, err=True, nl=nl)


def _plain_text_stream(stream) -> bool:
    import codecs
    import io

    if type(stream) is not io.TextIOWrapper or not stream.encoding:
        return False
    try:
        return codecs.lookup(stream.encoding).name != "ascii"  # click rewraps an ASCII stream
    except LookupError:
        return True


class Option:
    """One long option: `flag`, `multiple`, `choices` or `float_range` say how its value is read;
    `click` holds the remaining keyword arguments for `click.option` as they are."""

    def __init__(self, name: str, dest: str | None = None, *, flag: bool = False, multiple: bool = False,
                 choices: tuple[str, ...] | None = None, float_range: tuple[float, float] | None = None, **click: Any):
        self.name, self.dest = name, dest or name.lstrip("-").replace("-", "_")
        self.flag, self.multiple, self.choices, self.float_range, self.click = flag, multiple, choices, float_range, click

    def click_option(self):
        import click

        settings = dict(self.click)
        if self.flag:
            settings["is_flag"] = True
        if self.multiple:
            settings["multiple"] = True
        if self.choices is not None:
            settings["type"] = click.Choice(list(self.choices))
        if self.float_range is not None:
            settings["type"] = click.FloatRange(*self.float_range)
        names = [self.name] if self.dest == self.name.lstrip("-").replace("-", "_") else [self.name, self.dest]
        return click.option(*names, **settings)

    def default(self) -> Any:
        if self.flag:
            return False
        if self.multiple:
            return ()
        value = self.click.get("default")
        return float(value) if self.float_range is not None and value is not None else value

    def value(self, text: str) -> Any:
        """The value click would give for `text`; `NotPlain` when click should judge it."""
        if self.choices is not None:
            if text in self.choices:
                return text
        elif self.float_range is not None:
            low, high = self.float_range
            # plain decimals only ("12", "0.5"); exponents, signs, "nan" and the like go to click
            if text and set(text) <= FLOAT_TEXT and text.count(".") <= 1 and text[0] != "." and text[-1] != ".":
                number = float(text)
                if low <= number <= high:
                    return number
        elif text and not text.startswith("-"):
            return text
        raise NotPlain(text)


class NotPlain(Exception):
    """An argument the strict parser leaves to click."""


class OptionTable:
    """A command's long options and its one positional argument, which must follow `--`."""

    def __init__(self, options: tuple[Option, ...], argument: str, argument_metavar: str, **command_settings: Any):
        self.options = {option.name: option for option in options}
        self.argument, self.argument_metavar, self.command_settings = argument, argument_metavar, command_settings

    def click_command(self, callback: Callable):
        """The click command: the options in table order, then the argument (nargs=-1, required)."""
        import click

        function = click.argument(self.argument, nargs=-1, required=True, metavar=self.argument_metavar)(callback)
        for option in reversed(self.options.values()):
            function = option.click_option()(function)
        return click.command(**self.command_settings)(function)

    def parse(self, args: list[str]) -> dict[str, Any] | None:
        """The callback's keyword arguments as click would give them, or None: then click parses."""
        values = {option.dest: option.default() for option in self.options.values()}
        index = 0
        try:
            while index < len(args):
                word = args[index]
                if word == "--":
                    rest = tuple(args[index + 1:])
                    if not rest:
                        return None
                    values[self.argument] = rest
                    return values
                option = self.options.get(word)
                if option is None:
                    return None
                if option.flag:
                    values[option.dest] = True
                    index += 1
                    continue
                if index + 1 >= len(args):
                    return None
                value = option.value(args[index + 1])
                values[option.dest] = (*values[option.dest], value) if option.multiple else value
                index += 2
        except NotPlain:
            return None
        return None  # no `--` and command


def run_command(command, prog_name: str, argv: list[str] | None, usage_error: int = 2,
                interrupted: int = 130, interrupted_message: str = "afgebroken") -> int:
    """Run a click command: its return value is the exit code; a click error is one Dutch line."""
    import click

    from . import dutch_click

    dutch_click.install()
    try:
        status = command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        click.echo(f"{prog_name}: fout: {error.format_message()}", err=True)
        return usage_error
    except (KeyboardInterrupt, click.exceptions.Abort):
        if interrupted_message:
            click.echo(f"{prog_name}: {interrupted_message}", err=True)
        return interrupted
    return status if isinstance(status, int) else 0


def run_table_command(table: OptionTable, callback: Callable[..., Any], prog_name: str, argv: list[str] | None,
                      usage_error: int = 2, interrupted: int = 130, interrupted_message: str = "afgebroken") -> int:
    """`run_command` on `table.click_command(callback)`, with the same outcome, but without click
    when the strict parser takes the arguments."""
    args = sys.argv[1:] if argv is None else list(argv)
    completion = "_" + prog_name.replace("-", "_").replace(".", "_").upper() + "_COMPLETE"
    values = None if os.name == "nt" or os.environ.get(completion) else table.parse(args)
    if values is None:
        return run_command(table.click_command(callback), prog_name, argv, usage_error, interrupted, interrupted_message)
    try:
        status = callback(**values)
    except (EOFError, KeyboardInterrupt):
        # as click: a blank line closes the terminal's ^C echo, then the command is aborted
        sys.stderr.write("\n")
        sys.stderr.flush()
        if interrupted_message:
            echo(f"{prog_name}: {interrupted_message}")
        return interrupted
    except OSError as error:
        import errno

        if error.errno != errno.EPIPE:
            raise
        from click.utils import _PacifyFlushWrapper as PacifyFlushWrapper

        sys.stdout, sys.stderr = PacifyFlushWrapper(sys.stdout), PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
    return status if isinstance(status, int) else 0
