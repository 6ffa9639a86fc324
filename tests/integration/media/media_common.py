"""What the media integration tests share: G.711 µ-law, the Goertzel tone
check, WAV and pcap files, a loopback capture of RTP, and `voxgate call`
with a media configuration. Python 3 standard library only; the SIP harness
(../sip) brings voxgate serve, SIPp and free ports.

The capture is a real one: an AF_PACKET socket on the loopback interface
(root, as CI runs), so a test sees the RTP voxgate really put on the wire,
whoever it was addressed to.
"""
import math
import socket
import struct
import subprocess
import sys
import threading
import time
import wave
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "sip"))

import harness  # noqa: E402  (after the path tweak)
from harness import HarnessError, toml_value, voxgate_bin  # noqa: E402,F401

SCENARIOS = HERE / "scenarios"

# --------------------------------------------------------------------------
# Audio
# --------------------------------------------------------------------------


def sine(freq: float, samples: int, rate: int = 8000, amplitude: float = 8000, phase: int = 0) -> list[int]:
    return [int(round(amplitude * math.sin(2 * math.pi * freq * (phase + i) / rate))) for i in range(samples)]


def goertzel(samples: list[int], freq: float, rate: int) -> float:
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def tone_dominance(samples: list[int], tone: float, others: tuple[float, ...], rate: int) -> float:
    """Power at `tone` over the strongest of `others` (the issue's "≥ 5x")."""
    strongest = max(goertzel(samples, f, rate) for f in others)
    return goertzel(samples, tone, rate) / max(strongest, 1e-9)


_ULAW_BIAS = 0x84


def linear_to_ulaw(sample: int) -> int:
    """ITU-T G.711 µ-law of a 16-bit sample."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + _ULAW_BIAS
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def ulaw_to_linear(byte: int) -> int:
    byte = ~byte & 0xFF
    magnitude = ((((byte & 0x0F) << 3) + _ULAW_BIAS) << ((byte & 0x70) >> 4)) - _ULAW_BIAS
    return -magnitude if byte & 0x80 else magnitude


def read_wav(path: Path) -> tuple[int, int, list[int]]:
    """(rate, channels, interleaved 16-bit samples)."""
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        return w.getframerate(), w.getnchannels(), list(struct.unpack(f"<{len(frames) // 2}h", frames))


def write_wav(path: Path, samples: list[int], rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))


# --------------------------------------------------------------------------
# RTP
# --------------------------------------------------------------------------


@dataclass
class Rtp:
    marker: bool
    payload_type: int
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


def parse_rtp(data: bytes) -> Optional[Rtp]:
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    csrc = data[0] & 0x0F
    start = 12 + 4 * csrc
    if len(data) < start:
        return None
    seq, ts, ssrc = struct.unpack("!HII", data[2:12])
    return Rtp(bool(data[1] & 0x80), data[1] & 0x7F, seq, ts, ssrc, data[start:])


def rtp_packet(payload_type: int, sequence: int, timestamp: int, ssrc: int, payload: bytes, marker=False) -> bytes:
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | payload_type, sequence & 0xFFFF,
                       timestamp & 0xFFFFFFFF, ssrc) + payload


def write_rtp_pcap(path: Path, packets: list[bytes], interval_s: float = 0.02) -> None:
    """A pcap (Ethernet/IPv4/UDP) of `packets`, `interval_s` apart: what SIPp's
    play_pcap_audio replays to the call's peer, at the captured pace."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for i, rtp in enumerate(packets):
        udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                         socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1")) + udp
        frame = b"\0" * 12 + b"\x08\x00" + ip
        when = 1_000_000 + i * interval_s
        out.append(struct.pack("<IIII", int(when), int(round((when % 1) * 1e6)) % 1_000_000, len(frame), len(frame)))
        out.append(frame)
    path.write_bytes(b"".join(out))


_SO_TIMESTAMPNS = 35  # SOL_SOCKET option and ancillary message type (Linux)


@dataclass
class Captured:
    when: float  # the kernel's receive time (SO_TIMESTAMPNS), seconds
    source_port: int
    destination_port: int
    payload: bytes


class LoopbackCapture:
    """Every UDP datagram on the loopback interface whose destination port
    (or, with either_direction, source port) is in `ports`, while running
    (an AF_PACKET socket: needs root)."""

    def __init__(self, ports: set[int], either_direction: bool = False):
        self.ports = ports
        self.either_direction = either_direction
        self.packets: list[Captured] = []
        self._stop = threading.Event()
        try:
            self._sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
        except PermissionError as e:
            raise HarnessError("the loopback capture needs root (CAP_NET_RAW), as CI runs") from e
        self._sock.bind(("lo", 0))
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self._sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        self._sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "LoopbackCapture":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.1)
        self._stop.set()
        self._thread.join()
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                frame, ancillary, _, address = self._sock.recvmsg(65535, 64)
            except socket.timeout:
                continue
            # The kernel's time, not this thread's: Python may read late.
            when = time.time()
            for level, kind, data in ancillary:
                if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS:
                    seconds, nanoseconds = struct.unpack("qq", data[:16])
                    when = seconds + nanoseconds / 1e9
            if address[2] == socket.PACKET_OUTGOING:  # loopback shows each datagram twice
                continue
            ip = frame[14:]
            if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            header = (ip[0] & 0x0F) * 4
            source, destination, length = struct.unpack("!HHH", ip[header:header + 6])
            if destination in self.ports or (self.either_direction and source in self.ports):
                self.packets.append(Captured(when, source, destination,
                                             bytes(ip[header + 8:header + length])))

    def rtp(self, payload_type: Optional[int] = None) -> list[tuple[float, Rtp]]:
        """The captured RTP (RTCP and other datagrams left out), in order."""
        out = []
        for p in self.packets:
            packet = parse_rtp(p.payload)
            if packet is None or 72 <= packet.payload_type + (128 if packet.marker else 0) <= 95 + 128:
                continue  # RTCP (RFC 5761 §4) or not RTP
            if payload_type is None or packet.payload_type == payload_type:
                out.append((p.when, packet))
        return out


@contextmanager
def capturing(sipp: "harness.SippProcess", *, either_direction: bool = False,
              signalling: bool = False) -> Iterator[LoopbackCapture]:
    """Starts `sipp` (not started yet) with a capture of its media port (and,
    with `signalling`, its SIP port) that is running already: a call's first
    packets are caught however late this process gets to run once SIPp has
    started (a capture opened after SIPp began could miss them on a loaded
    machine). Yields the capture; SIPp is stopped when the block ends."""
    def ports() -> set[int]:
        return {sipp.media_port} | ({sipp.port} if signalling else set())

    with LoopbackCapture(ports(), either_direction) as capture:
        with sipp:
            capture.ports = ports()  # start() probes a port afresh when another process took it
            yield capture


# --------------------------------------------------------------------------
# voxgate
# --------------------------------------------------------------------------


def media_toml(media: dict) -> str:
    return "[media]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in media.items())


def run_call(uri: str, workdir: Path, media: dict, *, duration_ms: int = 2000, extra: tuple[str, ...] = (),
             limit_s: float = 30.0) -> subprocess.CompletedProcess:
    """`voxgate call URI --config <media>` to completion."""
    config = workdir / "call.toml"
    config.write_text(media_toml(media))
    command = [str(voxgate_bin()), "call", uri, "--config", str(config), "--duration-ms", str(duration_ms),
               "--timeout-ms", "5000", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=limit_s)


@dataclass
class CallMediaSummary:
    """The per-call media summary `voxgate serve` logs at info level."""
    sent: int
    received: int
    lost: int
    played: int
    concealed: int
    late: int     # packets the jitter buffer judged past their playout time
    skipped: int  # frames it dropped unplayed to shrink its delay
    digits: str
    line: str = field(repr=False, default="")


def serve_summaries(log: str) -> list[CallMediaSummary]:
    import re
    pattern = re.compile(r"media sent (\d+) packets, received (\d+) \(lost (-?\d+),.*played (\d+) frames, "
                         r"concealed (\d+),.*jitter buffer late (\d+) skipped (\d+).*DTMF \"([^\"]*)\"")
    out = []
    for line in log.splitlines():
        m = pattern.search(line)
        if m:
            out.append(CallMediaSummary(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]),
                                       int(m[7]), m[8], line))
    return out
