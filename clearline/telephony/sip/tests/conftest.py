"""Shared real-SIP fixtures: Kamailio (deploy/kamailio/kamailio.cfg) and sipp phones on 127.0.0.1.

Started once per session (each start takes a few tens of milliseconds, but the suite must stay fast) and stopped
at its end. Tests needing them are skipped, with the reason, only when the kamailio or sipp binary is missing
(`.ci/run` installs both, so CI never skips them).

- ``controller``: the call controller's stand-in (sipp UAS answering OPTIONS probes and INVITEs);
- ``fallback``: the fallback destination's stand-in;
- ``edge``: Kamailio with one live controller, the fallback, ``HELPLINE`` and ``LISTING`` dialable, and
  ``trusted_port`` (the caller's source port on 127.0.0.1) the only trusted source;
- ``edge_without_controller``: the same, with two controllers that are down: one port nobody listens on, one
  socket that never answers (a hung controller);
- ``sip_controller`` and ``controller_edge``, once per module: the real call controller (``running.py``) and a
  Kamailio that hands it calls.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearline.telephony.sip.config import ControllerConfig
from clearline.telephony.sip.edge import EdgeConfig, parse_trusted
from clearline.telephony.sip.tests.busy import BusyControllers
from clearline.telephony.sip.tests.phones import (
    HOST,
    KAMAILIO,
    KAMCMD,
    SIPP,
    Edge,
    Silent,
    StandIn,
    free_port,
    options_ping,
)
from clearline.telephony.sip.tests.running import Running

HELPLINE = "+12065550101"
LISTING = "+12065550102"
UNKNOWN = "+12065550199"
NUMBERS = {HELPLINE: "general", LISTING: "listing"}
TRUNK = "127.0.0.1:9"  # outbound legs are not exercised here; the discard port stands in


def _missing() -> str | None:
    missing = [
        name for name, path in (("kamailio", KAMAILIO), ("kamcmd", KAMCMD), ("sipp", SIPP)) if not path
    ]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not installed: apt-get install --no-install-recommends kamailio "
        "kamailio-utils-modules sip-tester (.ci/run does)"
    )


@pytest.fixture(scope="session")
def sip_binaries() -> None:
    reason = _missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def sip_folder(tmp_path_factory: pytest.TempPathFactory, sip_binaries: None) -> Path:
    return tmp_path_factory.mktemp("sip")


@pytest.fixture(scope="session")
def controller(sip_folder: Path) -> Iterator[StandIn]:
    with StandIn(sip_folder / "controller", "controller") as stand_in:
        yield stand_in


@pytest.fixture(scope="session")
def fallback(sip_folder: Path) -> Iterator[StandIn]:
    with StandIn(sip_folder / "fallback", "fallback") as stand_in:
        yield stand_in


@pytest.fixture(scope="session")
def trusted_port() -> int:
    """The one source port on 127.0.0.1 the edges trust: the trunk's stand-in places calls from it."""
    return free_port()


def edge_config(trusted_port: int, controllers: tuple[str, ...], fallback_uri: str) -> EdgeConfig:
    return EdgeConfig(
        trusted=parse_trusted([f"127.0.0.1:{trusted_port}"]),
        controllers=controllers,
        trunk=TRUNK,
        fallback_uri=fallback_uri,
        numbers=NUMBERS,
    )


@pytest.fixture(scope="session")
def edge(sip_folder: Path, trusted_port: int, controller: StandIn, fallback: StandIn) -> Iterator[Edge]:
    config = edge_config(trusted_port, (controller.uri,), f"sip:+18006624357@127.0.0.1:{fallback.port}")
    with Edge(sip_folder / "edge", config) as running:
        yield running


@pytest.fixture(scope="session")
def edge_without_controller(sip_folder: Path, trusted_port: int, fallback: StandIn) -> Iterator[Edge]:
    silent = Silent()
    absent = f"sip:127.0.0.1:{free_port()}"
    config = edge_config(trusted_port, (absent, silent.uri), f"sip:+18006624357@127.0.0.1:{fallback.port}")
    try:
        with Edge(sip_folder / "edge-down", config) as running:
            yield running
    finally:
        silent.close()


@pytest.fixture(scope="session")
def busy_controllers() -> Iterator[BusyControllers]:
    """More full controllers (each answers INVITEs with 486) than a call tries (CONTROLLER_TRIES, 10)."""
    busy = BusyControllers(14)
    try:
        yield busy
    finally:
        busy.close()


@pytest.fixture(scope="session")
def edge_with_every_controller_full(
    sip_folder: Path, trusted_port: int, busy_controllers: BusyControllers, fallback: StandIn
) -> Iterator[Edge]:
    config = edge_config(trusted_port, busy_controllers.uris, f"sip:+18006624357@127.0.0.1:{fallback.port}")
    with Edge(sip_folder / "edge-full", config) as running:
        yield running


@pytest.fixture(scope="session")
def edge_with_one_controller_down(
    sip_folder: Path, trusted_port: int, controller: StandIn, fallback: StandIn
) -> Iterator[Edge]:
    """Two controllers, the first hung: more controllers is only a longer dispatcher list."""
    silent = Silent()
    config = edge_config(
        trusted_port, (silent.uri, controller.uri), f"sip:+18006624357@127.0.0.1:{fallback.port}"
    )
    try:
        with Edge(sip_folder / "edge-one-down", config) as running:
            yield running
    finally:
        silent.close()


@pytest.fixture(scope="module")
def sip_controller(sip_folder: Path) -> Iterator[Running]:
    from clearline.telephony.sip.controller import Controller

    lock = threading.Lock()
    trunk_port = free_port()
    config = ControllerConfig(
        host=HOST,
        port=free_port(),
        rtp_port=random.randrange(20000, 28000, 2),  # below the ephemeral ports free_port() hands out
        trunk=f"{HOST}:{trunk_port}",
        prompts_dir=sip_folder / "prompts",
        flow_threads=1,
        max_calls=4,  # as the wheel allows (docs/sip.md, "Known limits")
    )
    controller = Controller(config, flow_lock=lock)
    thread = threading.Thread(target=controller.run, name="sip-controller", daemon=True)
    thread.start()
    try:
        assert controller.ready.wait(30), "the controller did not start"
        assert options_ping(config.port, timeout=1.0) == "SIP/2.0 200 OK"
        yield Running(controller, trunk_port, lock)
    finally:
        controller.stop()
        thread.join(15)
    assert not thread.is_alive(), "the controller did not stop"


@pytest.fixture(scope="module")
def controller_edge(
    sip_folder: Path, trusted_port: int, sip_controller: Running, fallback: StandIn
) -> Iterator[Edge]:
    uri = f"sip:{HOST}:{sip_controller.controller.config.port}"  # type: ignore[attr-defined]
    config = edge_config(trusted_port, (uri,), f"sip:+18006624357@{HOST}:{fallback.port}")
    with Edge(sip_folder / "edge-controller", config) as running:
        yield running
