"""``clearline sip_config``: the numbers come from the database, the rest from the settings, and a running
Kamailio picks up a new number with ``--reload`` (kamcmd), no restart."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clearline.content.models import Helpline
from clearline.telephony.sip.tests.conftest import HELPLINE, LISTING
from clearline.telephony.sip.tests.phones import Edge, StandIn, place_calls


def _helpline(number: str, kind: str = "general") -> Helpline:
    return Helpline.objects.create(label=f"Line {number[-2:]}", intent="detox", number=number, kind=kind)


def _rows(path: Path) -> list[str]:
    return path.read_text().splitlines()[1:]


def test_it_writes_every_clearline_number_and_the_settings(db, settings, tmp_path: Path) -> None:
    _helpline(HELPLINE)
    _helpline(LISTING, kind="listing")
    settings.CLEARLINE_SIP_TRUSTED = ("203.0.113.0/24", "198.51.100.7:5060")
    settings.CLEARLINE_SIP_CONTROLLERS = ("sip:10.0.0.5:5090", "sip:10.0.0.6:5090")
    settings.CLEARLINE_SIP_TRUNK = "trunk.example.org:5060"
    settings.CLEARLINE_SIP_FALLBACK_URI = "sip:+18006624357@trunk.example.org:5060"
    out = StringIO()

    call_command("sip_config", "--out", str(tmp_path), stdout=out, stderr=StringIO())

    assert _rows(tmp_path / "numbers") == [f"1:{HELPLINE}:0:0:general:0", f"2:{LISTING}:0:0:listing:0"]
    assert _rows(tmp_path / "address") == ["1:1:203.0.113.0:24:0:trusted", "2:1:198.51.100.7:32:5060:trusted"]
    assert [row.split(":", 2)[2].split(":0:0:")[0] for row in _rows(tmp_path / "dispatcher")] == [
        "sip\\:10.0.0.5\\:5090",
        "sip\\:10.0.0.6\\:5090",
    ]
    assert _rows(tmp_path / "clearline") == [
        "1:trunk:0:0:trunk.example.org\\:5060:0",
        "2:fallback:0:0:sip\\:+18006624357@trunk.example.org\\:5060:0",
    ]
    assert "1 helpline and 1 listing numbers" in out.getvalue()
    assert "kamcmd htable.reload numbers" in out.getvalue()


def test_it_refuses_to_write_a_configuration_without_a_fallback(db, settings, tmp_path: Path) -> None:
    settings.CLEARLINE_SIP_TRUNK = None
    settings.CLEARLINE_SIP_FALLBACK_URI = None
    with pytest.raises(CommandError, match="fallback"):
        call_command("sip_config", "--out", str(tmp_path / "sip"))
    assert not (tmp_path / "sip").exists()


def test_it_warns_when_kamailio_would_refuse_everything(db, settings, tmp_path: Path) -> None:
    settings.CLEARLINE_SIP_TRUSTED = ()
    settings.CLEARLINE_SIP_CONTROLLERS = ()
    errors = StringIO()
    call_command("sip_config", "--out", str(tmp_path), stdout=StringIO(), stderr=errors)
    assert "every INVITE with 404" in errors.getvalue()
    assert "every INVITE with 403" in errors.getvalue()
    assert "straight to the fallback" in errors.getvalue()


def test_a_new_number_is_dialable_after_a_reload(
    db, settings, tmp_path: Path, trusted_port: int, controller: StandIn, fallback: StandIn
) -> None:
    settings.CLEARLINE_SIP_TRUSTED = (f"127.0.0.1:{trusted_port}",)
    settings.CLEARLINE_SIP_CONTROLLERS = (controller.uri,)
    settings.CLEARLINE_SIP_FALLBACK_URI = f"sip:+18006624357@127.0.0.1:{fallback.port}"
    _helpline(HELPLINE)
    folder = tmp_path / "sip"
    call_command("sip_config", "--out", str(folder), stdout=StringIO(), stderr=StringIO())
    with Edge(tmp_path / "edge", None, db=folder) as edge:
        calls = place_calls(tmp_path, edge.port, LISTING, source_port=trusted_port, refused_with=404)
        assert calls.successful == 1, calls.errors

        _helpline(LISTING, kind="listing")
        out = StringIO()
        call_command("sip_config", "--out", str(folder), "--reload", "--ctl", edge.ctl, stdout=out)
        assert "reloaded" in out.getvalue()

        calls = place_calls(tmp_path, edge.port, LISTING, source_port=trusted_port, answered_by="controller")
        assert calls.successful == 1, calls.errors
