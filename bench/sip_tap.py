"""Kernel-timestamped copies of the SIP messages through Kamailio's port on 127.0.0.1 (bench/sip_load.py).

An ``AF_PACKET`` socket on ``lo`` with a classic BPF filter (UDP to or from the edge's port, nothing else: no
RTP reaches Python) and ``SO_TIMESTAMPNS``: each INVITE and each 200 to an INVITE is seen going into Kamailio
and coming out of it, so its time inside Kamailio is the difference of two kernel timestamps, whatever this
process is doing meanwhile. Needs root (CAP_NET_RAW); without it ``EdgeTap.start`` raises ``PermissionError``.
"""

from __future__ import annotations

import ctypes
import re
import socket
import struct
import threading

SO_ATTACH_FILTER = 26
SO_TIMESTAMPNS = 35
ETH_P_IP = 0x0800
CALL_ID = re.compile(rb"\r\n(?:Call-ID|i)\s*:\s*([^\r\n]+)", re.IGNORECASE)
CSEQ_INVITE = re.compile(rb"\r\nCSeq\s*:\s*\d+\s+INVITE", re.IGNORECASE)


def udp_port_filter(port: int) -> list[tuple[int, int, int, int]]:
    """IPv4, UDP, source or destination port ``port`` (lo frames carry a 14-byte Ethernet header)."""
    return [
        (0x28, 0, 0, 12),  # ldh [12]             ethertype
        (0x15, 0, 8, ETH_P_IP),  # jeq IPv4, else drop
        (0x30, 0, 0, 23),  # ldb [23]             IP protocol
        (0x15, 0, 6, 17),  # jeq UDP, else drop
        (0xB1, 0, 0, 14),  # ldxb 4*([14]&0xf)    IP header length
        (0x48, 0, 0, 14),  # ldh [x+14]           source port
        (0x15, 2, 0, port),  # jeq port -> accept
        (0x48, 0, 0, 16),  # ldh [x+16]           destination port
        (0x15, 0, 1, port),  # jeq port -> accept, else drop
        (0x06, 0, 0, 0x40000),  # accept
        (0x06, 0, 0, 0),  # drop
    ]


class EdgeTap:
    """First time each (Call-ID, moment) was seen: ``invite_in``/``invite_out`` (into and out of the edge),
    ``ok_in``/``ok_out`` (the 200 to the INVITE), as CLOCK_REALTIME seconds."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.seen: dict[tuple[str, str], float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self) -> EdgeTap:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
        program = udp_port_filter(self.port)
        self._program = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in program))
        sock.setsockopt(
            socket.SOL_SOCKET,
            SO_ATTACH_FILTER,
            struct.pack("HL", len(program), ctypes.addressof(self._program)),
        )
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        sock.bind(("lo", 0))
        sock.settimeout(0.2)
        self._sock = sock
        self._thread = threading.Thread(target=self._run, name="edge-tap", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        if self._sock is not None:
            self._sock.close()

    def _run(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                data, ancillary, _flags, address = self._sock.recvmsg(65535, 64)
            except TimeoutError:
                continue
            except OSError:
                return
            if address[2] == socket.PACKET_OUTGOING:  # on lo each packet is seen leaving and arriving
                continue
            stamp = next(
                (
                    sec + nsec / 1e9
                    for level, kind, raw in ancillary
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS
                    for sec, nsec in [struct.unpack("qq", raw[:16])]
                ),
                None,
            )
            if stamp is not None:
                self._note(data, stamp)

    def _note(self, frame: bytes, stamp: float) -> None:
        header = 14 + (frame[14] & 0x0F) * 4
        source, target = struct.unpack_from("!HH", frame, header)
        payload = frame[header + 8 :]
        call_id = CALL_ID.search(payload)
        if call_id is None:
            return
        into = target == self.port and source != self.port
        if payload.startswith(b"INVITE "):
            moment = "invite_in" if into else "invite_out"
        elif payload.startswith(b"SIP/2.0 200") and CSEQ_INVITE.search(payload):
            moment = "ok_in" if into else "ok_out"
        else:
            return
        self.seen.setdefault((call_id.group(1).strip().decode(errors="replace"), moment), stamp)

    def hops_ms(self, call_ids: set[str]) -> tuple[list[float], list[float]]:
        """Per call: the INVITE's time inside Kamailio, and the 200's (ms)."""
        invites, oks = [], []
        for call_id in call_ids:
            seen = self.seen
            if (call_id, "invite_in") in seen and (call_id, "invite_out") in seen:
                invites.append((seen[call_id, "invite_out"] - seen[call_id, "invite_in"]) * 1000)
            if (call_id, "ok_in") in seen and (call_id, "ok_out") in seen:
                oks.append((seen[call_id, "ok_out"] - seen[call_id, "ok_in"]) * 1000)
        return invites, oks

    def call_ids(self, since: float, until: float) -> set[str]:
        """Calls whose INVITE reached the edge between ``since`` and ``until`` (wall-clock seconds)."""
        return {
            cid
            for (cid, moment), t in list(self.seen.items())
            if moment == "invite_in" and since <= t < until
        }
