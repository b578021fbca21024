"""Input: what the writer is adding now, read from a file, standard input or an e-mail.

- `reader` reads bytes as text, whatever encoding the mail program left, and refuses what is
  not a draft (binary data, a folder, empty input);
- `mail` finds the body of an RFC 5322 message and splits the writer's new text from the
  quoted history, signature and footers, in plain text and HTML.

Every character of the new text keeps its place in the file, so findings point at the file
as it is on disk. The new text goes on to the engine (`linter.engine`); nothing here loads
spaCy or the rules.
"""
