#!/usr/bin/env python3
"""Control-plane load benchmark (issue 6): REST API latency with N live
sessions, and SIP call-setup latency with and without API load, on the
loopback, bounded in time.

One `voxgate serve` (UDP, per-source rate limit lifted, [media] app "echo"
with no media timeout, started by tests/integration/sip/harness.py with an
API token) for the whole run:

  (a) N live sessions (--sessions, default 10,000): SIPp places N calls
      at --setup-rate calls/s (scenarios/uac_hold_rtcp_mux.xml: the
      built-in uac whose offer asks for rtcp-mux) and holds each (-d)
      until the end of the run; the run waits until /metrics shows
      voxgate_sessions{state="connected"|"on_hold"} >= N. The streams are
      inactive (on hold): no RTP either way, an RTP socket open per call.
  (b) API latency, one path at a time, with bench/api_load's generator
      (voxgate_api_load, keep-alive connections):
        GET /v1/sessions?limit=100      (--list-path: a page of 100 of N)
        GET /v1/sessions/{1-N}          a random live session each time
      each open loop at --latency-rate requests/s (latency from when a
      request was due: p50/p90/p99/max), then closed loop on
      --api-connections connections (the most this path serves per second
      on this machine, and its latency when saturated).
  (c) SIP call-setup latency under API load: a second SIPp uac places
      --calls calls at --call-rate calls/s (-d 0); per call, INVITE sent ->
      200 received from -trace_shortmsg (as bench/sip_load/run.py). Once
      with the API idle (baseline), once while the generator drives
      --api-rate requests/s open loop (--load-paths: 90 % gets, 10 % lists)
      at the API for the whole SIPp run; --rounds alternates the pair.
      Reported: both p99s and the degradation, (loaded - baseline) /
      baseline. Issue 6's goal: <= 10 % at 5,000 requests/s. The loaded
      run counts only if the generator reached 95 % of --api-rate without
      errors and every call succeeded.

voxgate's CPU (utime+stime from /proc) is read around every phase. Every
process is bounded: SIPp by its -timeout, the generator by a subprocess
timeout, voxgate by the harness's SIGTERM-then-SIGKILL.

VOXGATE_BIN (default build/release/voxgate) and API_LOAD_BIN (default
bench/api_load/voxgate_api_load in the same build directory as voxgate)
select the binaries. Prints a summary, then a Markdown block for
BENCHMARKS.md (and writes it to --output). Stdlib only.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "sip"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import harness  # noqa: E402  (the one place that knows voxgate's command line)

HOLD_SCENARIO = Path(__file__).resolve().parent / "scenarios" / "uac_hold_rtcp_mux.xml"
BUFF_SIZE = "4194304"
CLK_TCK = os.sysconf("SC_CLK_TCK")
GOAL_DEGRADATION = 10.0  # % (issue 6)
LOAD_REACHED_SHARE = 0.95  # the loaded run counts when the generator achieved this share of --api-rate


def api_load_bin() -> Path:
    """$API_LOAD_BIN, else the generator built beside $VOXGATE_BIN."""
    env = os.environ.get("API_LOAD_BIN")
    if env:
        path = Path(env)
        return path if path.is_absolute() else REPO_ROOT / path
    return harness.voxgate_bin().parent / "bench" / "api_load" / "voxgate_api_load"


def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of `pid` (fields 14 and 15)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def raise_fd_limit(sessions: int, calls_in_flight: int) -> int:
    """voxgate holds one descriptor per held session (their offer asks for
    rtcp-mux, so the RTCP port is closed: ADR 0004) and two per call of the
    setup phase (SIPp's built-in uac offers no mux); children inherit this
    process's limit. Raises the soft limit, and the hard one when allowed
    (CAP_SYS_RESOURCE); returns the soft limit."""
    need = sessions + 2 * calls_in_flight + 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if need > hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            return need
        except (ValueError, OSError):
            pass
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    if need > soft:
        print(f"warning: {sessions} sessions need ~{need} descriptors in voxgate; the limit is {soft}: "
              f"expect about {soft - 1024 - 2 * calls_in_flight} sessions at most", file=sys.stderr)
    return soft


# --------------------------------------------------------------------------
# The API, as a client (stdlib)
# --------------------------------------------------------------------------

class Api:
    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token

    def get_text(self, path: str, timeout: float = 10) -> str:
        request = urllib.request.Request(self.base_url + path, headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read().decode()

    def sessions_by_state(self) -> dict[str, int]:
        """voxgate_sessions{state="..."} from /metrics."""
        found = {}
        for m in re.finditer(r'^voxgate_sessions\{state="([a-z_]+)"\} (\d+)', self.get_text("/metrics"), re.MULTILINE):
            found[m.group(1)] = int(m.group(2))
        return found


# --------------------------------------------------------------------------
# The load generator (bench/api_load/api_load.cpp)
# --------------------------------------------------------------------------

@dataclasses.dataclass
class LoadResult:
    command: list[str]
    data: dict  # the RESULT line's JSON ({} when it never printed one)
    output: str
    returncode: Optional[int]

    @property
    def total(self) -> dict:
        return self.data.get("total", {})

    def path(self, label: str) -> dict:
        return next((p for p in self.data.get("paths", []) if p["path"] == label), {})

    @property
    def achieved(self) -> float:
        return float(self.data.get("achieved_rate", 0.0))

    @property
    def errors(self) -> int:
        return int(self.total.get("errors", 0)) if self.data else -1


class LoadGenerator:
    """voxgate_api_load in the background; result() waits (bounded) and
    parses its RESULT line."""

    def __init__(self, api: Api, paths: list[str], *, rate: float, connections: int, duration: float,
                 warmup: float = 1.0, threads: int = 1, nice: int = 0):
        self.duration, self.warmup, self.nice = duration, warmup, nice
        self.command = [str(api_load_bin()), "--url", api.base_url, "--token", api.token,
                        "--connections", str(connections), "--threads", str(threads), "--rate", f"{rate:g}",
                        "--duration", f"{duration:g}", "--warmup", f"{warmup:g}", "--timeout-ms", "5000"]
        for path in paths:
            self.command += ["--path", path]
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> "LoadGenerator":
        # A niced generator stands for clients on other machines: its own
        # CPU then yields to SIPp's and voxgate's (see --generator-nice).
        preexec = (lambda: os.nice(self.nice)) if self.nice > 0 else None
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, preexec_fn=preexec)
        return self

    def result(self) -> LoadResult:
        assert self.proc is not None
        try:
            output, _ = self.proc.communicate(timeout=self.warmup + self.duration + 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            output, _ = self.proc.communicate()
            output += "\n(killed: still running after its duration + 30 s)"
        data = {}
        for line in output.splitlines():
            if line.startswith("RESULT "):
                data = json.loads(line[len("RESULT "):])
        if not data:
            print(f"load generator gave no result (exit {self.proc.returncode}):\n{output[-3000:]}", file=sys.stderr)
        return LoadResult(self.command, data, output, self.proc.returncode)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run_load(api: Api, paths: list[str], **kw) -> LoadResult:
    gen = LoadGenerator(api, paths, **kw).start()
    try:
        return gen.result()
    finally:
        gen.stop()


# --------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------

@dataclasses.dataclass
class Population:
    asked: int
    connected: int
    seconds: float
    rss_before_mib: float
    rss_after_mib: float
    sipp_failed: int


def live_sessions(api: Api) -> int:
    """The held calls: answered, and on hold because their offer is
    a=inactive (scenarios/uac_hold_rtcp_mux.xml)."""
    states = api.sessions_by_state()
    return states.get("connected", 0) + states.get("on_hold", 0)


def establish(server: harness.VoxgateServer, api: Api, args) -> tuple[harness.SippProcess, Population]:
    """(a): N calls held by one SIPp until the end of the run."""
    ramp_s = args.sessions / args.setup_rate
    hold_s = args.max_total_seconds + 60  # longer than anything after; stopped explicitly
    rss_before = rss_mib(server.pid)
    holder = harness.SippProcess(
        str(HOLD_SCENARIO), remote=server.address, transport="udp", calls=args.sessions, rate=args.setup_rate, trace_msg=False,
        max_seconds=ramp_s + hold_s + 60,
        extra=["-d", str(int(hold_s * 1000)), "-l", str(args.sessions + 100), "-buff_size", BUFF_SIZE,
               "-max_recv_loops", "10000"])
    started = time.monotonic()
    holder.start()
    deadline = started + ramp_s * 3 + 30
    connected = 0
    while time.monotonic() < deadline:
        time.sleep(1)
        if holder.proc is not None and holder.proc.poll() is not None:
            break  # SIPp gave up (see its errors)
        connected = live_sessions(api)
        if connected >= args.sessions:
            break
    seconds = time.monotonic() - started
    time.sleep(1)  # the last ACKs
    failed = 0
    if holder.proc is not None and holder.proc.poll() is not None:
        failed = holder.result(timeout=5).failed
    return holder, Population(args.sessions, connected, seconds, rss_before, rss_mib(server.pid), failed)


@dataclasses.dataclass
class LatencyRun:
    label: str
    mode: str  # "open loop N/s" or "closed loop"
    result: LoadResult
    voxgate_cpu_pct: float


def api_latency(server: harness.VoxgateServer, api: Api, args, label: str, path: str) -> list[LatencyRun]:
    """(b): one path, open loop at --latency-rate, then closed loop."""
    runs = []
    for mode, rate, connections in ((f"open loop {args.latency_rate:g}/s", args.latency_rate,
                                     args.latency_connections),
                                    ("closed loop", 0.0, args.api_connections)):
        cpu_before, t0 = cpu_seconds(server.pid), time.monotonic()
        result = run_load(api, [path], rate=rate, connections=connections, duration=args.api_seconds,
                          threads=args.load_threads)
        cpu = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - t0) * 100
        runs.append(LatencyRun(label, mode, result, cpu))
        p = result.total
        print(f"  {label:<5} {mode:<18} {result.achieved:8.0f} req/s  p50 {p.get('p50_ms', float('nan')):.3f} ms  "
              f"p99 {p.get('p99_ms', float('nan')):.3f} ms  errors {result.errors}  voxgate CPU {cpu:.0f} %",
              file=sys.stderr)
        time.sleep(1)
    return runs


@dataclasses.dataclass
class SetupRun:
    label: str  # "baseline" or "API load"
    calls: int
    successful: int
    failed: int
    retransmissions: int
    timed_out: bool
    latencies_ms: list[float]
    voxgate_cpu_pct: float
    load: Optional[LoadResult] = None

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    @property
    def clean(self) -> bool:
        return not self.timed_out and self.failed == 0 and self.successful == self.calls

    @property
    def load_reached(self) -> bool:
        if self.load is None:
            return True
        target = float(self.load.data.get("target_rate", 0) or 0)
        return self.load.errors == 0 and self.load.achieved >= LOAD_REACHED_SHARE * target


def call_setup(server: harness.VoxgateServer, api: Api, args, label: str, load_paths: list[str],
               with_load: bool) -> SetupRun:
    """(c): --calls calls at --call-rate, -d 0, with or without the API load."""
    sipp_s = args.calls / args.call_rate
    workdir = harness.work_dir("api-load-setup")
    gen = None
    try:
        if with_load:
            warmup = 2.0
            gen = LoadGenerator(api, load_paths, rate=args.api_rate, connections=args.api_connections,
                                nice=args.generator_nice,
                                duration=sipp_s + 4, warmup=warmup, threads=args.load_threads).start()
            time.sleep(warmup + 0.5)  # SIPp starts once the load is steady
        proc = harness.SippProcess(
            "uac", remote=server.address, transport="udp", calls=args.calls, rate=args.call_rate, trace_msg=False,
            trace_shortmsg=True, max_seconds=sipp_s * 3 + 20, workdir=workdir,
            extra=["-d", "0", "-buff_size", BUFF_SIZE, "-l", str(args.calls), "-max_recv_loops", "10000"])
        cpu_before, t0 = cpu_seconds(server.pid), time.monotonic()
        proc.start(wait_bound=False)
        result = proc.result()
        cpu = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - t0) * 100
        load = gen.result() if gen is not None else None
        run = SetupRun(label, args.calls, result.successful, result.failed, result.retransmissions, result.timed_out,
                       result.setup_latencies_ms(), cpu, load)
        extra = (f", API {load.achieved:.0f} req/s ({load.errors} errors)" if load is not None else "")
        print(f"  {label:<9} {run.successful}/{run.calls} ok, {run.retransmissions} retrans, p50 {run.p(50):.3f} ms "
              f"p99 {run.p(99):.3f} ms, voxgate CPU {cpu:.0f} %{extra}", file=sys.stderr)
        return run
    finally:
        if gen is not None:
            gen.stop()
        harness.remove_work_dir(workdir)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt_ms(value) -> str:
    return "n/a" if value is None or value != value else f"{value:.3f}"


def describe_mix(paths: list[str]) -> str:
    """"9*/a,/b" as "90 % `GET /a`, 10 % `GET /b`" (the generator's --path weights)."""
    weighted = []
    for spec in paths:
        weight, star, path = spec.partition("*")
        weighted.append((float(weight), path) if star and not spec.startswith("/") else (1.0, spec))
    total = sum(w for w, _ in weighted)
    return ", ".join(f"{100 * w / total:.0f} % `GET {p}`" for w, p in weighted)


def degradation(baseline: float, loaded: float) -> float:
    return (loaded - baseline) / baseline * 100 if baseline > 0 else float("nan")


def report(args, command: str, population: Population, latency: list[LatencyRun], setups: list[SetupRun],
           load_paths: list[str], peak_rss: float) -> str:
    lines = [
        f"## Control-plane load: {population.connected:,} live sessions",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `voxgate serve` ({args.voxgate_threads} worker "
        f"threads, UDP, media app echo), SIPp built-in uac, `voxgate_api_load` "
        f"(keep-alive, {args.load_threads} thread); everything on the loopback of one machine with "
        f"{os.cpu_count()} CPUs; load average before the run {args.load_before}.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Sessions: {population.connected:,} of {population.asked:,} answered (on hold: a=inactive) after {population.seconds:.0f} s "
        f"(set up at {args.setup_rate:g} calls/s); voxgate RSS {population.rss_before_mib:.1f} → "
        f"{population.rss_after_mib:.1f} MiB, peak {peak_rss:.1f} MiB.",
        "",
    ]
    if latency:
        lines += [
            f"### API latency, {population.connected:,} live sessions",
            "",
            "Open loop: latency from when each request was due. Closed loop: "
            f"{args.api_connections} connections as fast as answered (the path's throughput here).",
            "",
            "| request | load | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | errors | response bytes "
            "| voxgate CPU % |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in latency:
            t = run.result.total
            path = run.result.data.get("paths", [{}])[0].get("path", "?")
            lines.append(
                f"| `GET {path}` | {run.mode} | {run.result.achieved:,.0f} | {fmt_ms(t.get('p50_ms'))} "
                f"| {fmt_ms(t.get('p90_ms'))} | **{fmt_ms(t.get('p99_ms'))}** | {fmt_ms(t.get('max_ms'))} "
                f"| {run.result.errors} | {t.get('body_bytes_mean', 0):,.0f} | {run.voxgate_cpu_pct:.0f} |")
        lines.append("")
    if setups:
        base = [s for s in setups if s.load is None]
        loaded = [s for s in setups if s.load is not None]
        lines += [
            f"### SIP call-setup latency with and without {args.api_rate:,.0f} API requests/s",
            "",
            f"{args.calls:,} calls at {args.call_rate:g} calls/s (-d 0) per run, INVITE sent → 200 received "
            f"(SIPp -trace_shortmsg), with the {population.connected:,} sessions held. API load: open loop, "
            f"{args.api_connections} connections, {describe_mix(load_paths)}; the generator at nice "
            f"{args.generator_nice}, voxgate's API thread at [api] nice "
            f"{args.api_nice if args.api_nice is not None else '19 (the default)'}.",
            "",
            "| run | calls ok / asked | retrans | p50 ms | p90 ms | p99 ms | max ms | API req/s achieved "
            "| API p50 / p99 ms | API errors | voxgate CPU % |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in setups:
            api_cols = "— | — | —"
            if s.load is not None:
                t = s.load.total
                api_cols = (f"{s.load.achieved:,.0f} | {fmt_ms(t.get('p50_ms'))} / {fmt_ms(t.get('p99_ms'))} "
                            f"| {s.load.errors}")
            lines.append(
                f"| {s.label} | {s.successful:,} / {s.calls:,} | {s.retransmissions} | {fmt_ms(s.p(50))} "
                f"| {fmt_ms(s.p(90))} | **{fmt_ms(s.p(99))}** | {fmt_ms(max(s.latencies_ms, default=float('nan')))} "
                f"| {api_cols} | {s.voxgate_cpu_pct:.0f} |")
        lines.append("")
        if base and loaded:
            p99_base = statistics.median(s.p(99) for s in base)
            p99_load = statistics.median(s.p(99) for s in loaded)
            worse = degradation(p99_base, p99_load)
            valid = all(s.clean and s.load_reached for s in loaded) and all(s.clean for s in base)
            median_note = " (medians over the rounds)" if len(base) > 1 else ""
            if not valid:
                verdict = ("not judged: a run was not clean (failed calls, or the generator missed "
                           f"{LOAD_REACHED_SHARE:.0%} of {args.api_rate:,.0f} req/s or had errors)")
            elif worse <= GOAL_DEGRADATION:
                verdict = f"goal (≤ {GOAL_DEGRADATION:g} %) met"
            else:
                verdict = f"goal (≤ {GOAL_DEGRADATION:g} %) NOT met"
            lines += [
                f"**Call-setup p99{median_note}: {fmt_ms(p99_base)} ms without API load, {fmt_ms(p99_load)} ms "
                f"with {args.api_rate:,.0f} req/s: {worse:+.1f} %** — {verdict}.",
                "",
            ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10000, help="live sessions held during the measurements")
    parser.add_argument("--setup-rate", type=float, default=500.0, help="calls/s while establishing them")
    parser.add_argument("--list-path", default="/v1/sessions?limit=100")
    parser.add_argument("--api-seconds", type=float, default=10.0, help="each API latency run (b)")
    parser.add_argument("--latency-rate", type=float, default=200.0, help="(b) open-loop requests/s")
    parser.add_argument("--latency-connections", type=int, default=4, help="(b) open-loop connections")
    parser.add_argument("--api-connections", type=int, default=16, help="closed loop (b) and the load in (c)")
    parser.add_argument("--load-threads", type=int, default=1, help="generator threads")
    parser.add_argument("--api-nice", type=int, default=None,
                        help="voxgate's [api] nice (default: voxgate's own, 19)")
    parser.add_argument("--generator-nice", type=int, default=19,
                        help="niceness of the generator during the loaded call-setup run (0: none): on a real "
                             "deployment API clients run elsewhere, here they share 2 vCPUs with SIPp and voxgate")
    parser.add_argument("--api-rate", type=float, default=5000.0, help="(c) API requests/s during the loaded run")
    parser.add_argument("--load-paths", default="9*/v1/sessions/{1-N},/v1/sessions?limit=100",
                        help="(c) the generator's --path list, comma-separated; N = --sessions")
    parser.add_argument("--calls", type=int, default=2000, help="(c) calls per call-setup run")
    parser.add_argument("--call-rate", type=float, default=100.0, help="(c) calls/s")
    parser.add_argument("--rounds", type=int, default=1, help="(c) baseline/loaded pairs, alternated")
    parser.add_argument("--skip-latency", action="store_true", help="skip (b)")
    parser.add_argument("--skip-setup", action="store_true", help="skip (c)")
    parser.add_argument("--voxgate-threads", type=int, default=2)
    parser.add_argument("--max-total-seconds", type=float, default=1200.0,
                        help="bounds the sessions' hold; no phase starts after it")
    parser.add_argument("--output", type=Path, help="also write the Markdown block here")
    args = parser.parse_args()
    harness.require_tool("sipp")
    reason = harness.voxgate_missing("serve", harness.SERVE_OPTIONS)
    if reason:
        sys.exit(f"cannot benchmark voxgate: {reason}")
    if not os.access(api_load_bin(), os.X_OK):
        sys.exit(f"no load generator at {api_load_bin()} (build voxgate_api_load, or set API_LOAD_BIN)")

    command = "bench/api_load/run.py " + " ".join(sys.argv[1:])
    args.load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    raise_fd_limit(args.sessions, int(args.call_rate * 2) + 100)
    n = args.sessions
    get_path = f"/v1/sessions/{{1-{n}}}"
    load_paths = [p.replace("{1-N}", f"{{1-{n}}}") for p in args.load_paths.split(",") if p]
    token = secrets.token_hex(16)
    started = time.monotonic()

    opts = harness.ServeOptions(transports=("udp",), unlimited_rate=True, log_level="warn",
                                threads=args.voxgate_threads, api_tokens=(token,),
                                media={"rtp_port_min": 20000, "rtp_port_max": 60000, "app": "echo",
                                       "media_timeout_ms": 0},
                                session_timer={"interval": 0}, api_nice=args.api_nice)
    server = harness.VoxgateServer(opts, ready_timeout=30)
    holder = None
    latency: list[LatencyRun] = []
    setups: list[SetupRun] = []
    try:
        server.start()
        api = Api(server.api_url, token)
        print(f"voxgate serve pid {server.pid}, SIP {server.address[0]}:{server.address[1]}, API {server.api_url}",
              file=sys.stderr)
        print(f"(a) establishing {n} sessions at {args.setup_rate:g}/s", file=sys.stderr)
        holder, population = establish(server, api, args)
        print(f"  {population.connected} connected after {population.seconds:.1f} s, RSS "
              f"{population.rss_before_mib:.1f} -> {population.rss_after_mib:.1f} MiB", file=sys.stderr)
        if population.connected < n:
            print(f"warning: only {population.connected} of {n} sessions connected; states "
                  f"{api.sessions_by_state()}; log:\n{server.log()}", file=sys.stderr)
        time.sleep(2)

        def budget_left(phase: str) -> bool:
            if time.monotonic() - started < args.max_total_seconds:
                return True
            print(f"budget of {args.max_total_seconds:g} s spent: skipping {phase}", file=sys.stderr)
            return False

        if not args.skip_latency:
            print("(b) API latency", file=sys.stderr)
            for label, path in (("list", args.list_path), ("get", get_path)):
                if budget_left(f"(b) {label}"):
                    latency += api_latency(server, api, args, label, path)
        if not args.skip_setup:
            print(f"(c) call setup, {args.calls} calls at {args.call_rate:g}/s, without and with "
                  f"{args.api_rate:g} API req/s", file=sys.stderr)
            for r in range(args.rounds):
                for with_load in (False, True):
                    if not budget_left("(c)"):
                        break
                    label = "API load" if with_load else "baseline"
                    if args.rounds > 1:
                        label += f" {r + 1}"
                    setups.append(call_setup(server, api, args, label, load_paths, with_load))
                    time.sleep(2)  # voxgate's timewaits
        still = live_sessions(api)
        if still < population.connected:
            print(f"warning: {population.connected - still} held sessions ended during the run", file=sys.stderr)
        peak_rss = 0.0
        for line in Path(f"/proc/{server.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_rss = int(line.split()[1]) / 1024
    finally:
        if holder is not None:
            holder.stop()
            holder.__exit__(None, None, None)
        server.__exit__(None, None, None)
    text = report(args, command, population, latency, setups, load_paths, peak_rss)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
