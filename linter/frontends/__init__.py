"""Front ends: the ways a person or a program reaches the one configured `Linter`.

- `cli`: the `lint-reply` command;
- `hook`: `lint-reply-sendmail`, the pre-send hook between a mail client and sendmail;
- `service`: `lint-reply-serve`, the local HTTP service and its page (`static/index.html`),
  with `workers` (the pool of lint processes), `warm` (the hook's and the CLI's client of the
  running service) and `user_service` (the systemd units);
- `audit`: `lint-reply-audit`, many past replies at once, with `audit_report` (its HTML page);
- `command` and `dutch_click`: what the four commands share (one error to one Dutch line and
  an exit code; click's own texts in Dutch).

Each builds its settings with `linter.config`, lints with `linter.api`, and shows the
`linter.report.Report` with `linter.render` or as JSON. Nothing in the engine or the input
imports a front end.
"""
