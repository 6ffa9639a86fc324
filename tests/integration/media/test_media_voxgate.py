#!/usr/bin/env python3
"""voxgate as UAC (`voxgate call`) against voxgate as UAS (`voxgate serve`),
media both ways over loopback (issue 4):

- the tone check with PCMA, G.722 and Opus: the callee plays a tone, the
  caller records what it receives (--record), the WAV carries the tone;
- RFC 4733 digits the caller sends are reported exactly once each by the
  callee;
- DTMF tones inside a played WAV (no telephone-event agreed) are detected
  in-band;
- `record` writes a WAV of what the caller sent.
"""
import math
import re
import unittest
from pathlib import Path

from media_common import read_wav, run_call, tone_dominance, write_wav

import harness
from harness import ServeOptions, VoxgateServer, work_dir, remove_work_dir

PROBES = (300, 440, 700, 1400, 2000, 3000)  # not 1000: the tone


def call_uri(server: VoxgateServer) -> str:
    host, port = server.address
    return f"sip:media@{host}:{port}"


def dtmf_wav(path: Path, digits: str, rate: int = 8000) -> None:
    """`digits` as ITU-T Q.23 tone pairs, 100 ms on and 100 ms off each."""
    low = {"1": 697, "2": 697, "3": 697, "A": 697, "4": 770, "5": 770, "6": 770, "B": 770,
           "7": 852, "8": 852, "9": 852, "C": 852, "*": 941, "0": 941, "#": 941, "D": 941}
    high = {"1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336, "0": 1336,
            "3": 1477, "6": 1477, "9": 1477, "#": 1477, "A": 1633, "B": 1633, "C": 1633, "D": 1633}
    samples = [0] * (rate // 5)
    for d in digits:
        samples += [int(6000 * (math.sin(2 * math.pi * low[d] * i / rate) + math.sin(2 * math.pi * high[d] * i / rate)))
                    for i in range(rate // 10)]
        samples += [0] * (rate // 10)
    samples += [0] * (rate // 5)
    write_wav(path, samples, rate)


def digits_logged(log: str, source: str) -> str:
    return "".join(re.findall(rf"DTMF (\S) via {source}", log))


class VoxgateToVoxgate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)
        harness.require_voxgate("call", ("--record", "--dtmf", "--config"))

    def setUp(self):
        self.workdir = work_dir("media")

    def tearDown(self):
        remove_work_dir(self.workdir)

    def test_tone_reaches_the_caller_with_pcma_g722_and_opus(self):
        for codec in ("PCMA", "G722", "opus"):
            with self.subTest(codec=codec):
                media = {"app": "tone", "tone_hz": 1000, "codecs": [codec, "telephone-event"]}
                with VoxgateServer(ServeOptions(transports=("udp",), media=media)) as server:
                    wav = self.workdir / f"{codec}.wav"
                    done = run_call(call_uri(server), self.workdir, {"app": "silence", "codecs": [codec]},
                                    duration_ms=1500, extra=("--record", str(wav)))
                self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
                self.assertRegex(done.stdout, r"media sent=\d+ received=(7[0-9]|[89]\d)\b")
                rate, channels, samples = read_wav(wav)
                self.assertEqual((rate, channels), (8000, 1))
                self.assertGreaterEqual(len(samples), 8000)
                middle = samples[len(samples) // 4: len(samples) * 3 // 4]
                self.assertGreaterEqual(tone_dominance(middle, 1000, PROBES, rate), 5.0, codec)

    def test_rfc4733_digits_are_reported_once_each_by_the_callee(self):
        digits = "0123456789*#ABCD"
        media = {"app": "echo", "codecs": ["PCMU", "telephone-event"]}
        with VoxgateServer(ServeOptions(transports=("udp",), media=media)) as server:
            done = run_call(call_uri(server), self.workdir, {"app": "silence"}, duration_ms=4500,
                            extra=("--dtmf", digits))
            self.assertEqual(server.stop(), 0, server.describe_exit())  # the log is complete once it stopped
            log = server.log_path.read_text()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn(f"dtmf_sent={len(digits)}", done.stdout)
        self.assertEqual(digits_logged(log, "rfc4733"), digits, log)
        self.assertIn(f'DTMF "{digits}"', log)

    def test_dtmf_tones_in_a_played_file_are_detected_in_band(self):
        wav = self.workdir / "digits.wav"
        dtmf_wav(wav, "147#")
        # No telephone-event on either side: the digits exist only as audio.
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "silence", "codecs": ["PCMU"]})) as server:
            done = run_call(call_uri(server), self.workdir,
                            {"app": "play", "play_file": str(wav), "play_loop": False, "codecs": ["PCMU"]},
                            duration_ms=10000)
            self.assertEqual(server.stop(), 0, server.describe_exit())  # the log is complete once it stopped
            log = server.log_path.read_text()
        # The file played once ends the call from the caller's side.
        self.assertIn("media-ended media app finished", done.stdout)
        self.assertEqual(digits_logged(log, "inband"), "147#", log)

    def test_record_writes_a_wav_of_what_the_caller_sent(self):
        media = {"app": "record", "record_dir": str(self.workdir / "recordings"), "codecs": ["PCMU"]}
        (self.workdir / "recordings").mkdir()
        with VoxgateServer(ServeOptions(transports=("udp",), media=media)) as server:
            done = run_call(call_uri(server), self.workdir, {"app": "tone", "tone_hz": 700, "codecs": ["PCMU"]},
                            duration_ms=2000)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        files = list((self.workdir / "recordings").glob("*.wav"))
        self.assertEqual(len(files), 1, files)
        rate, channels, samples = read_wav(files[0])
        self.assertEqual((rate, channels), (8000, 1))
        self.assertAlmostEqual(len(samples) / rate, 2.0, delta=0.3)
        middle = samples[len(samples) // 4: len(samples) * 3 // 4]
        self.assertGreaterEqual(tone_dominance(middle, 700, (300, 440, 1000, 1400, 2000), rate), 5.0)


if __name__ == "__main__":
    harness.main()
