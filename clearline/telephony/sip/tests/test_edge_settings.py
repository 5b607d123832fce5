"""The SIP settings' parsers (``edge.py``): what settings.py accepts, and the loud refusals."""

from __future__ import annotations

import pytest

from clearline.telephony.sip import edge


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:5080", "127.0.0.1:5080"),
        ("trunk.example.org", "trunk.example.org:5060"),
        ("[2001:db8::1]:5062", "[2001:db8::1]:5062"),
    ],
)
def test_a_trunk_is_host_and_port(value: str, expected: str) -> None:
    assert edge.parse_hostport(value, "CLEARLINE_SIP_TRUNK") == expected


@pytest.mark.parametrize("value", ["", "127.0.0.1:0", "127.0.0.1:99999", "2001:db8::1:5060", "bad_host:5060"])
def test_a_bad_trunk_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="CLEARLINE_SIP_TRUNK"):
        edge.parse_hostport(value, "CLEARLINE_SIP_TRUNK")


def test_trusted_sources_are_addresses_networks_and_ports() -> None:
    sources = edge.parse_trusted(["203.0.113.0/24", "198.51.100.7:5060", "[2001:db8::5]:5060", "::1"])
    assert [str(source) for source in sources] == [
        "203.0.113.0/24",
        "198.51.100.7:5060",
        "[2001:db8::5]:5060",
        "::1",
    ]
    assert edge.parse_trusted([str(source) for source in sources]) == sources


@pytest.mark.parametrize("value", ["trunk.example.org", "10.0.0.1/8", "10.0.0.1:x", "[::1]"])
def test_a_host_name_or_a_sloppy_network_is_not_trusted(value: str) -> None:
    with pytest.raises(ValueError, match="CLEARLINE_SIP_TRUSTED"):
        edge.parse_trusted([value])


@pytest.mark.parametrize("value", ["127.0.0.1:5090", "http://127.0.0.1:5090", "sip:", "sip:host:99999"])
def test_a_controller_must_be_a_sip_uri(value: str) -> None:
    with pytest.raises(ValueError, match="CLEARLINE_SIP_CONTROLLERS"):
        edge.parse_controllers([value])


def test_the_default_fallback_is_the_free_helpline_through_the_trunk() -> None:
    assert edge.default_fallback("127.0.0.1:5080") == "sip:+18006624357@127.0.0.1:5080"
    assert edge.default_fallback(None) is None


def test_numbers_must_be_e164(tmp_path) -> None:
    config = edge.EdgeConfig(
        trusted=(), controllers=(), trunk=None, fallback_uri="sip:x@h", numbers={"2065550101": "general"}
    )
    with pytest.raises(ValueError, match=r"E\.164"):
        edge.write_edge_files(tmp_path, config)
