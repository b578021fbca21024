"""Read the input: a draft file or standard input, as text, whatever encoding Outlook left it in.

UTF-8 (with or without BOM), UTF-16 with BOM and Windows-1252 are read correctly;
binary data, directories and empty input are refused with a clear Dutch message.
Line endings are kept as they are, so offsets point into the file as it is on disk.
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 5_000_000  # default limit: a reply is a few KB; anything this large is not a draft


class InputError(ValueError):
    """The input cannot be linted; the message is for the user (Dutch)."""


@dataclass(frozen=True)
class Source:
    path: str  # as the user named it; "<stdin>" for standard input
    text: str
    kind: str = "text"  # "text", "email" (RFC 5322 message) or "html"
    data: bytes = b""  # the bytes as read (e-mail is parsed from these)


def sniff_kind(path: str, text: str) -> str:
    """E-mail when the file has a mail header block (or ends in .eml); HTML by name or doctype."""
    from .mail import looks_like_email

    lower = path.lower()
    if lower.endswith(".eml") or looks_like_email(text):
        return "email"
    start = text.lstrip()[:200].lower()
    if lower.endswith((".html", ".htm")) or start.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


def decode(data: bytes, name: str) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", name)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name)
    if b"\x00" in data:
        raise InputError(f"{name}: dit lijkt geen tekstbestand (het bevat binaire gegevens)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise InputError(f"{name}: de tekencodering is niet te herkennen (geen UTF-8, UTF-16 of Windows-1252)")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{name}: het bestand is niet geldig {encoding.upper()}") from None


def _check_text(text: str, name: str) -> None:
    if not text.strip():
        raise InputError(f"{name}: de tekst is leeg")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 50):
        raise InputError(f"{name}: dit lijkt geen tekstbestand (te veel stuurtekens)")


def read_source(path: str, max_bytes: int = MAX_BYTES) -> Source:
    """Read a file, or standard input for "-"; more than `max_bytes` is refused."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        file = Path(path)
        name = path
        if file.is_dir():
            raise InputError(f"{name}: dit is een map, geen bestand")
        if not file.exists():
            raise InputError(f"{name}: bestand niet gevonden")
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{name}: kan het bestand niet lezen ({error.strerror or error})") from None
    if len(data) > max_bytes:
        limit = f"{max_bytes:,}".replace(",", ".")
        raise InputError(f"{name}: te groot (meer dan {limit} bytes; zie --max-size); lint-reply leest conceptantwoorden")
    text = decode(data, name)
    _check_text(text, name)
    return Source(path=name, text=text, kind=sniff_kind(name, text), data=data)
