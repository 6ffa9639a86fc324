#!/usr/bin/env python3
"""The operator commands against a running `voxgate serve`, over real HTTP
and SIP on 127.0.0.1:

  * `voxgate sessions` lists a call originated through the API (to a SIPp
    UAS) as a table and, with --json, as the API's JSON array; --meta and
    --state filter; the API is found from --api/--token, from --config and
    from VOXGATE_API_URL/VOXGATE_API_TOKEN; a wrong token exits 1 with
    UNAUTHORIZED;
  * `voxgate hangup ID --reason ...` ends the call (exit 0, the reason
    reaches the session), `voxgate hangup 999999` exits 1 with
    SESSION_NOT_FOUND (as text, and as the API's JSON with --json);
  * `voxgate check-config` exits 0 with a summary for a good file and 2 with
    the offending key named for a bad one.

Standard library only; the harness comes from tests/integration/sip.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sip"))

import harness  # noqa: E402
from harness import ServeOptions, SippProcess, VoxgateServer  # noqa: E402

TOKEN = "cli-test-token-0123456789abcdef"
# Variables the commands read: the tests set them explicitly or not at all.
CLEARED = ("VOXGATE_API_URL", "VOXGATE_API_TOKEN", "VOXGATE_API_LISTEN", "VOXGATE_API_TOKENS", "VOXGATE_CDR_PATH",
           "VOXGATE_DRAIN_TIMEOUT_MS", "VOXGATE_WORKER_THREADS", "SESSION_TIMEOUT_SEC", "SESSION_MIN_SE")


def voxgate(*args: str, env: dict[str, str] | None = None, timeout: float = 15) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env or {})
    return subprocess.run([str(harness.voxgate_bin()), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment)


def describe(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"


def decode(payload: bytes, headers):
    if headers.get("Content-Type", "").startswith("application/json") and payload:
        return json.loads(payload)
    return payload.decode(errors="replace")


def api_request(url: str, method: str, body=None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, decode(response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return error.code, decode(error.read(), error.headers)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class CheckConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("check-config", ("--config", "--json"))
        cls.workdir = harness.work_dir("check-config")

    @classmethod
    def tearDownClass(cls):
        harness.remove_work_dir(cls.workdir)

    def write(self, name: str, text: str) -> Path:
        path = self.workdir / name
        path.write_text(text)
        return path

    def test_a_good_file_is_ok_with_a_summary(self):
        good = self.write("good.toml", harness.serve_config_toml(
            ServeOptions(port=5999, transports=("udp", "tcp"), api_port=8999, api_tokens=(TOKEN,))))
        done = voxgate("check-config", "--config", str(good))
        self.assertEqual(done.returncode, 0, describe(done))
        self.assertTrue(done.stdout.startswith(f"configuration OK: {good}\n"), describe(done))
        self.assertIn("udp:127.0.0.1:5999, tcp:127.0.0.1:5999", done.stdout)
        self.assertIn("127.0.0.1:8999 (1 token)", done.stdout)
        self.assertIn("voxgate-cdr.db", done.stdout)

        done = voxgate("check-config", "--config", str(good), "--json")
        self.assertEqual(done.returncode, 0, describe(done))
        summary = json.loads(done.stdout)
        self.assertEqual(summary["ok"], True)
        self.assertEqual(summary["sip_listen"], ["udp:127.0.0.1:5999", "tcp:127.0.0.1:5999"])
        self.assertEqual(summary["api_listen"], "127.0.0.1:8999")
        self.assertEqual(summary["api_tokens"], 1)
        self.assertEqual(summary["routes"], [])

    def test_the_embedded_defaults_are_ok(self):
        done = voxgate("check-config")
        self.assertEqual(done.returncode, 0, describe(done))
        self.assertIn("configuration OK: embedded defaults", done.stdout)

    def test_a_bad_file_exits_2_naming_the_key(self):
        bad = self.write("bad.toml", "[sip]\nt1ms = 5\n")
        done = voxgate("check-config", "--config", str(bad))
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertIn("sip.t1ms", done.stderr)
        self.assertNotIn("configuration OK", done.stdout)

        done = voxgate("check-config", "--config", str(bad), "--json")
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertEqual(json.loads(done.stdout)["ok"], False)
        self.assertIn("sip.t1ms", json.loads(done.stdout)["error"])

    def test_the_environment_is_checked_as_serve_checks_it(self):
        done = voxgate("check-config", env={"SESSION_TIMEOUT_SEC": "soon"})
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertIn("SESSION_TIMEOUT_SEC", done.stderr)

    def test_a_missing_file_exits_2(self):
        done = voxgate("check-config", "--config", str(self.workdir / "nope.toml"))
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertIn("nope.toml", done.stderr)


class SessionsAndHangupTest(unittest.TestCase):
    server: VoxgateServer

    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_voxgate("sessions", ("--api", "--token", "--meta", "--state", "--json", "--all"))
        harness.require_voxgate("hangup", ("--api", "--token", "--reason", "--json"))
        harness.require_tool("sipp")
        cls.server = VoxgateServer(ServeOptions(transports=("udp",), api_tokens=(TOKEN,)))
        cls.server.start()
        cls.api = ("--api", cls.server.api_url, "--token", TOKEN)
        try:
            wait_for(lambda: cls.get("/healthz")[0] == 200, 5, "the API")
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            print(cls.server.log(), file=sys.stderr)
        harness.remove_work_dir(cls.server.workdir)

    @classmethod
    def get(cls, path: str) -> tuple[int, Any]:
        try:
            return api_request(cls.server.api_url + path, "GET")
        except OSError:
            return 0, {}

    def session(self, session_id: str) -> dict:
        status, body = self.get(f"/v1/sessions/{session_id}")
        self.assertEqual(status, 200, body)
        return body

    def test_list_filter_and_hang_up_a_call(self):
        run = uuid.uuid4().hex
        with SippProcess("uas", calls=1, max_seconds=20) as uas:
            status, created = api_request(self.server.api_url + "/v1/sessions", "POST", {
                "target": f"sip:service@{harness.LOCALHOST}:{uas.port}", "metadata": {"run": run}})
            self.assertEqual(status, 201, created)
            session_id = created["id"]
            wait_for(lambda: self.session(session_id)["state"] == "connected", 10, "the call answered")

            # The table: headers, then our call's row.
            done = voxgate("sessions", *self.api)
            self.assertEqual(done.returncode, 0, describe(done))
            lines = done.stdout.splitlines()
            self.assertEqual(lines[0].split(), ["ID", "STATE", "DIRECTION", "FROM", "TO", "CREATED", "AGE/DURATION",
                                                "METADATA"], describe(done))
            row = next((line.split() for line in lines[1:] if line.split()[0] == session_id), None)
            self.assertIsNotNone(row, describe(done))
            self.assertEqual(row[1:3], ["connected", "outbound"], describe(done))
            self.assertIn(f"sip:service@{harness.LOCALHOST}:{uas.port}", row)
            self.assertEqual(row[-1], f"run={run}", describe(done))

            # --json: the API's sessions, as an array.
            done = voxgate("sessions", *self.api, "--json")
            self.assertEqual(done.returncode, 0, describe(done))
            listed = json.loads(done.stdout)
            self.assertIsInstance(listed, list)
            ours = [s for s in listed if s["id"] == session_id]
            self.assertEqual(len(ours), 1, done.stdout)
            self.assertEqual(ours[0]["metadata"], {"run": run})

            # Filters.
            done = voxgate("sessions", *self.api, "--meta", f"run={run}", "--json")
            self.assertEqual([s["id"] for s in json.loads(done.stdout)], [session_id], describe(done))
            done = voxgate("sessions", *self.api, "--meta", f"run={run}", "--state", "ringing,on_hold")
            self.assertEqual(done.returncode, 0, describe(done))
            self.assertEqual(done.stdout, "no sessions\n", describe(done))
            done = voxgate("sessions", *self.api, "--meta", f"run={run}", "--state", "connected", "--all",
                           "--limit", "1", "--json")
            self.assertEqual([s["id"] for s in json.loads(done.stdout)], [session_id], describe(done))

            # The API found from the server's configuration file, then from the environment.
            done = voxgate("sessions", "--config", str(self.server.config_path), "--meta", f"run={run}", "--json")
            self.assertEqual([s["id"] for s in json.loads(done.stdout)], [session_id], describe(done))
            done = voxgate("sessions", "--meta", f"run={run}", "--json",
                           env={"VOXGATE_API_URL": self.server.api_url, "VOXGATE_API_TOKEN": TOKEN})
            self.assertEqual([s["id"] for s in json.loads(done.stdout)], [session_id], describe(done))

            # Hang up, with a reason that needs escaping.
            done = voxgate("hangup", session_id, "--reason", "Q.850;cause=16", *self.api)
            self.assertEqual(done.returncode, 0, describe(done))
            self.assertEqual(done.stdout, f"hanging up session {session_id}\n")
            wait_for(lambda: self.session(session_id)["state"] == "terminated", 10, "the call ended")
            record = self.session(session_id)
            self.assertEqual(record["end"]["by"], "local")
            self.assertEqual(record["end"]["reason"], "Q.850;cause=16")
            uas.result(timeout=10).assert_all_succeeded(self)

        # Ended: listed with its talk time; hanging it up again is refused.
        done = voxgate("sessions", *self.api, "--meta", f"run={run}")
        self.assertEqual(done.returncode, 0, describe(done))
        self.assertIn("terminated", done.stdout.splitlines()[1], describe(done))
        done = voxgate("hangup", session_id, *self.api)
        self.assertEqual(done.returncode, 1, describe(done))

    def test_hanging_up_an_unknown_session_exits_1_with_session_not_found(self):
        done = voxgate("hangup", "999999", *self.api)
        self.assertEqual(done.returncode, 1, describe(done))
        self.assertIn("SESSION_NOT_FOUND", done.stderr)
        self.assertEqual(done.stdout, "")

        done = voxgate("hangup", "999999", *self.api, "--json")
        self.assertEqual(done.returncode, 1, describe(done))
        self.assertEqual(json.loads(done.stdout)["code"], "SESSION_NOT_FOUND", describe(done))

    def test_a_wrong_token_or_no_gateway_exits_1(self):
        done = voxgate("sessions", "--api", self.server.api_url, "--token", "wrong-token-0123456789")
        self.assertEqual(done.returncode, 1, describe(done))
        self.assertIn("UNAUTHORIZED", done.stderr)

        done = voxgate("sessions", "--api", f"http://{harness.LOCALHOST}:{harness.free_port(harness.LOCALHOST)}")
        self.assertEqual(done.returncode, 1, describe(done))
        self.assertTrue(done.stderr.strip(), describe(done))

    def test_usage_errors_exit_2(self):
        done = voxgate("sessions", *self.api, "--meta", "novalue")
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertIn("--meta", done.stderr)
        done = voxgate("hangup", "1", "--api", "ftp://example.com")
        self.assertEqual(done.returncode, 2, describe(done))
        self.assertIn("--api", done.stderr)


if __name__ == "__main__":
    harness.main()
