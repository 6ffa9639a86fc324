#!/usr/bin/env python3
"""A stand-in for the voxgate binary with the CLI the harness assumes, to
prove the harness's process handling before voxgate has it. NOT a UAS:

  fake_voxgate.py [--log-level L] serve --config FILE

reads [sip] listen from the TOML file, and on each UDP/TCP listener answers
statelessly: OPTIONS -> 200 with Allow, BYE -> 481, anything else -> 501
(ACK: nothing). SIGTERM/SIGINT -> exit 0. `--help` output mimics CLI11's
layout, which harness.voxgate_missing() reads.
"""
import selectors
import signal
import socket
import sys
import tomllib

TOP_HELP = """fake voxgate
Usage: fake_voxgate.py [OPTIONS] SUBCOMMAND

Options:
  -h,--help                   Print this help message and exit
  --log-level TEXT=info       log level

Subcommands:
  serve                       answer OPTIONS and BYE
"""
SERVE_HELP = """answer OPTIONS and BYE
Usage: fake_voxgate.py serve [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --config TEXT               TOML configuration file
"""


def response_to(request: bytes) -> bytes | None:
    head = request.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
    lines = head.split("\r\n")
    method = lines[0].split(" ", 1)[0]
    if method == "ACK" or lines[0].startswith("SIP/2.0"):
        return None
    status = {"OPTIONS": "200 OK", "BYE": "481 Call/Transaction Does Not Exist"}.get(method, "501 Not Implemented")
    copied = [l for l in lines[1:] if l.split(":", 1)[0].strip().lower() in ("via", "v", "from", "f", "call-id", "i",
                                                                            "cseq")]
    to = [l for l in lines[1:] if l.split(":", 1)[0].strip().lower() in ("to", "t")]
    if to and ";tag=" not in to[0]:
        to[0] += ";tag=fake"
    extra = ["Allow: INVITE, ACK, BYE, CANCEL, OPTIONS"] if method == "OPTIONS" else []
    out = [f"SIP/2.0 {status}", *copied, *to, *extra, "Content-Length: 0", "", ""]
    return "\r\n".join(out).encode()


def serve(config_path: str) -> int:
    with open(config_path, "rb") as f:
        config = tomllib.load(f)
    sel = selectors.DefaultSelector()
    for spec in config["sip"]["listen"]:
        transport, host, port = spec.split(":")
        if transport == "udp":
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((host, int(port)))
            sel.register(s, selectors.EVENT_READ, "udp")
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, int(port)))
            s.listen(64)
            sel.register(s, selectors.EVENT_READ, "listen")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("fake voxgate serving", file=sys.stderr, flush=True)
    buffers: dict[socket.socket, bytes] = {}
    while not stop:
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            if key.data == "udp":
                data, peer = s.recvfrom(65535)
                answer = response_to(data)
                if answer:
                    s.sendto(answer, peer)
            elif key.data == "listen":
                conn, _ = s.accept()
                sel.register(conn, selectors.EVENT_READ, "tcp")
                buffers[conn] = b""
            else:
                chunk = s.recv(65535)
                if not chunk:
                    sel.unregister(s)
                    s.close()
                    buffers.pop(s, None)
                    continue
                buffers[s] += chunk
                # Requests without bodies only: split on the blank line.
                while b"\r\n\r\n" in buffers[s]:
                    message, buffers[s] = buffers[s].split(b"\r\n\r\n", 1)
                    answer = response_to(message + b"\r\n\r\n")
                    if answer:
                        s.sendall(answer)
    print("fake voxgate stopped", file=sys.stderr, flush=True)
    return 0


def main(argv: list[str]) -> int:
    args = list(argv)
    if args[:1] == ["--log-level"]:
        args = args[2:]
    if not args or args[0] in ("-h", "--help"):
        print(TOP_HELP)
        return 0
    if args[0] != "serve":
        print(f"unknown command {args[0]}", file=sys.stderr)
        return 109
    if "--help" in args:
        print(SERVE_HELP)
        return 0
    return serve(args[args.index("--config") + 1])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
