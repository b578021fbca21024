"""The HTTP service (`lint-reply-serve`): report format, every error status as JSON, CORS, and privacy of the log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from .conftest import require, starlette_test_client

TestClient = starlette_test_client()

from linter.api import get_linter  # noqa: E402
from linter.frontends.service import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BAD = (ROOT / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")
GOOD = (ROOT / "examples" / "huurverhoging-goed.txt").read_text(encoding="utf-8")
FINDING_KEYS = {
    "rule", "title", "kind", "severity", "message", "why", "suggestions", "text",
    "start", "end", "line", "column", "end_line", "end_column", "apply",
}  # fmt: skip
ELEMENT_KEYS = {"name", "text", "start", "end", "line", "column", "praise", "handle"}
HANDLE_KEYS = {"number", "title", "present", "blocked_by", "element"}
ORIGIN = "http://127.0.0.1:5173"


@pytest.fixture(scope="module")
def shared_linter():
    return get_linter("embedded")


@pytest.fixture
def client(shared_linter):
    with TestClient(create_app(shared_linter), raise_server_exceptions=False, base_url="http://localhost") as test_client:
        yield test_client


def assert_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    return body["error"]


# --- the report -----------------------------------------------------------------


def test_lint_returns_the_report_format(client) -> None:
    response = client.post("/v1/lint", json={"text": BAD, "channel": "email"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["version"] == 1 and set(data["pipeline"]) == {"name", "version"}
    assert len(data["files"]) == 1
    file = data["files"][0]
    assert file["channel"] == "email" and file["bad_news"] is True
    assert {"path", "channel", "bad_news", "findings", "elements", "notes", "handles"} <= set(file)
    assert file["findings"], "the bad example must have findings"
    for finding in file["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["kind"] in ("pitfall", "missing") and finding["severity"] in ("info", "warning", "error")
        assert BAD[finding["start"] : finding["end"]] == finding["text"]
    assert "capitulation" in {f["rule"] for f in file["findings"]}
    for element in file["elements"]:
        assert set(element) == ELEMENT_KEYS
        assert BAD[element["start"] : element["end"]] == element["text"]
    assert [h["number"] for h in file["handles"]] == [1, 2, 3, 4]
    for handle in file["handles"]:
        assert set(handle) == HANDLE_KEYS
        assert isinstance(handle["present"], bool) and isinstance(handle["title"], str)


def test_good_draft_has_all_four_handles(client) -> None:
    file = client.post("/v1/lint", json={"text": GOOD}).json()["files"][0]
    assert file["findings"] == []
    assert [h["present"] for h in file["handles"]] == [True, True, True, True]
    assert all(set(h["element"]) == ELEMENT_KEYS for h in file["handles"])


def test_offsets_count_code_points(client) -> None:
    text = "😀👍 Ik geef u groot gelijk. Wij kunnen uw aanvraag helaas niet toekennen."
    file = client.post("/v1/lint", json={"text": text}).json()["files"][0]
    capitulation = [f for f in file["findings"] if f["rule"] == "capitulation"]
    assert capitulation
    for finding in file["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_chat_channel_is_reported(client) -> None:
    file = client.post("/v1/lint", json={"text": "Helaas kan dat niet.", "channel": "chat"}).json()["files"][0]
    assert file["channel"] == "chat"
    assert "missing-closing" not in {f["rule"] for f in file["findings"]}


# --- errors, always JSON ----------------------------------------------------------


def test_malformed_json_is_400(client) -> None:
    response = client.post("/v1/lint", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(response, 400)
    assert_error(client.post("/v1/lint", content=b"\xff\xfe{}", headers={"content-type": "application/json"}), 400)


@pytest.mark.parametrize(
    "body",
    [
        {},  # missing text
        {"channel": "email"},
        {"text": 42},
        {"text": "Hallo", "extra": True},  # unknown field
        {"text": "Hallo", "channel": "fax"},  # wrong channel
        {"text": "Hallo", "channel": None},
    ],
)
def test_missing_unknown_or_invalid_field_is_422(client, body) -> None:
    assert_error(client.post("/v1/lint", json=body), 422)


def test_body_that_is_no_object_is_422(client) -> None:
    assert_error(client.post("/v1/lint", json=["text"]), 422)


def test_messages_name_the_problem(client) -> None:
    assert "extra" in assert_error(client.post("/v1/lint", json={"text": "x", "extra": 1}), 422)
    assert "channel" in assert_error(client.post("/v1/lint", json={"text": "x", "channel": "fax"}), 422)
    assert "text" in assert_error(client.post("/v1/lint", json={}), 422)


def test_body_over_the_limit_is_413(shared_linter) -> None:
    with TestClient(create_app(shared_linter, max_body=1000), base_url="http://localhost") as small:
        assert_error(small.post("/v1/lint", json={"text": "a" * 2000}), 413)
        # without a content-length (chunked), the limit holds while reading
        chunks = iter([b'{"text": "', b"a" * 600, b"a" * 600, b'"}'])
        assert_error(small.post("/v1/lint", content=chunks, headers={"content-type": "application/json"}), 413)
        # just under the limit still works
        assert small.post("/v1/lint", json={"text": "Helaas kan dat niet."}).status_code == 200


@pytest.mark.parametrize("method, path", [("GET", "/v1/lint"), ("PUT", "/v1/lint"), ("DELETE", "/v1/lint-message"), ("POST", "/healthz"), ("POST", "/v1/rules")])
def test_wrong_method_is_405_with_json_error(client, method, path) -> None:
    assert_error(client.request(method, path), 405)


def test_unknown_path_is_404_json(client) -> None:
    assert_error(client.get("/v2/nothing"), 404)


# --- the other endpoints ----------------------------------------------------------

MESSAGE = """\
From: Sandra de Wit <sandra@woonstichting.example>
To: mevrouw Jansen <jansen@example.org>
Subject: Re: huurverhoging
Date: Mon, 3 Jun 2024 10:00:00 +0200
Message-ID: <test-1@woonstichting.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Beste mevrouw Jansen,

Eerlijk gezegd geef ik u groot gelijk. Wij kunnen de huurverhoging niet intrekken.

Met vriendelijke groet,

Sandra de Wit

Op 1 juni 2024 schreef mevrouw Jansen:
> Ik ben woedend over deze huurverhoging!
"""


def test_lint_message_checks_the_new_text_of_an_email(client) -> None:
    response = client.post("/v1/lint-message", json={"message": MESSAGE})
    assert response.status_code == 200, response.text
    file = response.json()["files"][0]
    rules = {f["rule"] for f in file["findings"]}
    assert "capitulation" in rules
    for finding in file["findings"]:
        assert MESSAGE[finding["start"] : finding["end"]] == finding["text"]
        assert finding["line"] > 9  # in the body, not the headers
    assert not any("woedend" in f["text"] for f in file["findings"])  # the quoted customer is not linted
    assert len(file["handles"]) == 4


def test_lint_message_validates_its_fields(client) -> None:
    assert_error(client.post("/v1/lint-message", json={"text": "Hallo"}), 422)
    assert_error(client.post("/v1/lint-message", json={"message": MESSAGE, "channel": "fax"}), 422)


def test_rules_lists_every_rule(client) -> None:
    response = client.get("/v1/rules")
    assert response.status_code == 200
    rules = {r["id"]: r for r in response.json()["rules"]}
    for rule_id in ("capitulation", "distancing", "defensive-justification", "abrupt-closing",
                    "missing-emotion-acknowledgement", "missing-alternative", "missing-closing"):  # fmt: skip
        assert rule_id in rules
    assert {"id", "kind", "severity", "title", "why", "handle", "suggestions"} <= set(rules["capitulation"])


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["pipeline"]["name"] and body["version"]


def test_openapi_lists_the_paths(client) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.text)
    assert spec["openapi"].startswith("3.")
    assert {"/v1/lint", "/v1/lint-message", "/v1/rules", "/healthz"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/v1/lint"] and "get" in spec["paths"]["/healthz"]
    assert {"200", "400", "413", "422", "500"} <= set(spec["paths"]["/v1/lint"]["post"]["responses"])


def test_page_is_served(client) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'id="draft"' in response.text and "Content-Security-Policy" in response.headers


# --- CORS -------------------------------------------------------------------------


def test_cors_is_closed_by_default(client) -> None:
    response = client.post("/v1/lint", json={"text": "Helaas kan dat niet."}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/v1/lint", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_is_open_for_a_configured_origin(shared_linter) -> None:
    with TestClient(create_app(shared_linter, cors_origins=(ORIGIN,)), base_url="http://localhost") as open_client:
        response = open_client.post("/v1/lint", json={"text": "Helaas kan dat niet."}, headers={"Origin": ORIGIN})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        preflight = open_client.options(
            "/v1/lint",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        # another origin stays closed
        other = open_client.post("/v1/lint", json={"text": "Helaas."}, headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# --- robustness and privacy ------------------------------------------------------


def test_a_failure_in_the_linter_is_500_and_the_service_goes_on(client, shared_linter, monkeypatch) -> None:
    original = shared_linter.lint
    calls = {"n": 0}

    def fails_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("geheime klanttekst in een foutmelding")
        return original(*args, **kwargs)

    monkeypatch.setattr(shared_linter, "lint", fails_once)
    message = assert_error(client.post("/v1/lint", json={"text": BAD}), 500)
    assert "geheime" not in message
    again = client.post("/v1/lint", json={"text": BAD})
    assert again.status_code == 200 and again.json()["files"][0]["findings"]
    assert calls["n"] == 2


def test_request_text_never_reaches_the_log(client, shared_linter, monkeypatch, caplog) -> None:
    secret = "Mevrouw Zeldzaamnaam-Xq7 aan de Geheimstraat 12"
    caplog.set_level(logging.DEBUG)
    assert client.post("/v1/lint", json={"text": f"Beste {secret}, helaas kan dat niet."}).status_code == 200
    assert client.post("/v1/lint-message", json={"message": MESSAGE.replace("mevrouw Jansen,", secret)}).status_code == 200
    client.post("/v1/lint", json={"text": secret, "channel": "fax"})  # 422
    client.post("/v1/lint", content=f'{{"text": "{secret}'.encode(), headers={"content-type": "application/json"})  # 400

    def boom(*args, **kwargs):
        raise ValueError(secret)

    monkeypatch.setattr(shared_linter, "lint", boom)
    assert client.post("/v1/lint", json={"text": secret}).status_code == 500

    records = [r for r in caplog.records if r.name.startswith("lint-reply")]
    assert any("/v1/lint" in r.getMessage() for r in records), "the access log has the path"
    for record in caplog.records:
        text = record.getMessage() + " " + str(record.args) + " " + (record.exc_text or "")
        assert "Zeldzaamnaam" not in text and "Geheimstraat" not in text


def test_cli_json_and_service_json_are_one_schema(client, tmp_path, capsys) -> None:
    """The command line and the service give the same report, handles checklist included."""
    from linter.frontends.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_text(BAD, encoding="utf-8")
    assert main(["--model", "embedded", "--format", "json", str(draft)]) == 1
    from_cli = json.loads(capsys.readouterr().out)["files"][0]
    from_service = client.post("/v1/lint", json={"text": BAD, "channel": "email"}).json()["files"][0]
    assert set(from_cli) == set(from_service)
    for key in ("findings", "elements", "handles", "bad_news"):
        assert from_cli[key] == from_service[key], key


def test_only_json_from_the_own_host_reaches_the_linter(client, shared_linter) -> None:
    """DNS rebinding and cross-origin simple requests (text/plain, forms) are refused."""
    assert_error(client.post("/v1/lint", content=b'{"text": "x"}', headers={"content-type": "text/plain"}), 415)
    assert_error(client.post("/v1/lint", data={"text": "x"}), 415)
    assert_error(client.post("/v1/lint", json={"text": "x"}, headers={"host": "evil.example"}), 421)
    assert_error(client.get("/healthz", headers={"host": "127.0.0.1.evil.example:8765"}), 421)
    for host in ("localhost:8765", "127.0.0.1", "[::1]:8765"):
        assert client.post("/v1/lint", json={"text": "Helaas kan dat niet."}, headers={"host": host}).status_code == 200


def test_deep_json_is_400_and_a_lone_surrogate_is_200(client) -> None:
    deep = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert_error(client.post("/v1/lint", content=deep, headers={"content-type": "application/json"}), 400)
    body = '{"text": "Hier valt niet over te discussi\\ud800ren. Einde discussie."}'.encode()
    response = client.post("/v1/lint", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert any(f["rule"] == "abrupt-closing" for f in response.json()["files"][0]["findings"])


def test_the_configuration_holds_in_the_service(shared_linter) -> None:
    """A rule switched off in lint-reply.toml is off in the page and the add-ins too."""
    from linter.config import Config

    config = Config(ignore=["missing-closing", "abrupt-closing"], channel="email")
    with TestClient(create_app(shared_linter, config=config), base_url="http://localhost") as configured:
        rules = {f["rule"] for f in configured.post("/v1/lint", json={"text": BAD}).json()["files"][0]["findings"]}
    assert rules and not rules & {"missing-closing", "abrupt-closing"}


def test_a_token_guards_the_api(shared_linter) -> None:
    with TestClient(create_app(shared_linter, token="s3cret"), base_url="http://localhost") as guarded:
        assert_error(guarded.post("/v1/lint", json={"text": BAD}), 401)
        assert_error(guarded.post("/v1/lint", json={"text": BAD}, headers={"authorization": "Bearer wrong"}), 401)
        assert guarded.post("/v1/lint", json={"text": BAD}, headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert guarded.get("/healthz").status_code == 200


def test_listening_beyond_loopback_needs_a_token(capsys) -> None:
    from linter.frontends.service import main

    assert main(["--host", "0.0.0.0", "--port", "1"]) == 2
    assert "--token" in capsys.readouterr().err


def test_a_request_over_the_time_limit_is_503(shared_linter) -> None:
    with TestClient(create_app(shared_linter, time_limit=0.1), base_url="http://localhost") as limited:
        response = limited.post("/v1/lint", json={"text": "Helaas kan dat niet. " * 20_000})
    assert response.status_code == 503 and "seconden" in response.json()["error"]


def test_a_full_queue_is_503_at_once(shared_linter) -> None:
    """With no room to wait, a request is refused at once instead of piling up behind the others."""
    with TestClient(create_app(shared_linter, max_queue=0), base_url="http://localhost") as full:
        response = full.post("/v1/lint", json={"text": "Helaas kan dat niet."})
    assert response.status_code == 503 and "bezet" in response.json()["error"]


def _json_schema(node):
    """OpenAPI 3.0's `nullable` as plain JSON Schema (for jsonschema)."""
    if isinstance(node, dict):
        node = {key: _json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    return node


def test_cli_and_service_json_validate_against_the_derived_schema(client, tmp_path, capsys) -> None:
    """/openapi.json's report schema is derived from the report dataclasses and both outputs follow it."""
    jsonschema = require("jsonschema")
    from linter.frontends.cli import main
    from linter.report import report_schema

    schema = _json_schema(report_schema())
    assert client.get("/openapi.json").json()["paths"]["/v1/lint"]["post"]["responses"]["200"]["content"][
        "application/json"]["schema"] == report_schema()
    draft = tmp_path / "draft.txt"
    draft.write_text(BAD, encoding="utf-8")
    main(["--model", "embedded", "--format", "json", str(draft)])
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)
    jsonschema.validate(client.post("/v1/lint", json={"text": BAD}).json(), schema)
