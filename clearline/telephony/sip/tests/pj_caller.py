"""A caller that records what it hears: pjsua2 in its own process (one pjsua2 endpoint per process, and the
controller under test has this test process's), bound to 127.0.0.1.

    python pj_caller.py --port SOURCE_PORT --rtp RTP_PORT --to sip:+12065550101@127.0.0.1:EDGE_PORT \
        --record heard.wav --seconds 4 [--key 0.8:1] [--tone 1000]

Calls ``--to`` from 127.0.0.1:SOURCE_PORT, records the received audio (8 kHz mono 16-bit WAV) from the moment
its media is up, hangs up after ``--seconds`` and exits 0; exits 1 if the call was not answered. ``--key S:D``
sends the key D (RFC 2833) S seconds after the answer; ``--tone HZ`` sends a steady tone the whole call.
"""

from __future__ import annotations

import argparse
import sys
import time

import pjsua2 as pj


class Caller(pj.Call):
    def __init__(self, account: pj.Account, record: str) -> None:
        super().__init__(account)
        self.record = record
        self.recorder: pj.AudioMediaRecorder | None = None
        self.answered_at: float | None = None
        self.ended = False
        self.tone_hz = 0
        self.tone: pj.ToneGenerator | None = None

    def onCallState(self, prm: object) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.ended = True

    def onCallMediaState(self, prm: object) -> None:
        info = self.getInfo()
        for index, media in enumerate(info.media):
            active = media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
            if active and self.recorder is None:
                self.recorder = pj.AudioMediaRecorder()
                self.recorder.createRecorder(self.record)
                self.getAudioMedia(index).startTransmit(self.recorder)
                self.answered_at = time.monotonic()
                if self.tone_hz:
                    self.tone = pj.ToneGenerator()
                    self.tone.createToneGenerator(8000, 1)
                    desc = pj.ToneDesc()
                    desc.freq1, desc.freq2, desc.on_msec, desc.off_msec, desc.volume = (
                        self.tone_hz,
                        0,
                        1000,
                        0,
                        0,
                    )
                    tones = pj.ToneDescVector()
                    tones.append(desc)
                    self.tone.play(tones, True)
                    self.tone.startTransmit(self.getAudioMedia(index))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rtp", type=int, required=True)
    parser.add_argument("--to", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--key", default="")
    parser.add_argument("--tone", type=int, default=0)
    args = parser.parse_args()

    ep = pj.Endpoint()
    ep.libCreate()
    config = pj.EpConfig()
    config.uaConfig.threadCnt = 0
    config.uaConfig.mainThreadOnly = True
    config.logConfig.level = config.logConfig.consoleLevel = 1
    config.medConfig.clockRate = config.medConfig.sndClockRate = 8000
    config.medConfig.noVad, config.medConfig.ecTailLen = True, 0
    ep.libInit(config)
    transport = pj.TransportConfig()
    transport.port, transport.boundAddress, transport.publicAddress = args.port, "127.0.0.1", "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
    ep.audDevManager().setNullDev()
    ep.libStart()
    for codec in ep.codecEnum2():
        ep.codecSetPriority(codec.codecId, 255 if codec.codecId.startswith("PCMU/") else 0)
    account_config = pj.AccountConfig()
    account_config.idUri = f"sip:+12065550177@127.0.0.1:{args.port}"
    rtp = account_config.mediaConfig.transportConfig
    rtp.port, rtp.boundAddress, rtp.publicAddress = args.rtp, "127.0.0.1", "127.0.0.1"
    account = pj.Account()
    account.create(account_config, True)
    call = Caller(account, args.record)
    call.tone_hz = args.tone
    key_at, _, key = args.key.partition(":")
    param = pj.CallOpParam(True)
    param.opt.audioCount, param.opt.videoCount = 1, 0
    call.makeCall(args.to, param)
    deadline = time.monotonic() + 10
    answered = False
    while not call.ended and time.monotonic() < deadline:
        ep.libHandleEvents(10)
        if call.answered_at is not None and not answered:
            answered = True
            deadline = call.answered_at + args.seconds
        if answered and key and time.monotonic() >= call.answered_at + float(key_at):  # type: ignore[operator]
            call.dialDtmf(key)
            key = ""
    if not call.ended:
        call.hangup(pj.CallOpParam())
        stop = time.monotonic() + 1
        while not call.ended and time.monotonic() < stop:
            ep.libHandleEvents(10)
    call.recorder = call.tone = None
    del call
    account.shutdown()
    ep.libDestroy()
    return 0 if answered else 1


if __name__ == "__main__":
    sys.exit(main())
