#!/usr/bin/env python3
"""The embedded voice bot over real SIP and RTP on loopback (issue 7).

SIPp calls `voxgate serve` and plays scripted caller audio (flite's slt
voice, not the bot's, made 8 kHz by sox; RFC 4733 keys) from a pcap; a
loopback capture records both directions of the RTP with kernel
timestamps, and /v1/events gives the bot's events. Each test checks what
the caller hears on the wire, not only what the bot says it did:

- the demo menu on the default route (`make run`'s configuration): a spoken
  phrase gets its branch's prompt, a key another branch's;
- response latency, caller speech end to the bot's first audio, over 20
  turns (four calls at once): p50 <= 600 ms with the 500 ms endpoint, and
  the gateway's share (bot.turn gateway_ms) p95 <= 50 ms;
- barge-in: the bot's audio stops within 150 ms of the barge-in threshold,
  and the event says how much was heard, to within one 20 ms frame;
- inactivity: the reprompt and the hang-up come within 100 ms of the
  configured times, counted on the wire;
- [bot] tts = "espeak-ng": the greeting and the answer in espeak-ng's voice.
"""
import datetime
import threading
import unittest

from bot_common import (Dtmf, EventFeed, caller_audio, capturing, frames_to, median, percentile,
                        scenario_copy, sound_runs, speech, write_caller_pcap)

import harness
from api_client import Api
from harness import ServeOptions, SippProcess, VoxgateServer

SPEECH_LEVEL = 200  # a caller frame louder than this is speech
BOT_LEVEL = 10  # a bot frame louder than this is the bot's audio (its silence is exact zeros)

# A menu whose prompt is short, so turns come quickly.
QUICK_MENU = """
[bot.menu]
start = "ask"
[[bot.menu.states]]
name = "ask"
prompt = "Sales or support?"
reprompt = "Still there?"
[[bot.menu.states.choices]]
phrases = ["sales"]
digits = "1"
say = "Fine."
[[bot.menu.states.choices]]
phrases = ["support"]
digits = "2"
say = "Right."
"""


def call(server: VoxgateServer, steps: list, *, tag: str = "", scenario: str = "uac_pcmu.xml",
         tail_ms: int = 1000) -> tuple:
    """One SIPp call playing `steps`; returns (caller audio, capture, media
    port, SIPp result). Calls at once need distinct tags (their files)."""
    audio = caller_audio(steps)
    pcap = server.workdir / f"caller{tag}.pcap"
    write_caller_pcap(pcap, audio)
    path = scenario_copy(scenario, server.workdir, tag, pcap=str(pcap),
                         hold_ms=str(int(audio.duration_s * 1000) + tail_ms))
    sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=90, extra=("-mi", "127.0.0.1"))
    with capturing(sipp, either_direction=True) as capture:
        result = sipp.result(timeout=90)
    return audio, capture, sipp.media_port, result


def event_time(event: dict) -> float:
    """An event's "time" (voxgate's wall clock, as the capture's kernel
    timestamps are) in seconds since the epoch."""
    return datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()


def bot_audio_runs(capture, port: int, gap_s: float = 0.3) -> list[tuple[float, float]]:
    """(first, end) of each stretch of the bot's audio on the wire."""
    return sound_runs(frames_to(capture, port), BOT_LEVEL, gap_s)


def caller_speech_runs(capture, port: int, gap_s: float = 0.3) -> list[tuple[float, float]]:
    return sound_runs(frames_to(capture, port, source=True), SPEECH_LEVEL, gap_s)


class EmbeddedBot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_tool("flite")
        harness.require_tool("sox")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def setUp(self):
        self.workdir = harness.work_dir("bot-audio")

    def tearDown(self):
        harness.remove_work_dir(self.workdir)

    def test_the_demo_menu_on_the_default_route_answers_a_spoken_phrase_and_a_key(self):
        # No app named: voxgate's embedded default, the demo menu bot (`make run`).
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": None})) as server:
            feed = EventFeed(server)
            # The greeting takes about 7 s: "sales" after it; in sales, key 0
            # goes back to the main menu, whose greeting key 2 interrupts
            # for support.
            audio, capture, port, result = call(
                server, [9000, speech("sales", self.workdir), 3500, Dtmf("0"), 1500, Dtmf("2"), 3000])
            feed.close()
        result.assert_all_succeeded(self)
        said = [e["text"] for e in feed.of("bot.say")]
        self.assertEqual(said[0], "Welcome to voxgate.", said)
        finals = [e["text"] for e in feed.of("bot.transcript") if e["final"]]
        self.assertEqual(finals, ["sales"], feed.of("bot.transcript"))
        self.assertIn("This is sales.", said)
        self.assertEqual(said.count("Welcome to voxgate."), 2, said)
        self.assertEqual(said[-2], "This is support.", said)
        # On the wire: the greeting, then an answer after the caller's word.
        caller = caller_speech_runs(capture, port)
        self.assertEqual(len(caller), 1, caller)
        bot = bot_audio_runs(capture, port)
        after = [run for run in bot if run[0] > caller[0][1]]
        self.assertTrue(after, f"no bot audio after the caller spoke: {bot}")
        self.assertLess(after[0][0] - caller[0][1], 1.0, "the answer came promptly")
        self.assertGreater(after[0][1] - after[0][0], 0.5, "a prompt, not a click")

    def test_response_latency_over_twenty_turns_is_the_endpoint_plus_little(self):
        # Four calls at once, five turns each: "sales" or "support", then
        # quiet while the bot answers ("Fine. Sales or support?").
        opts = ServeOptions(transports=("udp",), media={"app": "bot"}, extra_toml=QUICK_MENU)
        with VoxgateServer(opts) as server:
            feed = EventFeed(server)
            words = [speech("sales", self.workdir), speech("support", self.workdir)]
            calls = {}

            def run(index: int) -> None:
                steps = [1800]
                for turn in range(5):
                    steps += [words[(index + turn) % 2], 2600]
                calls[index] = call(server, steps, tag=str(index))

            threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            feed.close()
            status, metrics, _ = Api(f"http://127.0.0.1:{server.opts.api_port}").get("/metrics")
        latencies = []
        for index, (audio, capture, port, result) in calls.items():
            result.assert_all_succeeded(self)
            bot = bot_audio_runs(capture, port)
            caller = caller_speech_runs(capture, port)
            self.assertEqual(len(caller), 5, f"call {index}: {caller}")
            for _, spoken_end in caller:
                answer = next((start for start, _ in bot if start > spoken_end), None)
                self.assertIsNotNone(answer, f"call {index}: no answer after {spoken_end}: {bot}")
                latencies.append(answer - spoken_end)
        finals = [e["text"] for e in feed.of("bot.transcript") if e["final"]]
        self.assertEqual(sorted(finals), ["sales"] * 10 + ["support"] * 10, finals)
        gateway = [e["gateway_ms"] for e in feed.of("bot.turn") if e["input"] == "speech"]
        self.assertEqual(len(gateway), 20)
        p50 = median(latencies)
        print(f"\nresponse latency over {len(latencies)} turns: p50 {p50 * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms; gateway share p50 {median(gateway):.1f} ms, "
              f"p95 {percentile(gateway, 95):.1f} ms")
        self.assertLessEqual(p50, 0.600, sorted(latencies))
        # The same breakdown on /metrics, one histogram per stage.
        self.assertEqual(status, 200)
        self.assertIn('voxgate_bot_turns_total{input="speech"} 20', metrics)
        self.assertIn('voxgate_bot_turn_seconds_count{stage="gateway"} 20', metrics)
        self.assertLessEqual(percentile(gateway, 95), 50.0, sorted(gateway))

    def test_barge_in_stops_the_bot_on_the_wire_and_reports_what_was_heard(self):
        with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "bot"})) as server:
            feed = EventFeed(server)
            # A second into the greeting, a sentence (a lone word may be too
            # short to interrupt: 200 ms of voiced speech are needed).
            audio, capture, port, result = call(server, [1000, speech("I want support please", self.workdir), 4500])
            feed.close()
        result.assert_all_succeeded(self)
        caller = caller_speech_runs(capture, port)
        self.assertEqual(len(caller), 1, caller)
        onset = caller[0][0]
        greeting = next(run for run in bot_audio_runs(capture, port, gap_s=0.15) if run[0] < onset)
        threshold = onset + 0.200  # [bot] barge_in_ms: 200 ms of speech
        stopped = greeting[1]
        print(f"\nbarge-in: bot audio stopped {(stopped - threshold) * 1000:.0f} ms after the threshold")
        self.assertGreater(stopped, threshold - 0.02, "the bot stopped before the caller had said enough")
        self.assertLessEqual(stopped - threshold, 0.150)
        barge = feed.of("bot.barge_in")
        self.assertEqual(len(barge), 1, feed.events)
        heard_on_wire = stopped - greeting[0]
        self.assertAlmostEqual(barge[0]["heard_ms"] / 1000, heard_on_wire, delta=0.020)
        self.assertTrue(barge[0]["text_heard"].startswith("Welcome"), barge[0])
        self.assertIn("support", [e["text"] for e in feed.of("bot.transcript") if e["final"]])
        self.assertIn("This is support.", [e["text"] for e in feed.of("bot.say")])

    def test_espeak_ng_speaks_the_bot_when_the_config_names_it(self):
        # [bot] tts = "espeak-ng": the same menu in espeak-ng's voice. "en-us"
        # is no flite voice (a flite bot refuses it at start-up), so a
        # greeting on the wire is espeak-ng's.
        opts = ServeOptions(transports=("udp",), media={"app": "bot"}, extra_toml=QUICK_MENU,
                            bot={"tts": "espeak-ng", "voice": "en-us"})
        with VoxgateServer(opts) as server:
            feed = EventFeed(server)
            audio, capture, port, result = call(server, [2500, speech("sales", self.workdir), 2500])
            feed.close()
            log = server.log_path.read_text(errors="replace")
        result.assert_all_succeeded(self)
        self.assertIn("tts espeak-ng", log)
        said = [e["text"] for e in feed.of("bot.say")]
        self.assertEqual(said[:2], ["Sales or support?", "Fine."], said)
        caller = caller_speech_runs(capture, port)
        self.assertEqual(len(caller), 1, caller)
        bot = bot_audio_runs(capture, port)
        greeting = [run for run in bot if run[1] <= caller[0][0]]
        answer = [run for run in bot if run[0] > caller[0][1]]
        self.assertTrue(greeting, f"no greeting before the caller spoke: {bot}")
        self.assertGreater(greeting[0][1] - greeting[0][0], 0.5, "a spoken prompt, not a click")
        self.assertTrue(answer, f"no bot audio after the caller spoke: {bot}")
        self.assertLess(answer[0][0] - caller[0][1], 1.0, "the answer came promptly")

    def test_inactivity_reprompts_and_hangs_up_on_time(self):
        opts = ServeOptions(transports=("udp",), media={"app": "bot"}, extra_toml=QUICK_MENU,
                            bot={"reprompt_after_ms": 1500, "max_reprompts": 1, "hangup_after_ms": 4000})
        with VoxgateServer(opts) as server:
            feed = EventFeed(server)
            pcap = server.workdir / "silence.pcap"
            write_caller_pcap(pcap, caller_audio([12000]))
            path = scenario_copy("uac_pcmu_expects_bye.xml", server.workdir, pcap=str(pcap), bye_ms="15000")
            sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=60, extra=("-mi", "127.0.0.1"))
            with capturing(sipp, either_direction=True, signalling=True) as capture:
                result = sipp.result(timeout=60)
            port = sipp.media_port
            feed.close()
        result.assert_all_succeeded(self)
        listening = [event_time(e) for e in feed.of("bot.state") if e["state"] == "Listening"]
        self.assertGreaterEqual(len(listening), 2, feed.of("bot.state"))
        bot = bot_audio_runs(capture, port)
        reprompt = next(start for start, _ in bot if start > listening[0])
        byes = [p.when for p in capture.packets if p.destination_port == sipp.port and p.payload.startswith(b"BYE ")]
        self.assertEqual(len(byes), 1)
        # Silence counts while the bot listens: 1.5 s to the reprompt; the
        # hang-up at 4 s of it, 2.5 s after the reprompt was played.
        print(f"\ninactivity: reprompt {(reprompt - listening[0]) * 1000:.0f} ms after listening began "
              f"(1500), hang-up {(byes[0] - listening[1]) * 1000:.0f} ms after the reprompt (2500)")
        self.assertAlmostEqual(reprompt - listening[0], 1.5, delta=0.1)
        self.assertAlmostEqual(byes[0] - listening[1], 2.5, delta=0.1)
        self.assertEqual([e["reason"] for e in feed.of("bot.hangup")], ["inactivity"])


if __name__ == "__main__":
    unittest.main()
