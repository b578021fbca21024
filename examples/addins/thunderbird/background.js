// lint-reply for Thunderbird: check a reply with lint-reply-serve before it is sent.
//
// On compose.onBeforeSend the body is read with compose.getComposeDetails and
// sent, wrapped as an e-mail with the quoted history still in it, to the local
// service (POST /v1/lint-message: only the writer's new text is checked). When a
// finding reaches SETTINGS.failOn the send is cancelled and a notification says
// why. Clicking Send again on the unchanged text sends it anyway; when the
// service cannot be reached the message is sent (unless blockWhenUnavailable).
//
// lintclient.js is a copy of ../lintclient.js (an add-on can only load its own
// files); the tests check that the two stay the same.

import { DEFAULT_BASE_URL, formatMessage, lintMessage, messageFromDraft, shouldBlock } from "./lintclient.js";

export const SETTINGS = {
  baseUrl: DEFAULT_BASE_URL, // on another host than 127.0.0.1, also change the host permission in manifest.json
  failOn: "warning", // "info", "warning", "error" or "never"
  timeoutMs: 8000,
  blockWhenUnavailable: false,
};

const NOTIFICATION_ID = "lint-reply";
const heldBack = new Map(); // compose tab id -> the body that was held back once

function mailApi() {
  return globalThis.messenger || globalThis.browser;
}

async function notify(api, message) {
  try {
    await api.notifications.create(NOTIFICATION_ID, { type: "basic", title: "lint-reply", message });
  } catch (error) {
    console.warn("lint-reply: melding tonen mislukt", error);
  }
}

async function composeBody(api, tab, details) {
  let compose = details || {};
  try {
    compose = await api.compose.getComposeDetails(tab.id);
  } catch (error) {
    console.warn("lint-reply: getComposeDetails mislukt; de gegevens van het verzendmoment worden gebruikt", error);
  }
  if (compose.isPlainText || typeof compose.body !== "string") {
    return { body: compose.plainTextBody || "", isHtml: false, subject: compose.subject || "" };
  }
  return { body: compose.body, isHtml: true, subject: compose.subject || "" };
}

// The onBeforeSend listener: resolves to { cancel: true } to hold the message back.
export async function checkBeforeSend(tab, details, api = mailApi()) {
  const draft = await composeBody(api, tab, details);
  if (!draft.body.trim()) return { cancel: false };
  const key = (draft.isHtml ? "html:" : "text:") + draft.body;
  if (heldBack.get(tab.id) === key) {
    heldBack.delete(tab.id); // second Send on the same text: the writer chose to send anyway
    return { cancel: false };
  }
  let report;
  try {
    report = await lintMessage(messageFromDraft(draft), { baseUrl: SETTINGS.baseUrl, timeoutMs: SETTINGS.timeoutMs });
  } catch (error) {
    const block = SETTINGS.blockWhenUnavailable;
    await notify(api, `${error.message} ${block ? "Het bericht is niet verzonden." : "Het bericht wordt zonder controle verzonden."}`);
    return { cancel: block };
  }
  if (!shouldBlock(report, SETTINGS.failOn)) {
    heldBack.delete(tab.id);
    return { cancel: false };
  }
  heldBack.set(tab.id, key);
  await notify(api, `${formatMessage(report)}\nPas uw tekst aan, of klik nogmaals op Verzenden om toch te verzenden.`);
  return { cancel: true };
}

const api = mailApi();
if (api && api.compose && api.compose.onBeforeSend) {
  api.compose.onBeforeSend.addListener((tab, details) => checkBeforeSend(tab, details, api));
}
if (api && api.tabs && api.tabs.onRemoved) {
  api.tabs.onRemoved.addListener((tabId) => heldBack.delete(tabId));
}
