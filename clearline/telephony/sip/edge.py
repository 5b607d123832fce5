"""The files Kamailio reads (deploy/kamailio/kamailio.cfg): parsing the SIP settings and writing the db_text folder.

Pure Python, no Django: ``settings.py`` parses the environment with these functions, ``clearline sip_config``
writes the folder, and the SIP tests write their own folders with stand-in addresses.

The folder is a db_text database (Kamailio's ``db_text`` module, ``text:///DIR``), one file per table:

- ``address``: trusted source addresses, group 1 (``permissions``; ``allow_source_address("1")``);
- ``dispatcher``: the call controllers, set 1 (``dispatcher``, probed with OPTIONS);
- ``numbers``: every dialable Clearline number, E.164 -> ``general`` or ``listing`` (``htable``);
- ``clearline``: ``trunk`` (host:port) and ``fallback`` (a SIP URI) (``htable``);
- ``version``: the table versions the modules check at start.

Each file is written to a temporary name and renamed, so a reload (``kamcmd``) never reads half a file.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
# Host names as RFC 1123 allows them (letters, digits, hyphens, dots); addresses are checked by ipaddress.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# sip:[user@]host[:port][;params], the subset a controller or fallback destination needs.
_SIP_URI = re.compile(
    r"^sips?:(?:(?P<user>[^@\s;:]+)@)?(?P<hostport>\[[0-9A-Fa-f:.]+\](?::\d+)?|[^\s;@]+)(?P<params>;[^\s]*)?$"
)

# The free national helpline (SAMHSA, 1-800-662-4357): where a call goes when no controller can take it, unless
# CLEARLINE_SIP_FALLBACK_URI says otherwise.
FREE_HELPLINE = "+18006624357"

# Table versions Kamailio 5.6 expects (its db_text schema's ``version`` file).
TABLE_VERSIONS = {"address": 6, "dispatcher": 4, "htable": 2}
TABLES = ("version", "address", "dispatcher", "numbers", "clearline")
NUMBER_KINDS = ("general", "listing")


@dataclass(frozen=True)
class Source:
    """A trusted source: an address or network, and a port (0: any port)."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int = 0

    def __str__(self) -> str:
        host = str(self.network.network_address)
        full = self.network.prefixlen == self.network.max_prefixlen
        text = host if full else f"{host}/{self.network.prefixlen}"
        if not self.port:
            return text
        return f"[{text}]:{self.port}" if self.network.version == 6 else f"{text}:{self.port}"


@dataclass(frozen=True)
class EdgeConfig:
    """Everything a Kamailio edge needs to know, as written to its db_text folder."""

    trusted: tuple[Source, ...]
    controllers: tuple[str, ...]
    trunk: str | None
    fallback_uri: str
    numbers: Mapping[str, str]


def parse_port(text: str, what: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{what}: {text!r} is not a port (1-65535)")
    return int(text)


def parse_hostport(value: str, what: str) -> str:
    """``host:port`` (an IPv6 address in brackets); the port may be left out (5060). Returns ``host:port``."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        try:
            ipaddress.IPv6Address(host)
        except ValueError as error:
            raise ValueError(f"{what}: {value!r} is not [IPv6 address]:port") from error
        if rest and not rest.startswith(":"):
            raise ValueError(f"{what}: {value!r} is not [IPv6 address]:port")
        port = parse_port(rest[1:], what) if rest else 5060
        return f"[{host}]:{port}"
    host, sep, port_text = value.rpartition(":")
    if not sep:
        host, port_text = value, "5060"
    if ":" in host:
        raise ValueError(f"{what}: {value!r}: write an IPv6 address in brackets, [::1]:5060")
    if not host or not _is_host(host):
        raise ValueError(f"{what}: {value!r} is not host:port")
    return f"{host}:{parse_port(port_text, what)}"


def parse_sip_uri(value: str, what: str) -> str:
    """A ``sip:`` URI whose host (and port) can be reached: ``sip:127.0.0.1:5090``, ``sip:+18006624357@trunk``."""
    value = value.strip()
    match = _SIP_URI.match(value)
    if not match:
        raise ValueError(f"{what}: {value!r} is not a SIP URI (sip:host:port or sip:user@host:port)")
    parse_hostport(match["hostport"], what)
    return value


def parse_source(value: str, what: str) -> Source:
    """``ADDRESS``, ``ADDRESS/PREFIX``, ``ADDRESS:PORT`` or ``[IPv6]:PORT`` (addresses only, no host names)."""
    value = value.strip()
    port = 0
    if value.startswith("["):
        inner, _, rest = value[1:].partition("]")
        if not rest.startswith(":"):
            raise ValueError(f"{what}: {value!r} is not [IPv6 address]:port")
        value, port = inner, parse_port(rest[1:], what)
    elif value.count(":") == 1:
        value, port_text = value.split(":")
        port = parse_port(port_text, what)
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as error:
        if "/" in value:  # ipaddress says why: host bits set, a prefix out of range
            raise ValueError(f"{what}: {error}") from error
        raise ValueError(
            f"{what}: {value!r} is not an IP address or network (a host name is not accepted: "
            f"Kamailio compares the packet's source address)"
        ) from error
    return Source(network, port)


def parse_trusted(items: Iterable[str]) -> tuple[Source, ...]:
    return tuple(parse_source(item, "CLEARLINE_SIP_TRUSTED") for item in items)


def parse_controllers(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(parse_sip_uri(item, "CLEARLINE_SIP_CONTROLLERS") for item in items)


def default_fallback(trunk: str | None) -> str | None:
    """The free national helpline through the trunk, when there is a trunk."""
    return f"sip:{FREE_HELPLINE}@{trunk}" if trunk else None


def write_edge_files(folder: Path, config: EdgeConfig) -> list[Path]:
    """Write every table into ``folder`` (created if needed); return the paths written."""
    for number, kind in config.numbers.items():
        if not E164.match(number):
            raise ValueError(f"{number!r} is not an E.164 number")
        if kind not in NUMBER_KINDS:
            raise ValueError(f"{number}: kind {kind!r} is not one of {', '.join(NUMBER_KINDS)}")
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "version": _table(
            "id(int,auto) table_name(string) table_version(int)",
            [
                ("address", TABLE_VERSIONS["address"]),
                ("dispatcher", TABLE_VERSIONS["dispatcher"]),
                ("numbers", TABLE_VERSIONS["htable"]),
                ("clearline", TABLE_VERSIONS["htable"]),
            ],
        ),
        "address": _table(
            "id(int,auto) grp(int) ip_addr(string) mask(int) port(int) tag(string,null)",
            [
                (1, str(s.network.network_address), s.network.prefixlen, s.port, "trusted")
                for s in config.trusted
            ],
        ),
        "dispatcher": _table(
            "id(int,auto) setid(int) destination(string) flags(int) priority(int) attrs(string) "
            "description(string)",
            # db_text reads an empty field as NULL, which the dispatcher refuses: attrs names each controller.
            [
                (1, uri, 0, 0, f"duid=controller-{index}", "call controller")
                for index, uri in enumerate(config.controllers, start=1)
            ],
        ),
        "numbers": _htable([(number, config.numbers[number]) for number in sorted(config.numbers)]),
        "clearline": _htable(
            ([("trunk", config.trunk)] if config.trunk else []) + [("fallback", config.fallback_uri)]
        ),
    }
    written = []
    for name in TABLES:
        path = folder / name
        _write_atomically(path, tables[name])
        written.append(path)
    return written


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host))
    return True


def _htable(rows: list[tuple[str, str]]) -> str:
    # key_type 0: a plain key; value_type 0: a string value; expires 0: never.
    return _table(
        "id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int)",
        [(key, 0, 0, value, 0) for key, value in rows],
    )


def _table(header: str, rows: list[tuple[object, ...]]) -> str:
    lines = [header]
    for index, row in enumerate(rows, start=1):
        lines.append(":".join([str(index), *(_escape(value) for value in row)]))
    return "\n".join(lines) + "\n"


def _escape(value: object) -> str:
    """db_text's escaping: a backslash before the separator, backslashes and line ends."""
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), (":", "\\:"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    return text


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` at once, with a modification time later than the old file's, in whole seconds:
    db_text re-reads a table on reload only when its file's mtime (time_t, seconds) changed, so a second write
    within the same second would otherwise go unnoticed."""
    try:
        previous = int(path.stat().st_mtime)
    except FileNotFoundError:
        previous = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        if previous is not None:
            stamp = max(time.time(), previous + 1)
            os.utime(temporary, (stamp, stamp))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
