// lintclient.js: the logic the lint-reply add-ins share (Thunderbird, Outlook).
//
// An ES module without dependencies. It builds the request for a draft, calls a
// running lint-reply-serve with fetch (base URL and timeout as parameters), and
// turns its report into the short Dutch message an add-in shows before sending.
//
// Kept to plain top-level `export function` / `export const` / `export class`
// declarations (no import, no export lists): outlook/build.mjs turns this file
// into a classic script for Outlook's JavaScript-only runtime by dropping the
// `export` keywords.

export const DEFAULT_BASE_URL = "http://127.0.0.1:8765";
export const DEFAULT_TIMEOUT_MS = 10000;
export const CHANNELS = ["email", "chat"];
export const SEVERITIES = ["info", "warning", "error"];
export const SEVERITY_LABELS = {
  error: ["fout", "fouten"],
  warning: ["waarschuwing", "waarschuwingen"],
  info: ["info", "info"],
};

export class LintServiceError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = "LintServiceError";
    this.status = status || 0; // HTTP status, 0 when there was no answer
    this.code = code || "error"; // "unreachable", "timeout", "http", "invalid"
  }
}

function checkChannel(channel) {
  if (CHANNELS.indexOf(channel) < 0) {
    throw new TypeError("channel moet een van " + CHANNELS.join(", ") + " zijn, niet " + JSON.stringify(channel));
  }
}

function jsonRequest(path, payload) {
  return {
    path: path,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(payload),
  };
}

// The request for POST /v1/lint: a draft as it is.
export function buildLintRequest(text, channel) {
  if (typeof text !== "string") throw new TypeError("text moet een tekst zijn");
  channel = channel || "email";
  checkChannel(channel);
  return jsonRequest("/v1/lint", { text: text, channel: channel });
}

// The request for POST /v1/lint-message: an RFC 5322 message; the service checks
// only the writer's new text and reads the quoted customer for their mood.
export function buildMessageRequest(message, channel) {
  if (typeof message !== "string") throw new TypeError("message moet een tekst zijn");
  channel = channel || "email";
  checkChannel(channel);
  return jsonRequest("/v1/lint-message", { message: message, channel: channel });
}

// A minimal RFC 5322 message around a compose body (plain text or HTML), with
// the quoted history still in it, for buildMessageRequest.
export function messageFromDraft(draft) {
  const body = draft && typeof draft.body === "string" ? draft.body : "";
  const subject = draft && typeof draft.subject === "string" ? draft.subject.replace(/[\r\n]+/g, " ").trim() : "";
  const headers = ["MIME-Version: 1.0"];
  if (subject && /^[\x20-\x7e]*$/.test(subject)) headers.push("Subject: " + subject); // only plain ASCII needs no encoding
  headers.push("Content-Type: text/" + (draft && draft.isHtml ? "html" : "plain") + "; charset=utf-8");
  headers.push("Content-Transfer-Encoding: 8bit");
  return headers.join("\r\n") + "\r\n\r\n" + body;
}

export function joinUrl(baseUrl, path) {
  return String(baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, "") + path;
}

// Send a request built above; resolves to the report, rejects with a LintServiceError
// whose message is Dutch and fit to show.
export async function callService(baseUrl, request, options) {
  options = options || {};
  const fetchImpl = options.fetch || (typeof fetch === "function" ? fetch : null);
  if (!fetchImpl) throw new LintServiceError("Deze omgeving kan de controledienst niet aanroepen (geen fetch).", 0, "unreachable");
  const timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const url = joinUrl(baseUrl, request.path);
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timeoutError = new LintServiceError("De controledienst lint-reply antwoordt niet binnen " + Math.max(1, Math.round(timeoutMs / 1000)) + " seconden.", 0, "timeout");
  let timer = null;
  let timedOut = false;
  const timeout = new Promise(function (_, reject) {
    timer = setTimeout(function () {
      timedOut = true;
      reject(timeoutError);
      if (controller) controller.abort();
    }, timeoutMs);
  });
  const init = { method: request.method, headers: request.headers, body: request.body };
  if (controller) init.signal = controller.signal;
  try {
    const response = await Promise.race([fetchImpl(url, init), timeout]);
    let data = null;
    try {
      data = await Promise.race([response.json(), timeout]);
    } catch (error) {
      if (error instanceof LintServiceError) throw error;
      data = null;
    }
    if (!response.ok) {
      const detail = data && typeof data.error === "string" ? ": " + data.error : "";
      throw new LintServiceError("De controledienst lint-reply gaf een fout (" + response.status + ")" + detail + ".", response.status, "http");
    }
    if (!data || !Array.isArray(data.files) || !data.files.length) {
      throw new LintServiceError("De controledienst lint-reply gaf een onverwacht antwoord.", response.status, "invalid");
    }
    return data;
  } catch (error) {
    if (timedOut) throw timeoutError;
    if (error instanceof LintServiceError) throw error;
    throw new LintServiceError("De controledienst lint-reply is niet bereikbaar op " + String(baseUrl || DEFAULT_BASE_URL) + ".", 0, "unreachable");
  } finally {
    clearTimeout(timer);
  }
}

// Check a draft: options { baseUrl, channel, timeoutMs, fetch }.
export function lintDraft(text, options) {
  options = options || {};
  return callService(options.baseUrl, buildLintRequest(text, options.channel), options);
}

// Check an e-mail (see messageFromDraft): options as lintDraft.
export function lintMessage(message, options) {
  options = options || {};
  return callService(options.baseUrl, buildMessageRequest(message, options.channel), options);
}

function filesOf(report) {
  if (!report) return [];
  if (Array.isArray(report.files)) return report.files;
  return Array.isArray(report.findings) ? [report] : [];
}

function findingsOf(report) {
  const all = [];
  filesOf(report).forEach(function (file) {
    (file.findings || []).forEach(function (finding) { all.push(finding); });
  });
  return all;
}

function rank(severity) {
  const index = SEVERITIES.indexOf(severity);
  return index < 0 ? 0 : index;
}

// { error, warning, info, total }
export function countBySeverity(report) {
  const counts = { error: 0, warning: 0, info: 0, total: 0 };
  findingsOf(report).forEach(function (finding) {
    if (counts[finding.severity] !== undefined) counts[finding.severity] += 1;
    counts.total += 1;
  });
  return counts;
}

// The most important findings first (severity, then place in the text), one per message.
export function topFindings(report, limit) {
  const seen = {};
  const unique = findingsOf(report)
    .map(function (finding, index) { return { finding: finding, index: index }; })
    .sort(function (a, b) { return rank(b.finding.severity) - rank(a.finding.severity) || a.index - b.index; })
    .map(function (entry) { return entry.finding; })
    .filter(function (finding) {
      if (seen[finding.message]) return false;
      seen[finding.message] = true;
      return true;
    });
  return limit === undefined ? unique : unique.slice(0, limit);
}

// The handles a reply with bad news does not use (none when there is no bad news).
export function missingHandles(report) {
  const missing = [];
  filesOf(report).forEach(function (file) {
    if (!file.bad_news) return;
    (file.handles || []).forEach(function (handle) {
      if (!handle.present) missing.push(handle);
    });
  });
  return missing;
}

function plural(count, forms) {
  return count + " " + forms[count === 1 ? 0 : 1];
}

// The short Dutch message an add-in shows. options: { maxFindings = 3, maxLength = 0 (no limit) }.
export function formatMessage(report, options) {
  options = options || {};
  const maxFindings = options.maxFindings === undefined ? 3 : options.maxFindings;
  const counts = countBySeverity(report);
  const lines = [];
  if (!counts.total) {
    lines.push("lint-reply: geen bevindingen.");
  } else {
    const parts = ["error", "warning", "info"]
      .filter(function (severity) { return counts[severity]; })
      .map(function (severity) { return plural(counts[severity], SEVERITY_LABELS[severity]); });
    lines.push("lint-reply: " + plural(counts.total, ["bevinding", "bevindingen"]) + " (" + parts.join(", ") + ").");
    const all = topFindings(report);
    all.slice(0, maxFindings).forEach(function (finding) { lines.push("• " + finding.message); });
    if (all.length > maxFindings) lines.push("• en nog " + plural(all.length - maxFindings, ["punt", "punten"]) + ".");
  }
  const missing = missingHandles(report);
  if (missing.length) {
    lines.push("Ontbrekende handvatten: " + missing.map(function (handle) {
      return handle.number + ". " + handle.title + (handle.blocked_by ? " (ondermijnd door " + handle.blocked_by + ")" : "");
    }).join("; ") + ".");
  }
  const text = lines.join("\n");
  if (options.maxLength > 0 && text.length > options.maxLength) {
    return text.slice(0, Math.max(0, options.maxLength - 1)) + "…";
  }
  return text;
}

// Whether an add-in should hold the message back: a finding at or above failOn
// ("info", "warning" or "error"; "never" holds nothing back).
export function shouldBlock(report, failOn) {
  failOn = failOn || "warning";
  if (failOn === "never") return false;
  if (SEVERITIES.indexOf(failOn) < 0) {
    throw new RangeError("failOn moet een van " + SEVERITIES.join(", ") + " of never zijn, niet " + JSON.stringify(failOn));
  }
  const threshold = rank(failOn);
  return findingsOf(report).some(function (finding) { return rank(finding.severity) >= threshold; });
}
