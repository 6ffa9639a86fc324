"""What the SIP test harness's parts share: errors, work directories, tools,
free loopback ports and a one-shot SIP OPTIONS probe. Standard library only.
"""
from __future__ import annotations

import collections
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import uuid
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
LOCALHOST = "127.0.0.1"


class HarnessError(AssertionError):
    """A peer did not start, answer or stop in time: fails the test."""


def keep_temp_dirs() -> bool:
    """VOXGATE_KEEP_TMP=1 keeps every work directory for a post-mortem."""
    return os.environ.get("VOXGATE_KEEP_TMP", "") not in ("", "0")


def work_dir(prefix: str) -> Path:
    """A fresh directory for one test's files (configs, SIPp logs, ...)."""
    return Path(tempfile.mkdtemp(prefix=f"voxgate-{prefix}-"))


def remove_work_dir(path: Path) -> None:
    if not keep_temp_dirs():
        shutil.rmtree(path, ignore_errors=True)


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"<{path} unreadable>"
    return "\n".join(text.splitlines()[-lines:])


def process_state(pid: int) -> str:
    """A process's scheduler state, CPU time and kernel wait channel, for a
    report on a process that did not answer in time (/proc/<pid>)."""
    fields = read_text(Path(f"/proc/{pid}/stat")).rsplit(")", 1)[-1].split()
    if len(fields) < 13:
        return f"process {pid} gone"
    ticks = os.sysconf("SC_CLK_TCK")
    cpu_s = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    wchan = read_text(Path(f"/proc/{pid}/wchan")).strip() or "-"
    return f"process {pid} state {fields[0]}, {cpu_s:.2f} s CPU, waiting in {wchan}"


def read_text(path: Path) -> str:
    """The file's text, or "" when it does not exist (yet)."""
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise unittest.SkipTest(f"{name} not installed (scripts/bootstrap installs it)")
    return path


# --------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------

def _bindable(host: str, port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


class _HandedOut:
    """Ports this process has already handed out. The kernel happily hands
    the same ephemeral port to two bind-0 probes once the first probe socket
    is closed, so without this one SIPp run could get, say, its media port
    and its control port equal (seen in CI: "Unable to bind remote control
    socket ... Address already in use")."""

    def __init__(self) -> None:
        self._ports: collections.deque[int] = collections.deque(maxlen=1024)

    def __contains__(self, port: int) -> bool:
        return port in self._ports

    def add(self, *ports: int) -> None:
        self._ports.extend(ports)


_HANDED_OUT = _HandedOut()


def free_port(host: str = LOCALHOST) -> int:
    """A port that is free for both UDP and TCP on `host` right now (SIP
    listens on both with the same number) and not handed out before by this
    process. The kernel picks it (bind port 0); another process may still
    take it before we use it, which is why start-up failures report the
    port."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind((host, 0))
            port = udp.getsockname()[1]
            if port not in _HANDED_OUT and _bindable(host, port, socket.SOCK_STREAM):
                _HANDED_OUT.add(port)
                return port
    raise HarnessError("no port free for both UDP and TCP")


def free_media_port(host: str = LOCALHOST) -> int:
    """An even UDP port p with p and p+2 free: SIPp's -mp binds both (audio
    and video echo sockets); p..p+3 are kept from later picks (RTCP)."""
    for _ in range(200):
        probed = free_port(host)
        port = probed & ~1
        span = range(port, port + 4)
        if (port + 3 < 65536 and not any(p in _HANDED_OUT for p in span if p != probed)
                and all(_bindable(host, p, socket.SOCK_DGRAM) for p in (port, port + 2))):
            _HANDED_OUT.add(*span)
            return port
    raise HarnessError("no free media port pair")


def port_bound(port: int, transport: str) -> bool:
    """Whether something listens on `port` (UDP bound / TCP LISTEN),
    read from /proc/net so no packet is sent to the peer."""
    files = ["/proc/net/udp", "/proc/net/udp6"] if transport == "udp" else ["/proc/net/tcp", "/proc/net/tcp6"]
    needle = f":{port:04X}"
    for name in files:
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[1].endswith(needle) and (transport == "udp" or fields[3] == "0A"):
                return True
    return False


def wait_port_bound(port: int, transport: str, deadline: float, proc: Optional[subprocess.Popen] = None) -> None:
    while time.monotonic() < deadline:
        if port_bound(port, transport):
            return
        if proc is not None and proc.poll() is not None:
            output = ""
            if isinstance(proc.args, list) and "-error_file" in proc.args:
                output = read_text(Path(proc.args[proc.args.index("-error_file") + 1]))[-2000:]
            raise HarnessError(f"process exited ({proc.returncode}) before binding {transport} port {port}: "
                               f"{proc.args}\n{output}")
        time.sleep(0.02)
    raise HarnessError(f"nothing bound {transport} port {port} in time")


# --------------------------------------------------------------------------
# SIP probing (readiness)
# --------------------------------------------------------------------------

def options_request(host: str, port: int, transport: str, local: tuple[str, int]) -> bytes:
    tag = uuid.uuid4().hex[:12]
    text = (
        f"OPTIONS sip:probe@{host}:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/{transport.upper()} {local[0]}:{local[1]};branch=z9hG4bK{tag};rport\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:harness@{local[0]}>;tag={tag}\r\n"
        f"To: <sip:probe@{host}:{port}>\r\n"
        f"Call-ID: probe-{tag}@{local[0]}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    return text.encode()


def sip_probe(host: str, port: int, transport: str = "udp", timeout: float = 0.3) -> Optional[str]:
    """Sends one OPTIONS and returns the status line of the first response,
    or None when nothing answered within `timeout`."""
    try:
        if transport == "udp":
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind((LOCALHOST, 0))
                s.settimeout(timeout)
                s.sendto(options_request(host, port, "udp", s.getsockname()), (host, port))
                data, _ = s.recvfrom(65535)
        else:
            with socket.create_connection((host, port), timeout=timeout) as s:
                s.settimeout(timeout)
                s.sendall(options_request(host, port, "tcp", s.getsockname()))
                data = s.recv(65535)
    except OSError:
        return None
    first = data.split(b"\r\n", 1)[0].decode(errors="replace")
    return first if first.startswith("SIP/2.0 ") else None
