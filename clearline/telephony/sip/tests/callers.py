"""sipp peers for the call controller's tests: a caller that presses keys (RFC 2833, sipp's own DTMF captures) and
a trunk that plays every provider, the crisis line and the free helpline, each number as the test says.

- ``Caller``: INVITE through the edge, ACK, then each ``(at_ms, key)`` sent as RFC 2833 events, then BYE at
  ``hang_up_ms`` (after the call's answer); ``calls`` such calls, one every ``every_ms``, from the one source
  port. Runs in the background; ``wait()`` returns what sipp reported.
- ``Trunk``: a sipp UAS on a free port. A number matching ``busy`` answers 486; ``person`` answers, then presses
  1 ``press_after_ms`` after the ACK (the whisper is playing) and stays until BYE; ``silent`` rings until
  cancelled; any other number (the free lines, a voicemail) answers and stays until BYE, pressing nothing.
  Each INVITE's number is written to its message log: ``dialled()``. With ``echo``, every answered leg sends
  back the audio it receives (sipp's ``-rtp_echo``).
"""

from __future__ import annotations

import csv
import random
import re
import struct
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from clearline.telephony.sip.tests.phones import (
    HOST,
    SIPP,
    _cdata,
    _scenario,
    _stop,
    _tail,
    _wait_alive,
)

DTMF = Path("/usr/share/sip-tester")
NEVER = "^$"  # a regular expression no number matches

_SDP = """v=0
o=- 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
"""


# pjsua offers telephone-event as payload type 120; a phone answering its offer sends the events with it.
CONTROLLER_EVENT_PT = 120
SIPP_EVENT_PT = 101  # the payload type in sipp's captures


def media_port() -> int:
    """An even port for a sipp phone's audio (it also binds the two above, for video): below the controller's
    RTP ports in these tests and the kernel's ephemeral range (where ``free_port`` finds ports)."""
    return random.randrange(10000, 19990, 4)


def dtmf_capture(key: str) -> Path:
    name = {"#": "pound", "*": "star"}.get(key, key)
    return DTMF / f"dtmf_2833_{name}.pcap"


def rewrite_capture(source: Path, target: Path, *, payload_type: int | None = None, shift: int = 0) -> Path:
    """A copy of one of sipp's RTP captures (Ethernet, IPv4, UDP) with another payload type, or its sequence
    numbers and timestamps moved on by ``shift`` packets: the same key pressed twice is two events, not one
    repeated (a receiver drops an event whose timestamp it has seen)."""
    data = bytearray(source.read_bytes())
    offset = 24  # the pcap file header
    while offset + 16 <= len(data):
        length = struct.unpack_from("<I", data, offset + 8)[0]
        rtp = offset + 16 + 14 + 20 + 8
        if rtp + 12 <= offset + 16 + length:
            if payload_type is not None:
                data[rtp + 1] = (data[rtp + 1] & 0x80) | payload_type
            if shift:
                seq, stamp = struct.unpack_from("!HI", data, rtp + 2)
                struct.pack_into(
                    "!HI", data, rtp + 2, (seq + shift * 50) % 65536, (stamp + shift * 8000) % 2**32
                )
        offset += 16 + length
    target.write_bytes(bytes(data))
    return target


def have_dtmf_captures() -> bool:
    return dtmf_capture("1").exists()


def _press(key: str, capture: Path | None = None) -> str:
    return f'  <nop><action><exec play_pcap_audio="{capture or dtmf_capture(key)}"/></action></nop>\n'


def caller_scenario(keys: list[tuple[int, str, Path]], hang_up_ms: int) -> str:
    invite = (
        """
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+12065550177@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

"""
        + _SDP
    )
    in_dialog = """
{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+12065550177@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} {method}
[routes]
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
"""
    body = f"""  <send retrans="500">{_cdata(invite)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>{_cdata(in_dialog.format(method="ACK", cseq=1))}</send>
"""
    elapsed = 0
    for at_ms, key, capture in sorted(keys):
        if at_ms > elapsed:
            body += f'  <pause milliseconds="{at_ms - elapsed}"/>\n'
            elapsed = at_ms
        body += _press(key, capture)
        body += '  <pause milliseconds="300"/>\n'  # a capture plays for about 250 ms
        elapsed += 300
    body += f'  <pause milliseconds="{max(hang_up_ms - elapsed, 0)}"/>\n'
    body += f"""  <send retrans="500">{_cdata(in_dialog.format(method="BYE", cseq=2))}</send>
  <recv response="200" crlf="true"/>"""
    return _scenario("caller pressing keys", body)


@dataclass
class Ended:
    successful: int
    failed: int
    errors: str


class Caller:
    """One call from 127.0.0.1:source_port to ``number`` through the edge, in the background."""

    def __init__(
        self, folder: Path, edge_port: int, number: str, *, source_port: int, keys: list[tuple[int, str]],
        hang_up_ms: int, calls: int = 1, every_ms: int = 1000,
    ) -> None:  # fmt: skip
        assert SIPP, "sipp is not installed"
        name = uuid.uuid4().hex[:8]
        folder.mkdir(parents=True, exist_ok=True)
        scenario = folder / f"caller-{name}.xml"
        captures = [
            (at_ms, key, rewrite_capture(dtmf_capture(key), folder / f"caller-{name}-{n}.pcap", shift=n))
            for n, (at_ms, key) in enumerate(sorted(keys))
        ]
        scenario.write_text(caller_scenario(captures, hang_up_ms))
        self.stat = folder / f"caller-{name}.csv"
        self.errors = folder / f"caller-{name}-errors.log"
        self.log = folder / f"caller-{name}.log"
        command = [
            SIPP, "-sf", str(scenario), "-i", HOST, "-p", str(source_port), "-s", number, f"{HOST}:{edge_port}",
            "-mi", HOST, "-mp", str(media_port()), "-m", str(calls), "-l", str(calls), "-r", "1", "-rp",
            str(every_ms), "-nostdin", "-timeout", "40s",
            "-recv_timeout", "20000", "-trace_stat", "-stf", str(self.stat), "-trace_err", "-error_file",
            str(self.errors), "-trace_msg", "-message_file", str(folder / f"caller-{name}-sip.log"),
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def wait(self, timeout: float = 45) -> Ended:
        self.process.wait(timeout=timeout)
        successful = failed = 0
        if self.stat.exists():
            rows = list(csv.DictReader(self.stat.read_text().splitlines(), delimiter=";"))
            if rows:
                successful, failed = int(rows[-1]["SuccessfulCall(C)"]), int(rows[-1]["FailedCall(C)"])
        errors = self.errors.read_text(errors="replace") if self.errors.exists() else ""
        return Ended(successful, failed, errors + _tail(self.log, 10))


def trunk_scenario(busy: str, person: str, silent: str, press_after_ms: int, press: Path) -> str:
    reply = """
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:trunk@[local_ip]:[local_port]>
"""
    plain = """
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
"""
    sdp = _SDP.replace(str(SIPP_EVENT_PT), str(CONTROLLER_EVENT_PT))
    answer = reply.format(status="200 OK") + "Content-Type: application/sdp\nContent-Length: [len]\n\n" + sdp
    ringing = reply.format(status="180 Ringing") + "Content-Length: 0\n"
    refused = reply.format(status="486 Busy Here") + "Content-Length: 0\n"
    terminated = reply.format(status="487 Request Terminated") + "Content-Length: 0\n"

    def matches(name: str, pattern: str) -> str:
        return (
            f'<ereg regexp="^INVITE sip:\\+?({pattern})@" search_in="msg" check_it="false" '
            f'assign_to="{name}"/>'
        )

    body = f"""  <recv request="INVITE" crlf="true">
    <action>
      {matches("busy", busy)}
      {matches("person", person)}
      {matches("silent", silent)}
      <ereg regexp="^INVITE sip:\\+?[0-9]+@" search_in="msg" check_it="false" assign_to="number"/>
      <ereg regexp="sip:[^@>]*@" search_in="hdr" header="From:" check_it="false" assign_to="caller_id"/>
      <log message="dialled [$number] as [$caller_id]"/>
    </action>
  </recv>
  <nop hide="true" test="busy" next="busy"/>
  <send>{_cdata(ringing)}</send>
  <nop hide="true" test="silent" next="silent"/>
  <pause milliseconds="30"/>
  <send retrans="500">{_cdata(answer)}</send>
  <recv request="ACK" crlf="true"/>
  <nop hide="true" test="person" next="person"/>
  <recv request="BYE" next="bye"/>
  <label id="person"/>
  <pause milliseconds="{press_after_ms}"/>
{_press("1", press)}  <recv request="BYE" next="bye"/>
  <label id="silent"/>
  <recv request="CANCEL"/>
  <send>{_cdata(plain.format(status="200 OK"))}</send>
  <send>{_cdata(terminated)}</send>
  <recv request="ACK" next="end"/>
  <label id="busy"/>
  <send>{_cdata(refused)}</send>
  <recv request="ACK" next="end"/>
  <label id="bye"/>
  <send>{_cdata(plain.format(status="200 OK"))}</send>
  <label id="end"/>"""
    return _scenario("trunk", body)


class Trunk:
    """The trunk's stand-in on ``port`` (the controller's CLEARLINE_SIP_TRUNK): every provider and free line."""

    def __init__(
        self, folder: Path, port: int, *, busy: str = NEVER, person: str = NEVER, silent: str = NEVER,
        press_after_ms: int = 600, echo: bool = False,
    ) -> None:  # fmt: skip
        self.folder, self.port, self.echo = folder, port, echo
        self.args = (busy, person, silent, press_after_ms)
        self.log = folder / "trunk-messages.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Trunk:
        assert SIPP, "sipp is not installed"
        self.folder.mkdir(parents=True, exist_ok=True)
        scenario = self.folder / "trunk.xml"
        press = rewrite_capture(
            dtmf_capture("1"), self.folder / "dtmf-1.pcap", payload_type=CONTROLLER_EVENT_PT
        )
        scenario.write_text(trunk_scenario(*self.args, press))
        for attempt in range(3):  # a media port someone took: sipp exits at once
            command = [
                SIPP, "-sf", str(scenario), "-i", HOST, "-p", str(self.port), "-mi", HOST, "-mp", str(media_port()),
                "-aa", "-nostdin", "-trace_logs", "-log_file", str(self.log), "-trace_err", "-error_file",
                str(self.folder / "trunk-errors.log"), "-trace_msg", "-message_file",
                str(self.folder / "trunk-sip.log"), *(["-rtp_echo"] if self.echo else []),
            ]  # fmt: skip
            with (self.folder / "trunk.out").open("wb") as out:
                self.process = subprocess.Popen(
                    command, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
                )
            try:
                _wait_alive(self.port, self.process, "sipp trunk", self.folder / "trunk.out")
            except RuntimeError:
                if attempt == 2 or self.process.poll() is None:
                    raise
                continue
            return self
        return self

    def __exit__(self, *exc: object) -> None:
        _stop(self.process)

    def dialled(self) -> list[str]:
        """The numbers INVITEd so far, in order."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return re.findall(r"dialled INVITE sip:(\+?\d+)@", text)

    def caller_ids(self) -> list[str]:
        """Who each INVITE said was calling (its From URI's user part), in order."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return re.findall(r"dialled INVITE sip:\+?\d+@ as sip:([^@]*)@", text)


def wait_for(check: object, timeout: float = 10.0, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return True
        time.sleep(every)
    return bool(callable(check) and check())
