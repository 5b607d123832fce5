"""Prompts rendered by espeak-ng and sox: 8 kHz mono WAV, cached by their words and voices."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from clearline.telephony.sip import prompts
from clearline.telephony.sip.prompts import Phrase, Prompts, duration_s, prompt_key

pytestmark = pytest.mark.skipif(
    not (prompts.ESPEAK and prompts.SOX),
    reason="espeak-ng and sox not installed: apt-get install --no-install-recommends espeak-ng sox (.ci/run does)",
)


def test_a_prompt_is_8khz_mono_16_bit_and_as_long_as_its_words(tmp_path: Path) -> None:
    folder = Prompts(tmp_path)
    short = folder.wav([Phrase("Goodbye.")])
    long = folder.wav([Phrase("Goodbye."), Phrase("Para español, oprima 2.", "es-US")])
    with wave.open(str(long), "rb") as sound:
        assert (sound.getframerate(), sound.getnchannels(), sound.getsampwidth()) == (8000, 1, 2)
    assert 0.3 < duration_s(short) < duration_s(long) < 10
    assert long.with_suffix(".txt").read_text(encoding="utf-8").splitlines() == [
        "[en-US] Goodbye.",
        "[es-US] Para español, oprima 2.",
    ]


def test_the_same_words_are_rendered_once_and_other_words_or_voices_get_their_own_file(
    tmp_path: Path,
) -> None:
    folder = Prompts(tmp_path)
    first = folder.wav([Phrase("Now trying Alder Recovery.")])
    stamp = first.stat().st_mtime_ns
    assert folder.wav([Phrase("Now trying Alder Recovery.")]) == first
    assert first.stat().st_mtime_ns == stamp
    other = folder.wav([Phrase("Now trying Birch Health.")])
    spanish = prompt_key([Phrase("Now trying Alder Recovery.", "es-US")])
    assert other != first and spanish != first.stem
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".txt", ".txt", ".wav", ".wav"]


def test_an_operator_recording_under_the_prompt_name_is_played_instead(tmp_path: Path) -> None:
    folder = Prompts(tmp_path)
    phrases = [Phrase("Thank you for calling the Clearline helpline.")]
    recorded = folder.path_for(phrases)
    tmp_path.mkdir(exist_ok=True)
    with wave.open(str(recorded), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 8000)
    assert folder.wav(phrases) == recorded
    assert duration_s(recorded) == 1.0


def test_the_ring_back_tone_is_8khz_and_six_seconds(tmp_path: Path) -> None:
    tone = Prompts(tmp_path).ringback()
    assert duration_s(tone) == 6.0
