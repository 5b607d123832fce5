"""Real SIP peers for the edge tests: Kamailio with deploy/kamailio/kamailio.cfg, and sipp phones.

Everything binds to and talks to 127.0.0.1 only. Each process gets free ports, a folder of its own under the
test's temporary folder, and is stopped by the fixture that started it (``conftest.py``).

- ``Edge``: Kamailio in the foreground (``-DD -E``) with a db_text folder written by ``edge.write_edge_files``
  and ``-A`` overrides for its port, run folder and control socket; alive once it answers an OPTIONS probe.
- ``StandIn``: a sipp UAS answering every INVITE with 180 then 200 and a header naming its role
  (``X-Clearline-Stand-In: controller``), and every OPTIONS with 200 (``-aa``): the call controller's stand-in
  for the dispatcher's probes, and the fallback destination's.
- ``place_calls``: a sipp UAC placing calls to a number and checking each ends as expected: answered by a given
  stand-in (then ACK, a short talk, BYE), or refused with a given status.
- ``Silent``: a bound UDP socket that never answers: a controller that hangs.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from clearline.telephony.sip.edge import EdgeConfig, write_edge_files

HOST = "127.0.0.1"
CONFIG = Path(__file__).resolve().parents[4] / "deploy" / "kamailio" / "kamailio.cfg"
KAMAILIO = shutil.which("kamailio") or (
    "/usr/sbin/kamailio" if os.access("/usr/sbin/kamailio", os.X_OK) else None
)
KAMCMD = shutil.which("kamcmd") or ("/usr/sbin/kamcmd" if os.access("/usr/sbin/kamcmd", os.X_OK) else None)
SIPP = shutil.which("sipp")


def free_port() -> int:
    """A UDP port on 127.0.0.1 nobody holds right now (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def options_ping(port: int, timeout: float = 0.2, uri: str | None = None) -> str | None:
    """Send one OPTIONS to 127.0.0.1:port; return the reply's status line, or None when nothing came back."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        sock.settimeout(timeout)
        local = sock.getsockname()[1]
        tag = uuid.uuid4().hex[:12]
        target = uri or f"sip:{HOST}:{port}"
        message = (
            f"OPTIONS {target} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {HOST}:{local};branch=z9hG4bK-{tag}\r\n"
            f"From: <sip:probe@{HOST}:{local}>;tag={tag}\r\n"
            f"To: <{target}>\r\n"
            f"Call-ID: probe-{tag}@{HOST}\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        sock.sendto(message.encode(), (HOST, port))
        try:
            data = sock.recv(4096)
        except (TimeoutError, ConnectionRefusedError):
            return None
        return data.decode(errors="replace").split("\r\n", 1)[0]


def _wait_alive(
    port: int, process: subprocess.Popen[bytes], what: str, log: Path, limit: float = 5.0
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}:\n{_tail(log)}")
        status = options_ping(port)
        if status and status.startswith("SIP/2.0 200"):
            return
    raise RuntimeError(f"{what} did not answer an OPTIONS probe within {limit} s:\n{_tail(log)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class Edge:
    """Kamailio running deploy/kamailio/kamailio.cfg on a free port of 127.0.0.1."""

    def __init__(
        self,
        folder: Path,
        config: EdgeConfig | None,
        *,
        db: Path | None = None,
        probe_interval: int = 1,
        controller_timeout_ms: int = 500,
        children: int = 2,
    ) -> None:
        self.folder = folder
        self.config = config
        self.db = db or folder / "db"  # config None: ``db`` was written already (clearline sip_config)
        self.run_dir = folder / "run"
        self.log = folder / "kamailio.log"
        self.ctl = f"unix:{self.run_dir / 'kamailio_ctl'}"
        self.overrides = {
            "CLEARLINE_SIP_DB": f'"text://{self.db}"',
            "RUN_DIR": f'"{self.run_dir}"',
            "CTL_SOCKET": f'"{self.ctl}"',
            "PROBE_INTERVAL": str(probe_interval),
            "CONTROLLER_TIMEOUT_MS": str(controller_timeout_ms),
            "CHILDREN": str(children),
        }
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Edge:
        assert KAMAILIO, "kamailio is not installed"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.config is not None:
            write_edge_files(self.db, self.config)
        for _attempt in range(3):  # a port taken between free_port() and the bind: Kamailio exits at once
            self.port = free_port()
            command = [KAMAILIO, "-DD", "-E", "-f", str(CONFIG), "-m", "128", "-M", "8"]
            for name, value in {**self.overrides, "SIP_PORT": str(self.port)}.items():
                command += ["-A", f"{name}={value}"]
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    command, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
                )
            try:
                _wait_alive(self.port, self.process, "kamailio", self.log)
            except RuntimeError:
                if self.process.poll() == 255:
                    continue
                self.stop()
                raise
            return self
        raise RuntimeError(f"kamailio could not bind a free port:\n{_tail(self.log)}")

    def stop(self) -> None:
        _stop(self.process)

    def kamcmd(self, *args: str) -> str:
        assert KAMCMD, "kamcmd is not installed"
        done = subprocess.run(
            [KAMCMD, "-s", self.ctl, *args], capture_output=True, text=True, timeout=10, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"kamcmd {' '.join(args)}: {done.stderr or done.stdout}")
        return done.stdout

    def active_dialogs(self) -> int:
        out = self.kamcmd("dlg.stats_active")
        for line in out.splitlines():
            name, _, value = line.strip().partition(":")
            if name == "all":
                return int(value)
        raise RuntimeError(f"no 'all' in dlg.stats_active: {out}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def __enter__(self) -> Edge:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StandIn:
    """A sipp UAS on a free port answering every call (180, 200) with ``X-Clearline-Stand-In: ROLE``."""

    def __init__(self, folder: Path, role: str) -> None:
        self.folder = folder
        self.role = role
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / f"sipp-{role}.log"

    @property
    def uri(self) -> str:
        return f"sip:{HOST}:{self.port}"

    def start(self) -> StandIn:
        assert SIPP, "sipp is not installed"
        self.folder.mkdir(parents=True, exist_ok=True)
        scenario = self.folder / f"stand-in-{self.role}.xml"
        scenario.write_text(stand_in_scenario(self.role))
        for _attempt in range(3):
            self.port = free_port()
            command = [SIPP, "-sf", str(scenario), "-i", HOST, "-p", str(self.port), "-aa", "-nostdin"]
            command += ["-trace_err", "-error_file", str(self.folder / f"sipp-{self.role}-errors.log")]
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    command, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
                )
            try:
                _wait_alive(self.port, self.process, f"sipp stand-in ({self.role})", self.log)
            except RuntimeError:
                if self.process.poll() is not None:
                    continue
                self.stop()
                raise
            return self
        raise RuntimeError(f"sipp stand-in ({self.role}) could not start:\n{_tail(self.log)}")

    def stop(self) -> None:
        # Not SIGUSR1 (end once the calls are over): every OPTIONS probe left a call open in sipp.
        _stop(self.process)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


class Silent:
    """A UDP socket bound on 127.0.0.1 that reads nothing and answers nothing: a hung controller."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((HOST, 0))
        self.port = int(self.sock.getsockname()[1])

    @property
    def uri(self) -> str:
        return f"sip:{HOST}:{self.port}"

    def close(self) -> None:
        self.sock.close()


@dataclass(frozen=True)
class Calls:
    """What a sipp caller reported: calls placed, ended as expected, and not."""

    placed: int
    successful: int
    failed: int
    seconds: float
    returncode: int
    errors: str


def place_calls(
    folder: Path,
    edge_port: int,
    number: str,
    *,
    source_port: int,
    answered_by: str | None = None,
    refused_with: int | None = None,
    count: int = 1,
    rate: int = 10,
    timeout: float = 30.0,
) -> Calls:
    """Place ``count`` calls from 127.0.0.1:source_port to ``number`` through the edge; each must be answered by
    the stand-in named ``answered_by`` (then ACK, 50 ms of talk, BYE) or refused with ``refused_with``."""
    assert SIPP, "sipp is not installed"
    assert (answered_by is None) != (refused_with is None)
    name = uuid.uuid4().hex[:8]
    folder.mkdir(parents=True, exist_ok=True)
    scenario = folder / f"caller-{name}.xml"
    scenario.write_text(
        caller_scenario(answered_by) if answered_by else refused_scenario(int(refused_with or 0))
    )
    stat = folder / f"caller-{name}.csv"
    errors = folder / f"caller-{name}-errors.log"
    command = [
        SIPP, "-sf", str(scenario), "-i", HOST, "-p", str(source_port), "-s", number, f"{HOST}:{edge_port}",
        "-m", str(count), "-r", str(rate), "-l", str(count), "-nostdin",
        "-timeout", f"{int(timeout)}s", "-recv_timeout", "10000",
        "-trace_stat", "-stf", str(stat), "-trace_err", "-error_file", str(errors),
    ]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout + 10, check=False
    )
    seconds = time.monotonic() - started
    successful = failed = 0
    if stat.exists():
        rows = list(csv.DictReader(stat.read_text().splitlines(), delimiter=";"))
        if rows:
            successful = int(rows[-1]["SuccessfulCall(C)"])
            failed = int(rows[-1]["FailedCall(C)"])
    error_text = errors.read_text(errors="replace") if errors.exists() else ""
    if done.returncode not in (0, 1):
        error_text += done.stdout.decode(errors="replace")[-2000:] + done.stderr.decode(errors="replace")
    return Calls(count, successful, failed, seconds, done.returncode, error_text)


# ----- sipp scenarios -----

_SDP = """v=0
o=- 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio {port} RTP/AVP 0
a=rtpmap:0 PCMU/8000
"""

_INVITE = """
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

""" + _SDP.format(port=4000)


def _scenario(name: str, body: str) -> str:
    return f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="{name}">
{body}
</scenario>
"""


def _cdata(message: str) -> str:
    return f"<![CDATA[{message}\n]]>"


def caller_scenario(answered_by: str) -> str:
    """INVITE; the 200 must carry ``X-Clearline-Stand-In: answered_by`` (else the call counts as failed)."""
    in_dialog = """
{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} {method}
[routes]
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
"""
    return _scenario(
        f"caller answered by {answered_by}",
        f"""  <send retrans="500">{_cdata(_INVITE)}</send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true">
    <action>
      <ereg regexp="^ *{answered_by} *$" search_in="hdr" header="X-Clearline-Stand-In:" check_it="true"
            assign_to="reached"/>
      <log message="answered by [$reached]"/>
    </action>
  </recv>
  <send>{_cdata(in_dialog.format(method="ACK", cseq=1))}</send>
  <pause milliseconds="50"/>
  <send retrans="500">{_cdata(in_dialog.format(method="BYE", cseq=2))}</send>
  <recv response="200" crlf="true"/>""",
    )


def refused_scenario(status: int) -> str:
    """INVITE; the final reply must be ``status`` (then the ACK a non-2xx reply needs, on the INVITE's branch)."""
    ack = """
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
"""
    return _scenario(
        f"caller refused with {status}",
        f"""  <send retrans="500">{_cdata(_INVITE)}</send>
  <recv response="100" optional="true"/>
  <recv response="{status}"/>
  <send>{_cdata(ack)}</send>""",
    )


def stand_in_scenario(role: str) -> str:
    """Answer an INVITE with 180, a short pause (a 180 must not overtake the 200), 200; then ACK, BYE, 200."""
    reply = """
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:{role}@[local_ip]:[local_port]>
X-Clearline-Stand-In: {role}
"""
    ringing = reply.format(status="180 Ringing", role=role) + "Content-Length: 0\n"
    answer = (
        reply.format(status="200 OK", role=role)
        + "Content-Type: application/sdp\nContent-Length: [len]\n\n"
        + _SDP.format(port=4002)
    )
    bye_ok = """
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
"""
    return _scenario(
        f"{role} stand-in",
        f"""  <recv request="INVITE" crlf="true"/>
  <send>{_cdata(ringing)}</send>
  <pause milliseconds="20"/>
  <send retrans="500">{_cdata(answer)}</send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>{_cdata(bye_ok)}</send>""",
    )
