"""What every command shares: Dutch click texts and one way from an error to one line and an exit code."""

from __future__ import annotations

import click

from . import dutch_click


def run_command(command: click.Command, prog_name: str, argv: list[str] | None, usage_error: int = 2,
                interrupted: int = 130, interrupted_message: str = "afgebroken") -> int:
    """Run a click command: its return value is the exit code; a click error is one Dutch line."""
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
