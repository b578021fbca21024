// Tests of lintclient.js and the two add-ins, with Node's own test runner:
//
//   node --test examples/addins/test/
//
// The unit part needs no service. The service part runs against a running
// lint-reply-serve whose base URL is in LINT_REPLY_URL (e.g. http://127.0.0.1:8765)
// and is skipped when that is unset.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

import {
  buildLintRequest,
  buildMessageRequest,
  callService,
  countBySeverity,
  DEFAULT_BASE_URL,
  formatMessage,
  joinUrl,
  lintDraft,
  lintMessage,
  LintServiceError,
  messageFromDraft,
  missingHandles,
  shouldBlock,
  topFindings,
} from "../lintclient.js";
import { bundle } from "../outlook/build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const addins = join(here, "..");
const examples = join(addins, "..");
const SERVICE = process.env.LINT_REPLY_URL || "";
const needsService = SERVICE ? false : "LINT_REPLY_URL is not set (start lint-reply-serve and point it there)";

const GOOD = readFileSync(join(examples, "huurverhoging-goed.txt"), "utf8");
const CAPITULATING = "Beste meneer De Vries,\n\nIk geef u groot gelijk. Wij kunnen uw aanvraag helaas niet toekennen.\n";
const REPLY_WITH_QUOTE =
  CAPITULATING + "\nOp 01-06-2024 om 10:00 schreef Jan de Vries:\n> Ik ben woedend. Geef mij gewoon gelijk!\n";

// A report as the service returns it (trimmed to what the client reads).
function sampleReport() {
  const finding = (rule, kind, severity, message) => ({
    rule, kind, severity, message, why: "", suggestions: [], text: "x", start: 0, end: 1,
    line: 1, column: 1, end_line: 1, end_column: 2,
  });
  return {
    version: 1,
    pipeline: { name: "embedded_default", version: "spacy-3.8" },
    files: [{
      path: "<tekst>", channel: "email", bad_news: true, notes: [], elements: [],
      findings: [
        finding("missing-closing", "missing", "info", "Na het slechte nieuws volgt geen afronding."),
        finding("capitulation", "pitfall", "warning", "Hier geeft u toe aan de klant: 'groot gelijk'."),
        finding("distancing", "pitfall", "error", "Hier kiest u de kant van de klant."),
        finding("capitulation", "pitfall", "warning", "Hier geeft u toe aan de klant: 'groot gelijk'."),
        finding("missing-alternative", "missing", "warning", "Dit bericht biedt geen alternatief."),
      ],
      handles: [
        { number: 1, title: "Het gevoel van de klant benoemen", present: false, blocked_by: null, element: null },
        { number: 2, title: "Het besluit helder en kort", present: false, blocked_by: "capitulation", element: {} },
        { number: 3, title: "Zeggen wat wél kan", present: false, blocked_by: null, element: null },
        { number: 4, title: "Afronden met een volgende stap of een open deur", present: true, blocked_by: null, element: {} },
      ],
    }],
  };
}

function cleanReport(badNews = false) {
  const report = sampleReport();
  report.files[0].findings = [];
  report.files[0].bad_news = badNews;
  report.files[0].handles.forEach((handle) => { handle.present = true; handle.blocked_by = null; });
  return report;
}

function jsonResponse(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

// A loopback port with nothing listening on it.
async function deadUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

// A stand-in for Thunderbird's messenger API.
function fakeThunderbird(details) {
  const notifications = [];
  let listener = null;
  return {
    notifications,
    get listener() { return listener; },
    api: {
      compose: {
        getComposeDetails: async () => details,
        onBeforeSend: { addListener: (fn) => { listener = fn; } },
      },
      notifications: { create: async (id, options) => { notifications.push({ id, ...options }); return id; } },
      tabs: { onRemoved: { addListener: () => {} } },
    },
  };
}

// Outlook's launchevent.js, evaluated in its own context with a stand-in for Office.
function loadOutlook(body, settings = {}) {
  const completed = [];
  const Office = {
    CoercionType: { Text: "text", Html: "html" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    actions: { handlers: {}, associate(name, fn) { this.handlers[name] = fn; } },
    context: {
      mailbox: {
        item: {
          body: {
            getAsync(coercion, options, callback) {
              assert.equal(coercion, "text");
              setTimeout(() => callback({ status: body === null ? "failed" : "succeeded", value: body, asyncContext: options.asyncContext }), 0);
            },
          },
        },
      },
    },
  };
  const context = vm.createContext({ Office, fetch, AbortController, Response, setTimeout, clearTimeout, console });
  vm.runInContext(readFileSync(join(addins, "outlook", "launchevent.js"), "utf8"), context, { filename: "launchevent.js" });
  Object.assign(context.LINT_REPLY_SETTINGS, settings);
  const handler = Office.actions.handlers.onMessageSendHandler;
  assert.equal(typeof handler, "function", "launchevent.js associates onMessageSendHandler");
  const send = () => new Promise((resolve) => {
    handler({ completed: (options) => { completed.push(options); resolve(options); } });
  });
  return { send, completed, context };
}

// --- unit: no service needed ---------------------------------------------------------

describe("requests", () => {
  test("buildLintRequest posts the text and channel as JSON", () => {
    const request = buildLintRequest("Helaas kan dat niet.", "chat");
    assert.equal(request.path, "/v1/lint");
    assert.equal(request.method, "POST");
    assert.equal(request.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(request.body), { text: "Helaas kan dat niet.", channel: "chat" });
    assert.equal(JSON.parse(buildLintRequest("x").body).channel, "email");
  });

  test("emoji and accents survive the request", () => {
    assert.equal(JSON.parse(buildLintRequest("😀 vóór").body).text, "😀 vóór");
  });

  test("invalid input is refused before anything is sent", () => {
    assert.throws(() => buildLintRequest("x", "fax"), TypeError);
    assert.throws(() => buildLintRequest(42), TypeError);
    assert.throws(() => buildMessageRequest(null), TypeError);
  });

  test("buildMessageRequest posts an e-mail", () => {
    const request = buildMessageRequest("Subject: x\r\n\r\nHallo");
    assert.equal(request.path, "/v1/lint-message");
    assert.deepEqual(Object.keys(JSON.parse(request.body)).sort(), ["channel", "message"]);
  });

  test("messageFromDraft wraps a compose body as RFC 5322", () => {
    const plain = messageFromDraft({ body: "Beste meneer,\n\nHelaas.", subject: "Re: aanvraag" });
    const [head, body] = plain.split("\r\n\r\n");
    assert.match(head, /^MIME-Version: 1\.0\r\n/);
    assert.match(head, /\r\nSubject: Re: aanvraag\r\n/);
    assert.match(head, /Content-Type: text\/plain; charset=utf-8/);
    assert.equal(body, "Beste meneer,\n\nHelaas.");
    assert.match(messageFromDraft({ body: "<p>Hallo</p>", isHtml: true }), /Content-Type: text\/html; charset=utf-8/);
    const injected = messageFromDraft({ body: "x", subject: "a\r\nBcc: iemand@example.org" });
    assert.doesNotMatch(injected, /\r\nBcc:/);
    assert.doesNotMatch(messageFromDraft({ body: "x", subject: "Uw aanvraag — besluit" }), /Subject/);
    assert.match(messageFromDraft({}), /\r\n\r\n$/);
  });

  test("joinUrl tolerates a trailing slash", () => {
    assert.equal(joinUrl("http://127.0.0.1:8765/", "/v1/lint"), "http://127.0.0.1:8765/v1/lint");
    assert.equal(joinUrl(undefined, "/healthz"), `${DEFAULT_BASE_URL}/healthz`);
  });
});

describe("the message an add-in shows", () => {
  test("counts per severity", () => {
    assert.deepEqual(countBySeverity(sampleReport()), { error: 1, warning: 3, info: 1, total: 5 });
    assert.deepEqual(countBySeverity(sampleReport().files[0]), { error: 1, warning: 3, info: 1, total: 5 });
    assert.deepEqual(countBySeverity(null), { error: 0, warning: 0, info: 0, total: 0 });
  });

  test("top findings: most severe first, each message once", () => {
    const top = topFindings(sampleReport());
    assert.deepEqual(top.map((f) => f.rule), ["distancing", "capitulation", "missing-alternative", "missing-closing"]);
    assert.equal(topFindings(sampleReport(), 2).length, 2);
  });

  test("missing handles only when there is bad news", () => {
    assert.deepEqual(missingHandles(sampleReport()).map((h) => h.number), [1, 2, 3]);
    const noBadNews = sampleReport();
    noBadNews.files[0].bad_news = false;
    assert.deepEqual(missingHandles(noBadNews), []);
  });

  test("formatMessage is short Dutch with counts, top findings and missing handles", () => {
    const message = formatMessage(sampleReport());
    const lines = message.split("\n");
    assert.equal(lines[0], "lint-reply: 5 bevindingen (1 fout, 3 waarschuwingen, 1 info).");
    assert.equal(lines[1], "• Hier kiest u de kant van de klant.");
    assert.equal(lines[2], "• Hier geeft u toe aan de klant: 'groot gelijk'.");
    assert.equal(lines[3], "• Dit bericht biedt geen alternatief.");
    assert.equal(lines[4], "• en nog 1 punt.");
    assert.equal(lines[5], "Ontbrekende handvatten: 1. Het gevoel van de klant benoemen; 2. Het besluit helder en kort (ondermijnd door capitulation); 3. Zeggen wat wél kan.");
    assert.equal(lines.length, 6);
    assert.equal(formatMessage(sampleReport(), { maxFindings: 1 }).split("\n")[2], "• en nog 3 punten.");
  });

  test("formatMessage respects maxLength", () => {
    const message = formatMessage(sampleReport(), { maxLength: 80 });
    assert.equal(message.length, 80);
    assert.ok(message.endsWith("…"));
  });

  test("formatMessage without findings", () => {
    assert.equal(formatMessage(cleanReport()), "lint-reply: geen bevindingen.");
    assert.equal(formatMessage(cleanReport(true)), "lint-reply: geen bevindingen.");
  });

  test("shouldBlock follows failOn", () => {
    const report = sampleReport();
    assert.equal(shouldBlock(report), true);
    assert.equal(shouldBlock(report, "error"), true);
    report.files[0].findings = report.files[0].findings.filter((f) => f.severity !== "error");
    assert.equal(shouldBlock(report, "error"), false);
    assert.equal(shouldBlock(report, "warning"), true);
    report.files[0].findings = report.files[0].findings.filter((f) => f.severity === "info");
    assert.equal(shouldBlock(report, "warning"), false);
    assert.equal(shouldBlock(report, "info"), true);
    assert.equal(shouldBlock(report, "never"), false);
    assert.equal(shouldBlock(cleanReport(true), "info"), false);
    assert.throws(() => shouldBlock(report, "sometimes"), RangeError);
  });
});

describe("callService with a stand-in fetch", () => {
  test("resolves to the report and sends the request as built", async () => {
    let seen;
    const report = await lintDraft("Helaas.", {
      baseUrl: "http://lint.test/",
      fetch: async (url, init) => { seen = { url, init }; return jsonResponse(200, sampleReport()); },
    });
    assert.equal(seen.url, "http://lint.test/v1/lint");
    assert.equal(seen.init.method, "POST");
    assert.deepEqual(JSON.parse(seen.init.body), { text: "Helaas.", channel: "email" });
    assert.equal(report.files[0].findings.length, 5);
  });

  test("an error answer becomes a Dutch LintServiceError with its status", async () => {
    const fails = async () => jsonResponse(422, { error: "'channel' moet een van email, chat zijn" });
    await assert.rejects(lintDraft("x", { fetch: fails }), (error) => {
      assert.ok(error instanceof LintServiceError);
      assert.equal(error.status, 422);
      assert.equal(error.code, "http");
      assert.match(error.message, /gaf een fout \(422\): 'channel' moet/);
      return true;
    });
    const notJson = async () => new Response("<h1>oeps</h1>", { status: 502 });
    await assert.rejects(lintDraft("x", { fetch: notJson }), { status: 502, code: "http" });
  });

  test("no answer: unreachable", async () => {
    const refuses = async () => { throw new TypeError("fetch failed"); };
    await assert.rejects(lintMessage("x", { fetch: refuses, baseUrl: "http://127.0.0.1:1" }), (error) => {
      assert.equal(error.code, "unreachable");
      assert.match(error.message, /niet bereikbaar op http:\/\/127\.0\.0\.1:1/);
      return true;
    });
  });

  test("a slow service times out and the request is aborted", async () => {
    let aborted = false;
    const hangs = (url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener("abort", () => { aborted = true; reject(new DOMException("aborted", "AbortError")); });
    });
    await assert.rejects(lintDraft("x", { fetch: hangs, timeoutMs: 50 }), { code: "timeout" });
    assert.equal(aborted, true);
  });

  test("an answer that is no report is refused", async () => {
    await assert.rejects(lintDraft("x", { fetch: async () => jsonResponse(200, { files: [] }) }), { code: "invalid" });
  });

  test("a real connection refused is unreachable", async () => {
    await assert.rejects(lintDraft("Helaas.", { baseUrl: await deadUrl(), timeoutMs: 5000 }), { code: "unreachable" });
  });
});

describe("the add-ins' copies and builds", () => {
  test("thunderbird/lintclient.js is the shared lintclient.js", () => {
    assert.equal(
      readFileSync(join(addins, "thunderbird", "lintclient.js"), "utf8"),
      readFileSync(join(addins, "lintclient.js"), "utf8"),
      "copy ../lintclient.js to thunderbird/lintclient.js",
    );
  });

  test("outlook/launchevent.js is built from the current sources", () => {
    assert.equal(readFileSync(join(addins, "outlook", "launchevent.js"), "utf8"), bundle(), "run `node examples/addins/outlook/build.mjs`");
  });

  test("thunderbird manifest asks for compose, notifications and the service", () => {
    const manifest = JSON.parse(readFileSync(join(addins, "thunderbird", "manifest.json"), "utf8"));
    assert.ok(manifest.permissions.includes("compose"));
    assert.ok(manifest.permissions.includes("notifications"));
    // a match pattern with a port matches nothing in Thunderbird: the host alone, any port
    assert.ok(manifest.permissions.includes("http://127.0.0.1/*"));
    assert.ok(!manifest.permissions.some((permission) => /^[a-z]+:\/\/[^/]*:\d+\//.test(permission)), "no port in a host permission");
  });

  test("outlook manifest has OnMessageSend with SoftBlock", () => {
    const manifest = readFileSync(join(addins, "outlook", "manifest.xml"), "utf8");
    assert.match(manifest, /<LaunchEvent Type="OnMessageSend" FunctionName="onMessageSendHandler" SendMode="SoftBlock"\/>/);
    assert.match(manifest, /resid="JSRuntime\.Url"/);
  });

  test("thunderbird: the service unreachable lets the message go, with a notification", async () => {
    globalThis.browser = fakeThunderbird({}).api; // what the background page finds at start
    const { SETTINGS, checkBeforeSend } = await import("../thunderbird/background.js");
    const fake = fakeThunderbird({ isPlainText: true, plainTextBody: CAPITULATING });
    const saved = SETTINGS.baseUrl;
    SETTINGS.baseUrl = await deadUrl();
    try {
      assert.deepEqual(await checkBeforeSend({ id: 1 }, {}, fake.api), { cancel: false });
      assert.match(fake.notifications[0].message, /niet bereikbaar.*zonder controle verzonden/s);
      SETTINGS.blockWhenUnavailable = true;
      assert.deepEqual(await checkBeforeSend({ id: 2 }, {}, fake.api), { cancel: true });
    } finally {
      SETTINGS.baseUrl = saved;
      SETTINGS.blockWhenUnavailable = false;
    }
  });

  test("thunderbird: an empty body is not checked", async () => {
    const { checkBeforeSend } = await import("../thunderbird/background.js");
    const fake = fakeThunderbird({ isPlainText: true, plainTextBody: "  \n" });
    assert.deepEqual(await checkBeforeSend({ id: 3 }, {}, fake.api), { cancel: false });
    assert.equal(fake.notifications.length, 0);
  });

  test("outlook: the service unreachable lets the message go; the body unreadable too", async () => {
    const outlook = loadOutlook(CAPITULATING, { baseUrl: await deadUrl() });
    assert.deepEqual({ ...(await outlook.send()) }, { allowEvent: true });
    const unreadable = loadOutlook(null);
    assert.deepEqual({ ...(await unreadable.send()) }, { allowEvent: true });
    const blocking = loadOutlook(CAPITULATING, { baseUrl: await deadUrl(), blockWhenUnavailable: true });
    const outcome = await blocking.send();
    assert.equal(outcome.allowEvent, false);
    assert.match(outcome.errorMessage, /niet bereikbaar/);
  });
});

// --- against a running lint-reply-serve -----------------------------------------------

describe("against lint-reply-serve", { skip: needsService }, () => {
  test("the service is healthy", async () => {
    const response = await fetch(joinUrl(SERVICE, "/healthz"));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).status, "ok");
  });

  test("a capitulating draft is blocked with a useful Dutch message", async () => {
    const report = await lintDraft(CAPITULATING, { baseUrl: SERVICE });
    assert.equal(report.version, 1);
    const rules = report.files[0].findings.map((f) => f.rule);
    assert.ok(rules.includes("capitulation"), rules.join(", "));
    assert.equal(shouldBlock(report, "warning"), true);
    const message = formatMessage(report);
    assert.match(message, /^lint-reply: \d+ bevinding(en)? \(/);
    assert.match(message, /toe aan de klant/);
    assert.match(message, /Ontbrekende handvatten: 1\. Het gevoel van de klant benoemen/);
  });

  test("a good draft passes", async () => {
    const report = await lintDraft(GOOD, { baseUrl: SERVICE });
    assert.equal(countBySeverity(report).total, 0);
    assert.equal(shouldBlock(report, "info"), false);
    assert.deepEqual(missingHandles(report), []);
    assert.equal(formatMessage(report), "lint-reply: geen bevindingen.");
  });

  test("the channel reaches the service", async () => {
    const report = await lintDraft("Helaas kan ik u geen tweede vergunning geven.", { baseUrl: SERVICE, channel: "chat" });
    assert.equal(report.files[0].channel, "chat");
    assert.ok(!report.files[0].findings.some((f) => f.rule === "missing-closing"));
  });

  test("lintMessage checks only the writer's new text", async () => {
    const report = await lintMessage(messageFromDraft({ body: REPLY_WITH_QUOTE, subject: "Re: aanvraag" }), { baseUrl: SERVICE });
    const findings = report.files[0].findings;
    assert.ok(findings.some((f) => f.rule === "capitulation" && f.text.includes("Ik geef u groot gelijk")));
    assert.ok(!findings.some((f) => f.text.includes("Geef mij gewoon gelijk")), "the quoted customer is not linted");
  });

  test("an HTML body works too", async () => {
    const html = "<p>Beste meneer,</p><p>Ik geef u groot gelijk. Wij kunnen uw aanvraag helaas niet toekennen.</p>"
      + '<blockquote type="cite">Ik ben woedend. Geef mij gewoon gelijk!</blockquote>';
    const report = await lintMessage(messageFromDraft({ body: html, isHtml: true }), { baseUrl: SERVICE });
    assert.ok(report.files[0].findings.some((f) => f.rule === "capitulation"));
  });

  test("the service's own errors arrive as LintServiceError", async () => {
    const request = { path: "/v1/lint", method: "POST", headers: { "content-type": "application/json" }, body: '{"text": 1}' };
    await assert.rejects(callService(SERVICE, request), (error) => {
      assert.equal(error.status, 422);
      assert.match(error.message, /gaf een fout \(422\): het veld 'text'/);
      return true;
    });
    const broken = { ...request, body: "{nee" };
    await assert.rejects(callService(SERVICE, broken), { status: 400 });
  });

  test("thunderbird: findings cancel the send with a notification; a second Send goes through", async () => {
    globalThis.browser = fakeThunderbird({}).api;
    const { SETTINGS, checkBeforeSend } = await import("../thunderbird/background.js");
    const saved = SETTINGS.baseUrl;
    SETTINGS.baseUrl = SERVICE;
    try {
      const fake = fakeThunderbird({ isPlainText: true, plainTextBody: REPLY_WITH_QUOTE, subject: "Re: aanvraag" });
      assert.deepEqual(await checkBeforeSend({ id: 10 }, {}, fake.api), { cancel: true });
      assert.equal(fake.notifications.length, 1);
      assert.match(fake.notifications[0].message, /toe aan de klant/);
      assert.match(fake.notifications[0].message, /nogmaals op Verzenden/);
      assert.deepEqual(await checkBeforeSend({ id: 10 }, {}, fake.api), { cancel: false }, "send anyway");

      const good = fakeThunderbird({ isPlainText: false, body: `<p>${GOOD.replaceAll("\n\n", "</p><p>")}</p>` });
      assert.deepEqual(await checkBeforeSend({ id: 11 }, {}, good.api), { cancel: false });
      assert.equal(good.notifications.length, 0);
    } finally {
      SETTINGS.baseUrl = saved;
    }
  });

  test("thunderbird: the background page registers the onBeforeSend listener", async () => {
    const fake = fakeThunderbird({ isPlainText: true, plainTextBody: CAPITULATING });
    globalThis.browser = fake.api;
    const module = await import(`../thunderbird/background.js?fresh=${Date.now()}`);
    assert.equal(typeof fake.listener, "function");
    module.SETTINGS.baseUrl = SERVICE;
    assert.deepEqual(await fake.listener({ id: 20 }, {}), { cancel: true });
  });

  test("outlook: findings stop the send with errorMessage; a good draft goes", async () => {
    const outlook = loadOutlook(REPLY_WITH_QUOTE.replaceAll("\n", "\r\n"), { baseUrl: SERVICE });
    const outcome = await outlook.send();
    assert.equal(outcome.allowEvent, false);
    assert.ok(outcome.errorMessage.length <= 500);
    assert.match(outcome.errorMessage, /^lint-reply: \d+ bevindingen/);
    assert.match(outcome.errorMessage, /toe aan de klant/);
    const good = loadOutlook(GOOD, { baseUrl: SERVICE });
    assert.deepEqual({ ...(await good.send()) }, { allowEvent: true });
  });
});
