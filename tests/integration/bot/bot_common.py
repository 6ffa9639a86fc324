"""What the voice bot's integration tests share: scripted caller audio
(flite speaks it, sox makes it 8 kHz, as issue 7's harness asks), a caller
pcap with speech, silence and RFC 4733 keys on a timeline, the events of
/v1/events collected in the background, and the analysis of a loopback
capture: when the caller spoke, when the bot's audio was on the wire.

Python 3 standard library plus the flite and sox programs (scripts/bootstrap).
"""
import json
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "media"))
sys.path.insert(0, str(HERE.parent / "api"))
sys.path.insert(0, str(HERE.parent / "sip"))

from media_common import (SCENARIOS, LoopbackCapture, capturing, linear_to_ulaw, rtp_packet,  # noqa: E402
                          ulaw_to_linear, write_rtp_pcap)
from ws_client import WebSocket, WebSocketError  # noqa: E402

import harness  # noqa: E402

FRAME = 160  # 20 ms at 8 kHz
SILENCE = bytes([0xFF]) * FRAME  # µ-law zero


def speech(text: str, workdir: Path, voice: str = "rms") -> list[int]:
    """`text` spoken by flite's `voice` (not the bot's kal: a different
    speaker), as 8 kHz 16-bit samples with flite's leading and trailing
    silence trimmed by sox."""
    name = "".join(c if c.isalnum() else "_" for c in text)[:40]
    wide = workdir / f"{name}.{voice}.wav"
    narrow = workdir / f"{name}.{voice}.8k.raw"
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(wide)], check=True)
    subprocess.run(["sox", str(wide), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                    str(narrow), "silence", "1", "0.01", "1%", "reverse", "silence", "1", "0.01", "1%", "reverse"],
                   check=True)
    raw = narrow.read_bytes()
    return [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]


@dataclass
class Dtmf:
    digit: str
    duration_ms: int = 120


Step = Union[int, list, Dtmf]  # silence in ms | samples of speech | a key


@dataclass
class CallerAudio:
    packets: list = field(default_factory=list)
    # (start, end) of each spoken step, seconds from the first packet
    speech: list = field(default_factory=list)
    keys: list = field(default_factory=list)  # (time, digit)

    @property
    def duration_s(self) -> float:
        return len(self.packets) * 0.02


def caller_audio(steps: list[Step], ssrc: int = 0x0B07) -> CallerAudio:
    """PCMU packets (and RFC 4733 events, payload type 101) for `steps`."""
    out = CallerAudio()
    seq = 1000
    ts = 0

    def frame(payload: bytes, pt: int = 0, marker: bool = False, timestamp: Optional[int] = None):
        nonlocal seq
        out.packets.append(rtp_packet(pt, seq, ts if timestamp is None else timestamp, ssrc, payload, marker))
        seq += 1

    for step in steps:
        if isinstance(step, int):
            for _ in range(step // 20):
                frame(SILENCE)
                ts += FRAME
        elif isinstance(step, Dtmf):
            event = "0123456789*#ABCD".index(step.digit)
            start_ts = ts
            out.keys.append((len(out.packets) * 0.02, step.digit))
            frames = step.duration_ms // 20
            for i in range(frames):
                duration = (i + 1) * FRAME
                frame(bytes([event, 10, duration >> 8, duration & 0xFF]), pt=101, marker=i == 0,
                      timestamp=start_ts)
                ts += FRAME
            for _ in range(3):  # the end, sent three times (RFC 4733 §2.5.1.4)
                duration = frames * FRAME
                frame(bytes([event, 0x80 | 10, duration >> 8, duration & 0xFF]), pt=101, timestamp=start_ts)
                ts += FRAME
        else:
            begin = len(out.packets) * 0.02
            samples = list(step) + [0] * (-len(step) % FRAME)
            for i in range(0, len(samples), FRAME):
                frame(bytes(linear_to_ulaw(s) for s in samples[i:i + FRAME]))
                ts += FRAME
            out.speech.append((begin, len(out.packets) * 0.02))
    return out


def write_caller_pcap(path: Path, audio: CallerAudio) -> None:
    write_rtp_pcap(path, audio.packets)


BOT_SCENARIOS = HERE / "scenarios"


def scenario_copy(name: str, workdir: Path, tag: str = "", **values: str) -> str:
    """A copy of a scenario (this folder's, else the media tests') with its
    [key]s replaced: SIPp reads exec attributes and pauses at load time."""
    source = BOT_SCENARIOS / name if (BOT_SCENARIOS / name).exists() else SCENARIOS / name
    text = source.read_text()
    for key, value in values.items():
        text = text.replace(f"[{key}]", value)
    path = workdir / f"{tag}{name}"
    path.write_text(text)
    return str(path)


class EventFeed:
    """/v1/events in the background: every event, in order, with the time it
    was read here."""

    def __init__(self, server: harness.VoxgateServer):
        self.events: list[dict] = []
        self._ws = WebSocket(harness.LOCALHOST, server.opts.api_port, "/v1/events")
        if self._ws.status != 101:
            raise harness.HarnessError(f"/v1/events refused: {self._ws.status}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                text = self._ws.receive(timeout=0.2)
            except (TimeoutError, OSError, WebSocketError):
                continue
            if text is None:
                return
            self.events.append(json.loads(text))

    def of(self, type_: str) -> list[dict]:
        return [e for e in list(self.events) if e.get("type") == type_]

    def wait_for(self, predicate, timeout: float = 20.0) -> Optional[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.events):
                if predicate(event):
                    return event
            time.sleep(0.05)
        return None

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._ws.close()


@dataclass
class Frame:
    when: float  # kernel timestamp
    level: float  # mean absolute amplitude


def frames_to(capture: LoopbackCapture, port: int, *, source: bool = False) -> list[Frame]:
    """The PCMU frames captured to (or, with source, from) `port`, decoded."""
    out = []
    for p in capture.packets:
        if (p.source_port if source else p.destination_port) != port:
            continue
        if len(p.payload) < 12 + FRAME or p.payload[1] & 0x7F != 0:
            continue
        pcm = [ulaw_to_linear(b) for b in p.payload[12:12 + FRAME]]
        out.append(Frame(p.when, sum(abs(s) for s in pcm) / FRAME))
    return out


def sound_runs(frames: list[Frame], level: float, gap_s: float = 0.3) -> list[tuple[float, float]]:
    """(first, end) of each stretch of frames at `level` or louder: end is
    the end of its last such frame; a gap over `gap_s` separates two."""
    runs = []
    for f in frames:
        if f.level < level:
            continue
        if runs and f.when - runs[-1][1] <= gap_s:
            runs[-1] = (runs[-1][0], f.when + 0.02)
        else:
            runs.append((f.when, f.when + 0.02))
    return runs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)
