"""Input: what the writer is adding now, read from a file, standard input or an e-mail.

- `reader` reads bytes as text, whatever encoding the mail program left, and refuses what is
  not a draft (binary data, a folder, empty input);
- `extract` is the one input step: `extract(source)` gives the writer's new text and the
  quoted history, for a plain draft, an HTML page or an e-mail (`mail` finds and decodes an
  e-mail's body and cuts away quotes, signature and footers);
- `mapping` keeps, per character of the new text, its place in the file, and moves a report
  on the new text back to the file's lines and columns;
- `mood` reads the customer's mood from the quoted history.

The new text goes on to the engine (`linter.engine`); nothing here loads spaCy or the rules.
"""
