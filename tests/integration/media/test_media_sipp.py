#!/usr/bin/env python3
"""voxgate's media against SIPp, over real sockets on loopback (issue 4):

- SIPp plays a PCMU stream (play_pcap_audio) into voxgate's `echo` app:
  voxgate's stats count every packet received and echoed, and a loopback
  capture shows the same audio coming back to SIPp's media port;
- a call to `tone` carries the tone: the captured RTP, decoded, has the
  frequency at >= 5x any other probe, and its timestamps advance 160 per
  20 ms;
- SIP INFO digits (application/dtmf-relay) are reported;
- a call whose RTP never comes is ended after the media timeout, with the
  reason in the log;
- voxgate as caller to SIPp's uas with -rtp_echo: the tone voxgate sends
  comes back and is recorded.
"""
import statistics
import unittest
from pathlib import Path

from media_common import (SCENARIOS, capturing, linear_to_ulaw, read_wav, rtp_packet, run_call, serve_summaries,
                          sine, tone_dominance, ulaw_to_linear, write_rtp_pcap)

import harness
from harness import ServeOptions, SippProcess, VoxgateServer, remove_work_dir, work_dir

PACKETS = 100  # 2 s of 20-ms PCMU


def scenario_copy(name: str, workdir: Path, **values: str) -> str:
    """A copy of a scenario with [key]s replaced: SIPp reads exec
    attributes and pause lengths when it loads the file."""
    text = (SCENARIOS / name).read_text()
    for key, value in values.items():
        text = text.replace(f"[{key}]", value)
    path = workdir / name
    path.write_text(text)
    return str(path)


class MediaWithSipp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def test_echo_returns_every_pcmu_packet_sipp_plays(self):
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "echo"})) as server:
            # A 437 Hz tone rising in level: no two frames alike, so each
            # echoed payload names the one it echoes.
            frames = []
            for i in range(PACKETS):
                pcm = sine(437, 160, amplitude=2000 + 60 * i, phase=160 * i)
                # 0x7F is µ-law's "negative zero": it decodes to 0, which
                # encodes back as 0xFF, so the echo of a 0x7F is a 0xFF.
                frames.append(bytes(linear_to_ulaw(s) for s in pcm).replace(b"\x7f", b"\xff"))
            pcap = server.workdir / "tone.pcap"
            write_rtp_pcap(pcap, [rtp_packet(0, 1000 + i, 160 * i, 0x5151, f, marker=i == 0)
                                  for i, f in enumerate(frames)])
            path = scenario_copy("uac_pcmu.xml", server.workdir, pcap=str(pcap), hold_ms="3000")
            sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=30, extra=("-mi", "127.0.0.1"))
            with capturing(sipp) as capture:
                result = sipp.result(timeout=30)
            self.assertEqual(server.stop(), 0, server.describe_exit())  # the log is complete once it stopped
            log = server.log_path.read_text()
        result.assert_all_succeeded(self)
        summaries = serve_summaries(log)
        self.assertEqual(len(summaries), 1, log)
        self.assertEqual(summaries[0].received, PACKETS, summaries[0].line)
        self.assertEqual(summaries[0].lost, 0, summaries[0].line)
        # Every packet went to the app, but for one the jitter buffer judged
        # past its playout time: on a loaded 2-core CI box SIPp or voxgate's
        # loop can be scheduled late at the start, while the adaptive delay
        # is still one frame. Never more than two of them, and none skipped.
        summary = summaries[0]
        self.assertLessEqual(summary.late, 2, summary.line)
        self.assertEqual(summary.skipped, 0, summary.line)
        self.assertEqual(summary.played + summary.late, PACKETS, summary.line)
        self.assertGreaterEqual(summaries[0].sent, PACKETS, summaries[0].line)
        # Each frame comes back. Compared without its first 32 samples: a
        # frame that follows a concealed one (the jitter buffer growing its
        # delay) starts cross-faded out of the concealment over a quarter
        # pitch period, at most 30 samples (G.711 Appendix I, spandsp's PLC).
        echoed = {p.payload[32:] for _, p in capture.rtp(payload_type=0)}
        self.assertGreaterEqual(len(capture.rtp(payload_type=0)), PACKETS, "voxgate's RTP to SIPp's media port")
        missing = [i for i, f in enumerate(frames) if f[32:] not in echoed]
        self.assertLessEqual(len(missing), summary.late, f"frames SIPp played that never came back: {missing}")

    def test_tone_app_sends_the_tone_with_timestamps_160_per_20_ms(self):
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "tone", "tone_hz": 1000})) as server:
            pcap = server.workdir / "silence.pcap"
            write_rtp_pcap(pcap, [rtp_packet(0, i, 160 * i, 0x77, bytes([0xFF]) * 160) for i in range(PACKETS)])
            path = scenario_copy("uac_pcmu.xml", server.workdir, pcap=str(pcap), hold_ms="2000")
            sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=30, extra=("-mi", "127.0.0.1"))
            with capturing(sipp) as capture:
                result = sipp.result(timeout=30)
        result.assert_all_succeeded(self)
        packets = capture.rtp(payload_type=0)
        self.assertGreaterEqual(len(packets), 80)
        audio = [ulaw_to_linear(b) for _, p in packets[5:] for b in p.payload]
        self.assertGreaterEqual(tone_dominance(audio, 1000, (440, 700, 1400, 2000, 3000), 8000), 5.0)
        steps = {(b.timestamp - a.timestamp) & 0xFFFFFFFF for (_, a), (_, b) in zip(packets, packets[1:])}
        self.assertEqual(steps, {160})
        self.assertEqual(len({p.ssrc for _, p in packets}), 1)
        # Sent in real time: 20 ms apart on average (the send-interval p99
        # under load is the media benchmark's, BENCHMARKS.md).
        gaps_ms = [(tb - ta) * 1000 for (ta, _), (tb, _) in zip(packets, packets[1:])]
        self.assertAlmostEqual(statistics.mean(gaps_ms), 20.0, delta=1.0)
        self.assertAlmostEqual(statistics.median(gaps_ms), 20.0, delta=2.0)

    def test_sip_info_digits_are_reported(self):
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "silence"})) as server:
            with SippProcess(scenario_path("uac_info_dtmf.xml"), remote=server.address, calls=1, max_seconds=30,
                             extra=("-mi", "127.0.0.1")) as sipp:
                result = sipp.result(timeout=30)
            self.assertEqual(server.stop(), 0, server.describe_exit())  # the log is complete once it stopped
            log = server.log_path.read_text()
        result.assert_all_succeeded(self)
        self.assertEqual([line.split("DTMF ")[1] for line in log.splitlines() if "via sip-info" in line],
                         ["5 via sip-info", "# via sip-info"], log)

    def test_call_without_rtp_ends_after_the_media_timeout(self):
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "silence", "media_timeout_ms": 1000})) as server:
            with SippProcess(scenario_path("uac_silent_expects_bye.xml"), remote=server.address, calls=1,
                             max_seconds=30, extra=("-mi", "127.0.0.1")) as sipp:
                result = sipp.result(timeout=30)
            self.assertEqual(server.stop(), 0, server.describe_exit())  # the log is complete once it stopped
            log = server.log_path.read_text()
        result.assert_all_succeeded(self)  # SIPp got voxgate's BYE within its 5 s wait
        self.assertIn("media timeout; hanging up", log)
        self.assertRegex(log, r"ended \(local-bye\): media sent \d+ packets, received 0")


    def test_sipp_rtp_echo_returns_the_tone_voxgate_sends(self):
        workdir = work_dir("rtp-echo")
        self.addCleanup(remove_work_dir, workdir)
        wav = workdir / "echo.wav"
        with SippProcess("uas", calls=1, max_seconds=30, extra=("-rtp_echo", "-mi", "127.0.0.1")) as uas:
            done = run_call(f"sip:service@{uas.uri_host}", workdir, {"app": "tone", "tone_hz": 700, "codecs": ["PCMU"]},
                            duration_ms=2000, extra=("--record", str(wav)))
            uas.result(timeout=20).assert_all_succeeded(self)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        rate, _, samples = read_wav(wav)
        middle = samples[len(samples) // 4: len(samples) * 3 // 4]
        self.assertGreaterEqual(tone_dominance(middle, 700, (300, 440, 1000, 1400, 2000), rate), 5.0, done.stdout)


def scenario_path(name: str) -> str:
    return str(SCENARIOS / name)


if __name__ == "__main__":
    harness.main()
