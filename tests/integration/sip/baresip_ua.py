"""baresip, a real SIP user agent, run headless on the loopback and driven
through its ctrl_tcp module (JSON commands and events in netstrings).
Standard library only.
"""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import unittest
from pathlib import Path
from typing import Callable, Optional

from sip_common import LOCALHOST, HarnessError, free_port, require_tool, tail, wait_port_bound


# --------------------------------------------------------------------------
# baresip, headless, driven through ctrl_tcp
# --------------------------------------------------------------------------

BARESIP_CONFIG = """\
# Written by tests/integration/sip/baresip_ua.py: loopback only, no sound card.
poll_method		epoll
sip_listen		{host}:{sip_port}
call_local_timeout	120
call_max_calls		4
# aubridge connects player and source of the same device in memory: no
# audio hardware, and what baresip receives it sends back.
audio_player		aubridge,null
audio_source		aubridge,null
audio_alert		aubridge,alert
audio_level		no
rtp_ports		{rtp_min}-{rtp_max}
module_path		{module_path}
module			g711.so
module			aubridge.so
module			ctrl_tcp.so
module_tmp		account.so
module_app		menu.so
ctrl_tcp_listen		{host}:{ctrl_port}
"""


class Baresip:
    """A running baresip with a ctrl_tcp connection. Commands and events are
    JSON in netstrings; events are collected as they arrive."""

    def __init__(self, proc: subprocess.Popen, workdir: Path, sip_port: int, ctrl_port: int):
        self.proc = proc
        self.workdir = workdir
        self.sip_port = sip_port
        self.ctrl_port = ctrl_port
        self.events: list[dict] = []
        self.responses: list[dict] = []
        self._buffer = b""
        self._sock: Optional[socket.socket] = None
        self._token = 0

    @property
    def log_path(self) -> Path:
        return self.workdir / "baresip.log"

    def uri(self, user: str = "test", transport: str = "udp") -> str:
        suffix = ";transport=tcp" if transport == "tcp" else ""
        return f"sip:{user}@{LOCALHOST}:{self.sip_port}{suffix}"

    def connect(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(f"baresip exited ({self.proc.returncode}):\n{tail(self.log_path)}")
            try:
                self._sock = socket.create_connection((LOCALHOST, self.ctrl_port), timeout=0.5)
                return
            except OSError:
                time.sleep(0.05)
        raise HarnessError(f"baresip ctrl_tcp did not accept on {self.ctrl_port}:\n{tail(self.log_path)}")

    def _pump(self, timeout: float) -> None:
        assert self._sock is not None
        self._sock.settimeout(max(timeout, 0.001))
        try:
            chunk = self._sock.recv(65536)
        except socket.timeout:
            return
        if not chunk:
            raise HarnessError(f"baresip closed ctrl_tcp:\n{tail(self.log_path)}")
        self._buffer += chunk
        while True:
            head, colon, rest = self._buffer.partition(b":")
            if not colon or not head.isdigit():
                break
            size = int(head)
            if len(rest) < size + 1:
                break
            message = json.loads(rest[:size])
            self._buffer = rest[size + 1:]  # drop the trailing ','
            (self.events if message.get("event") else self.responses).append(message)

    def command(self, name: str, params: str = "", timeout: float = 5.0) -> dict:
        """Runs a baresip command (menu module: dial, hangup, accept, ...) and
        returns its response."""
        assert self._sock is not None
        self._token += 1
        token = f"t{self._token}"
        payload = json.dumps({"command": name, "params": params, "token": token}).encode()
        self._sock.sendall(str(len(payload)).encode() + b":" + payload + b",")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for response in self.responses:
                if response.get("token") == token:
                    return response
            self._pump(deadline - time.monotonic())
        raise HarnessError(f"baresip did not answer {name!r}:\n{tail(self.log_path)}")

    def wait_event(self, predicate: Callable[[dict], bool], timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if predicate(event):
                    return event
            seen = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._pump(min(left, 0.2))
        types = [e.get("type") for e in self.events]
        raise HarnessError(f"baresip: no {what} within {timeout}s (events: {types}):\n{tail(self.log_path)}")

    def stop(self) -> Optional[int]:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def start_baresip(workdir: Path, *, user: str = "test", auto_answer: bool = True,
                  max_seconds: int = 120) -> Baresip:
    """baresip on a free loopback port with a local account and no
    registration (regint=0), answering incoming calls at once when
    `auto_answer`. It quits by itself after `max_seconds` (-t)."""
    binary = require_tool("baresip")
    module_path = Path("/usr/lib/baresip/modules")
    for module in ("g711", "aubridge", "ctrl_tcp", "account", "menu"):
        if not (module_path / f"{module}.so").exists():
            raise unittest.SkipTest(f"baresip module {module}.so not installed in {module_path}")
    config_dir = workdir / "baresip"
    config_dir.mkdir(parents=True, exist_ok=True)
    sip_port, ctrl_port, rtp = free_port(), free_port(), free_port()
    rtp_min = min(rtp, 65535 - 64)
    (config_dir / "config").write_text(BARESIP_CONFIG.format(
        host=LOCALHOST, sip_port=sip_port, ctrl_port=ctrl_port, rtp_min=rtp_min, rtp_max=rtp_min + 63,
        module_path=module_path))
    answermode = "auto" if auto_answer else "manual"
    (config_dir / "accounts").write_text(f"<sip:{user}@{LOCALHOST}>;regint=0;answermode={answermode}\n")
    (config_dir / "contacts").write_text("")
    log = open(workdir / "baresip.log", "wb")
    try:
        # -n binds to the loopback address only; stdin stays closed (no
        # stdio module), control is ctrl_tcp.
        proc = subprocess.Popen([binary, "-f", str(config_dir), "-n", LOCALHOST, "-t", str(max_seconds)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    finally:
        log.close()
    bs = Baresip(proc, workdir, sip_port, ctrl_port)
    try:
        bs.connect(time.monotonic() + 10)
        wait_port_bound(sip_port, "udp", time.monotonic() + 5, proc)
    except BaseException:
        bs.stop()
        raise
    return bs


def baresip_dial(bs: Baresip, uri: str) -> dict:
    response = bs.command("dial", uri)
    if not response.get("ok"):
        raise HarnessError(f"baresip refused to dial {uri}: {response}")
    return response


def _call_event(kind: str) -> Callable[[dict], bool]:
    return lambda e: e.get("class") == "call" and e.get("type") == kind


def baresip_wait_established(bs: Baresip, timeout: float = 10.0) -> dict:
    """Waits for CALL_ESTABLISHED (either direction)."""
    return bs.wait_event(_call_event("CALL_ESTABLISHED"), timeout, "CALL_ESTABLISHED")


def baresip_wait_closed(bs: Baresip, timeout: float = 10.0) -> dict:
    return bs.wait_event(_call_event("CALL_CLOSED"), timeout, "CALL_CLOSED")


def baresip_hangup(bs: Baresip) -> dict:
    return bs.command("hangup")
