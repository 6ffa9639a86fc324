#!/usr/bin/env python3
"""The voxgate binary as users run it: `serve` starts and stops cleanly on
SIGTERM/SIGINT, `parse` classifies messages as a UAS would, `version` answers.

Usage: cli_test.py /path/to/voxgate
"""
import os
import shutil
import tempfile
import signal
import subprocess
import sys
import time
import unittest

VOXGATE = None

INVITE = (
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n\r\n"
)


def read_until(stream, needle, deadline):
    seen = b""
    os.set_blocking(stream.fileno(), False)
    while time.monotonic() < deadline:
        chunk = stream.read()
        if chunk:
            seen += chunk
            if needle in seen:
                return seen
        else:
            time.sleep(0.02)
    raise AssertionError(f"did not see {needle!r} in time; got {seen!r}")


class Serve(unittest.TestCase):
    def run_and_stop(self, sig, name):
        # Free ports only (kernel-chosen), the CDR file in a temporary directory.
        workdir = tempfile.mkdtemp(prefix="voxgate-cli-")
        self.addCleanup(shutil.rmtree, workdir, True)
        env = dict(os.environ, VOXGATE_API_LISTEN="127.0.0.1:0", VOXGATE_CDR_PATH=os.path.join(workdir, "cdr.db"))
        proc = subprocess.Popen([VOXGATE, "serve", "--threads", "2", "--listen", "udp:127.0.0.1:0"],
                                stderr=subprocess.PIPE, env=env, cwd=workdir)
        try:
            read_until(proc.stderr, b"serving with 2 worker loop(s)", time.monotonic() + 10)
            proc.send_signal(sig)
            self.assertEqual(proc.wait(timeout=10), 0)
            rest = proc.stderr.read() or b""
            self.assertIn(f"received {name}".encode(), rest)
            self.assertIn(b"voxgate stopped", rest)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def test_serve_stops_cleanly_on_sigterm(self):
        self.run_and_stop(signal.SIGTERM, "SIGTERM")

    def test_serve_stops_cleanly_on_sigint(self):
        self.run_and_stop(signal.SIGINT, "SIGINT")


class Parse(unittest.TestCase):
    def parse(self, message, *args):
        return subprocess.run([VOXGATE, "parse", *args], input=message.encode(), capture_output=True, timeout=10)

    def test_accepts_a_valid_invite_and_prints_its_fields(self):
        result = self.parse(INVITE)
        self.assertEqual(result.returncode, 0, result.stdout)
        out = result.stdout.decode()
        self.assertTrue(out.startswith("accept\n"))
        self.assertIn("call-id a84b4c76e66710@pc33.atlanta.example.com", out)
        self.assertIn("cseq 314159 INVITE", out)

    def test_answers_an_unknown_version_with_505_and_a_valid_response(self):
        result = self.parse(INVITE.replace("SIP/2.0\r\nVia", "SIP/3.0\r\nVia", 1))
        self.assertEqual(result.returncode, 1)
        out = result.stdout.decode()
        self.assertIn("respond 505 Version Not Supported", out)
        self.assertIn("SIP/2.0 505 Version Not Supported\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com", out)

    def test_drops_a_broken_response(self):
        result = self.parse("SIP/2.0 99999 Nope\r\n\r\n")
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stdout.decode().startswith("drop: "))

    def test_stream_framing_requires_content_length(self):
        result = self.parse(INVITE.replace("Content-Length: 0\r\n", ""), "--stream")
        self.assertEqual(result.returncode, 1)
        self.assertIn("respond 400 Missing Content-Length header", result.stdout.decode())


class Version(unittest.TestCase):
    def test_prints_the_version(self):
        result = subprocess.run([VOXGATE, "version"], capture_output=True, timeout=10)
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.decode(), r"^voxgate \d+\.\d+\.\d+\n$")


if __name__ == "__main__":
    VOXGATE = sys.argv.pop(1)
    unittest.main()
