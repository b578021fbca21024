"""The Thunderbird add-on (examples/addins/thunderbird) in the real Thunderbird.

Debian's `thunderbird` runs with --headless (compose and alert windows work
without an X server, so no Xvfb) and a throwaway profile, and is driven over
Marionette (tests/marionette.py, with chrome privileges). The test creates an
account whose outgoing server is an SMTP server started here on 127.0.0.1
(aiosmtpd); installs the add-on as the README says (the folder's contents
zipped into lint-reply.xpi, unsigned, installed from file, with Thunderbird's
default settings for add-ons); puts a customer's message in a local folder;
opens a reply to it; writes the reply above the quote (the editor's
insertText, as a paste would; no key events); and presses Send (the compose
window's Send button). lint-reply-serve's app runs in a thread on a free
loopback port.

The .xpi is made from a copy of the add-on's folder in which only the two
SETTINGS the test chooses are changed: `baseUrl` (the service's free port) and
`failOn` (the mode). The manifest and all other files are the real ones.

What is checked: in blocking mode a reply with a pitfall (plain text or HTML)
is not sent (the SMTP server receives nothing, Thunderbird reports the send as
aborted by onBeforeSend) and the add-on's notification with the findings is on
screen (a Thunderbird alert window; the system notification backend is
switched off so that the alert is Thunderbird's own window); a second Send on
the unchanged text sends it. With failOn "never", or with a reply without
findings, the message is sent at once and no notification appears. With the
service down, the reply is sent unchecked and a notification says so.

Skipped with the reason when Thunderbird is not installed, unless
LINT_REPLY_REQUIRE_THUNDERBIRD=1 (as in CI, when .ci/run could install it):
then it fails.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import smtp_sink as local_smtp
from .marionette import Marionette
from .test_web import Service

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "examples" / "addins" / "thunderbird"
ADDON_ID = "lint-reply@lint-reply.invalid"
THUNDERBIRD = os.environ.get("LINT_REPLY_THUNDERBIRD") or shutil.which("thunderbird")
REQUIRE = os.environ.get("LINT_REPLY_REQUIRE_THUNDERBIRD") == "1"
START_TIMEOUT = 90.0
STEP_TIMEOUT = 30.0

CUSTOMER = (
    "From: Jan de Vries <jan@example.com>\r\n"
    "To: Klantenservice <service@example.nl>\r\n"
    "Subject: Mijn aanvraag\r\n"
    "Date: Mon, 03 Jun 2024 09:00:00 +0200\r\n"
    "Message-ID: <aanvraag-1@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Ik wacht nu al drie weken op een antwoord. Dit is echt onacceptabel!\r\n"
)
QUOTED = "Ik wacht nu al drie weken op een antwoord."
CAPITULATING = "Beste meneer De Vries,\n\nIk geef u groot gelijk. Wij kunnen uw aanvraag helaas niet toekennen.\n"
GOOD = (ROOT / "examples" / "huurverhoging-goed.txt").read_text(encoding="utf-8")

# user.js of the throwaway profile: no first-run dialogs, no updates, no telemetry, no
# network beyond loopback, Marionette on a free port (written to MarionetteActivePort),
# and notifications as Thunderbird's own alert window that stays open.
PREFS = {
    "marionette.port": 0,
    "offline.autoDetect": False,
    "offline.startup_state": 2,
    "mail.shell.checkDefaultClient": False,
    "mail.provider.suppress_dialog_on_startup": True,
    "mail.rights.override": True,
    "mailnews.start_page.enabled": False,
    "app.donation.eoy.version.viewed": 999,
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "services.settings.server": "data:,#remote-settings-off",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "mail.compose.attachment_reminder": False,
    "mail.SpellCheckBeforeSend": False,
    "mailnews.sendInBackground": False,
    "alerts.useSystemBackend": False,
    "alerts.totalOpenTime": 600_000,
}


def _missing() -> str | None:
    if not THUNDERBIRD:
        return "Thunderbird is not installed (apt-get install thunderbird)"
    if not (os.path.isfile(THUNDERBIRD) and os.access(THUNDERBIRD, os.X_OK)):
        return f"Thunderbird not found at {THUNDERBIRD}"
    return None


def _user_js() -> str:
    def literal(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "".join(f'user_pref("{name}", {literal(value)});\n' for name, value in PREFS.items())


class Thunderbird:
    """A headless Thunderbird with a throwaway profile, driven over Marionette."""

    def __init__(self, workdir: Path):
        self.profile = workdir / "profile"
        self.profile.mkdir()
        (self.profile / "user.js").write_text(_user_js(), encoding="utf-8")
        self.log_path = workdir / "thunderbird.log"
        self.log = self.log_path.open("w")
        env = {
            **os.environ,
            "HOME": str(workdir),  # nothing of the user's own ~/.thunderbird
            "MOZ_CRASHREPORTER_DISABLE": "1",
            "MOZ_HEADLESS": "1",
            "TMPDIR": str(workdir),
        }
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        self.process = subprocess.Popen(
            [THUNDERBIRD, "--headless", "--no-remote", "--marionette", "-remote-allow-system-access", "--profile", str(self.profile)],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=workdir,
            start_new_session=True,  # its own process group, so teardown can end it and all its children
        )  # fmt: skip
        self.marionette: Marionette | None = None
        self.identity = ""  # the key of the identity the test replies with

    def connect(self) -> Marionette:
        port_file = self.profile / "MarionetteActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Thunderbird stopped with status {self.process.returncode}\n{self.log_tail()}")
            text = port_file.read_text().strip() if port_file.exists() else ""
            if text.isdigit() and int(text) > 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Thunderbird's Marionette did not start within {START_TIMEOUT:.0f}s\n{self.log_tail()}")
            time.sleep(0.2)
        self.marionette = Marionette(int(text), timeout=START_TIMEOUT)
        self.marionette.start_chrome_session()
        self.marionette.wait_for(
            "return [...Services.wm.getEnumerator('mail:3pane')].some(w => w.document.readyState == 'complete')",
            timeout=START_TIMEOUT, what="the main window",
        )  # fmt: skip
        return self.marionette

    def log_tail(self) -> str:
        self.log.flush()
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(line for line in lines[-400:] if "Gtk-CRITICAL" not in line and "glib warning" not in line)[-4000:]

    def stop(self) -> None:
        if self.marionette is not None:
            self.marionette.close()
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        self.log.close()


# Chrome JavaScript run over Marionette ------------------------------------------------

MAIL_SERVICES = "const {MailServices} = ChromeUtils.importESModule('resource:///modules/MailServices.sys.mjs');\n"

CREATE_ACCOUNT = MAIL_SERVICES + """
const [smtpPort, customer] = arguments;
const smtp = MailServices.outgoingServer.createServer("smtp").QueryInterface(Ci.nsISmtpServer);
smtp.hostname = "127.0.0.1";
smtp.port = smtpPort;
smtp.authMethod = Ci.nsMsgAuthMethod.none;
smtp.socketType = Ci.nsMsgSocketType.plain;
const server = MailServices.accounts.createIncomingServer("service", "lint-reply.invalid", "none");
const identity = MailServices.accounts.createIdentity();
identity.fullName = "Klantenservice";
identity.email = "service@example.nl";
identity.smtpServerKey = smtp.key;
identity.doFcc = false;  // no copy to a Sent folder
identity.replyOnTop = 1;  // the writer's text above the quote, as in a customer service reply
const account = MailServices.accounts.createAccount();
account.incomingServer = server;
account.addIdentity(identity);
// The customer's message, in a local folder, to reply to.
const root = server.rootMsgFolder;
const inbox = root.containsChildNamed("Inbox") ? root.getChildNamed("Inbox") : root.QueryInterface(Ci.nsIMsgLocalMailFolder).createLocalSubfolder("Inbox");
inbox.QueryInterface(Ci.nsIMsgLocalMailFolder).addMessage(customer);
return identity.key;
"""

WAIT_BACKGROUND = """
const {ExtensionParent} = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
const extension = ExtensionParent.GlobalManager.getExtension(arguments[0]);
return Boolean(extension && extension.backgroundState == "running");
"""

OPEN_REPLY = MAIL_SERVICES + """
const [identityKey, html] = arguments;
const identity = MailServices.accounts.getIdentity(identityKey);
const server = MailServices.accounts.getServersForIdentity(identity)[0];
const inbox = server.rootMsgFolder.getChildNamed("Inbox");
const [header] = [...inbox.messages];
MailServices.compose.OpenComposeWindow(
  null, header, inbox.getUriForMsg(header), Ci.nsIMsgCompType.ReplyToSender,
  html ? Ci.nsIMsgCompFormat.HTML : Ci.nsIMsgCompFormat.PlainText, identity, null, null);
return true;
"""

# Ready: loaded, and the customer's message quoted in the editor (the quote comes last).
COMPOSE_READY = """
const [quoted] = arguments;
const windows = [...Services.wm.getEnumerator("msgcompose")];
if (windows.length != 1 || windows[0].document.readyState != "complete" || windows[0].gLoadingComplete !== true) return false;
const editor = windows[0].gMsgCompose && windows[0].gMsgCompose.editor;
return Boolean(editor && editor.outputToString("text/plain", 0).includes(quoted));
"""

WRITE_REPLY = """
const [text] = arguments;
const w = Services.wm.getMostRecentWindow("msgcompose");
const editor = w.gMsgCompose.editor;
editor.beginningOfDocument();
editor.insertText(text);
return editor.outputToString("text/plain", 0);
"""

# Press Send and record what Thunderbird reports when it has prepared (or aborted) the
# message: "compose-prepare-message-completed", with the exception of an aborted send.
PRESS_SEND = """
const w = Services.wm.getMostRecentWindow("msgcompose");
const main = Services.wm.getMostRecentWindow("mail:3pane");
main.lintReplyTestSends = main.lintReplyTestSends || [];
const record = {done: false, error: null};
main.lintReplyTestSends.push(record);
w.addEventListener("compose-prepare-message-completed", event => {
  record.done = true;
  record.error = event.detail && event.detail.exception ? String(event.detail.exception.message) : null;
}, {once: true});
w.document.getElementById("button-send").doCommand();
return main.lintReplyTestSends.length - 1;
"""

SEND_RESULT = """
const main = Services.wm.getMostRecentWindow("mail:3pane");
const record = main.lintReplyTestSends[arguments[0]];
return record.done ? {error: record.error} : null;
"""

ALERTS = """
const [title] = arguments;
return [...Services.wm.getEnumerator("alert:alert")].filter(w => !w.closed).map(w => ({
  title: String(w.arguments[1]),
  shown: w.document.getElementById("alertTextLabel").textContent,
  text: String(w.arguments[2]),
})).filter(alert => !title || alert.title == title);
"""

CLOSE_WINDOWS = """
let closed = 0;
for (const type of ["alert:alert", "msgcompose"]) {
  for (const w of [...Services.wm.getEnumerator(type)]) { w.close(); closed++; }
}
return closed;
"""

COMPOSE_WINDOWS = "return [...Services.wm.getEnumerator('msgcompose')].filter(w => !w.closed).length"
NO_COMPOSE_WINDOW = "return [...Services.wm.getEnumerator('msgcompose')].filter(w => !w.closed).length == 0"


# Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def thunderbird_installed() -> None:
    """First of all: skip (or fail, where it is required) without Thunderbird."""
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"LINT_REPLY_REQUIRE_THUNDERBIRD=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def smtp_sink():
    with local_smtp() as sink:
        yield sink


@pytest.fixture(scope="module")
def service():
    running = Service().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def thunderbird(tmp_path_factory, smtp_sink):
    app = Thunderbird(tmp_path_factory.mktemp("thunderbird"))
    try:
        marionette = app.connect()
        app.identity = marionette.script(CREATE_ACCOUNT, smtp_sink[0], CUSTOMER)
        yield app
    finally:
        app.stop()


class MailClient:
    """One test's view of the running Thunderbird: install the add-on, reply, press Send, look."""

    def __init__(self, thunderbird: Thunderbird, folder: Path):
        self.marionette = thunderbird.marionette
        self.identity = thunderbird.identity
        self.folder = folder
        self.installed: list[str] = []

    def install_addon(self, base_url: str, fail_on: str) -> None:
        """Install the real add-on, with SETTINGS.baseUrl and SETTINGS.failOn set to these."""
        folder = self.folder / "addon"
        shutil.copytree(ADDON, folder)
        background = folder / "background.js"
        source = background.read_text(encoding="utf-8")
        for old, new in (("baseUrl: DEFAULT_BASE_URL,", f"baseUrl: {json.dumps(base_url.rstrip('/'))},"), ('failOn: "warning",', f"failOn: {json.dumps(fail_on)},")):
            assert source.count(old) == 1, f"SETTINGS in background.js no longer has {old!r}"
            source = source.replace(old, new)
        background.write_text(source, encoding="utf-8")
        # As the README says: the folder's contents zipped into lint-reply.xpi, installed from file.
        xpi = self.folder / "lint-reply.xpi"
        with zipfile.ZipFile(xpi, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
        assert self.marionette.install_addon(str(xpi)) == ADDON_ID
        self.installed.append(ADDON_ID)
        self.marionette.wait_for(WAIT_BACKGROUND, ADDON_ID, timeout=STEP_TIMEOUT, what="the add-on's background page")

    def write_reply(self, text: str, html: bool = False) -> None:
        """Reply to the customer's message (in plain text or HTML) and write `text` above the quote."""
        self.marionette.script(OPEN_REPLY, self.identity, html)
        self.marionette.wait_for(COMPOSE_READY, QUOTED, timeout=STEP_TIMEOUT, what="the compose window with the quote")
        body = self.marionette.script(WRITE_REPLY, text)
        assert body.lstrip().startswith(text.split("\n")[0]) and "> " + QUOTED in body, body

    def press_send(self) -> str | None:
        """Press Send; returns Thunderbird's error when the send was aborted, else None."""
        index = self.marionette.script(PRESS_SEND)
        return self.marionette.wait_for(SEND_RESULT, index, timeout=STEP_TIMEOUT, what="the end of sending")["error"]

    def alerts(self, title: str = "") -> list[dict]:
        return self.marionette.script(ALERTS, title)

    def wait_alert(self, title: str = "lint-reply") -> dict:
        [alert] = self.marionette.wait_for(ALERTS, title, timeout=STEP_TIMEOUT, what="the notification")
        return alert

    def compose_windows(self) -> int:
        return self.marionette.script(COMPOSE_WINDOWS)

    def clean_up(self) -> None:
        for addon_id in self.installed:
            self.marionette.uninstall_addon(addon_id)
        self.installed.clear()
        self.marionette.script(CLOSE_WINDOWS)


@pytest.fixture
def mail(thunderbird, smtp_sink, tmp_path):
    """A clean state per test: no windows left over, no mail received, no add-on installed."""
    thunderbird.marionette.script(CLOSE_WINDOWS)
    smtp_sink[1].clear()
    client = MailClient(thunderbird, tmp_path)
    try:
        yield client
    finally:
        client.clean_up()


def wait_received(received: list[bytes], count: int = 1) -> email.message.EmailMessage:
    deadline = time.monotonic() + STEP_TIMEOUT
    while len(received) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"the SMTP server received {len(received)} message(s), expected {count}")
        time.sleep(0.1)
    return email.message_from_bytes(received[count - 1], policy=email.policy.default)


def body_text(message: email.message.EmailMessage) -> str:
    """The text of a sent message: its plain-text part, else its HTML part."""
    part = message.get_body(preferencelist=("plain", "html"))
    assert part is not None, message
    return part.get_content()


def dead_url() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


# Tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("html", [False, True], ids=["plain-text", "html"])
def test_blocking_mode_holds_back_a_reply_with_a_pitfall(mail, smtp_sink, service, html) -> None:
    received = smtp_sink[1]
    mail.install_addon(service.url, "warning")
    mail.write_reply(CAPITULATING, html=html)

    error = mail.press_send()
    assert error is not None and "onBeforeSend" in error, (error, mail.alerts())
    alert = mail.wait_alert()
    assert alert["text"].startswith("lint-reply: "), alert
    assert "Hier geeft u toe aan de klant: 'Ik geef u groot gelijk'." in alert["text"], alert
    assert "klik nogmaals op Verzenden om toch te verzenden" in alert["text"], alert
    assert "Hier geeft u toe aan de klant" in alert["shown"], alert  # on screen, not only handed to the window
    time.sleep(1.0)  # a margin: the send was aborted before any connection, so nothing may arrive
    assert received == []
    assert mail.compose_windows() == 1  # the writer can still change the reply

    # Send again on the unchanged text: the writer's choice, the message goes.
    assert mail.press_send() is None
    message = wait_received(received)
    assert message["To"] == "Jan de Vries <jan@example.com>"
    assert message["Subject"] == "Re: Mijn aanvraag"
    body = body_text(message)
    assert "Ik geef u groot gelijk." in body and QUOTED in body, body
    mail.marionette.wait_for(NO_COMPOSE_WINDOW, timeout=STEP_TIMEOUT, what="the compose window to close")


@pytest.mark.parametrize(
    ("fail_on", "text"),
    [("never", CAPITULATING), ("warning", GOOD)],
    ids=["pitfall-with-failOn-never", "clean-reply-blocking-mode"],
)
def test_reply_is_sent_when_the_mode_lets_it_go(mail, smtp_sink, service, fail_on, text) -> None:
    mail.install_addon(service.url, fail_on)
    mail.write_reply(text)
    assert mail.press_send() is None
    message = wait_received(smtp_sink[1])
    assert text.split("\n")[0] in body_text(message)
    assert mail.alerts() == []


def test_reply_is_sent_unchecked_with_a_notice_when_the_service_is_down(mail, smtp_sink) -> None:
    mail.install_addon(dead_url(), "warning")
    mail.write_reply(CAPITULATING)
    assert mail.press_send() is None
    message = wait_received(smtp_sink[1])
    assert "Ik geef u groot gelijk." in body_text(message)
    alert = mail.wait_alert()
    assert "niet bereikbaar" in alert["text"] and "zonder controle verzonden" in alert["text"], alert
