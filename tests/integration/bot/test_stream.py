#!/usr/bin/env python3
"""Bot streaming over real SIP, RTP and WebSocket/TCP on loopback (issue 7).

The bot is streambot/streambot.js, written in Node.js with the npm `ws`
package from the public protocol descriptions, not from voxgate's code: it
logs every message it gets (and flags what breaks the protocol as
"violation" lines) and plays a scripted part. SIPp calls `voxgate serve`
with app "stream"; a loopback capture records the RTP both ways. For each
profile (Twilio Media Streams, jambonz-style L16, AudioSocket):

- the bot gets the profile's exact opening and the caller's audio, 20 ms a
  message, numbered as the profile numbers them, and the caller's key;
- the bot sends 2 s of tone at once: the caller hears it paced, 2 s long;
  its mark comes back when the tone has left for the wire; the queue's
  watermarks are reported (L16);
- on key 5 the bot sends 3 s more and clears 500 ms later: the tone stops
  on the wire within 40 ms of the clear, and the mark comes back (cleared);
- a bot that drops the connection mid-call, or is not there at all, does
  not hang the call: the caller hears the disconnect prompt, then a BYE; or
  the embedded bot takes the call over (on_disconnect = "bot");
- POST /v1/sessions/{id}/stream hands a live call to the bot.
"""
import base64
import json
import shutil
import subprocess
import threading
import time
import unittest
from pathlib import Path
from typing import Optional

from bot_common import (Dtmf, EventFeed, caller_audio, capturing, frames_to, scenario_copy,
                        sound_runs, speech, write_caller_pcap)

import harness
from api_client import Api
from harness import ServeOptions, SippProcess, VoxgateServer

STREAMBOT = Path(__file__).resolve().parent / "streambot"
BOT_LEVEL = 10  # a frame louder than this is the bot's audio (silence is exact zeros)
TONE_GAP_S = 0.1  # the 440 Hz and 880 Hz tones are runs this far apart at least
CLEAR_BOUND_S = 0.040  # `clear` empties the queue within 40 ms (on the wire)


class StreamBot:
    """streambot.js on a port of its own; its log, parsed."""

    def __init__(self, workdir: Path, profile: str, script: str = "talk"):
        self.log_path = workdir / f"streambot-{profile}.jsonl"
        self.process = subprocess.Popen(
            ["node", str(STREAMBOT / "streambot.js"), "--profile", profile, "--port", "0", "--log",
             str(self.log_path), "--script", script],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise harness.HarnessError(f"streambot did not start: {self.process.stderr.read()}")
        self.port = json.loads(line)["listening"]

    def url(self, profile: str) -> str:
        scheme = "tcp" if profile == "audiosocket" else "ws"
        return f"{scheme}://127.0.0.1:{self.port}/media"

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=10)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.strip()]


def stream_toml(url: str, profile: str, **keys) -> str:
    lines = ["[stream]", f'url = "{url}"', f'profile = "{profile}"']
    for key, value in keys.items():
        lines.append(f"{key} = {json.dumps(value) if not isinstance(value, dict) else inline(value)}")
    return "\n".join(lines) + "\n"


def inline(table: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in table.items()) + " }"


def call(server: VoxgateServer, steps: list, scenario: str = "uac_pcmu.xml", tail_ms: int = 500, **values):
    """One SIPp call playing `steps`; (capture, port, SIPp result)."""
    audio = caller_audio(steps)
    pcap = server.workdir / "caller.pcap"
    write_caller_pcap(pcap, audio)
    values.setdefault("hold_ms", str(int(audio.duration_s * 1000) + tail_ms))
    path = scenario_copy(scenario, server.workdir, pcap=str(pcap), **values)
    sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=60, extra=("-mi", "127.0.0.1"))
    with capturing(sipp, either_direction=True) as capture:
        result = sipp.result(timeout=60)
    return capture, sipp.media_port, result


def bot_runs(capture, port: int, gap_s: float = TONE_GAP_S) -> list[tuple[float, float]]:
    return sound_runs(frames_to(capture, port), BOT_LEVEL, gap_s)


def sent(lines: list[dict], predicate) -> Optional[float]:
    """When the bot sent the first message matching `predicate`, in seconds."""
    for line in lines:
        if line.get("dir") == "out" and predicate(line):
            return line["t"] / 1000
    return None


def received(lines: list[dict], kind: str) -> list[dict]:
    return [line for line in lines if line.get("dir") == "in" and line["kind"] == kind]


def timeline(runs, lines: list[dict], capture, port: int, feed) -> str:
    """What a failed check saw, for the next reader of a CI log: the sound
    runs, the RTP to SIPp, what the bot sent and received, and voxgate's
    events, each with its time."""
    frames = frames_to(capture, port)
    loud = [f for f in frames if f.level >= BOT_LEVEL]
    out = [f"runs {runs}",
           f"RTP to SIPp: {len(frames)} frames"
           + (f" {frames[0].when:.3f}..{frames[-1].when:.3f}, {len(loud)} loud" if frames else ""),
           f"capture: {len(capture.packets)} datagrams"]
    audio_out = [line["t"] / 1000 for line in lines
                 if line.get("dir") == "out" and line["kind"] in ("text", "binary", "frame") and line.get("rms", 0) > 0]
    if audio_out:
        out.append(f"bot audio sent: {len(audio_out)} messages {audio_out[0]:.3f}..{audio_out[-1]:.3f}")
    for line in lines:
        if line["kind"] not in ("binary", "frame") and not (line["kind"] == "text" and line.get("bytes")):
            out.append(f"bot {line.get('dir', '')} {line['t'] / 1000:.3f} {line['kind']} {line.get('msg', '')}")
    out += [f"event {e.get('type')} {json.dumps(e)[:200]}" for e in list(feed.events)]
    return "\n".join(out)


class BotStreaming(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_tool("node")
        harness.require_tool("flite")
        harness.require_tool("sox")
        if not (STREAMBOT / "node_modules" / "ws").exists():
            raise unittest.SkipTest("npm ws missing: run scripts/bootstrap")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def setUp(self):
        self.workdir = harness.work_dir("bot-stream")

    def tearDown(self):
        harness.remove_work_dir(self.workdir)

    def converse(self, profile: str, **stream_keys):
        """A call to the talking bot: words, then key 5 once the first tone
        has played. Returns (bot log lines, capture, port, events)."""
        bot = StreamBot(self.workdir, profile)
        try:
            toml = stream_toml(bot.url(profile), profile, **stream_keys)
            with VoxgateServer(ServeOptions(transports=("udp",), media={"app": "stream"}, extra_toml=toml)) as server:
                feed = EventFeed(server)
                capture, port, result = call(server, [500, speech("hello there", self.workdir), 2000, Dtmf("5"), 2500])
                feed.close()
        finally:
            bot.stop()
        result.assert_all_succeeded(self)
        lines = bot.lines()
        self.assertEqual([line for line in lines if line["kind"] == "violation"], [], "protocol violations")
        return lines, capture, port, feed

    def check_paced_tone_and_clear(self, lines, capture, port, feed, *, clears: bool):
        """The first tone plays paced for its 2 s; after key 5 the second
        tone plays until the bot's clear (or for its 3 s without one)."""
        runs = bot_runs(capture, port)
        self.assertGreaterEqual(len(runs), 2, timeline(runs, lines, capture, port, feed))
        first, second = runs[0], runs[1]
        self.assertAlmostEqual(first[1] - first[0], 2.0, delta=0.06, msg=f"the 2 s tone, paced: {runs}")
        started = sent(lines, lambda line: line["kind"] in ("text", "binary", "frame") and line.get("rms", 0) > 0)
        self.assertIsNotNone(started)
        self.assertLess(first[0] - started, 0.2, "the bot's first audio left for the wire at once")
        if clears:
            cleared = sent(lines, lambda line: (line.get("msg") or {}).get("event") == "clear"
                           or (line.get("msg") or {}).get("type") == "killAudio")
            self.assertIsNotNone(cleared, "the bot sent its clear")
            stop_after = second[1] - cleared
            print(f"\n  clear: the bot's audio stopped {stop_after * 1000:.0f} ms after the clear was sent")
            self.assertLessEqual(stop_after, CLEAR_BOUND_S, runs)
            self.assertGreater(second[1] - second[0], 0.3, "the second tone played until the clear")
        else:
            self.assertAlmostEqual(second[1] - second[0], 3.0, delta=0.06, msg=f"the 3 s tone: {runs}")
        return first, second

    def test_twilio_media_streams_event_sequence_marks_and_clear(self):
        lines, capture, port, feed = self.converse("twilio", parameters={"tenant": "acme"})
        texts = [line["msg"] for line in received(lines, "text")]
        events = [m["event"] for m in texts]
        self.assertEqual(events[:2], ["connected", "start"], events[:5])
        self.assertEqual(texts[0], {"event": "connected", "protocol": "Call", "version": "1.0.0"})
        start = texts[1]
        stream_sid = start["streamSid"]
        self.assertRegex(stream_sid, r"^MZ[0-9a-f]{32}$")
        self.assertEqual(start["sequenceNumber"], "1")
        body = start["start"]
        self.assertEqual(body["streamSid"], stream_sid)
        self.assertRegex(body["callSid"], r"^CA[0-9a-f]{32}$")
        self.assertRegex(body["accountSid"], r"^AC[0-9a-f]{32}$")
        self.assertEqual(body["tracks"], ["inbound"])
        self.assertEqual(body["customParameters"], {"tenant": "acme"})
        self.assertEqual(body["mediaFormat"], {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1})
        self.assertEqual(events[-1], "stop")
        self.assertEqual(texts[-1]["stop"], {"accountSid": body["accountSid"], "callSid": body["callSid"]})
        # Every message after connected: consecutive string sequence numbers,
        # the same streamSid.
        numbers = [int(m["sequenceNumber"]) for m in texts[1:]]
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        self.assertTrue(all(m["streamSid"] == stream_sid for m in texts[1:]))
        # The caller's audio: 20 ms (160 µ-law bytes) a message, chunks from
        # 1, timestamps 20 ms apart; the caller's words are in it.
        media = [line for line in received(lines, "text") if line["msg"]["event"] == "media"]
        self.assertGreater(len(media), 100)
        self.assertTrue(all(line["bytes"] == 160 for line in media))
        chunks = [int(line["msg"]["media"]["chunk"]) for line in media]
        self.assertEqual(chunks, list(range(1, len(chunks) + 1)))
        stamps = [int(line["msg"]["media"]["timestamp"]) for line in media]
        self.assertEqual(stamps, [20 * i for i in range(len(stamps))])
        self.assertTrue(all(line["msg"]["media"]["track"] == "inbound" for line in media))
        self.assertGreater(max(line["rms"] for line in media), 500, "the caller's words reached the bot")
        dtmf = [m for m in texts if m["event"] == "dtmf"]
        self.assertEqual([m["dtmf"] for m in dtmf], [{"track": "inbound_track", "digit": "5"}])
        first, second = self.check_paced_tone_and_clear(lines, capture, port, feed, clears=True)
        # Marks come back by name: tone-end once the first tone has played,
        # long-end at the clear that dropped it.
        marks = [(line["t"] / 1000, line["msg"]["mark"]["name"]) for line in received(lines, "text")
                 if line["msg"]["event"] == "mark"]
        self.assertEqual([name for _, name in marks], ["tone-end", "long-end"], marks)
        self.assertAlmostEqual(marks[0][0], first[1], delta=0.05, msg="tone-end came back as the tone ended")
        self.assertIn("long-end", [e["name"] for e in feed.of("stream.mark") if e["outcome"] == "cleared"])
        self.assertEqual(len(feed.of("stream.connected")), 1)

    def test_l16_jambonz_listen_preamble_binary_audio_marks_and_kill_audio(self):
        lines, capture, port, feed = self.converse("l16", parameters={"tenant": "acme"}, high_watermark_ms=1000,
                                                   low_watermark_ms=200)
        opened = next(line for line in lines if line["kind"] == "open")
        self.assertEqual(opened["protocol"], "audio.jambonz.org")
        texts = [line["msg"] for line in received(lines, "text")]
        preamble = texts[0]
        self.assertEqual(preamble["sampleRate"], 8000)
        self.assertEqual(preamble["mixType"], "mono")
        self.assertEqual(preamble["tenant"], "acme")
        self.assertIn("sip:sipp@", preamble["from"])
        audio = received(lines, "binary")
        self.assertGreater(len(audio), 100)
        self.assertTrue(all(line["bytes"] == 320 for line in audio), "20 ms of L16 at 8 kHz a message")
        self.assertGreater(max(line["rms"] for line in audio), 500)
        self.assertEqual([m["dtmf"] for m in texts if m.get("event") == "dtmf"], ["5"])
        self.check_paced_tone_and_clear(lines, capture, port, feed, clears=True)
        marks = [(m["data"]["name"], m["data"]["event"]) for m in texts if m.get("type") == "mark"]
        self.assertEqual(marks, [("tone-end", "playout"), ("long-end", "cleared")])
        # Watermarks: each tone sent at once fills the queue past 1 s (high);
        # it drains under 200 ms as the tone ends, or at the clear (low).
        levels = [(m["data"]["level"], m["data"]["queuedMs"]) for m in texts if m.get("type") == "voxgate.queue"]
        self.assertEqual([level for level, _ in levels], ["high", "low", "high", "low"], levels)
        self.assertTrue(all(ms >= 1000 for level, ms in levels if level == "high"), levels)
        self.assertTrue(all(ms < 200 for level, ms in levels if level == "low"), levels)

    def test_l16_at_16_khz_is_resampled_both_ways(self):
        lines, capture, port, feed = self.converse("l16", l16_rate=16000)
        texts = [line["msg"] for line in received(lines, "text")]
        self.assertEqual(texts[0]["sampleRate"], 16000)
        audio = received(lines, "binary")
        self.assertTrue(all(line["bytes"] == 640 for line in audio), "20 ms of L16 at 16 kHz a message")
        self.check_paced_tone_and_clear(lines, capture, port, feed, clears=True)

    def test_audiosocket_uuid_audio_frames_dtmf_and_hangup(self):
        lines, capture, port, feed = self.converse("audiosocket")
        frames = received(lines, "frame")
        self.assertEqual(frames[0]["type"], 0x01, "the UUID comes first")
        self.assertEqual(frames[0]["len"], 16)
        audio = [f for f in frames if f["type"] == 0x10]
        self.assertGreater(len(audio), 100)
        self.assertTrue(all(f["len"] == 320 for f in audio))
        self.assertGreater(max(f["rms"] for f in audio), 500)
        self.assertEqual([f["digit"] for f in frames if f["type"] == 0x03], ["5"])
        self.assertEqual(frames[-1]["type"], 0x00, "a hangup frame at the end of the call")
        # AudioSocket has no clear: the second tone plays whole.
        self.check_paced_tone_and_clear(lines, capture, port, feed, clears=False)

    def disconnect_call(self, stream: str, keys: dict, steps: list, bye_ms: int = 15000, media: Optional[dict] = None):
        opts = ServeOptions(transports=("udp",), media=media or {"app": "stream"},
                            extra_toml=stream_toml(stream, "twilio", **keys))
        with VoxgateServer(opts) as server:
            feed = EventFeed(server)
            capture, port, result = call(server, steps, scenario="uac_pcmu_expects_bye.xml", bye_ms=str(bye_ms))
            feed.close()
        result.assert_all_succeeded(self)
        return capture, port, feed

    def test_a_bot_that_drops_the_connection_mid_call_gets_the_prompt_and_a_bye(self):
        bot = StreamBot(self.workdir, "twilio")
        try:
            capture, port, feed = self.disconnect_call(bot.url("twilio"), {}, [3000, Dtmf("9"), 9000])
        finally:
            bot.stop()
        lines = bot.lines()
        dropped = sent(lines, lambda line: line["kind"] == "terminate")
        self.assertIsNotNone(dropped)
        gone = feed.of("stream.disconnected")
        self.assertEqual(len(gone), 1, feed.events)
        runs = bot_runs(capture, port, gap_s=0.3)
        prompt = [run for run in runs if run[0] > dropped]
        self.assertTrue(prompt, f"the disconnect prompt after the drop: {runs}")
        self.assertLess(prompt[0][0] - dropped, 0.3, "the prompt followed the drop at once")
        self.assertGreater(prompt[0][1] - prompt[0][0], 1.0, "a spoken prompt")

    def test_a_bot_that_is_not_there_does_not_hang_the_call(self):
        # A port nobody listens on: the connect is refused at once, the caller
        # hears the disconnect prompt, then the BYE.
        free = harness.free_port()
        capture, port, feed = self.disconnect_call(f"ws://127.0.0.1:{free}/media", {}, [6000], bye_ms=5000)
        gone = feed.of("stream.disconnected")
        self.assertEqual(len(gone), 1, feed.events)
        self.assertIn("connect", gone[0]["reason"])
        runs = bot_runs(capture, port, gap_s=0.3)
        self.assertEqual(len(runs), 1, f"the prompt, once: {runs}")
        self.assertGreater(runs[0][1] - runs[0][0], 1.0, "a spoken prompt")

    def test_on_disconnect_bot_hands_the_call_to_the_embedded_voice_bot(self):
        bot = StreamBot(self.workdir, "twilio", script="silent")
        try:
            opts = ServeOptions(transports=("udp",), media={"app": "stream"},
                                extra_toml=stream_toml(bot.url("twilio"), "twilio", on_disconnect="bot"))
            with VoxgateServer(opts) as server:
                feed = EventFeed(server)
                capture, port, result = call(server, [1500, Dtmf("9"), 6000])
                feed.close()
        finally:
            bot.stop()
        result.assert_all_succeeded(self)
        self.assertEqual(len(feed.of("stream.disconnected")), 1, feed.events)
        said = [e["text"] for e in feed.of("bot.say")]
        self.assertIn("Welcome to voxgate.", said, "the demo menu greets the caller")
        dropped = sent(bot.lines(), lambda line: line["kind"] == "terminate")
        runs = bot_runs(capture, port, gap_s=0.3)
        self.assertTrue([run for run in runs if run[0] > dropped], f"the embedded bot speaks after the drop: {runs}")

    def test_the_api_hands_a_live_call_to_the_bot(self):
        bot = StreamBot(self.workdir, "twilio")
        try:
            opts = ServeOptions(transports=("udp",), media={"app": "silence"},
                                extra_toml=stream_toml(bot.url("twilio"), "twilio"))
            with VoxgateServer(opts) as server:
                feed = EventFeed(server)
                outcome = {}
                caller = threading.Thread(target=lambda: outcome.update(call=call(server, [6000])))
                caller.start()
                live = feed.wait_for(lambda e: e.get("session", {}).get("state") == "connected", timeout=10)
                self.assertIsNotNone(live, feed.events)
                session_id = live["session"]["id"]
                api = Api(f"http://127.0.0.1:{server.opts.api_port}")
                refused = api.request("POST", f"/v1/sessions/{session_id}/stream", {"profile": "carrier-pigeon"})
                self.assertEqual(refused[0], 400, refused)
                asked = time.time()  # the bot may start before the answer is back
                status, body, _ = api.request("POST", f"/v1/sessions/{session_id}/stream",
                                              {"parameters": {"via": "api"}})
                self.assertIn(status, (200, 202, 204), body)
                caller.join()
                feed.close()
        finally:
            bot.stop()
        capture, port, result = outcome["call"]
        result.assert_all_succeeded(self)
        lines = bot.lines()
        self.assertEqual([line for line in lines if line["kind"] == "violation"], [])
        start = next(line["msg"] for line in received(lines, "text") if line["msg"]["event"] == "start")
        self.assertEqual(start["start"]["customParameters"], {"via": "api"})
        runs = bot_runs(capture, port)
        self.assertTrue(runs and runs[0][0] > asked, f"silence, then the bot's tone: {runs}")
        self.assertAlmostEqual(runs[0][1] - runs[0][0], 2.0, delta=0.06)


if __name__ == "__main__":
    if shutil.which("node") is None:
        print("node missing: run scripts/bootstrap")
    harness.main()
