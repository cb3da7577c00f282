"""Secrets (the access key, credentials in the URL) never reach output, reports or curls,
even when the target echoes them back; the ways a key gets in, and the ways it cannot."""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest

import hostile
from console import ordercheck
from hostile import Connection, serving
from ordercheck.redaction import MIN_SCRUBBED_LENGTH, Scrubber, redact_url

# Printable ASCII with the characters that JSON, HTML and URLs each escape their own way.
SECRET = 'Echo"Me/Key+4711'
USER, PASSWORD = "ordercheck-user", "pa55-w0rd-secret"
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def forms(secret: str) -> set[str]:
    """Every way `secret` could be written into a file: as is, JSON-, HTML-, URL-escaped."""
    return {secret, json.dumps(secret)[1:-1], html.escape(secret), quote(secret, safe="")}


def leaks(text: str, *secrets: str) -> list[str]:
    """The forms of `secrets` found in `text`, in any letter case."""
    lowered = text.lower()
    return sorted(form for s in secrets for form in forms(s) if form.lower() in lowered)


def all_text(directory: Path) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in directory.rglob("*") if p.is_file())


# -- the scrubber ----------------------------------------------------------------------------


def test_scrubber_replaces_every_form_in_any_case() -> None:
    """As is, in another case, percent-encoded and JSON-escaped: all become [REDACTED]."""
    scrub = Scrubber([SECRET])
    text = f"a {SECRET} b {SECRET.upper()} c {quote(SECRET, safe='')} d {json.dumps(SECRET)}"
    assert leaks(scrub.text(text), SECRET) == []
    assert scrub.text(text).count("[REDACTED]") == 4


def test_scrubber_cleans_json_however_it_was_escaped() -> None:
    """A key spelt with \\u escapes in the response is found once parsed, in keys too."""
    escaped = "".join(f"\\u{ord(c):04x}" for c in SECRET.replace('"', ""))
    body = json.loads(f'{{"error": {{"message": "bad key {escaped}"}}, "{escaped}": 1}}')
    scrubbed = Scrubber([SECRET.replace('"', "")]).json(body)
    assert scrubbed == {"error": {"message": "bad key [REDACTED]"}, "[REDACTED]": 1}


def test_scrubber_handles_json_nested_as_deep_as_a_parser_allows() -> None:
    """An answer nested 900 deep (json.loads stops near 1000) is scrubbed without recursion."""
    deep = json.loads("[" * 900 + json.dumps(f"key {SECRET}") + "]" * 900)
    scrubbed = Scrubber([SECRET]).json(deep)
    assert leaks(json.dumps(scrubbed), SECRET) == []


def test_a_key_too_short_to_scrub_is_left_in_text() -> None:
    """A key shorter than MIN_SCRUBBED_LENGTH would mangle ordinary words: not scrubbed."""
    short = "k" * (MIN_SCRUBBED_LENGTH - 1)
    assert Scrubber([short]).text(f"kkkkkkkkkk {short}") == f"kkkkkkkkkk {short}"


def test_redact_url_hides_userinfo_only() -> None:
    """Credentials in a URL are replaced; host, port and path stay."""
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:8123/api"
    assert redact_url(url) == "http://[REDACTED]@127.0.0.1:8123/api"
    assert redact_url("https://staging.example.com") == "https://staging.example.com"


# -- a target that echoes the secrets --------------------------------------------------------


def echo(connection: Connection, number: int) -> None:
    """Answer with the key and the Authorization header every way a careless server might:
    in the error message, in headers, JSON-escaped, and in a 500 traceback as text."""
    connection.read_request()
    key = connection.header("X-Access-Key") or ""
    auth = connection.header("Authorization") or ""
    headers = {
        "Content-Type": "application/json",
        "X-Request-ID": f"r{number}",
        "X-Echo-Key": key,
        "X-Echo-Auth": auth,
        "X-Echo-Url": f"/orders?key={quote(key, safe='')}",
    }
    if number % 3 == 2:
        trace = f"Traceback: KeyError: unknown key {key} ({auth})".encode()
        connection.respond(500, trace, {**headers, "Content-Type": "text/plain"})
        return
    message = f"invalid access key {key}; got {auth}"
    body = json.dumps(
        {
            "is_success": False,
            "status_code": 400,
            "error": {"errors": [{"message": message}], "message": message},
            "debug": {"key": key, "escaped": json.dumps(key, ensure_ascii=True)},
        },
        ensure_ascii=True,
    )
    connection.respond(400, body.encode(), headers)


@pytest.mark.slow
def test_an_echoing_target_leaks_nothing(tmp_path: Path) -> None:
    """The key and the URL's credentials, echoed by the target, reach no output, no report
    (json, junit, html) and no curl; replaying that report asks for the real URL."""
    with serving(echo) as server:
        url = server.url.replace("://", f"://{USER}:{PASSWORD}@")
        run = ordercheck(
            "fuzz",
            "--base-url",
            url,
            "--max-examples",
            "1",
            "--report-dir",
            str(tmp_path),
            env={"ORDERCHECK_ACCESS_KEY": SECRET},
        )
        echoed = "\n".join(r.decode("latin-1") for r in server.requests)
    assert run.returncode == 1, run.stderr
    assert SECRET in echoed or quote(SECRET) in echoed  # the target did get the key
    assert "C5" in run.stdout  # its answers were judged: each echo ended up in a finding
    reports = all_text(tmp_path)
    assert {"report.json", "junit.xml", "report.html"} <= {p.name for p in tmp_path.rglob("*")}
    assert leaks(run.stdout + run.stderr, SECRET, USER, PASSWORD, BASIC) == []
    assert leaks(reports, SECRET, USER, PASSWORD, BASIC) == []
    assert "[REDACTED]" in reports
    report = json.loads((tmp_path / "latest" / "report.json").read_text())
    assert report["target"]["base_url"] == redact_url(url)
    again = ordercheck("replay", str(tmp_path / "latest" / "report.json"))
    assert again.returncode == 2
    assert "credentials were redacted" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_dry_run_curls_carry_no_credentials() -> None:
    """--dry-run with credentials in --base-url: curls and the header line redact them."""
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:9"
    run = ordercheck("fuzz", "--base-url", url, "--dry-run", "--max-examples", "1")
    assert run.returncode == 0, run.stderr
    curls = [line for line in run.stdout.splitlines() if line.startswith("curl ")]
    assert curls
    assert all("http://[REDACTED]@127.0.0.1:9/merchants/" in line for line in curls)
    assert leaks(run.stdout + run.stderr, USER, PASSWORD, BASIC) == []


def test_an_unreachable_url_with_credentials_is_named_without_them() -> None:
    """The "cannot reach" line names the target without its credentials."""
    run = ordercheck("fuzz", "--base-url", f"http://{USER}:{PASSWORD}@127.0.0.1:9")
    assert run.returncode == 2
    assert run.stderr.startswith("ordercheck: error: cannot reach http://[REDACTED]@127.0.0.1:9")
    assert leaks(run.stderr, USER, PASSWORD) == []


# -- how a key gets in -----------------------------------------------------------------------


def keys_sent(*args: str, env: dict[str, str] | None = None) -> tuple[list[str | None], str]:
    """The X-Access-Key headers a refusing server saw from `ordercheck fuzz ARGS`, and the
    command's standard error (it exits 2 at the preflight: the key is refused)."""
    seen: list[str | None] = []

    def refuse(connection: Connection, number: int) -> None:
        connection.read_request()
        seen.append(connection.header("X-Access-Key"))
        connection.respond(401, hostile.envelope_400("no"), hostile.JSON)

    with serving(refuse) as server:
        run = ordercheck("fuzz", "--base-url", server.url, *args, env=env)
    assert run.returncode == 2, run.stdout + run.stderr
    return seen, run.stderr


def test_access_key_file_is_read_and_beats_the_environment(tmp_path: Path) -> None:
    """--access-key-file sends the file's first line, over $ORDERCHECK_ACCESS_KEY, silently."""
    key_file = tmp_path / "key"
    key_file.write_text("from-the-file-4711\n# a comment line is ignored\n")
    seen, stderr = keys_sent(
        "--access-key-file", str(key_file), env={"ORDERCHECK_ACCESS_KEY": "from-the-env-4711"}
    )
    assert seen == ["from-the-file-4711"]
    assert "warning" not in stderr
    assert "from-the-file-4711" not in stderr


def test_a_key_on_the_command_line_draws_one_warning() -> None:
    """--access-key works, and says once that `ps` shows it; the environment says nothing."""
    seen, stderr = keys_sent("--access-key", "typed-on-the-command-line")
    assert seen == ["typed-on-the-command-line"]
    assert stderr.count("--access-key puts the key on the command line") == 1
    _, quiet = keys_sent(env={"ORDERCHECK_ACCESS_KEY": "from-the-env-4711"})
    assert "warning" not in quiet


def test_replay_warns_about_a_typed_key_too(tmp_path: Path) -> None:
    """`replay --access-key` draws the same one warning as `fuzz`."""
    report = tmp_path / "report.json"
    report.write_text("{}", "utf-8")
    run = ordercheck("replay", str(report), "--access-key", "typed-on-the-command-line")
    assert run.returncode == 2
    assert run.stderr.count("--access-key puts the key on the command line") == 1
    assert "typed-on-the-command-line" not in run.stderr


def test_a_short_key_is_used_with_a_warning() -> None:
    """A key too short to scrub is sent, with a warning that responses may still echo it."""
    seen, stderr = keys_sent(env={"ORDERCHECK_ACCESS_KEY": "abc"})
    assert seen == ["abc"]
    assert "cannot be scrubbed from the target's own responses" in stderr


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read the access key file"),
        ("", "the access key file is empty"),
        ("\n\n", "the access key file is empty"),
        ("clé-non-ascii\n", "not printable ASCII at position 3"),
    ],
    ids=["missing", "empty", "blank", "non-ascii"],
)
def test_an_unusable_key_file_is_one_line_exit_2(
    tmp_path: Path, content: str | None, says: str
) -> None:
    """A key file that cannot give a key: exit 2, one line naming the file, no traceback."""
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_text(content, "utf-8")
    run = ordercheck("fuzz", "--access-key-file", str(key_file), "--dry-run")
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"ordercheck: error: {key_file}: ")
    assert says in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_key_file_that_is_a_fifo_without_writer_does_not_hang(tmp_path: Path) -> None:
    """--access-key-file naming a FIFO nobody writes to: exit 2 at once, one line."""
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    run = ordercheck("fuzz", "--dry-run", "--access-key-file", str(fifo), timeout=30)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"ordercheck: error: {fifo}: $: the access key file is empty; put the key on its first line"
    ]


def test_a_key_file_and_a_typed_key_together_are_refused(tmp_path: Path) -> None:
    """Two explicit keys: exit 2, one line saying to give only one."""
    key_file = tmp_path / "key"
    key_file.write_text("from-the-file-4711\n")
    run = ordercheck(
        "fuzz", "--dry-run", "--access-key-file", str(key_file), "--access-key", "typed-key-4711"
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "ordercheck: error: --access-key-file and --access-key both give a key; give only one"
    ]


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("clé-secrète-4711", "not printable ASCII at position 3"),
        ("", "the access key is empty"),
        ("line\nbreak-4711", "not printable ASCII at position 5"),
        (" padded-key-4711", "starts or ends with a space"),
    ],
    ids=["non-ascii", "empty", "newline", "padded"],
)
def test_a_key_that_cannot_be_a_header_is_one_line_exit_2(key: str, says: str) -> None:
    """A key no HTTP header can carry: exit 2, one line that does not repeat the key."""
    run = ordercheck("fuzz", "--dry-run", "--access-key", key)
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("ordercheck: error: --access-key: ")
    assert says in line
    assert not key or key not in line


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "Port out of range"),
        ("http://127.0.0.1:port", "Port could not be cast"),
        ("http://", "expected http(s)://host"),
        ("ftp://127.0.0.1", "expected http(s)://host"),
        ("http://exa mple.com", "contains spaces or control characters"),
        ("http://127.0.0.1/?q=1", "has a query or fragment"),
        (f"http://{USER}:{PASSWORD}@[::1", "Invalid IPv6 URL"),
    ],
)
def test_a_malformed_url_is_one_line_exit_2(url: str, says: str) -> None:
    """A --base-url no request can go to: exit 2, one line, credentials not repeated."""
    run = ordercheck("fuzz", "--dry-run", "--base-url", url)
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("ordercheck: error: --base-url=")
    assert says in line
    assert leaks(line, PASSWORD) == []
