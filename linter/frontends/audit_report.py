"""The audit's report.html: one self-contained page (inline CSS and SVG; no scripts, fonts or links)."""

from __future__ import annotations

from html import escape

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.25rem .6rem;text-align:left;border-bottom:1px solid #ddd}th{background:#f3f3f3}
.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#444}
"""
BAR = "#1f5fa8"


def _bars(rows: list[tuple[str, float, str]], maximum: float, width: int = 560) -> str:
    """A horizontal bar chart as inline SVG: (label, value, value text) per row."""
    row_height, label_width = 26, 230
    height = row_height * len(rows) + 4
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for index, (label, value, shown) in enumerate(rows):
        y = index * row_height + 2
        length = 0 if maximum <= 0 else (width - label_width - 70) * value / maximum
        parts.append(f'<text x="0" y="{y + 17}" font-size="14">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="16" fill="{BAR}"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" font-size="13">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def render_html(summary: dict) -> str:
    rules = summary.get("rules", {})
    rule_rows = [(rule, count, str(count)) for rule, count in sorted(rules.items(), key=lambda x: -x[1])]
    handles = summary.get("handles_in_bad_news", {})
    titles = summary.get("handle_titles", {})  # from the rule set (see audit.summarize)
    pitfall_rules = set(summary.get("pitfall_rules", ()))
    handle_rows = [(titles.get(name, name), value or 0.0, _percent(value)) for name, value in handles.items()]
    out = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>lint-reply: overzicht</title><style>{STYLE}</style></head><body>",
        "<h1>Overzicht van de antwoorden</h1>",
        f'<p class="note">{summary.get("replies", 0)} antwoorden gelezen, waarvan {summary.get("bad_news", 0)} met slecht '
        f'nieuws; {summary.get("errors", 0)} konden niet gelezen worden. De pagina bevat geen volledige klantteksten.</p>',
        "<h2>Hoe vaak komt elke bevinding voor?</h2>",
        "<p>Aantal antwoorden met deze bevinding.</p>",
        _bars(rule_rows, max([r[1] for r in rule_rows], default=0)) if rule_rows else "<p>Geen bevindingen.</p>",
        "<h2>Handvatten in antwoorden met slecht nieuws</h2>",
        "<p>Deel van de antwoorden met slecht nieuws waarin het handvat gebruikt wordt.</p>",
        _bars(handle_rows, 1.0),
    ]
    teams = summary.get("teams")
    if teams:
        out += ["<h2>Per team</h2>", "<table><thead><tr><th>team</th><th class=num>antwoorden</th>"]
        out += [f"<th class=num>{escape(titles.get(name, name))}</th>" for name in handles]
        out += ["</tr></thead><tbody>"]
        for name, group in teams.items():
            cells = "".join(f"<td class=num>{_percent(group['handles_in_bad_news'][h])}</td>" for h in handles)
            out.append(f"<tr><td>{escape(name)}</td><td class=num>{group['replies']}</td>{cells}</tr>")
        out += ["</tbody></table>"]
        pitfall_rows = []
        for name, group in teams.items():
            pitfalls = sum(count for rule, count in group["rules"].items() if rule in pitfall_rules)
            share = pitfalls / group["replies"] if group["replies"] else 0.0
            pitfall_rows.append((name, share, f"{pitfalls} valkuilen op {group['replies']}"))
        out += ["<p>Valkuilen per antwoord, per team.</p>", _bars(pitfall_rows, max([r[1] for r in pitfall_rows], default=0))]
    phrases = summary.get("top_phrases", {})
    if phrases:
        out.append("<h2>Meest gebruikte formuleringen bij valkuilen</h2>")
        for rule, items in phrases.items():
            out.append(f"<h3>{escape(rule)}</h3><table><tbody>")
            out += [f"<tr><td>{escape(phrase)}</td><td class=num>{count}</td></tr>" for phrase, count in items]
            out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
