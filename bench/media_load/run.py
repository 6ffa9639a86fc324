#!/usr/bin/env python3
"""Media load benchmark: concurrent echo calls with RTP both ways, against
the physical limit of the same packet rate, on the loopback, bounded in time.

For each step (a number of concurrent calls, default 500, 1000, 2000, 3000,
4000, 5000, 6000, 8000):

  (a) voxgate: a fresh `voxgate serve` ([media] app = "echo", UDP only,
      started by tests/integration/sip/harness.py) and `voxgate media-load`
      as the callers: N calls placed at --rate calls/s, each sending a
      440-Hz tone (one RTP packet per 20 ms) that voxgate echoes back, all
      held --hold-seconds after the last one was answered, then hung up.
      Measured over the hold (the generator prints hold-start/hold-end):
      the return path's loss and the generator's send-tick lateness (its
      JSON), voxgate's CPU (utime+stime from /proc) and RSS (idle before the
      calls vs at the end of the hold: KiB per call). At voxgate's shutdown
      its summary line gives the loss it saw on the way in and each of its
      loops' send-tick lateness p50/p99/max (over the whole step: ramp and
      hang-up included, so a little pessimistic).
  (b) the physical limit: bench/media_load/udp_echo.cpp (voxgate_udp_echo),
      one thread echoing over N sockets with epoll, and its paced sender at
      the same N x 50 packets/s each way for the same time: the echo's CPU per
      packet, and what one core could echo at that cost.

A step passes when every call was answered and held, the loss is < 0.1 %
on both ways (generator: over the hold; voxgate: over the whole calls), and
the send-tick lateness p99 is <= 30 ms on the generator and on every voxgate
loop. The run stops at the first step that does not pass (--keep-going: not).

Prints a Markdown report (and writes it to --output). Stdlib only.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "sip"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import harness  # noqa: E402  (the one place that knows voxgate serve's command line)


def _load_sip_load():
    """bench/sip_load/run.py as a module: its /proc readers."""
    spec = importlib.util.spec_from_file_location("sip_load_run", REPO_ROOT / "bench" / "sip_load" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


sip_load = _load_sip_load()
cpu_seconds = sip_load.cpu_seconds  # utime + stime of every thread of a pid
memory_mib = sip_load.memory_mib  # (VmRSS, VmHWM) in MiB

DEFAULT_CALLS = (500, 1000, 2000, 3000, 4000, 5000, 6000, 8000)
DEFAULT_UDP_ECHO = "build/release/bench/voxgate_udp_echo"
PACKETS_PER_SECOND = 50  # one 20-ms packet per tick, each way, per call
LOSS_LIMIT = 0.001
P99_LIMIT_MS = 30.0


# --------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------

def udp_echo_bin() -> Path:
    path = Path(os.environ.get("UDP_ECHO_BIN", DEFAULT_UDP_ECHO))
    return path if path.is_absolute() else REPO_ROOT / path


class LineReader:
    """Collects a pipe's lines on a thread; calls `on_line` for each."""

    def __init__(self, pipe, on_line=lambda line: None):
        self.lines: list[str] = []
        self._on_line = on_line
        self._thread = threading.Thread(target=self._run, args=(pipe,), daemon=True)
        self._thread.start()

    def _run(self, pipe) -> None:
        for line in pipe:
            self.lines.append(line.rstrip("\n"))
            self._on_line(line)

    def join(self, timeout: float = 5.0) -> None:
        self._thread.join(timeout)

    def last_json(self) -> Optional[dict]:
        for line in reversed(self.lines):
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    return None
        return None


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `timeout` (by its own pid)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def port_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high)


# --------------------------------------------------------------------------
# (a) voxgate serve + voxgate media-load
# --------------------------------------------------------------------------

_TOTALS = re.compile(r"media totals: (\d+) streams, (\d+) packets received, (\d+) sent, (-?\d+) lost, "
                     r"(\d+) concealed; media clock lateness: (.*)$", re.MULTILINE)
_LOOP = re.compile(r"loop (\d+) p50 ([\d.]+) ms p99 ([\d.]+) ms max ([\d.]+) ms \((\d+) ticks, (\d+) skipped\)")


@dataclasses.dataclass
class LoopClock:
    p50_ms: float
    p99_ms: float
    max_ms: float
    ticks: int
    skipped: int


@dataclasses.dataclass
class ServerSummary:
    """voxgate serve's shutdown line: media of the calls that ended, and its loops' clocks."""
    streams: int
    received: int
    sent: int
    lost: int
    concealed: int
    loops: list[LoopClock]

    @property
    def loss_ratio(self) -> float:
        expected = self.received + max(self.lost, 0)
        return max(self.lost, 0) / expected if expected else 0.0

    @property
    def worst_p99_ms(self) -> float:
        return max((loop.p99_ms for loop in self.loops), default=float("nan"))

    @property
    def worst_max_ms(self) -> float:
        return max((loop.max_ms for loop in self.loops), default=float("nan"))


def parse_server_summary(log_text: str) -> Optional[ServerSummary]:
    found = _TOTALS.findall(log_text)
    if not found:
        return None
    streams, received, sent, lost, concealed, clocks = found[-1]
    loops = [LoopClock(float(p50), float(p99), float(mx), int(ticks), int(skipped))
             for _, p50, p99, mx, ticks, skipped in _LOOP.findall(clocks)]
    return ServerSummary(int(streams), int(received), int(sent), int(lost), int(concealed), loops)


@dataclasses.dataclass
class VoxgateStep:
    calls: int
    generator: Optional[dict]  # media-load's JSON
    server: Optional[ServerSummary]
    rss_idle_mib: float
    rss_hold_mib: float
    voxgate_cpu_s: float  # over the hold
    generator_cpu_s: float
    hold_s: float  # the runner's own clock between hold-start and hold-end
    returncode: Optional[int]
    error: str = ""

    @property
    def window(self) -> dict:
        return (self.generator or {}).get("window") or {}

    @property
    def answered(self) -> int:
        return (self.generator or {}).get("answered", 0)

    @property
    def pps_each_way(self) -> float:
        seconds = self.window.get("seconds", 0)
        return self.window.get("packets_sent", 0) / seconds if seconds else 0.0

    def cpu_percent(self, cpu: float) -> float:
        return 100 * cpu / self.hold_s if self.hold_s else float("nan")

    @property
    def voxgate_us_per_packet(self) -> float:
        """voxgate CPU per packet echoed (one in, one out) over the hold."""
        echoed = self.window.get("packets_received", 0)
        return self.voxgate_cpu_s / echoed * 1e6 if echoed else float("nan")

    @property
    def kib_per_call(self) -> float:
        return (self.rss_hold_mib - self.rss_idle_mib) * 1024 / self.answered if self.answered else float("nan")

    @property
    def failures(self) -> list[str]:
        g = self.generator
        if g is None:
            return [self.error or "no generator result"]
        why = []
        if g.get("timed_out"):
            why.append("timeout")
        if g.get("answered", 0) < self.calls or g.get("failed", 0):
            why.append(f"{self.calls - g.get('answered', 0)} not answered")
        if g.get("ended_early", 0) or g.get("media_failed", 0):
            why.append("calls dropped")
        if self.window.get("loss_ratio", 1.0) >= LOSS_LIMIT:
            why.append("loss back")
        if (self.window.get("clock") or {}).get("p99_ms", 1e9) > P99_LIMIT_MS:
            why.append("generator p99")
        if self.server is None:
            why.append("no voxgate summary")
        else:
            if self.server.loss_ratio >= LOSS_LIMIT:
                why.append("loss at voxgate")
            if not self.server.worst_p99_ms <= P99_LIMIT_MS:
                why.append("voxgate p99")
        return why

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def verdict(self) -> str:
        return "yes" if self.passed else "NO (" + ", ".join(self.failures) + ")"


def codec_list(args) -> list[str]:
    return [c.strip() for c in args.codecs.split(",") if c.strip()]


def generator_config(args, workdir: Path) -> Path:
    low, high = port_range(args.generator_ports)
    path = workdir / "media-load.toml"
    path.write_text("\n".join([
        "[media]",
        f"rtp_port_min = {low}",
        f"rtp_port_max = {high}",
        f"codecs = {harness.toml_value(codec_list(args))}",
        "tone_hz = 440.0",
        "",
    ]))
    return path


def run_voxgate_step(args, calls: int) -> VoxgateStep:
    workdir = harness.work_dir(f"media-load-{calls}")
    low, high = port_range(args.voxgate_ports)
    server = harness.VoxgateServer(
        harness.ServeOptions(transports=("udp",), threads=args.voxgate_threads, unlimited_rate=True, log_level="info",
                             media={"app": "echo", "rtp_port_min": low, "rtp_port_max": high,
                                    "codecs": codec_list(args)}),
        workdir=workdir)
    step = VoxgateStep(calls, None, None, 0.0, 0.0, 0.0, 0.0, 0.0, None)
    try:
        server.start()
        time.sleep(1.0)
        step.rss_idle_mib, _ = memory_mib(server.pid)
        host, port = server.address
        command = [str(harness.voxgate_bin()), "--log-level", "info", "media-load", f"sip:echo@{host}:{port}",
                   "--calls", str(calls), "--rate", f"{args.rate:g}", "--hold-ms", str(int(args.hold_seconds * 1000)),
                   "--threads", str(args.generator_threads), "--config", str(generator_config(args, workdir))]
        bound = calls / args.rate + args.hold_seconds + 90
        marks: dict[str, tuple[float, float, float]] = {}
        generator = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)

        def on_stderr(line: str) -> None:
            # Sampled as the generator opens and closes its window.
            for mark in ("hold-start", "hold-end"):
                if f"media-load: {mark}" in line:
                    marks[mark] = (time.monotonic(), cpu_seconds(server.pid), cpu_seconds(generator.pid))
                    if mark == "hold-end":
                        step.rss_hold_mib, _ = memory_mib(server.pid)

        out = LineReader(generator.stdout)
        err = LineReader(generator.stderr, on_stderr)
        try:
            step.returncode = generator.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            stop_process(generator)
            step.error = f"media-load still running after {bound:.0f} s"
        out.join()
        err.join()
        # Kept with voxgate's log for a post-mortem (VOXGATE_KEEP_TMP=1 keeps the directory).
        (workdir / "media-load.out").write_text("\n".join(out.lines + err.lines) + "\n")
        step.generator = out.last_json()
        if step.generator is None and not step.error:
            step.error = "media-load printed no result: " + " | ".join(err.lines[-5:])
        if "hold-start" in marks and "hold-end" in marks:
            (t0, v0, g0), (t1, v1, g1) = marks["hold-start"], marks["hold-end"]
            step.hold_s, step.voxgate_cpu_s, step.generator_cpu_s = t1 - t0, v1 - v0, g1 - g0
    except harness.HarnessError as e:
        step.error = str(e).splitlines()[0]
    finally:
        server.stop(timeout=30)
        step.server = parse_server_summary(harness.read_text(server.log_path))
        if step.server is None and not step.error:
            step.error = "no media summary in voxgate's log; it ends: " + " | ".join(server.log().splitlines()[-3:])
        harness.remove_work_dir(workdir)
    return step


# --------------------------------------------------------------------------
# (b) the physical limit: voxgate_udp_echo at the same packet rate
# --------------------------------------------------------------------------

@dataclasses.dataclass
class PhysicalStep:
    calls: int
    load: Optional[dict]  # the sender's JSON
    echo: Optional[dict]  # the echo's JSON
    echo_cpu_s: float
    seconds: float
    error: str = ""

    @property
    def echoed(self) -> int:
        return (self.echo or {}).get("sent", 0)

    @property
    def cpu_percent(self) -> float:
        return 100 * self.echo_cpu_s / self.seconds if self.seconds else float("nan")

    @property
    def sender_cpu_percent(self) -> float:
        """The paced sender's CPU (it reports its own; ~its whole run is sending)."""
        cpu = (self.load or {}).get("cpu_s")
        return 100 * cpu / self.seconds if cpu is not None and self.seconds else float("nan")

    @property
    def us_per_packet(self) -> float:
        return self.echo_cpu_s / self.echoed * 1e6 if self.echoed else float("nan")

    @property
    def one_core_pps(self) -> float:
        """Packets/s each way one core would echo at this cost per packet."""
        return 1e6 / self.us_per_packet if self.echoed else float("nan")


def run_physical_step(args, calls: int) -> PhysicalStep:
    binary = udp_echo_bin()
    step = PhysicalStep(calls, None, None, 0.0, 0.0)
    if not binary.is_file():
        step.error = f"{binary} not built (ninja voxgate_udp_echo)"
        return step
    ready = threading.Event()
    echo = subprocess.Popen([str(binary), "echo", "--sockets", str(calls), "--base-port", str(args.echo_base_port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    echo_out = LineReader(echo.stdout)
    echo_err = LineReader(echo.stderr, lambda line: ready.set() if "ready" in line else None)
    try:
        if not ready.wait(10) or echo.poll() is not None:
            step.error = "udp_echo did not start: " + " | ".join(echo_err.lines[-3:])
            return step
        started, cpu_before = time.monotonic(), cpu_seconds(echo.pid)
        try:
            load = subprocess.run([str(binary), "load", "--sockets", str(calls), "--base-port",
                                   str(args.echo_base_port), "--seconds", f"{args.hold_seconds:g}"],
                                  capture_output=True, text=True, timeout=args.hold_seconds + 30)
        except subprocess.TimeoutExpired:
            step.error = "udp_echo load did not finish"
            return step
        step.seconds, step.echo_cpu_s = time.monotonic() - started, cpu_seconds(echo.pid) - cpu_before
        lines = [line for line in load.stdout.splitlines() if line.startswith("{")]
        step.load = json.loads(lines[-1]) if lines else None
        if step.load is None:
            step.error = "udp_echo load printed no result: " + load.stderr.strip()[-200:]
    finally:
        stop_process(echo)
        echo_out.join()
        echo_err.join()
        step.echo = echo_out.last_json()
    return step


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"  # NaN != NaN


def report(args, steps: list[VoxgateStep], physical: list[PhysicalStep]) -> str:
    passed = [s.calls for s in steps if s.passed]
    lines = [
        f"## Media load: voxgate serve ({args.voxgate_threads} loops, app echo, {args.codecs}) "
        f"vs the physical limit",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `voxgate media-load` with {args.generator_threads} "
        f"loop(s) places the calls at {args.rate:g} calls/s and holds them {args.hold_seconds:g} s after the last "
        f"answer; RTP both ways, {PACKETS_PER_SECOND} packets/s per call each way; {os.cpu_count()} CPUs shared by "
        f"generator and voxgate; load average before the run {args.load_before}.",
        "",
        f"**Largest step passed: {max(passed) if passed else 'none'} concurrent calls** "
        f"(every call answered and held, loss < {LOSS_LIMIT:.1%} both ways, send-tick lateness p99 <= "
        f"{P99_LIMIT_MS:g} ms on the generator and on every voxgate loop)",
        "",
        "| calls | answered / failed | packets/s each way | loss back (hold) | loss at voxgate | generator tick "
        "p50 / p99 / max ms | voxgate tick p99 / max ms (worst loop) | voxgate CPU % | voxgate µs / echoed packet "
        "| voxgate RSS idle → hold MiB | KiB / call | generator CPU % | passed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for s in steps:
        g = s.generator or {}
        clock = s.window.get("clock") or {}
        server = s.server
        lines.append(
            f"| {s.calls} | {g.get('answered', 0)} / {g.get('failed', 0)} | {s.pps_each_way:,.0f} "
            f"| {s.window.get('loss_ratio', float('nan')):.4%} "
            f"| {(server.loss_ratio if server else float('nan')):.4%} "
            f"| {fmt(clock.get('p50_ms', float('nan')))} / {fmt(clock.get('p99_ms', float('nan')))} / "
            f"{fmt(clock.get('max_ms', float('nan')))} "
            f"| {fmt(server.worst_p99_ms if server else float('nan'))} / "
            f"{fmt(server.worst_max_ms if server else float('nan'))} "
            f"| {fmt(s.cpu_percent(s.voxgate_cpu_s))} | {fmt(s.voxgate_us_per_packet, 2)} "
            f"| {fmt(s.rss_idle_mib)} → {fmt(s.rss_hold_mib)} | {fmt(s.kib_per_call)} "
            f"| {fmt(s.cpu_percent(s.generator_cpu_s))} | {s.verdict} |")
    lines += [
        "",
        "Loss back: packets lost on the way generator → voxgate → generator during the hold (RTP sequence numbers "
        "at the generator). Loss at voxgate: what voxgate's streams counted lost from the generator over the "
        "whole calls (its shutdown summary). Tick lateness: how late each 20-ms send tick ran, 1-ms histogram "
        "(upper bounds); voxgate's over the whole step. CPU %: of one core, over the hold.",
        "",
    ]
    if physical:
        lines += [
            "### The physical limit: voxgate_udp_echo (one thread, epoll over one socket per call) at the same rate",
            "",
            "| sockets | packets/s each way | echo CPU % | echo µs / echoed packet | one core would echo (packets/s "
            "each way) | sender CPU % | loss | sender tick p99 ms | RTT p50 / p99 ms "
            "| voxgate ÷ echo CPU per packet |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        by_calls = {s.calls: s for s in steps}
        for p in physical:
            if p.load is None:
                lines.append(f"| {p.calls} | | | | | | | | | {p.error} |")
                continue
            vox = by_calls.get(p.calls)
            ratio = (vox.voxgate_us_per_packet / p.us_per_packet) if vox and p.echoed else float("nan")
            rtt = p.load.get("rtt", {})
            lines.append(
                f"| {p.calls} | {p.load.get('pps_each_way', 0):,.0f} | {fmt(p.cpu_percent)} "
                f"| {fmt(p.us_per_packet, 2)} "
                f"| {p.one_core_pps:,.0f} | {fmt(p.sender_cpu_percent)} | {p.load.get('loss_ratio', float('nan')):.4%} "
                f"| {fmt(p.load.get('clock', {}).get('p99_ms', float('nan')))} "
                f"| {fmt(rtt.get('p50_ms', float('nan')), 2)} / {fmt(rtt.get('p99_ms', float('nan')), 2)} "
                f"| {fmt(ratio)}× |")
        lines.append("")
    return "\n".join(lines)


def raise_fd_limit(calls: int) -> None:
    """Both processes need ~2 descriptors per call (children inherit ours)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    if 2 * calls + 200 > soft:
        print(f"warning: {calls} calls need ~{2 * calls + 200} descriptors per process; the limit is {soft}",
              file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", default=",".join(map(str, DEFAULT_CALLS)), help="steps: concurrent calls")
    parser.add_argument("--rate", type=float, default=250.0, help="calls placed per second")
    parser.add_argument("--hold-seconds", type=float, default=20.0, help="hold after the last call is answered")
    parser.add_argument("--voxgate-threads", type=int, default=2)
    parser.add_argument("--generator-threads", type=int, default=1)
    parser.add_argument("--codecs", default="PCMU,telephone-event",
                        help="[media] codecs of both sides; without telephone-event both run in-band DTMF detection")
    parser.add_argument("--voxgate-ports", default="16000-32767", help="voxgate's RTP port range")
    parser.add_argument("--generator-ports", default="33000-60999", help="the generator's RTP port range")
    parser.add_argument("--echo-base-port", type=int, default=16000, help="udp_echo binds N ports from here")
    parser.add_argument("--no-physical", action="store_true", help="skip the udp_echo comparison")
    parser.add_argument("--keep-going", action="store_true", help="do not stop at the first step that fails")
    parser.add_argument("--max-total-seconds", type=float, default=1800.0, help="no new step starts after this")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()

    reason = harness.voxgate_missing("media-load", ("--calls", "--rate", "--hold-ms", "--threads"))
    if reason:
        sys.exit(f"cannot benchmark voxgate: {reason}")
    steps_asked = [int(c) for c in args.calls.split(",") if c]
    raise_fd_limit(max(steps_asked))
    args.load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    started = time.monotonic()
    steps: list[VoxgateStep] = []
    physical: list[PhysicalStep] = []
    for calls in steps_asked:
        if time.monotonic() - started > args.max_total_seconds:
            print(f"budget of {args.max_total_seconds:g} s spent: stopping before {calls} calls", file=sys.stderr)
            break
        step = run_voxgate_step(args, calls)
        steps.append(step)
        clock = step.window.get("clock") or {}
        print(f"{calls:5d} calls: {step.answered} answered, loss back {step.window.get('loss_ratio', float('nan')):.4%}"
              f", generator p99 {clock.get('p99_ms', float('nan'))} ms, voxgate p99 "
              f"{step.server.worst_p99_ms if step.server else 'n/a'} ms, voxgate CPU "
              f"{fmt(step.cpu_percent(step.voxgate_cpu_s))} %, {fmt(step.kib_per_call)} KiB/call: "
              f"{'passed' if step.passed else 'NOT passed (' + ', '.join(step.failures) + ')'}", file=sys.stderr)
        if not args.no_physical:
            time.sleep(1)
            p = run_physical_step(args, calls)
            physical.append(p)
            print(f"{calls:5d} sockets, udp_echo: {fmt(p.cpu_percent)} % CPU, {fmt(p.us_per_packet, 2)} µs/packet "
                  f"{p.error}", file=sys.stderr)
        if not step.passed and not args.keep_going:
            break
        time.sleep(1)
    text = report(args, steps, physical)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
