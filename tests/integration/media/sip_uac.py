"""A minimal SIP UAC over UDP for media tests that need to be the RTP peer
themselves (to impair the stream they send): INVITE with an SDP offer of
PCMU at our own RTP socket, ACK the 200, later BYE. Loopback only, one call,
no retransmission (a lost datagram on loopback is a test failure anyway).
"""
import random
import re
import socket
import time
from dataclasses import dataclass


@dataclass
class Dialog:
    call_id: str
    from_tag: str
    to_tag: str
    remote_rtp: tuple[str, int]
    contact: str


class MiniUac:
    def __init__(self, server: tuple[str, int], rtp: socket.socket):
        self.server = server
        self.rtp = rtp
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind(("127.0.0.1", 0))
        self.sip.settimeout(5)
        self.port = self.sip.getsockname()[1]
        self.cseq = 1

    def _request(self, method: str, uri: str, call_id: str, from_tag: str, to_tag: str = "", body: str = "") -> bytes:
        to = f"<{uri}>" + (f";tag={to_tag}" if to_tag else "")
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK-{random.getrandbits(48):x};rport",
            "Max-Forwards: 70",
            f"From: <sip:tester@127.0.0.1:{self.port}>;tag={from_tag}",
            f"To: {to}",
            f"Call-ID: {call_id}",
            f"CSeq: {self.cseq} {method}",
            f"Contact: <sip:tester@127.0.0.1:{self.port}>",
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def _final_response(self) -> str:
        while True:
            data = self.sip.recv(65535).decode(errors="replace")
            status = int(data.split(" ", 2)[1])
            if status >= 200:
                return data

    def invite(self) -> Dialog:
        call_id = f"{random.getrandbits(64):x}@127.0.0.1"
        from_tag = f"{random.getrandbits(32):x}"
        uri = f"sip:media@{self.server[0]}:{self.server[1]}"
        rtp_port = self.rtp.getsockname()[1]
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {rtp_port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
        self.sip.sendto(self._request("INVITE", uri, call_id, from_tag, body=sdp), self.server)
        response = self._final_response()
        assert response.startswith("SIP/2.0 200"), response
        to_tag = re.search(r"^To:.*;tag=([^;\s]+)", response, re.M | re.I)[1]
        port = int(re.search(r"^m=audio (\d+)", response, re.M)[1])
        address = re.search(r"^c=IN IP4 (\S+)", response, re.M)[1]
        contact = re.search(r"^(?:Contact|m):\s*<([^>]+)>", response, re.M | re.I)[1]
        dialog = Dialog(call_id, from_tag, to_tag, (address, port), contact)
        self.sip.sendto(self._request("ACK", contact, call_id, from_tag, to_tag).replace(
            f"CSeq: {self.cseq} ACK".encode(), f"CSeq: {self.cseq} ACK".encode()), self.server)
        return dialog

    def bye(self, dialog: Dialog) -> int:
        self.cseq += 1
        self.sip.sendto(self._request("BYE", dialog.contact, dialog.call_id, dialog.from_tag, dialog.to_tag),
                        self.server)
        return int(self._final_response().split(" ", 2)[1])

    def close(self) -> None:
        self.sip.close()


def send_impaired(rtp: socket.socket, destination: tuple[str, int], packets: list[bytes], *, loss: float,
                  jitter_s: float, seed: int = 4733) -> int:
    """Sends 20-ms packets with `loss` of them dropped and each delayed by a
    uniform 0..`jitter_s` (packets overtake each other: reordering).
    Returns how many were sent."""
    rng = random.Random(seed)
    start = time.monotonic() + 0.05
    schedule = sorted((start + i * 0.02 + rng.uniform(0, jitter_s), p) for i, p in enumerate(packets)
                      if rng.random() >= loss)
    for when, packet in schedule:
        delay = when - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        rtp.sendto(packet, destination)
    return len(schedule)
