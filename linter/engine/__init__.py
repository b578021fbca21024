"""The engine: from the writer's text to a judged `Report`.

What it holds, in the order the data goes through it:

- `pipeline` loads the Dutch spaCy pipeline (`linter.names` describes it without loading spaCy);
- `rules` reads and validates the rule files, written in the phrase `notation`, with their
  learned `cues`;
- `analysis` runs the pipeline once and marks clauses, quotes, conditions, greeting and signature;
- `compile` turns the rules into Matcher patterns (with the word `forms` of each `[lemma]`)
  and keeps them in a disk cache; `match` runs them and applies the guards;
- `judge` turns the hits into findings, elements and the checklist of handles, with
  suggestions in the writer's own `register` (u or je).

The engine takes a text and gives a `linter.report.Report`; reading files and e-mail comes
before it (`linter.input`), rendering and the front ends after it. Importing this package
loads nothing heavy: spaCy is loaded by the modules that need it.
"""
