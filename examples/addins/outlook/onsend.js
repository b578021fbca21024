// lint-reply for Outlook: the OnMessageSend handler (Smart Alerts, SendMode SoftBlock).
//
// A classic script (Outlook's JavaScript-only runtime on Windows loads no ES
// modules). It expects the global LintClient that build.mjs puts in front of it
// from ../lintclient.js; launchevent.js is that combination, the file the
// manifest names. Edit this file or ../lintclient.js, then run `node build.mjs`.
/* global Office, LintClient */

var LINT_REPLY_SETTINGS = {
  baseUrl: "http://127.0.0.1:8765", // start lint-reply-serve with --cors-origin for the add-in's origin
  failOn: "warning", // "info", "warning", "error" or "never"
  timeoutMs: 8000,
  blockWhenUnavailable: false,
  maxMessageLength: 500, // Outlook shows at most this much of errorMessage
};

function lintReplyCheck(text) {
  var settings = LINT_REPLY_SETTINGS;
  if (!text || !text.trim()) return Promise.resolve({ allowEvent: true });
  var message = LintClient.messageFromDraft({ body: text });
  return LintClient.lintMessage(message, { baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs }).then(
    function (report) {
      if (!LintClient.shouldBlock(report, settings.failOn)) return { allowEvent: true };
      return { allowEvent: false, errorMessage: LintClient.formatMessage(report, { maxLength: settings.maxMessageLength }) };
    },
    function (error) {
      if (!settings.blockWhenUnavailable) return { allowEvent: true };
      return { allowEvent: false, errorMessage: String(error && error.message ? error.message : error).slice(0, settings.maxMessageLength) };
    }
  );
}

function onMessageSendHandler(event) {
  Office.context.mailbox.item.body.getAsync(Office.CoercionType.Text, { asyncContext: event }, function (result) {
    var sendEvent = result.asyncContext || event;
    if (result.status !== Office.AsyncResultStatus.Succeeded) {
      sendEvent.completed({ allowEvent: true }); // the body could not be read: do not stand in the way
      return;
    }
    lintReplyCheck(result.value).then(
      function (outcome) { sendEvent.completed(outcome); },
      function () { sendEvent.completed({ allowEvent: true }); }
    );
  });
}

if (typeof Office !== "undefined" && Office.actions && Office.actions.associate) {
  Office.actions.associate("onMessageSendHandler", onMessageSendHandler);
}
