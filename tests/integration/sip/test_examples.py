#!/usr/bin/env python3
"""examples/parrot.cpp, the C++ API example, against `voxgate call`: the
caller plays a 1 kHz tone and records what comes back; the parrot greets
it, plays the caller's audio back half a second later, and lists the call
among the sessions whose metadata says example=parrot.
"""
import os
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "media"))
from media_common import media_toml, read_wav, tone_dominance  # noqa: E402

import harness  # noqa: E402
from harness import free_port, remove_work_dir, voxgate_bin, work_dir  # noqa: E402


def parrot_bin() -> Path:
    return Path(os.environ.get("VOXGATE_PARROT_BIN", voxgate_bin().parent / "examples" / "voxgate_example_parrot"))


class Parrot(unittest.TestCase):
    def setUp(self):
        if not parrot_bin().exists():
            self.skipTest(f"{parrot_bin()} not built")
        self.workdir = work_dir("parrot")

    def tearDown(self):
        remove_work_dir(self.workdir)

    def test_the_parrot_plays_the_callers_tone_back_and_lists_the_call_by_metadata(self):
        port = free_port("127.0.0.1")
        parrot = subprocess.Popen([str(parrot_bin()), "--port", str(port), "--seconds", "8"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(0.5)
            config = self.workdir / "call.toml"
            config.write_text(media_toml({"app": "tone", "tone_hz": 1000, "codecs": ["PCMU", "telephone-event"]}))
            wav = self.workdir / "back.wav"
            call = subprocess.run([str(voxgate_bin()), "call", f"sip:parrot@127.0.0.1:{port}", "--config", str(config),
                                   "--duration-ms", "3000", "--timeout-ms", "3000", "--record", str(wav)],
                                  capture_output=True, text=True, timeout=30)
            out, err = parrot.communicate(timeout=20)
        finally:
            if parrot.poll() is None:
                parrot.kill()
        self.assertEqual(call.returncode, 0, call.stdout + call.stderr)
        self.assertEqual(parrot.returncode, 0, err[-3000:])
        # Listed while it ran, by the metadata filter, with the caller's URI.
        self.assertRegex(out, r"sessions example=parrot: 1 \[\d+ Connected sip:voxgate@127\.0\.0\.1\]")
        self.assertIn("done: 1 sessions created, 1 ended", out)
        rate, _, samples = read_wav(wav)
        # The first half second holds the beep and silence; the tone comes
        # back after the delay.
        echoed = samples[int(rate * 1.5): int(rate * 2.5)]
        self.assertGreaterEqual(tone_dominance(echoed, 1000, (440.0, 700.0, 1500.0, 2000.0), rate), 5.0)
        beep = samples[: int(rate * 0.25)]
        self.assertGreaterEqual(tone_dominance(beep, 880, (440.0, 1000.0, 1500.0), rate), 3.0)


if __name__ == "__main__":
    harness.main()
