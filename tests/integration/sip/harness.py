"""Test harness for voxgate against real SIP peers: SIPp and baresip.

Standard library only (Debian's /usr/bin/python3). Everything runs on
127.0.0.1 with ports the kernel hands out (never 5060), and every process the
harness starts is bounded by a timeout and stopped by its own pid.

This module is the one tests and benchmarks import. It holds what is about
voxgate and re-exports the rest:
  * locating voxgate and deciding whether a test must be skipped
    (VOXGATE_BIN, `voxgate_missing`, `require_voxgate`);
  * THE voxgate command lines: `serve_config_toml` + `voxgate_serve_command`
    and `voxgate_call_command` + `parse_call_outcome`. They encode what the
    tests assume of voxgate's CLI and configuration; adapt them here, in one
    place, when voxgate's real interface differs;
  * `VoxgateServer`: start `voxgate serve`, wait until it answers OPTIONS,
    stop it; `run_voxgate_call`;
  * `main()`: unittest entry point that exits 77 when every test skipped, so
    CTest reports "skipped" (SKIP_RETURN_CODE 77) rather than "passed".
sip_common.py: errors, work dirs, free ports, the OPTIONS probe.
sipp_runner.py: `run_sipp` / `SippProcess` / `SippResult`, SIPp's logs, the
  2xx-retransmission timing check.
baresip_ua.py: baresip headless over ctrl_tcp (`start_baresip`,
  `baresip_dial`, `baresip_wait_established`, `baresip_hangup`).
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path
from typing import Iterable, Optional

# The harness's parts (sip_common, sipp_runner, baresip_ua), re-exported so
# tests and benchmarks import one module.
from baresip_ua import (Baresip, baresip_dial, baresip_hangup, baresip_wait_closed, baresip_wait_established,
                        start_baresip)
from sip_common import (HERE, LOCALHOST, HarnessError, free_media_port, free_port, port_bound, process_state, read_text,
                        remove_work_dir, require_tool, sip_probe, tail, wait_port_bound, work_dir)
from sipp_runner import (SCENARIOS, SELFTEST_SCENARIOS, SIPP_ALL_CALLS_SUCCEEDED, RetransmissionTiming, SipLogEntry,
                         SippProcess, SippResult, check_2xx_retransmission, invite_to_200_ms, parse_message_log,
                         retransmission_timing, run_sipp, scenario, scenario_with_status)

__all__ = [
    # baresip_ua
    "Baresip", "baresip_dial", "baresip_hangup", "baresip_wait_closed", "baresip_wait_established", "start_baresip",
    # sip_common
    "HERE", "LOCALHOST", "HarnessError", "free_media_port", "free_port", "port_bound", "read_text", "remove_work_dir",
    "require_tool", "sip_probe", "tail", "wait_port_bound", "work_dir",
    # sipp_runner
    "SCENARIOS", "SELFTEST_SCENARIOS", "SIPP_ALL_CALLS_SUCCEEDED", "RetransmissionTiming", "SipLogEntry",
    "SippProcess", "SippResult", "check_2xx_retransmission", "invite_to_200_ms", "parse_message_log",
    "retransmission_timing", "run_sipp", "scenario", "scenario_with_status",
    # this module: voxgate
    "REPO_ROOT", "SKIPPED_EXIT_CODE", "voxgate_bin", "voxgate_missing", "require_voxgate", "ServeOptions",
    "SERVE_OPTIONS", "CALL_OPTIONS", "serve_config_toml", "voxgate_serve_command", "voxgate_call_command",
    "CallOutcome", "parse_call_outcome", "run_voxgate_call", "VoxgateServer", "main",
]

REPO_ROOT = HERE.parents[2]
DEFAULT_VOXGATE_BIN = "build/release/voxgate"
SKIPPED_EXIT_CODE = 77  # CTest SKIP_RETURN_CODE


# --------------------------------------------------------------------------
# Locating voxgate, and skipping when it cannot do what a test needs
# --------------------------------------------------------------------------

def voxgate_bin() -> Path:
    """$VOXGATE_BIN, else build/release/voxgate; relative paths are taken
    from the repository root so the tests run from any directory."""
    path = Path(os.environ.get("VOXGATE_BIN", DEFAULT_VOXGATE_BIN))
    return path if path.is_absolute() else REPO_ROOT / path


@functools.lru_cache(maxsize=None)
def _help_text(binary: str, *args: str) -> Optional[str]:
    try:
        done = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr if done.returncode == 0 else None


def voxgate_missing(command: str, options: Iterable[str] = ()) -> Optional[str]:
    """Why voxgate cannot run `command` with `options` yet (a skip reason),
    or None when it can. Reads `voxgate --help` and `voxgate COMMAND --help`
    (CLI11 lists subcommands and options there)."""
    binary = voxgate_bin()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        return f"voxgate not built: {binary} (set VOXGATE_BIN or build it)"
    top = _help_text(str(binary))
    if top is None:
        return f"{binary} --help failed"
    if not re.search(rf"^\s+{re.escape(command)}\b", top, re.MULTILINE):
        return f"{binary} has no `{command}` command yet"
    sub = _help_text(str(binary), command)
    if sub is None:
        return f"{binary} {command} --help failed"
    missing = [o for o in options if not re.search(rf"(^|[\s,]){re.escape(o)}\b", sub, re.MULTILINE)]
    if missing:
        return f"`voxgate {command}` lacks {', '.join(missing)} yet"
    return None


def require_voxgate(command: str, options: Iterable[str] = ()) -> None:
    reason = voxgate_missing(command, tuple(options))
    if reason:
        raise unittest.SkipTest(reason)


# --------------------------------------------------------------------------
# voxgate command lines: the ONE place that encodes voxgate's interface
# --------------------------------------------------------------------------

@dataclasses.dataclass
class ServeOptions:
    """What a test needs of `voxgate serve`. Every field maps to one config
    key in serve_config_toml()."""

    host: str = LOCALHOST
    port: int = 0  # 0: pick a free one
    transports: tuple[str, ...] = ("udp", "tcp")
    threads: int = 2
    t1_ms: Optional[int] = None  # RFC 3261 T1; None: voxgate's default (500)
    answer_delay_ms: Optional[int] = None  # ring this long before the 200
    unlimited_rate: bool = False  # lift per-source limits for load tests
    log_level: str = "info"
    # [media] keys (app, codecs, record_dir, ...), as config.cpp reads them.
    # Without "app" the tests get "echo", not the embedded default (the demo
    # bot): most SIP tests want the media answered, not a conversation.
    media: Optional[dict] = None
    bot: Optional[dict] = None  # [bot] keys (end_silence_ms, reprompt_after_ms, ...); with media app "bot"
    session_timer: Optional[dict] = None  # [session_timer] keys (interval, min_se, refresher, ...)
    api_port: int = 0  # the REST API's port on 127.0.0.1; 0: pick a free one (never the default 8080)
    api_tokens: tuple[str, ...] = ()
    drain_timeout_ms: int = 2000  # SIGTERM: how long calls in progress may run before BYE
    extra_toml: str = ""  # appended as is (routes, ...)
    api_nice: Optional[int] = None  # [api] nice; None: voxgate's default


# The options `voxgate serve --help` must list before any serve test runs.
SERVE_OPTIONS = ("--config",)
# Likewise for `voxgate call --help`.
CALL_OPTIONS = ("--transport", "--timeout-ms", "--duration-ms")


def serve_config_toml(opts: ServeOptions) -> str:
    """The TOML file voxgate serve is started with: keys as src/app/config.cpp
    reads them (unknown keys are rejected there, so a renamed key fails the
    start loudly)."""
    lines = [f"worker_threads = {opts.threads}", "", "[sip]"]
    listen = ", ".join(f'"{t}:{opts.host}:{opts.port}"' for t in opts.transports)
    lines.append(f"listen = [{listen}]")
    if opts.t1_ms is not None:
        lines.append(f"t1_ms = {opts.t1_ms}")
    if opts.answer_delay_ms is not None:
        lines += ["", "[answer]", f"delay_ms = {opts.answer_delay_ms}"]
    if opts.unlimited_rate:
        lines += ["", "[limits]", "per_source_rate = 1000000.0", "per_source_burst = 1000000"]
    # {"app": None} leaves the app to voxgate's embedded default.
    media = {key: value for key, value in {"app": "echo", **(opts.media or {})}.items() if value is not None}
    lines += ["", "[media]"] + [f"{key} = {toml_value(value)}" for key, value in media.items()]
    if opts.bot:
        lines += ["", "[bot]"] + [f"{key} = {toml_value(value)}" for key, value in opts.bot.items()]
    if opts.session_timer:
        lines += ["", "[session_timer]"] + [f"{key} = {toml_value(value)}" for key, value in opts.session_timer.items()]
    lines += ["", "[api]", f'listen = "{LOCALHOST}:{opts.api_port}"', f"tokens = {toml_value(list(opts.api_tokens))}"]
    if opts.api_nice is not None:
        lines.append(f"nice = {opts.api_nice}")
    lines += ["", "[shutdown]", f"drain_timeout_ms = {opts.drain_timeout_ms}"]
    if opts.extra_toml:
        lines += ["", opts.extra_toml]
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    """A Python value as TOML: strings quoted, booleans lower case, lists as arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def voxgate_serve_command(binary: Path, config_path: Path, opts: ServeOptions) -> list[str]:
    """`voxgate serve` as the tests start it."""
    return [str(binary), "--log-level", opts.log_level, "serve", "--config", str(config_path)]


def voxgate_call_command(binary: Path, uri: str, *, transport: str, timeout_ms: int, duration_ms: int) -> list[str]:
    """`voxgate call URI` as the tests start it: place one call over
    `transport`, give up (CANCEL) after `timeout_ms` without a final
    response, hang up (BYE) `duration_ms` after the answer."""
    return [
        str(binary), "call", uri,
        "--transport", transport,
        "--timeout-ms", str(timeout_ms),
        "--duration-ms", str(duration_ms),
    ]


@dataclasses.dataclass
class CallOutcome:
    returncode: int
    status: Optional[int]  # the final status voxgate call reported
    reason: str
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        return (f"voxgate call exited {self.returncode} after {self.seconds:.2f}s, reported "
                f"{self.status} {self.reason!r}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr[-3000:]}")


_FINAL_LINE = re.compile(r"^final (\d{3})(?: (.*))?$", re.MULTILINE)


def parse_call_outcome(stdout: str) -> tuple[Optional[int], str]:
    """voxgate call prints `final <status> <reason>` on stdout once the call
    is over: the final response to its INVITE (200, 486, ...) or 408 when it
    gave up after --timeout-ms. The last such line wins."""
    found = _FINAL_LINE.findall(stdout)
    if not found:
        return None, ""
    status, reason = found[-1]
    return int(status), reason.strip()


def run_voxgate_call(uri: str, *, transport: str, timeout_ms: int = 5000, duration_ms: int = 300,
                     limit_s: float = 30.0) -> CallOutcome:
    command = voxgate_call_command(voxgate_bin(), uri, transport=transport, timeout_ms=timeout_ms,
                                   duration_ms=duration_ms)
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit_s)
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"{' '.join(command)} still running after {limit_s}s; stderr: {e.stderr!r}") from e
    status, reason = parse_call_outcome(done.stdout)
    return CallOutcome(done.returncode, status, reason, done.stdout, done.stderr, time.monotonic() - started)


# --------------------------------------------------------------------------
# voxgate serve
# --------------------------------------------------------------------------

class VoxgateServer:
    """`voxgate serve` on a free port, in its own work directory.

        with VoxgateServer(ServeOptions(t1_ms=50)) as server:
            run_sipp(..., remote=server.address)
    """

    def __init__(self, opts: Optional[ServeOptions] = None, workdir: Optional[Path] = None,
                 ready_timeout: float = 10.0):
        self.opts = dataclasses.replace(opts or ServeOptions())
        if self.opts.port == 0:
            self.opts.port = free_port(self.opts.host)
        if self.opts.api_port == 0:
            self.opts.api_port = free_port(LOCALHOST)
        self._own_workdir = workdir is None
        self.workdir = workdir or work_dir("serve")
        self.config_path = self.workdir / "voxgate.toml"
        self.log_path = self.workdir / "voxgate.log"
        self.ready_timeout = ready_timeout
        self.proc: Optional[subprocess.Popen] = None
        self.exit_code: Optional[int] = None
        self.killed = False  # stop() had to SIGKILL it

    @property
    def address(self) -> tuple[str, int]:
        return self.opts.host, self.opts.port

    @property
    def api_url(self) -> str:
        return f"http://{LOCALHOST}:{self.opts.api_port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> "VoxgateServer":
        self.config_path.write_text(serve_config_toml(self.opts))
        command = voxgate_serve_command(voxgate_bin(), self.config_path, self.opts)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         cwd=self.workdir)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self) -> None:
        """Polls with OPTIONS (UDP if served, else TCP) until any response."""
        assert self.proc is not None
        transport = "udp" if "udp" in self.opts.transports else self.opts.transports[0]
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(f"voxgate serve exited with {self.proc.returncode} before answering OPTIONS on "
                                   f"{transport} port {self.opts.port}; config:\n{self.config_path.read_text()}"
                                   f"log:\n{tail(self.log_path)}")
            if sip_probe(self.opts.host, self.opts.port, transport):
                return
        raise HarnessError(f"voxgate serve did not answer OPTIONS on {transport} {self.opts.host}:{self.opts.port} "
                           f"within {self.ready_timeout}s ({process_state(self.proc.pid)}; load average "
                           f"{read_text(Path('/proc/loadavg')).strip()}); log:\n{tail(self.log_path)}")

    def stop(self, timeout: float = 10.0) -> Optional[int]:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code
        (negative: killed by that signal)."""
        if self.proc is not None and self.exit_code is None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.killed = True
                    self.proc.kill()
                    self.proc.wait()
            self.exit_code = self.proc.returncode
        return self.exit_code

    def describe_exit(self) -> str:
        """For an assertion on stop(): the exit code, whether it was killed,
        and the end of the log."""
        killed = " (killed: SIGTERM did not end it in time)" if self.killed else ""
        return f"voxgate serve exited with {self.exit_code}{killed}; log:\n{self.log()}"

    def log(self) -> str:
        return tail(self.log_path, 60)

    def __enter__(self) -> "VoxgateServer":
        try:
            return self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._own_workdir:
            remove_work_dir(self.workdir)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------

def main() -> None:
    """unittest.main, but exit 77 (CTest: skipped) when every test skipped.
    VOXGATE_EXCLUDE_CLASSES (comma-separated TestCase names) leaves those
    classes out, so CTest can run a long class as a test of its own beside
    the rest of its file (tests/integration/sip/CMakeLists.txt)."""
    argv = sys.argv
    excluded = {name for name in os.environ.get("VOXGATE_EXCLUDE_CLASSES", "").split(",") if name}
    if excluded and len(argv) == 1:
        module = sys.modules["__main__"]
        argv = argv + [name for name, value in vars(module).items()
                       if isinstance(value, type) and issubclass(value, unittest.TestCase)
                       and value.__module__ == "__main__" and name not in excluded]
    program = unittest.main(argv=argv, exit=False, verbosity=2)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    # A skip in setUpClass counts in `skipped` (as a non-TestCase holder)
    # but not in `testsRun`.
    skipped_tests = sum(1 for test, _ in result.skipped if isinstance(test, unittest.TestCase))
    if result.skipped and result.testsRun == skipped_tests:
        sys.exit(SKIPPED_EXIT_CODE)
    sys.exit(0)
