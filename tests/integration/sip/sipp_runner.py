"""SIPp runs for the tests: command lines, background processes, their
statistics CSV, error log, message log (-trace_msg) and short-message log
(-trace_shortmsg), and the 2xx-retransmission timing read from them.
Standard library only.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import signal
import subprocess
import time
import unittest
from pathlib import Path
from typing import Iterable, Optional

from sip_common import (HERE, LOCALHOST, HarnessError, free_media_port, free_port, read_text, remove_work_dir,
                        require_tool, wait_port_bound, work_dir)

SCENARIOS = HERE / "scenarios"
SELFTEST_SCENARIOS = SCENARIOS / "selftest"

# SIPp's exit codes (sipp(1), "Exit codes").
SIPP_ALL_CALLS_SUCCEEDED = 0
SIPP_SOME_CALLS_FAILED = 1
SIPP_EXIT_NO_CALL_PROCESSED = 99


# --------------------------------------------------------------------------
# SIPp
# --------------------------------------------------------------------------

SIPP_TRANSPORT = {"udp": "u1", "tcp": "t1"}


@dataclasses.dataclass
class SipLogEntry:
    """One message from SIPp's -trace_msg log."""

    time: float  # seconds since the epoch
    direction: str  # "sent" or "received"
    transport: str
    text: str

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def status(self) -> Optional[int]:
        m = re.match(r"SIP/2\.0 (\d{3}) ", self.first_line)
        return int(m.group(1)) if m else None

    @property
    def method(self) -> Optional[str]:
        return None if self.first_line.startswith("SIP/2.0") else self.first_line.split(" ", 1)[0]

    @property
    def cseq_method(self) -> Optional[str]:
        m = re.search(r"^CSeq:\s*\d+\s+(\S+)", self.text, re.MULTILINE | re.IGNORECASE)
        return m.group(1) if m else None


_LOG_ENTRY = re.compile(
    r"^-{20,} (\d{4}-\d\d-\d\d[ \t]\d\d:\d\d:\d\d\.\d+)\s*\n"
    r"(UDP|TCP|TLS|SCTP) message (sent|received) (?:\[\d+\] bytes|\(\d+ bytes\)) ?:\n\n?(.*?)(?=^-{20,} \d{4}-|\Z)",
    re.MULTILINE | re.DOTALL)


def parse_message_log(text: str) -> list[SipLogEntry]:
    entries = []
    for stamp, transport, direction, body in _LOG_ENTRY.findall(text):
        when = datetime.datetime.strptime(stamp.replace("\t", " "), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        entries.append(SipLogEntry(when, direction, transport, body.strip("\n")))
    return entries


@dataclasses.dataclass
class SippResult:
    command: list[str]
    returncode: Optional[int]
    workdir: Path
    stats: dict[str, str]
    timed_out: bool
    seconds: float

    def _count(self, key: str) -> int:
        try:
            return int(float(self.stats.get(key, "0") or 0))
        except ValueError:
            return 0

    @property
    def successful(self) -> int:
        return self._count("SuccessfulCall(C)")

    @property
    def failed(self) -> int:
        return self._count("FailedCall(C)")

    @property
    def unexpected(self) -> int:
        return self._count("FailedUnexpectedMessage(C)")

    @property
    def retransmissions(self) -> int:
        return self._count("Retransmissions(C)")

    @property
    def created(self) -> int:
        return self._count("TotalCallCreated")

    def errors(self) -> str:
        return read_text(self.workdir / "errors.log")

    def messages(self) -> list[SipLogEntry]:
        return parse_message_log(read_text(self.workdir / "messages.log"))

    def setup_latencies_ms(self) -> list[float]:
        """Per call, INVITE sent -> 200 (CSeq INVITE) received, in ms, from
        -trace_shortmsg (microsecond timestamps; SIPp's own -trace_rtt has
        whole milliseconds on a 4 ms grid)."""
        return invite_to_200_ms(read_text(self.workdir / "shortmessages.log"))

    def summary(self) -> str:
        return (f"sipp exited {self.returncode}{' (timed out)' if self.timed_out else ''} after {self.seconds:.1f}s: "
                f"{self.successful} successful, {self.failed} failed, {self.unexpected} unexpected, "
                f"{self.retransmissions} retransmissions\n  command: {' '.join(self.command)}\n"
                f"  errors:\n{self.errors()[-4000:]}\n  screen:\n{read_text(self.workdir / 'screen.log')[-3000:]}")

    def assert_all_succeeded(self, test: unittest.TestCase, calls: int = 1) -> None:
        test.assertFalse(self.timed_out, self.summary())
        test.assertEqual(self.returncode, SIPP_ALL_CALLS_SUCCEEDED, self.summary())
        test.assertEqual((self.successful, self.failed, self.unexpected), (calls, 0, 0), self.summary())

    def assert_failed(self, test: unittest.TestCase) -> None:
        test.assertNotEqual(self.returncode, SIPP_ALL_CALLS_SUCCEEDED, self.summary())
        test.assertEqual(self.successful, 0, self.summary())


def invite_to_200_ms(shortmessages: str) -> list[float]:
    """From a -trace_shortmsg log (date, time, epoch seconds, S|R, Call-ID,
    CSeq, first line; tab-separated): each call's first INVITE sent to its
    first 200 to that INVITE received, in ms."""
    sent: dict[str, float] = {}
    latencies: dict[str, float] = {}
    for line in shortmessages.splitlines():
        fields = line.split("\t")
        if len(fields) < 7:
            continue
        stamp, direction, call_id, cseq, first = fields[2], fields[3], fields[4], fields[5], fields[6]
        if not cseq.endswith(" INVITE"):
            continue
        if direction == "S" and first.startswith("INVITE ") and call_id not in sent:
            sent[call_id] = float(stamp)
        elif direction == "R" and first.startswith("SIP/2.0 200") and call_id in sent and call_id not in latencies:
            latencies[call_id] = (float(stamp) - sent[call_id]) * 1000
    return list(latencies.values())


def _parse_stats(path: Path) -> dict[str, str]:
    rows = [line.split(";") for line in read_text(path).splitlines() if line.strip()]
    if len(rows) < 2:
        return {}
    return dict(zip(rows[0], rows[-1]))


def sipp_command(scenario: str, *, workdir: Path, remote: Optional[tuple[str, int]] = None,
                 transport: str = "udp", calls: Optional[int] = 1, rate: Optional[float] = None,
                 local_port: int, service: Optional[str] = None, keys: Optional[dict[str, str]] = None,
                 trace_msg: bool = False, trace_shortmsg: bool = False, max_seconds: float = 60,
                 extra: Iterable[str] = ()) -> list[str]:
    """One SIPp command line. `scenario` is a built-in name ("uac", "uas")
    or a path to an XML file."""
    command = [require_tool("sipp")]
    command += ["-sn", scenario] if scenario in ("uac", "uas") else ["-sf", str(scenario)]
    if remote is not None:
        command.append(f"{remote[0]}:{remote[1]}")
    command += [
        "-t", SIPP_TRANSPORT[transport],
        "-i", LOCALHOST, "-p", str(local_port),
        "-mp", str(free_media_port()), "-cp", str(free_port()),
        "-nostdin",
        # SIPp's own bound; -timeout_error makes reaching it a failure.
        "-timeout", f"{max(1, int(max_seconds))}s", "-timeout_error",
        "-trace_stat", "-stf", str(workdir / "stats.csv"),
        "-trace_err", "-error_file", str(workdir / "errors.log"),
        "-trace_screen", "-screen_file", str(workdir / "screen.log"),
    ]
    if transport == "tcp":
        # Judge the SIP exchange, not when the peer closes its connection:
        # by default SIPp fails every call on a TCP connection the peer
        # closes, even one only waiting out its final <timewait>/<pause>.
        # A connection lost mid-call still fails: the next send on it is
        # fatal (no reconnection allowed), a missing response times out.
        command += ["-reconnect_close", "false"]
    if calls is not None:
        command += ["-m", str(calls)]
    if rate is not None:
        command += ["-r", f"{rate:g}"]
    if service is not None:
        command += ["-s", service]
    for name, value in (keys or {}).items():
        command += ["-key", name, value]
    if trace_msg:
        command += ["-trace_msg", "-message_file", str(workdir / "messages.log")]
    if trace_shortmsg:
        command += ["-trace_shortmsg", "-shortmessage_file", str(workdir / "shortmessages.log")]
    command += list(extra)
    return command


class SippProcess:
    """A SIPp run in the background (typically a UAS answering voxgate).

        with SippProcess("uas", calls=1) as uas:
            ... call uas.address ...
            result = uas.result(timeout=10)
    """

    def __init__(self, scenario: str, *, transport: str = "udp", remote: Optional[tuple[str, int]] = None,
                 calls: Optional[int] = 1, rate: Optional[float] = None, service: Optional[str] = None,
                 keys: Optional[dict[str, str]] = None, trace_msg: bool = True, trace_shortmsg: bool = False,
                 max_seconds: float = 60, extra: Iterable[str] = (), workdir: Optional[Path] = None,
                 local_port: Optional[int] = None):
        self.transport = transport
        self.port = local_port or free_port()
        self._own_workdir = workdir is None
        self.workdir = workdir or work_dir("sipp")
        self.max_seconds = max_seconds
        self.command = sipp_command(scenario, workdir=self.workdir, remote=remote, transport=transport,
                                    calls=calls, rate=rate, local_port=self.port, service=service, keys=keys,
                                    trace_msg=trace_msg, trace_shortmsg=trace_shortmsg, max_seconds=max_seconds,
                                    extra=extra)
        self.proc: Optional[subprocess.Popen] = None
        self._started = 0.0
        self._result: Optional[SippResult] = None

    @property
    def media_port(self) -> int:
        """The RTP port of SIPp's media (-mp): start() may probe it afresh."""
        return int(self.command[self.command.index("-mp") + 1])

    @property
    def address(self) -> tuple[str, int]:
        return LOCALHOST, self.port

    @property
    def uri_host(self) -> str:
        suffix = ";transport=tcp" if self.transport == "tcp" else ""
        return f"{LOCALHOST}:{self.port}{suffix}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, wait_bound: bool = True) -> "SippProcess":
        # Another process on the shared loopback may take a probed port
        # before SIPp binds it: then SIPp exits with EADDRINUSE, and the
        # auxiliary ports (media, remote control) are probed afresh.
        for attempt in range(3):
            (self.workdir / "errors.log").unlink(missing_ok=True)
            self._started = time.monotonic()
            # Any SIPp file without a path option lands in its cwd: workdir.
            with open(self.workdir / "stdout.log", "wb") as out:
                self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=out,
                                             stderr=subprocess.STDOUT, cwd=self.workdir)
            if not wait_bound:
                return self
            try:
                wait_port_bound(self.port, self.transport, time.monotonic() + 5, self.proc)
                return self
            except HarnessError:
                if attempt == 2 or not self._lost_an_auxiliary_port():
                    raise
                self._reprobe_auxiliary_ports()
        return self

    def _lost_an_auxiliary_port(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is None:
            return False
        errors = read_text(self.workdir / "errors.log")
        return "Address already in use" in errors and f"port {self.port}," not in errors

    def _reprobe_auxiliary_ports(self) -> None:
        for option, probe in (("-mp", free_media_port), ("-cp", free_port)):
            self.command[self.command.index(option) + 1] = str(probe())

    def result(self, timeout: Optional[float] = None) -> SippResult:
        """Waits for SIPp to finish (at most `timeout`, default its own
        -timeout plus 10 s), stopping it if it does not."""
        if self._result is not None:
            return self._result
        assert self.proc is not None
        limit = self.max_seconds + 10 if timeout is None else timeout
        timed_out = False
        try:
            self.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            self.stop()
        self._result = self._collect(timed_out)
        return self._result

    def stop(self) -> None:
        """SIGUSR1 asks SIPp to quit and write its statistics; SIGKILL if it
        does not within 5 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGUSR1)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _collect(self, timed_out: bool) -> SippResult:
        assert self.proc is not None
        return SippResult(self.command, self.proc.returncode, self.workdir, _parse_stats(self.workdir / "stats.csv"),
                          timed_out, time.monotonic() - self._started)

    def __enter__(self) -> "SippProcess":
        try:
            return self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._own_workdir:
            remove_work_dir(self.workdir)


def run_sipp(scenario: str, *, remote: tuple[str, int], transport: str = "udp", calls: int = 1,
             rate: Optional[float] = None, service: Optional[str] = None, keys: Optional[dict[str, str]] = None,
             trace_msg: bool = True, trace_shortmsg: bool = False, max_seconds: float = 60,
             extra: Iterable[str] = (), workdir: Optional[Path] = None) -> SippResult:
    """Runs a SIPp client to completion (bounded by `max_seconds`, then
    10 s grace) and returns what it counted. The files stay in `workdir`
    (a fresh temp dir when None: the caller removes result.workdir)."""
    proc = SippProcess(scenario, transport=transport, remote=remote, calls=calls, rate=rate, service=service,
                       keys=keys, trace_msg=trace_msg, trace_shortmsg=trace_shortmsg, max_seconds=max_seconds,
                       extra=extra, workdir=workdir or work_dir("sipp"))
    proc.start(wait_bound=False)
    return proc.result()


def scenario_with_status(template: str, status: int, workdir: Path) -> str:
    """A copy of `template` with [status] replaced by `status`: SIPp reads
    a response's code when it loads the scenario, so -key cannot set it."""
    path = workdir / f"{Path(template).stem}_{status}.xml"
    path.write_text(Path(template).read_text().replace("[status]", str(status)))
    return str(path)


def scenario(name: str) -> str:
    path = SCENARIOS / name
    if not path.is_file():
        path = SELFTEST_SCENARIOS / name
    assert path.is_file(), f"no scenario {name}"
    return str(path)


# --------------------------------------------------------------------------
# 2xx retransmission timing (no_ack_after_200.xml)
# --------------------------------------------------------------------------

@dataclasses.dataclass
class RetransmissionTiming:
    first_200: float
    retransmissions: list[float]  # arrival times of the 2xx copies
    bye: Optional[float]

    @property
    def intervals_ms(self) -> list[float]:
        times = [self.first_200] + self.retransmissions
        return [(b - a) * 1000 for a, b in zip(times, times[1:])]

    @property
    def bye_after_ms(self) -> Optional[float]:
        return None if self.bye is None else (self.bye - self.first_200) * 1000

    def describe(self) -> str:
        shown = ", ".join(f"{i:.0f}" for i in self.intervals_ms)
        return (f"{len(self.retransmissions)} retransmissions of the 200, intervals [{shown}] ms; "
                f"BYE {self.bye_after_ms if self.bye is None else round(self.bye_after_ms)} ms after the first 200")


def retransmission_timing(entries: list[SipLogEntry]) -> RetransmissionTiming:
    received = [e for e in entries if e.direction == "received"]
    oks = [e.time for e in received if e.status == 200 and e.cseq_method == "INVITE"]
    if not oks:
        raise HarnessError("no 200 OK to the INVITE in SIPp's message log")
    byes = [e.time for e in received if e.method == "BYE"]
    return RetransmissionTiming(oks[0], oks[1:], byes[0] if byes else None)


def check_2xx_retransmission(test: unittest.TestCase, timing: RetransmissionTiming, t1_ms: float,
                             t2_ms: float = 4000.0) -> None:
    """RFC 3261 §13.3.1.4: the 2xx goes out again at T1, then doubling up to
    T2, until 64*T1 has passed; then BYE. Tolerances allow for a loaded
    2-core machine: each interval within [0.8, 1.6] of the ideal plus
    30 ms, the BYE within [0.95*64*T1, 64*T1 + 1.5 s]."""
    info = timing.describe()
    test.assertGreaterEqual(len(timing.retransmissions), 4, info)
    ideal = t1_ms
    for i, interval in enumerate(timing.intervals_ms):
        test.assertGreaterEqual(interval, 0.8 * ideal - 5, f"interval {i}: {info}")
        test.assertLessEqual(interval, 1.6 * ideal + 30, f"interval {i}: {info}")
        ideal = min(2 * ideal, t2_ms)
    test.assertIsNotNone(timing.bye, f"no BYE: {info}")
    assert timing.bye_after_ms is not None
    test.assertGreaterEqual(timing.bye_after_ms, 0.95 * 64 * t1_ms, info)
    test.assertLessEqual(timing.bye_after_ms, 64 * t1_ms + 1500, info)
    last_retransmission = timing.retransmissions[-1] if timing.retransmissions else timing.first_200
    test.assertLess(last_retransmission, timing.bye, f"a 200 came after the BYE: {info}")
