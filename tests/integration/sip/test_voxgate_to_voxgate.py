#!/usr/bin/env python3
"""voxgate against voxgate: `voxgate call` (the UAC) against `voxgate serve`
(the UAS), the hold and session-timer matrix in both roles (issue 5):

- the UAC holds and resumes (re-INVITE with sendonly, then sendrecv; RFC
  3264 §8.4): both sides report the hold and the resume;
- RFC 4028 with the UAS as refresher, and with the UAC as refresher: the
  call outlives several intervals because the refresher refreshes at half
  the interval, and the other side never expires it;
- a UAS whose Min-SE is above the UAC's interval answers 422, and the UAC
  retries with the larger interval (RFC 4028 §7.4) and gets through.

The UAS holding the UAC is proven with both sides' full stacks in
src/session/session_manager_test.cpp (the serve command has no hold
trigger until the control plane's API).
"""
import os
import re
import subprocess
import time
import unittest

import harness
from harness import ServeOptions, VoxgateServer, remove_work_dir, toml_value, voxgate_bin, work_dir

# Short intervals keep the test quick: the RFC's 90-s minimum is lifted for
# tests only (allow_min_se_below_rfc_minimum).
SHORT = {"min_se": 2, "allow_min_se_below_rfc_minimum": True}


def call_uri(server: VoxgateServer) -> str:
    host, port = server.address
    return f"sip:service@{host}:{port}"


class VoxgateToVoxgate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_voxgate("call", ("--config", "--hold-after-ms", "--resume-after-ms"))

    def setUp(self):
        self.workdir = work_dir("v2v")

    def tearDown(self):
        remove_work_dir(self.workdir)

    def call(self, server: VoxgateServer, *, session_timer: dict, duration_ms: int,
             extra: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, float]:
        config = self.workdir / "call.toml"
        lines = ["[media]", 'app = "silence"', "", "[session_timer]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in session_timer.items()]
        config.write_text("\n".join(lines) + "\n")
        command = [str(voxgate_bin()), "call", call_uri(server), "--config", str(config),
                   "--duration-ms", str(duration_ms), "--timeout-ms", "5000", *extra]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        return done, time.monotonic() - started

    def serve(self, session_timer: dict) -> VoxgateServer:
        return VoxgateServer(ServeOptions(transports=("udp",), media={"app": "echo"}, session_timer=session_timer))

    @staticmethod
    def stop_and_read(server: VoxgateServer) -> str:
        assert server.stop() == 0, server.describe_exit()
        return server.log_path.read_text()

    @staticmethod
    def counter(text: str, pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, f"{pattern!r} not in:\n{text[-3000:]}"
        return int(found[1])

    def test_the_caller_holds_and_resumes_and_both_sides_follow(self):
        with self.serve({"interval": 0}) as server:
            done, _ = self.call(server, session_timer={"interval": 0}, duration_ms=2500,
                                extra=("--hold-after-ms", "500", "--resume-after-ms", "1500"))
            log = self.stop_and_read(server)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        out = done.stdout
        self.assertIn("held by us", out)
        self.assertIn("resumed by us", out)
        self.assertLess(out.index("held by us"), out.index("resumed by us"))
        self.assertIn("ended local hangup-local", out)
        self.assertRegex(log, r"held by the peer")
        self.assertRegex(log, r"resumed by the peer")
        self.assertLess(log.index("held by the peer"), log.index("resumed by the peer"))

    @unittest.skipIf(os.environ.get("VOXGATE_SKIP_SLOW_TESTS"), "waits 9 s on timers: make test runs it, make asan skips it")
    def test_the_callee_as_refresher_keeps_the_call_alive_past_several_intervals(self):
        with self.serve({"interval": 4, "refresher": "us", **SHORT}) as server:
            done, seconds = self.call(server, session_timer={"interval": 4, **SHORT}, duration_ms=9000)
            log = self.stop_and_read(server)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("ended local hangup-local", done.stdout, "the caller hung up; no expiry ended it")
        self.assertGreaterEqual(seconds, 9.0)
        # Refreshes at half of 4 s: about four in 9 s.
        self.assertGreaterEqual(self.counter(log, r"session timers: (\d+) refreshes sent"), 3, log[-2000:])
        self.assertEqual(self.counter(log, r"refreshes sent, (\d+) expired"), 0)
        self.assertEqual(self.counter(done.stdout, r"refreshes_sent=(\d+)"), 0)
        self.assertEqual(self.counter(done.stdout, r"expired=(\d+)"), 0)

    @unittest.skipIf(os.environ.get("VOXGATE_SKIP_SLOW_TESTS"), "waits 9 s on timers: make test runs it, make asan skips it")
    def test_the_caller_as_refresher_keeps_the_call_alive_past_several_intervals(self):
        with self.serve({"interval": 4, "refresher": "peer", **SHORT}) as server:
            done, seconds = self.call(server, session_timer={"interval": 4, **SHORT}, duration_ms=9000)
            log = self.stop_and_read(server)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("ended local hangup-local", done.stdout)
        self.assertGreaterEqual(self.counter(done.stdout, r"refreshes_sent=(\d+)"), 3, done.stdout)
        self.assertEqual(self.counter(done.stdout, r"expired=(\d+)"), 0)
        self.assertEqual(self.counter(log, r"session timers: (\d+) refreshes sent"), 0)
        self.assertEqual(self.counter(log, r"refreshes sent, (\d+) expired"), 0)

    def test_an_interval_below_the_callees_min_se_gets_422_and_the_retry_gets_through(self):
        with self.serve({"interval": 8, "min_se": 6, "allow_min_se_below_rfc_minimum": True}) as server:
            done, _ = self.call(server, session_timer={"interval": 3, **SHORT}, duration_ms=500)
            log = self.stop_and_read(server)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("answered", done.stdout)
        self.assertEqual(self.counter(log, r"(\d+) intervals too small \(422\)"), 1)


if __name__ == "__main__":
    harness.main()
