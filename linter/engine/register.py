"""The writer's register: a draft that says "je" gets suggestions that say "je" too.

Rules write their suggestions in the "u" form; `to_je` derives the "je" form with
the regular Dutch changes (inversion drops the -t: "kunt u" -> "kun je"; "heeft u" ->
"heb je"; "u heeft" -> "je hebt"; "uw" -> "je").
"""

from __future__ import annotations

import re

_JE = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
_U = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
# finite verb before "u" (inversion) -> the form before "je"
_INVERTED = {
    "heeft": "heb", "hebt": "heb", "kunt": "kun", "wilt": "wil", "bent": "ben", "zult": "zul",
    "hoort": "hoor", "vindt": "vind", "wordt": "word", "stelt": "stel", "kent": "ken", "gaat": "ga",
    "komt": "kom", "ziet": "zie", "krijgt": "krijg", "belt": "bel", "stuurt": "stuur", "neemt": "neem",
    "mailt": "mail", "doet": "doe", "staat": "sta", "houdt": "houd", "zoekt": "zoek", "maakt": "maak",
}  # fmt: skip


def detect(text: str) -> str:
    """"je" when the draft addresses the customer with je/jij more than with u, else "u"."""
    return "je" if len(_JE.findall(text)) > len(_U.findall(text)) else "u"


def _keep_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def to_je(sentence: str) -> str:
    """The same sentence addressed with "je" instead of "u"."""
    sentence = re.sub(r"\b([A-Za-z]+) u\b", lambda m: f"{_keep_case(m.group(1), _INVERTED[m.group(1).lower()])} je"
                      if m.group(1).lower() in _INVERTED else m.group(0), sentence)
    sentence = re.sub(r"\b([Uu]) (heeft)\b", lambda m: f"{_keep_case(m.group(1), 'je')} hebt", sentence)
    sentence = re.sub(r"\b([Uu]zelf)\b", lambda m: _keep_case(m.group(1), "jezelf"), sentence)
    return re.sub(r"\b([Uu]w?)\b", lambda m: _keep_case(m.group(1), "je"), sentence)


def adapt(sentence: str, register: str) -> str:
    return to_je(sentence) if register == "je" else sentence
