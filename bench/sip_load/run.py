#!/usr/bin/env python3
"""SIP load benchmark: SIPp's built-in uac (INVITE, 200, ACK, BYE, 200; no
pause) against a responder, on the loopback, bounded in time.

  (a) call-setup latency at 1000 and 2000 calls/s (--latency-rates):
      percentiles of INVITE sent -> 200 received per call, from SIPp's
      -trace_shortmsg timestamps (us; SIPp's own -trace_rtt has whole ms on
      a 4 ms grid). They include SIPp's own loop delays on both ends.
  (b) memory per call held: --hold-calls calls (4000) set up at 1000/s and
      all held at once; the responder's RSS growth over them.
  (c) ramp: one step per rate (default 1000 ... 20000 calls/s, ~5 s each);
      a step is clean when every call succeeded, SIPp retransmitted nothing
      and it reached 90 % of the asked rate. The ramp stops at the first
      step that is not clean; the last clean rate is the result.
  (d) the responder's CPU seconds (utime+stime from /proc/PID/stat, all
      threads) per 1000 calls and its RSS, per step.

  (b), then (a), run first, on a responder no overload has touched yet.

Responders:
  --peer sipp       SIPp's own `-sn uas` (the baseline: what the harness and
                    this machine can do)
  --peer voxgate    `voxgate serve` as tests/integration/sip/harness.py
                    starts it (VOXGATE_BIN, default build/release/voxgate),
                    with its per-source rate limit lifted
  --target HOST:PORT --pid PID   anything already running

Prints a Markdown report (and writes it to --output). Stdlib only.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "sip"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import harness  # noqa: E402  (the one place that knows voxgate's command line)

DEFAULT_RATES = (1000, 2000, 4000, 6000, 8000, 10000, 12000, 16000, 20000)
BUFF_SIZE = "4194304"
# A step must create calls at this share of the asked rate. SIPp's CallRate(C)
# divides by the whole run, including the last calls' completion, which
# costs a short step a few per cent even when nothing is wrong.
ACHIEVED_SHARE = 0.90
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------
# Responder process accounting
# --------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of `pid` (fields 14 and 15)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclasses.dataclass
class Step:
    rate: int
    calls: int
    achieved: float
    successful: int
    failed: int
    retransmissions: int
    unexpected: int
    responder_cpu_s: float
    client_cpu_s: float
    rss_mib: float
    seconds: float
    timed_out: bool
    latencies_ms: list[float]

    @property
    def complete(self) -> bool:
        """False when SIPp stopped (its -timeout) before every call ended."""
        return self.successful + self.failed >= self.calls

    @property
    def verdict(self) -> str:
        if self.clean:
            return "yes"
        why = [w for w, bad in (("timeout", self.timed_out), ("incomplete", not self.complete),
                                ("failed", self.failed > 0), ("retrans", self.retransmissions > 0),
                                ("slow", self.achieved < ACHIEVED_SHARE * self.rate)) if bad]
        return "NO (" + ", ".join(why) + ")"

    @property
    def clean(self) -> bool:
        return (not self.timed_out and self.failed == 0 and self.retransmissions == 0
                and self.successful == self.calls and self.achieved >= ACHIEVED_SHARE * self.rate)

    def per_1000(self, cpu: float) -> float:
        return cpu / self.successful * 1000 if self.successful else float("nan")


def uac(target: tuple[str, int], transport: str, rate: int, calls: int, max_seconds: float, workdir: Path, *,
        hold_ms: int = 0, latency: bool = False) -> harness.SippProcess:
    """SIPp's built-in uac: `calls` calls at `rate`, each held `hold_ms`
    between ACK and BYE."""
    return harness.SippProcess(
        "uac", remote=target, transport=transport, calls=calls, rate=rate, trace_msg=False, trace_shortmsg=latency,
        max_seconds=max_seconds, workdir=workdir,
        extra=["-d", str(hold_ms), "-buff_size", BUFF_SIZE, "-l", "50000", "-max_recv_loops", "10000"])


def run_step(target: tuple[str, int], pid: int, transport: str, rate: int, seconds: float,
             latency: bool = False) -> Step:
    calls = int(rate * seconds)
    workdir = harness.work_dir(f"load-{rate}")
    try:
        proc = uac(target, transport, rate, calls, seconds * 3 + 10, workdir, latency=latency)
        cpu_before, client_before = cpu_seconds(pid), children_cpu()
        started = time.monotonic()
        proc.start(wait_bound=False)
        result = proc.result()
        elapsed = time.monotonic() - started
        cpu_after, client_after = cpu_seconds(pid), children_cpu()
        rss, _ = memory_mib(pid)
        try:
            achieved = float(result.stats.get("CallRate(C)", "0") or 0)
        except ValueError:
            achieved = 0.0
        return Step(rate, calls, achieved, result.successful, result.failed, result.retransmissions,
                    result.unexpected, cpu_after - cpu_before, client_after - client_before, rss, elapsed,
                    result.timed_out, result.setup_latencies_ms() if latency else [])
    finally:
        harness.remove_work_dir(workdir)


@dataclasses.dataclass
class Held:
    """Memory per call held: `calls` calls up at once (SIPp holds each
    `hold_ms` after its ACK), the responder's RSS before and at the plateau."""
    calls: int
    rss_before_mib: float
    rss_held_mib: float
    successful: int
    failed: int

    @property
    def kib_per_call(self) -> float:
        return (self.rss_held_mib - self.rss_before_mib) * 1024 / self.calls


def run_hold(target: tuple[str, int], pid: int, transport: str, calls: int, rate: int) -> Held:
    """Sets up `calls` calls at `rate` and holds each until all are up (and
    2 s more), reading RSS while every one of them is established."""
    ramp_s = calls / rate
    hold_ms = int((ramp_s + 2) * 1000)
    workdir = harness.work_dir("load-hold")
    try:
        rss_before, _ = memory_mib(pid)
        proc = uac(target, transport, rate, calls, ramp_s + hold_ms / 1000 + 20, workdir, hold_ms=hold_ms)
        proc.start(wait_bound=False)
        time.sleep(ramp_s + 1)  # the last call is up; the first one hangs up at ramp_s + 2
        rss_held, _ = memory_mib(pid)
        result = proc.result()
        return Held(calls, rss_before, rss_held, result.successful, result.failed)
    finally:
        harness.remove_work_dir(workdir)


# --------------------------------------------------------------------------
# Responders
# --------------------------------------------------------------------------

class Responder:
    def __init__(self, name: str, address: tuple[str, int], pid: int, stop=lambda: None):
        self.name, self.address, self.pid, self.stop = name, address, pid, stop


def start_responder(args) -> Responder:
    if args.target:
        host, _, port = args.target.rpartition(":")
        if not args.pid:
            sys.exit("--target needs --pid (whose CPU and memory to measure)")
        return Responder(f"external {args.target}", (host, int(port)), args.pid)
    if args.peer == "sipp":
        uas = harness.SippProcess("uas", transport=args.transport, calls=None, trace_msg=False,
                                  max_seconds=args.max_total_seconds + 60,
                                  extra=["-buff_size", BUFF_SIZE, "-max_recv_loops", "10000"])
        uas.start()
        return Responder("SIPp -sn uas", uas.address, uas.pid, lambda: uas.__exit__(None, None, None))
    reason = harness.voxgate_missing("serve", harness.SERVE_OPTIONS)
    if reason:
        sys.exit(f"cannot benchmark voxgate: {reason}")
    server = harness.VoxgateServer(harness.ServeOptions(unlimited_rate=True, log_level="warn",
                                                        threads=args.voxgate_threads))
    server.start()
    return Responder(f"voxgate serve ({args.voxgate_threads} threads)", server.address, server.pid,
                     lambda: server.__exit__(None, None, None))


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(args, responder: Responder, steps: list[Step], latencies: list[Step], held: Optional[Held],
           peak_rss: float) -> str:
    clean = [s.rate for s in steps if s.clean]
    lines = [
        f"## SIP load: {responder.name}, {args.transport.upper()}",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, SIPp built-in uac (INVITE/200/ACK/BYE/200, -d 0, "
        f"-buff_size {BUFF_SIZE}), {args.step_seconds:g} s per step, {os.cpu_count()} CPUs shared by client and "
        f"responder; load average before the run {args.load_before}.",
        "",
        f"**Highest clean rate: {max(clean) if clean else 'none'} calls/s** "
        f"(every call succeeded, no retransmission, >= {ACHIEVED_SHARE:.0%} of the asked rate)",
        "",
        "| asked calls/s | achieved calls/s | calls ok / asked | failed | retrans | unexpected "
        "| responder CPU s / 1000 calls | responder RSS MiB | SIPp uac CPU s / 1000 calls | clean |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for s in steps:
        lines.append(
            f"| {s.rate} | {s.achieved:.0f} | {s.successful} / {s.calls} | {s.failed} | {s.retransmissions} "
            f"| {s.unexpected} | {s.per_1000(s.responder_cpu_s):.3f} | {s.rss_mib:.1f} "
            f"| {s.per_1000(s.client_cpu_s):.3f} | {s.verdict} |")
    lines += ["", f"Responder peak RSS (VmHWM): {peak_rss:.1f} MiB.", ""]
    if latencies:
        lines += [
            "### Call-setup latency (INVITE sent -> 200 received, as SIPp's uac timestamps them; fresh responder)",
            "",
            "| calls/s | calls measured | failed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | mean ms |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for latency in latencies:
            rtt = latency.latencies_ms
            lines.append(
                f"| {latency.rate} | {len(rtt)} | {latency.failed} | {percentile(rtt, 50):.3f} "
                f"| {percentile(rtt, 90):.3f} | {percentile(rtt, 99):.3f} | {percentile(rtt, 99.9):.3f} "
                f"| {max(rtt) if rtt else float('nan'):.3f} | {statistics.fmean(rtt) if rtt else float('nan'):.3f} |")
        lines.append("")
    if held is not None:
        lines += [
            f"### Memory per call held ({held.calls} calls up at once)",
            "",
            "| calls held | ok / failed | RSS before MiB | RSS held MiB | KiB per call |",
            "|---:|---:|---:|---:|---:|",
            f"| {held.calls} | {held.successful} / {held.failed} | {held.rss_before_mib:.1f} "
            f"| {held.rss_held_mib:.1f} | {held.kib_per_call:.1f} |",
            "",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", choices=("sipp", "voxgate"), default="sipp")
    parser.add_argument("--target", help="HOST:PORT of a responder already running")
    parser.add_argument("--pid", type=int, help="its pid (with --target)")
    parser.add_argument("--transport", choices=("udp", "tcp"), default="udp")
    parser.add_argument("--rates", default=",".join(map(str, DEFAULT_RATES)))
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--latency-rates", default="1000,2000", help="empty to skip the latency runs")
    parser.add_argument("--hold-calls", type=int, default=4000, help="0 to skip the memory-per-call run")
    parser.add_argument("--latency-seconds", type=float, default=5.0)
    parser.add_argument("--max-total-seconds", type=float, default=300.0,
                        help="no new step starts after this budget")
    parser.add_argument("--voxgate-threads", type=int, default=2)
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    harness.require_tool("sipp")

    rates = [int(r) for r in args.rates.split(",") if r]
    # Other work on this machine moves the numbers: say how busy it was.
    args.load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    started = time.monotonic()
    responder = start_responder(args)
    steps: list[Step] = []
    latencies: list[Step] = []
    held = None
    try:
        # Latency and memory first, on a responder that no overload has
        # touched yet; then the ramp, which ends by overloading it.
        if args.hold_calls:
            held = run_hold(responder.address, responder.pid, args.transport, args.hold_calls, 1000)
            print(f"held {held.calls} calls: {held.kib_per_call:.1f} KiB per call", file=sys.stderr)
            time.sleep(2)
        for rate in [int(r) for r in args.latency_rates.split(",") if r]:
            latencies.append(run_step(responder.address, responder.pid, args.transport, rate, args.latency_seconds,
                                      latency=True))
            time.sleep(1)
        for rate in rates:
            if time.monotonic() - started > args.max_total_seconds:
                print(f"budget of {args.max_total_seconds:g} s spent: stopping before {rate} calls/s",
                      file=sys.stderr)
                break
            step = run_step(responder.address, responder.pid, args.transport, rate, args.step_seconds)
            steps.append(step)
            print(f"{rate:6d} calls/s: {step.successful}/{step.calls} ok, {step.failed} failed, "
                  f"{step.retransmissions} retrans, achieved {step.achieved:.0f}/s, "
                  f"{'clean' if step.clean else 'NOT clean'}", file=sys.stderr)
            if not step.clean:
                break
            time.sleep(1)  # let the responder finish its timewaits
        _, peak_rss = memory_mib(responder.pid)
    finally:
        responder.stop()
    text = report(args, responder, steps, latencies, held, peak_rss)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
