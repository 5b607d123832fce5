"""Call controllers that are up but full: each answers OPTIONS probes with 200 (so Kamailio's dispatcher keeps
it in rotation) and every INVITE with 486 Busy Here, as a real controller with no room does. Plain UDP sockets
on 127.0.0.1 served by one thread; only what the edge tests need of SIP."""

from __future__ import annotations

import selectors
import socket
import threading

HOST = "127.0.0.1"
_COPIED = ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq")


def _reply(request: str, status: str) -> bytes:
    lines = request.split("\r\n")
    headers = []
    for line in lines[1:]:
        if not line:
            break
        name = line.split(":", 1)[0].strip().lower()
        if name in _COPIED:
            if name in ("to", "t") and status.startswith("486") and ";tag=" not in line:
                line += ";tag=busy"
            headers.append(line)
    return ("\r\n".join([f"SIP/2.0 {status}", *headers, "Content-Length: 0", "", ""])).encode()


class BusyControllers:
    """``count`` full controllers; ``uris`` for the edge's dispatcher list; ``invites`` counts INVITEs seen."""

    def __init__(self, count: int) -> None:
        self.selector = selectors.DefaultSelector()
        self.sockets = []
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((HOST, 0))
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.sockets.append(sock)
        self.invites = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="busy-controllers", daemon=True)
        self.thread.start()

    @property
    def uris(self) -> tuple[str, ...]:
        return tuple(f"sip:{HOST}:{sock.getsockname()[1]}" for sock in self.sockets)

    def _serve(self) -> None:
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.1):
                sock = key.fileobj
                try:
                    data, peer = sock.recvfrom(65535)  # type: ignore[union-attr]
                except OSError:
                    continue
                request = data.decode(errors="replace")
                if request.startswith("INVITE "):
                    self.invites += 1
                    sock.sendto(_reply(request, "486 Busy Here"), peer)  # type: ignore[union-attr]
                elif request.startswith(("OPTIONS ", "BYE ", "CANCEL ")):
                    sock.sendto(_reply(request, "200 OK"), peer)  # type: ignore[union-attr]

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        for sock in self.sockets:
            self.selector.unregister(sock)
            sock.close()
        self.selector.close()
