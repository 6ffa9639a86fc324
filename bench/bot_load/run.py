#!/usr/bin/env python3
"""Voice bot load benchmark (issue 7): concurrent embedded-bot calls on this
machine, bounded in count and time.

One `voxgate serve` ([media] app = "bot", a two-choice menu) and one SIPp
placing --calls calls at --rate calls/s; every caller plays the same script
(flite's rms voice, 8 kHz): "sales" or "support" every 4.7 s, so each call
holds a conversation (recognition, a reply, playout) the whole time. The
calls are held --hold-seconds after the last was answered, then hung up.

Measured:
  - the RTP voxgate sends to the callers (a loopback capture, kernel
    timestamps): the interval between consecutive packets of each call, p50/
    p99/max over every call (goal p99 <= 30 ms), and voxgate's own send-tick
    lateness per loop (its shutdown summary);
  - voxgate's CPU (utime+stime from /proc) over the hold window, per call in
    % of one core (goal <= 3 %), and its RSS at the end of the hold minus
    the idle RSS (the model loaded, no call) per call (goal <= 50 MB);
  - the bot's turns from /v1/events: how many, transcripts right, and the
    bot.turn breakdown (gateway_ms: everything but the endpoint wait and the
    agent; response_ms).

Prints a Markdown report (and writes it to --output). Needs root (the
capture), SIPp, flite and sox (scripts/bootstrap).
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "bot"))
sys.dont_write_bytecode = True

from bot_common import (EventFeed, LoopbackCapture, caller_audio, media_port, percentile, scenario_copy,  # noqa: E402
                        speech, write_caller_pcap)

import harness  # noqa: E402
from test_bot import QUICK_MENU  # noqa: E402  (the two-choice menu: short prompts, quick turns)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sip_load = _load("sip_load_run", REPO_ROOT / "bench" / "sip_load" / "run.py")
media_load = _load("media_load_run", REPO_ROOT / "bench" / "media_load" / "run.py")



def intervals_ms(capture: LoopbackCapture, port: int) -> list[float]:
    """Inter-packet gaps of each call's RTP to `port` (calls told apart by
    their source port), in ms."""
    last: dict[int, float] = {}
    gaps = []
    for p in capture.packets:
        if p.destination_port != port or len(p.payload) < 12:
            continue
        if p.source_port in last:
            gaps.append((p.when - last[p.source_port]) * 1000)
        last[p.source_port] = p.when
    return gaps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--rate", type=float, default=10.0, help="calls placed per second")
    parser.add_argument("--hold-seconds", type=float, default=40.0)
    parser.add_argument("--threads", type=int, default=2, help="voxgate worker loops")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args()
    if args.calls < 1 or args.calls > 500 or args.hold_seconds > 600:
        parser.error("bounded: 1-500 calls, at most 600 s")
    harness.require_tool("sipp")
    harness.require_tool("flite")
    harness.require_tool("sox")

    workdir = harness.work_dir("bot-load")
    ramp = args.calls / args.rate
    steps = [1500]
    while sum(s if isinstance(s, int) else len(s) / 8 for s in steps) < (ramp + args.hold_seconds) * 1000:
        for word in ("sales", "support"):
            steps += [speech(word, workdir), 4200]
    audio = caller_audio(steps)
    pcap = workdir / "caller.pcap"
    write_caller_pcap(pcap, audio)
    hold_ms = int(audio.duration_s * 1000) + 500
    scenario = scenario_copy("uac_pcmu.xml", workdir, pcap=str(pcap), hold_ms=str(hold_ms))

    opts = harness.ServeOptions(transports=("udp",), threads=args.threads, unlimited_rate=True, log_level="info",
                                media={"app": "bot", "rtp_port_min": 30000, "rtp_port_max": 39999},
                                bot={"reprompt_after_ms": 0, "hangup_after_ms": 0}, extra_toml=QUICK_MENU)
    with harness.VoxgateServer(opts) as server:
        pid = server.pid
        time.sleep(1.0)
        idle_rss, _ = sip_load.memory_mib(pid)
        feed = EventFeed(server)
        sipp = harness.SippProcess(scenario, remote=server.address, calls=args.calls, rate=args.rate,
                                   max_seconds=ramp + hold_ms / 1000 + 60,
                                   extra=("-mi", "127.0.0.1", "-l", str(args.calls)), trace_msg=False)
        with sipp:
            port = media_port(sipp)
            with LoopbackCapture({port}) as capture:
                time.sleep(ramp + 3)  # every call answered and talking
                cpu_start, window_start = sip_load.cpu_seconds(pid), time.monotonic()
                time.sleep(max(1.0, args.hold_seconds - 6))
                cpu_end, window_end = sip_load.cpu_seconds(pid), time.monotonic()
                hold_rss, _ = sip_load.memory_mib(pid)
                result = sipp.result(timeout=ramp + hold_ms / 1000 + 60)
        feed.close()
        server.stop()
        summary = media_load.parse_server_summary(server.log_path.read_text())

    gaps = intervals_ms(capture, port)
    cpu_per_call = (cpu_end - cpu_start) / (window_end - window_start) / args.calls * 100
    rss_per_call = (hold_rss - idle_rss) / args.calls
    turns = feed.of("bot.turn")
    finals = [e["text"] for e in feed.of("bot.transcript") if e["final"]]
    right = sum(1 for t in finals if t in ("sales", "support"))
    gateway = [e["gateway_ms"] for e in turns if e["input"] == "speech"]
    response = [e["response_ms"] for e in turns if e["input"] == "speech"]
    lines = [
        f"## Voice bot load: {args.calls} concurrent embedded-bot calls",
        "",
        f"{args.calls} calls at {args.rate}/s, held {args.hold_seconds:.0f} s, {args.threads} worker loops + the bot "
        f"thread; SIPp: {result.successful} calls succeeded, {result.failed} failed.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| RTP send interval to the callers, p50 / p99 / max | {statistics.median(gaps):.1f} / "
        f"{percentile(gaps, 99):.1f} / {max(gaps):.1f} ms ({len(gaps)} intervals) | p99 <= 30 ms |",
        f"| voxgate send-tick lateness p99, worst loop | {summary.worst_p99_ms:.2f} ms (max {summary.worst_max_ms:.2f})"
        " | |" if summary else "| voxgate summary | missing | |",
        f"| CPU per call | {cpu_per_call:.2f} % of a core | <= 3 % |",
        f"| RSS per call (hold minus idle {idle_rss:.0f} MiB) | {rss_per_call:.1f} MiB | <= 50 MB |",
        f"| turns | {len(turns)} ({len(finals)} transcripts, {right} right) | |",
        f"| gateway share (bot.turn gateway_ms) p50 / p95 | {statistics.median(gateway):.1f} / "
        f"{percentile(gateway, 95):.1f} ms | p95 <= 50 ms |" if gateway else "| gateway share | no turns | |",
        f"| response (bot.turn response_ms) p50 / p99 | {statistics.median(response):.0f} / "
        f"{percentile(response, 99):.0f} ms | |" if response else "| response | no turns | |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        args.output.write_text(report)
    harness.remove_work_dir(workdir)
    ok = bool(gaps) and percentile(gaps, 99) <= 30 and cpu_per_call <= 3 and rss_per_call <= 50
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
