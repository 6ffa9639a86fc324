#!/usr/bin/env python3
"""The voice bot's HTTP agent over real SIP and RTP on loopback (issue 7).

`voxgate serve` runs the bot with `[bot] agent = "http"` pointed at a
scripted agent in this file (Python's http.server, threaded, port 0): each
greeting and turn is a POST of JSON, answered as the script says. SIPp
places the call and presses keys (RFC 4733), so no turn depends on speech
recognition; /v1/events gives the bot's events and a loopback capture what
the caller heard. Checked:

- slow: the first attempt waits beyond timeout_ms, the retry answers: the
  caller hears the reply, the agent saw the turn twice (attempts 1 and 2);
- streamed (NDJSON): the first line is spoken before the agent sends the
  second;
- failing: 500 on every attempt: 1 + retries requests with back-off, then
  bot.agent_error and the fallback prompt;
- the breaker: after breaker_failures failed turns the next turn never
  reaches the agent and gets the fallback at once;
- down: nothing listens on the URL's port: the fallback prompt;
- preemptive generation: with preemptive_after_ms the agent gets the turn
  as a draft while the endpointer still waits, and the caller hears its
  slow answer sooner than endpoint + agent time.
"""
import datetime
import json
import socket
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

from bot_common import (Dtmf, EventFeed, caller_audio, capturing, frames_to, scenario_copy,
                        sound_runs, speech, write_caller_pcap)

import harness
from harness import ServeOptions, SippProcess, VoxgateServer

BOT_LEVEL = 10  # a bot frame louder than this is the bot's audio (its silence is exact zeros)
FALLBACK = "Sorry, the agent is away."
TIMEOUT_MS = 300
RETRIES = 2
BACKOFF_MS = 200
BREAKER_FAILURES = 2


class Answer:
    """What the scripted agent does with one request: a JSON reply (after
    `delay` seconds), or NDJSON lines streamed `gap` seconds apart."""

    def __init__(self, status: int = 200, reply: Optional[dict] = None, delay: float = 0.0,
                 lines: Optional[list] = None, gap: float = 0.0):
        self.status, self.reply, self.delay, self.lines, self.gap = status, reply or {}, delay, lines, gap


class ScriptedAgent:
    """An HTTP bot agent on 127.0.0.1 (port 0), one thread per request. It
    keeps every request's JSON and when each streamed line was sent."""

    def __init__(self, script: Callable[[dict], Answer]):
        self.script = script
        self.requests: list[dict] = []
        self.lines_sent: dict[str, float] = {}  # line text -> when it was written
        self._lock = threading.Lock()
        agent = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                with agent._lock:
                    agent.requests.append(body)
                answer = agent.script(body)
                time.sleep(answer.delay)
                try:
                    if answer.lines is None:
                        data = json.dumps(answer.reply).encode()
                        self.send_response(answer.status)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                    else:
                        self.stream(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # voxgate gave up on this attempt (its timeout)

            def stream(self, answer: Answer) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for index, line in enumerate(answer.lines):
                    if index:
                        time.sleep(answer.gap)
                    data = (json.dumps(line) + "\n").encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                    agent.lines_sent[line.get("text", "")] = time.time()
                self.wfile.write(b"0\r\n\r\n")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/turn"

    def of_digit(self, digit: str) -> list[dict]:
        return [r for r in list(self.requests) if (r.get("turn") or {}).get("digit") == digit]

    def __enter__(self) -> "ScriptedAgent":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_options(url: str, **bot_keys) -> ServeOptions:
    # No reprompts: every request the agent sees is a greeting or a key.
    bot = {"agent": "http", "fallback_prompt": FALLBACK, "reprompt_after_ms": 0, "hangup_after_ms": 0, **bot_keys}
    http = (f'[bot.http]\nurl = "{url}"\ntimeout_ms = {TIMEOUT_MS}\nretries = {RETRIES}\n'
            f"backoff_ms = {BACKOFF_MS}\nbreaker_failures = {BREAKER_FAILURES}\nbreaker_open_ms = 60000\n"
            'headers = { Authorization = "Bearer test-token" }\n')
    return ServeOptions(transports=("udp",), media={"app": "bot"}, bot=bot, extra_toml=http)


def call(server: VoxgateServer, steps: list, tail_ms: int = 1000) -> tuple:
    """One SIPp call playing `steps`; (capture, media port, SIPp result)."""
    audio = caller_audio(steps)
    pcap = server.workdir / "caller.pcap"
    write_caller_pcap(pcap, audio)
    path = scenario_copy("uac_pcmu.xml", server.workdir, pcap=str(pcap),
                         hold_ms=str(int(audio.duration_s * 1000) + tail_ms))
    sipp = SippProcess(path, remote=server.address, calls=1, max_seconds=60, extra=("-mi", "127.0.0.1"))
    with capturing(sipp, either_direction=True) as capture:
        result = sipp.result(timeout=60)
    return capture, sipp.media_port, result


def event_time(event: dict) -> float:
    return datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()


def first_after(events: list[dict], when: float) -> Optional[dict]:
    return next((e for e in events if event_time(e) >= when), None)


class HttpAgentBot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        harness.require_tool("sipp")
        harness.require_voxgate("serve", harness.SERVE_OPTIONS)

    def test_slow_streamed_failing_and_breaker_turns_over_a_real_call(self):
        def script(request: dict) -> Answer:
            if request["kind"] == "start":
                return Answer(reply={"text": "Hello from the agent."})
            digit = request["turn"]["digit"]
            if digit == "1":  # slow: only the retry comes in time
                return Answer(reply={"text": "Too late."}, delay=0.8) if request["attempt"] == 1 \
                    else Answer(reply={"text": "You pressed one."})
            if digit == "5":
                return Answer(lines=[{"text": "First part."}, {"text": "Second part."}, {"action": "continue"}],
                              gap=0.6)
            if digit in "23":
                return Answer(status=500, reply={"error": "down for maintenance"})
            return Answer(reply={"text": "The breaker let me through."})

        with ScriptedAgent(script) as agent, VoxgateServer(serve_options(agent.url)) as server:
            feed = EventFeed(server)
            capture, port, result = call(server, [2500, Dtmf("1"), 3000, Dtmf("5"), 3500, Dtmf("2"), 3000,
                                                  Dtmf("3"), 3000, Dtmf("4"), 2500])
            feed.close()
        result.assert_all_succeeded(self)
        said = [e["text"] for e in feed.of("bot.say")]
        keys = {e["digit"]: event_time(e) for e in feed.of("call.dtmf")}
        self.assertEqual(sorted(keys), ["1", "2", "3", "4", "5"], feed.of("call.dtmf"))
        call_ids = {r["call_id"] for r in agent.requests}
        self.assertEqual(call_ids, {feed.of("call.dtmf")[0]["session"]["call_id"]}, "every request names the call")

        # Greeting and the slow turn: two attempts of one turn, the second heard.
        self.assertEqual(said[0], "Hello from the agent.", said)
        slow = agent.of_digit("1")
        self.assertEqual([r["attempt"] for r in slow], [1, 2], slow)
        self.assertEqual(slow[0]["seq"], slow[1]["seq"])
        self.assertIn("You pressed one.", said)
        self.assertNotIn("Too late.", said)
        bot_runs = sound_runs(frames_to(capture, port), BOT_LEVEL)
        answer = next((start for start, _ in bot_runs if start > keys["1"]), None)
        self.assertIsNotNone(answer, f"no bot audio after key 1: {bot_runs}")
        self.assertGreaterEqual(answer - keys["1"], TIMEOUT_MS / 1000, "the answer came from the retry")
        self.assertLess(answer - keys["1"], 1.5)

        # Streamed: the first line was spoken before the second was sent.
        first = next(e for e in feed.of("bot.say") if e["text"] == "First part.")
        self.assertLess(event_time(first), agent.lines_sent["Second part."], "spoken as it arrived")
        self.assertIn("Second part.", said)

        # Failing: every attempt answered 500, then the fallback.
        self.assertEqual([r["attempt"] for r in agent.of_digit("2")], list(range(1, RETRIES + 2)))
        errors = feed.of("bot.agent_error")
        self.assertEqual(len(errors), 3, errors)
        self.assertIn("answered 500", errors[0]["message"])
        self.assertIn(f"(attempt {RETRIES + 1} of {RETRIES + 1})", errors[0]["message"])
        self.assertGreaterEqual(event_time(errors[0]) - keys["2"], (BACKOFF_MS + 2 * BACKOFF_MS) / 1000,
                                "retried with back-off")
        fallback = first_after([e for e in feed.of("bot.say") if e["text"] == FALLBACK], keys["2"])
        self.assertIsNotNone(fallback, said)
        self.assertLess(event_time(fallback), keys["3"])

        # The breaker: turns 2 and 3 failed, so turn 4 never reached the agent.
        self.assertEqual(len(agent.of_digit("3")), RETRIES + 1)
        self.assertEqual(agent.of_digit("4"), [], "no request while the breaker is open")
        self.assertIn(f"circuit open after {BREAKER_FAILURES} failed turns", errors[2]["message"])
        self.assertLess(event_time(errors[2]) - keys["4"], 0.2, "failed at once")
        fast = first_after([e for e in feed.of("bot.say") if e["text"] == FALLBACK], keys["4"])
        self.assertIsNotNone(fast, said)
        heard = next((start for start, _ in bot_runs if start > keys["4"]), None)
        self.assertIsNotNone(heard, f"no fallback audio after key 4: {bot_runs}")
        self.assertLess(heard - keys["4"], 0.5)
        print(f"\nkey to the bot's audio on the wire: slow turn {(answer - keys['1']) * 1000:.0f} ms "
              f"(timeout {TIMEOUT_MS} ms, then the retry); key to bot.agent_error: failing turn "
              f"{(event_time(errors[0]) - keys['2']) * 1000:.0f} ms, breaker open "
              f"{(event_time(errors[2]) - keys['4']) * 1000:.0f} ms; fallback heard "
              f"{(heard - keys['4']) * 1000:.0f} ms after the key\nagent_error: {[e['message'] for e in errors]}")

    def test_agent_that_is_down_gets_the_fallback_prompt(self):
        url = f"http://127.0.0.1:{closed_port()}/turn"
        with VoxgateServer(serve_options(url)) as server:
            feed = EventFeed(server)
            capture, port, result = call(server, [3500])
            feed.close()
        result.assert_all_succeeded(self)
        errors = feed.of("bot.agent_error")
        self.assertEqual(len(errors), 1, feed.events)
        self.assertIn(f"POST {url}: connect", errors[0]["message"])
        self.assertIn(f"(attempt {RETRIES + 1} of {RETRIES + 1})", errors[0]["message"])
        self.assertEqual([e["text"] for e in feed.of("bot.say")], [FALLBACK])
        self.assertTrue(sound_runs(frames_to(capture, port), BOT_LEVEL), "the fallback was heard")

    def test_preemptive_generation_answers_a_slow_agent_sooner_than_endpoint_plus_agent(self):
        agent_delay = 0.25  # below [bot.http] timeout_ms (300): one attempt

        def script(request: dict) -> Answer:
            if request["kind"] == "start":
                return Answer(reply={"text": "Sales or support?", "expected": ["sales", "support"]})
            return Answer(reply={"text": "This is sales.", "expected": ["sales", "support"]}, delay=agent_delay)

        workdir = harness.work_dir("bot-draft")
        try:
            word = speech("sales", workdir)
            with ScriptedAgent(script) as agent:
                with VoxgateServer(serve_options(agent.url, preemptive_after_ms=200)) as server:
                    feed = EventFeed(server)
                    capture, port, result = call(server, [2500, word, 3000])
                    feed.close()
        finally:
            harness.remove_work_dir(workdir)
        result.assert_all_succeeded(self)
        turns = [r for r in agent.requests if r["kind"] == "turn"]
        self.assertEqual(len(turns), 1, agent.requests)
        self.assertTrue(turns[0].get("draft"), turns[0])
        self.assertEqual(turns[0]["turn"]["transcript"], "sales")
        self.assertEqual([e["outcome"] for e in feed.of("bot.draft")], ["asked", "used"], feed.of("bot.draft"))
        turn = [e for e in feed.of("bot.turn") if e["input"] == "speech"]
        self.assertEqual(len(turn), 1, feed.events)
        self.assertTrue(turn[0]["preemptive"], turn[0])
        caller = sound_runs(frames_to(capture, port, source=True), 200)
        self.assertEqual(len(caller), 1, caller)
        answer = [run for run in sound_runs(frames_to(capture, port), BOT_LEVEL) if run[0] > caller[0][1]]
        self.assertTrue(answer, "the answer was heard")
        latency = answer[0][0] - caller[0][1]
        print(f"\npreemptive: answer {latency * 1000:.0f} ms after the caller's speech "
              f"(endpoint 500 ms + agent {agent_delay * 1000:.0f} ms without drafts)")
        self.assertLess(latency, 0.5 + agent_delay - 0.1, "the draft saved part of the agent's time")


if __name__ == "__main__":
    harness.main()
