"""Read e-mail: the body of an RFC 5322 message, and the writer's new text in it, with positions in the file.

The body part is chosen like a mail client would (text/plain, else text/html,
never an attachment) and decoded (charsets, quoted-printable, base64) by `read_body`;
HTML becomes text with `html_to_text`; `split_new_text` cuts a body
down to what the writer is adding now: quoted history (">" lines, "Op ... schreef:",
Outlook's "Van:/Verzonden:" block, "-----Oorspronkelijk bericht-----", HTML
blockquotes and Gmail's quote container), the signature ("-- ", the name/title
block after the closing formula), disclaimers and "Verzonden vanaf mijn iPhone"
footers. The closing formula itself stays: it is part of the reply.

Every character of the new text keeps the offset of the character (or encoded
sequence) it came from in the file as it is on disk, so findings point at the
right line and column of the `.eml` itself. `extract` puts these steps together.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass
from email.parser import HeaderParser
from html.parser import HTMLParser

from ..engine.analysis import SIGN_OFF
from .mapping import Mapped

HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
MAIL_HEADERS = {"from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path", "in-reply-to"}


def looks_like_email(text: str) -> bool:
    """A header block at the top with at least two well-known mail headers."""
    names = []
    for line in text.splitlines()[:60]:
        if not line.strip():
            break
        if line[:1] in " \t":
            continue
        if not HEADER_LINE.match(line):
            return False
        names.append(line.split(":", 1)[0].lower())
    return len(MAIL_HEADERS.intersection(names)) >= 2


# --- MIME structure with positions -----------------------------------------


@dataclass
class _Part:
    headers: object  # email.message.Message (headers only)
    body_start: int
    body_end: int


def _split_headers(raw: str, start: int, end: int) -> tuple[str, int]:
    """The header text of a part and the offset where its body starts."""
    match = re.compile(r"\r?\n\r?\n").search(raw, start, end)
    if not match:
        return raw[start:end], end
    return raw[start : match.start()], match.end()


def _leaf_parts(raw: str, start: int, end: int, depth: int = 0) -> list[_Part]:
    header_text, body_start = _split_headers(raw, start, end)
    headers = HeaderParser().parsestr(header_text + "\n")
    content_type = headers.get_content_type()
    boundary = headers.get_param("boundary")
    if not content_type.startswith("multipart/") or not boundary or depth > 20:
        return [_Part(headers, body_start, end)]
    delimiter = re.compile(r"^--" + re.escape(str(boundary)) + r"(--)?[ \t]*\r?$", re.MULTILINE)
    marks = [m for m in delimiter.finditer(raw, body_start, end)]
    parts: list[_Part] = []
    for current, following in zip(marks, marks[1:]):
        if current.group(1):
            break
        part_start = current.end() + (2 if raw.startswith("\r\n", current.end()) else 1)
        part_end = following.start()
        # the line break before the next delimiter belongs to the delimiter
        if raw[part_end - 2 : part_end] == "\r\n":
            part_end -= 2
        elif raw[part_end - 1 : part_end] == "\n":
            part_end -= 1
        parts.extend(_leaf_parts(raw, part_start, max(part_start, part_end), depth + 1))
    return parts


def _choose_part(parts: list[_Part]) -> _Part | None:
    def usable(part: _Part, kind: str) -> bool:
        disposition = str(part.headers.get("Content-Disposition", "")).lower()
        return part.headers.get_content_type() == kind and not disposition.startswith("attachment")

    for kind in ("text/plain", "text/html"):
        for part in parts:
            if usable(part, kind):
                return part
    return None


# --- decoding with positions -----------------------------------------------


def _charset(part: _Part) -> str:
    name = str(part.headers.get_content_charset() or "utf-8")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return "cp1252" if name.lower() in ("iso-8859-1", "latin-1", "us-ascii", "ascii") else name


def _decode_bytes(chunks: list[tuple[bytes, int, int]], charset: str) -> Mapped:
    """Bytes with their raw positions -> text with positions (a char gets the span of its bytes)."""
    decoder = codecs.getincrementaldecoder(charset)(errors="replace")
    out = Mapped()
    pending_start: int | None = None
    for data, start, end in chunks:
        for byte in data:
            if pending_start is None:
                pending_start = start
            text = decoder.decode(bytes([byte]))
            if text:
                out.add(text, pending_start, end)
                pending_start = None
    tail = decoder.decode(b"", final=True)
    if tail:
        out.add(tail, pending_start or 0)
    return out


def _decode_part(raw: str, raw_bytes_of, part: _Part) -> Mapped:
    encoding = str(part.headers.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    body = raw[part.body_start : part.body_end]
    charset = _charset(part)
    if encoding == "quoted-printable":
        chunks: list[tuple[bytes, int, int]] = []
        i = 0
        while i < len(body):
            here = part.body_start + i
            if body[i] == "=":
                soft = re.match(r"=[ \t]*\r?\n", body[i:])
                if soft:
                    i += soft.end()
                    continue
                code = body[i + 1 : i + 3]
                if re.fullmatch(r"[0-9A-Fa-f]{2}", code):
                    chunks.append((bytes([int(code, 16)]), here, here + 3))
                    i += 3
                    continue
            chunks.append((raw_bytes_of(body[i]), here, here + 1))
            i += 1
        return _decode_bytes(chunks, charset)
    if encoding == "base64":
        chunks = []
        offset = part.body_start
        for line in body.splitlines(keepends=True):
            stripped = line.strip()
            if stripped:
                try:
                    chunks.append((base64.b64decode(stripped + "=" * (-len(stripped) % 4)), offset, offset + len(line.rstrip("\r\n"))))
                except (binascii.Error, ValueError):
                    pass
            offset += len(line)
        return _decode_bytes(chunks, charset)
    # 7bit / 8bit / binary: the text stands in the file as it is
    out = Mapped()
    out.add_span(body, part.body_start)
    return out


# --- HTML to text, keeping positions ----------------------------------------

BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr", "blockquote"}
SKIP_TAGS = {"script", "style", "head", "title"}


class _HtmlText(HTMLParser):
    """HTML -> text with positions; blockquotes and Gmail's quote container go to `history`."""

    def __init__(self, source: Mapped):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(source.text) if ch == "\n"]
        self.new, self.history = Mapped(), Mapped()
        self.stack: list[tuple[str, bool]] = []  # (tag, starts a quote)
        self.quote_depth = 0
        self.skip_depth = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return min(self.line_starts[line - 1] + column, max(0, len(self.source.text) - 1))

    def _target(self) -> Mapped:
        return self.history if self.quote_depth else self.new

    def _newline(self) -> None:
        target = self._target()
        if target.last_char not in ("", "\n"):
            offset = self.source.starts[self._offset()] if self.source.starts else 0
            target.add("\n", offset)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        is_quote = tag == "blockquote" or "gmail_quote" in attributes.get("class", "") or attributes.get("id") == "divRplyFwdMsg"
        if tag in SKIP_TAGS:
            self.skip_depth += 1
        if tag in BLOCK_TAGS:
            self._newline()
        if tag not in ("br", "hr", "img", "meta", "link", "input"):
            self.stack.append((tag, is_quote))
            if is_quote:
                self.quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, quoted in self.stack[index:]:
                    if quoted:
                        self.quote_depth -= 1
                del self.stack[index:]
                break
        if tag in BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip_depth or not data:
            return
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", data)
        target = self._target()
        if target.last_char in ("", "\n", " "):
            text = text.lstrip(" ")
        if not text:
            return
        start = self._offset()
        last = len(self.source.text) - 1
        for index, char in enumerate(text):
            position = min(start + index, last)
            target.add(char, self.source.starts[position], self.source.ends[position])


def html_to_text(source: Mapped) -> tuple[Mapped, Mapped]:
    """(visible text, text inside quote containers), both with raw positions."""
    parser = _HtmlText(source)
    parser.feed(source.text)
    parser.close()
    return parser.new, parser.history


# --- the writer's new text --------------------------------------------------

ATTRIBUTION = re.compile(
    r"^\s*(op\s.{4,200}\b(schreef|geschreven|wrote)\b.*:|on\s.{4,200}\bwrote:|.{0,120}\bheeft het volgende geschreven:)\s*$",
    re.IGNORECASE,
)
HISTORY_START = re.compile(
    r"^\s*(-{2,}\s*(oorspronkelijk bericht|original message|doorgestuurd bericht|forwarded message)\s*-{2,}"
    r"|_{10,}|begin doorgestuurd bericht:|begin forwarded message:)\s*$",
    re.IGNORECASE,
)
OUTLOOK_FROM = re.compile(r"^\s*\*?(van|from)\s*:\*?\s", re.IGNORECASE)
OUTLOOK_NEXT = re.compile(r"^\s*\*?(verzonden|sent|datum|date|aan|to|onderwerp|subject)\s*:", re.IGNORECASE)
FOOTER = re.compile(
    r"^\s*((verzonden|verstuurd|sent|get outlook)\b.{0,40}\b(iphone|ipad|android|samsung|mobiel|outlook|telefoon|galaxy)"
    r"|outlook voor (ios|android)|download outlook for)",
    re.IGNORECASE,
)
DISCLAIMER = re.compile(
    r"^\s*(disclaimer\b|dit e-?mail(bericht)?\s.{0,40}(uitsluitend|vertrouwelijk|bestemd)|de informatie (verzonden )?(in|met) dit e-?mail"
    r"|aan (de inhoud van )?dit (e-?mail)?bericht kunnen geen rechten|this e-?mail (message )?(is|and any))",
    re.IGNORECASE,
)
SIGNATURE_DASHES = re.compile(r"^-- ?\r?$")
MAX_SIGNATURE_LINE_WORDS = 8


def _lines(mapped: Mapped) -> list[tuple[int, int]]:
    """(start, end) of each line in mapped.text, without the line break."""
    spans, start = [], 0
    for match in re.finditer(r"\r?\n", mapped.text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(mapped.text)))
    return spans


def split_new_text(body: Mapped) -> tuple[Mapped, Mapped]:
    """Plain body -> (new text, quoted history), both keeping raw positions."""
    lines = _lines(body)
    texts = [body.text[s:e] for s, e in lines]
    keep = [True] * len(lines)
    history_from = len(lines)
    for index, text in enumerate(texts):
        following = texts[index + 1 : index + 5]
        if HISTORY_START.match(text) or FOOTER.match(text) and index + 1 < len(texts) and any(OUTLOOK_FROM.match(t) for t in following):
            history_from = index
            break
        if OUTLOOK_FROM.match(text) and any(OUTLOOK_NEXT.match(t) for t in following):
            history_from = index
            break
        if SIGNATURE_DASHES.match(text) or DISCLAIMER.match(text):
            history_from = index
            break
    quoted: list[int] = []
    for index in range(history_from):
        text = texts[index]
        joined = text + " " + texts[index + 1] if index + 1 < len(texts) else text
        if text.lstrip().startswith(">"):
            keep[index] = False
            quoted.append(index)
        elif ATTRIBUTION.match(text) or (text.strip().lower().startswith(("op ", "on ")) and ATTRIBUTION.match(joined)):
            keep[index] = False
            if not ATTRIBUTION.match(text):  # the attribution wrapped onto the next line
                keep[index + 1] = False
        elif FOOTER.match(text):
            keep[index] = False
    _drop_signature_block(texts, keep, history_from)
    new, history = Mapped(), Mapped()
    for index, (start, end) in enumerate(lines[:history_from]):
        if keep[index]:
            new.extend(body.slice(start, end))
            new.add("\n", body.ends[end - 1] if end > start else (body.starts[start] if start < len(body.starts) else 0))
    for index in quoted:
        start, end = lines[index]
        text = body.text[start:end]
        strip = len(text) - len(text.lstrip().lstrip(">").lstrip(" >"))
        history.extend(body.slice(start + strip, end))
        history.add("\n", body.starts[start] if start < len(body.starts) else 0)
    for start, end in lines[history_from:]:
        history.extend(body.slice(start, end))
        history.add("\n", body.starts[start] if start < len(body.starts) else 0)
    return new, history


CONTACT = re.compile(r"(\d[\d \-]{5,}\d|@|www\.|https?://|\bb\.v\.|\btel\b|^\s*[te]\s*[:.]?\s*\+?\d)", re.IGNORECASE)
MAX_CONTACT_LINE_WORDS = 6


def _drop_signature_block(texts: list[str], keep: list[bool], limit: int) -> None:
    """The name/title/phone block is not the message.

    After the closing formula everything up to the quoted history is signature. Without
    a closing formula, a last paragraph of short lines with contact details is one too.
    """
    for index in range(limit):
        if keep[index] and SIGN_OFF.match(texts[index]) and len(texts[index].split()) <= MAX_SIGNATURE_LINE_WORDS:
            for following in range(index + 1, limit):
                keep[following] = False
            return
    kept = [i for i in range(limit) if keep[i]]
    while kept and not texts[kept[-1]].strip():
        kept.pop()
    block: list[int] = []
    while kept and texts[kept[-1]].strip():
        block.insert(0, kept.pop())
    if not block or any(len(texts[i].split()) > MAX_CONTACT_LINE_WORDS for i in block):
        return
    if any(CONTACT.search(texts[i]) for i in block):
        for i in block:
            keep[i] = False


@dataclass
class MessageBody:
    """The body part of a message a mail client would show, decoded, with positions in `raw`."""

    raw: str  # the whole message as text: what positions point into
    body: Mapped | None  # None: no text part (only attachments)
    html: bool
    subject: str = ""


def read_body(data: bytes) -> MessageBody:
    """Raw message bytes -> the message as text and its decoded body part."""
    try:
        raw = data.decode("utf-8")
        encode_char = lambda ch: ch.encode("utf-8")  # noqa: E731
    except UnicodeDecodeError:
        raw = data.decode("cp1252", errors="replace")
        encode_char = lambda ch: ch.encode("cp1252", errors="replace")  # noqa: E731
    parts = _leaf_parts(raw, 0, len(raw))
    top_headers = HeaderParser().parsestr(_split_headers(raw, 0, len(raw))[0] + "\n")
    subject = str(top_headers.get("Subject", ""))
    part = _choose_part(parts)
    if part is None:
        return MessageBody(raw, None, False, subject)
    return MessageBody(raw, _decode_part(raw, encode_char, part), part.headers.get_content_type() == "text/html", subject)
