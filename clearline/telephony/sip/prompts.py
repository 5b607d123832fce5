"""The SIP controller's prompts: what a call hears, spoken by espeak-ng and converted by sox to 8 kHz mono WAV.

The words are never written here. They come from the same renderers the Twilio adapter speaks with
(``twilio/twiml``: each answer's ``<Say>`` texts, read by ``script.py``), so both adapters say the same sentences,
from the same claims, in the same language. This module only turns a list of phrases into a sound file.

A prompt is cached on disk (``CLEARLINE_SIP_PROMPTS_DIR``) under the SHA-256 of its phrases and voices (and
``FORMAT_VERSION``): a new disclosure version that changes a sentence is a new text, so a new file; an unchanged
sentence is rendered once per machine. Next to each ``KEY.wav`` a ``KEY.txt`` holds the words, so an operator who
prefers a recorded voice can replace a ``KEY.wav`` with a recording of the same words (8 kHz, mono, 16-bit PCM):
the controller plays whatever file has that name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Twilio's <Say language> -> espeak-ng's voice: US English; Latin American Spanish for es-US.
VOICES = {"en-US": "en-us", "es-US": "es-419"}
# Bump when the rendering changes (voice, speed, format), so cached files are rendered again.
FORMAT_VERSION = "espeak-ng/sox 8k mono s16 v1"
SAMPLE_RATE = 8000
WORDS_PER_MINUTE = 165
# Between two phrases of one prompt, as a caller would hear between two <Say>s.
GAP_S = 0.25
ESPEAK = shutil.which("espeak-ng")
SOX = shutil.which("sox")


class PromptError(RuntimeError):
    """A prompt could not be rendered (espeak-ng or sox missing or failing)."""


@dataclass(frozen=True)
class Phrase:
    """One sentence (or several) in one language: ``language`` is Twilio's ``<Say language>`` (en-US, es-US)."""

    text: str
    language: str = "en-US"

    @property
    def voice(self) -> str:
        return VOICES.get(self.language, VOICES["en-US"])


def prompt_key(phrases: Sequence[Phrase]) -> str:
    """The cache key of a prompt: the hash of its words, voices and the rendering's version."""
    payload = json.dumps([FORMAT_VERSION, [[p.voice, p.text] for p in phrases]], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:40]


def duration_s(path: Path) -> float:
    """How long a WAV file plays."""
    with wave.open(str(path), "rb") as sound:
        return sound.getnframes() / float(sound.getframerate() or SAMPLE_RATE)


class Prompts:
    """Rendered prompts in one folder; safe to call from several threads (a prompt is rendered once)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path_for(self, phrases: Sequence[Phrase]) -> Path:
        return self.folder / f"{prompt_key(phrases)}.wav"

    def wav(self, phrases: Sequence[Phrase]) -> Path:
        """The WAV file saying ``phrases`` one after the other: from the cache, or rendered now."""
        phrases = [p for p in phrases if p.text.strip()]
        if not phrases:
            raise PromptError("a prompt needs at least one phrase")
        path = self.path_for(phrases)
        if path.exists():
            return path
        with self._guard:
            lock = self._locks.setdefault(path.name, threading.Lock())
        with lock:
            if not path.exists():
                self._render(phrases, path)
        return path

    def ringback(self) -> Path:
        """The ring-back tone a caller hears while a wave or a transfer rings (US: 440 + 480 Hz, 2 s on, 4 s off)."""
        path = self.folder / f"ringback-{SAMPLE_RATE}.wav"
        if path.exists():
            return path
        if not SOX:
            raise PromptError("sox is needed: apt-get install sox")
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".render-") as work:
            out = os.path.join(work, "ringback.wav")
            tone = ["synth", "2", "sine", "440", "sine", "480", "remix", "-", "vol", "0.25", "pad", "0", "4"]
            _run(
                [SOX, "-n", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer", out, *tone]
            )
            os.replace(out, path)
        return path

    def _render(self, phrases: Sequence[Phrase], path: Path) -> None:
        if not ESPEAK or not SOX:
            raise PromptError("espeak-ng and sox are needed: apt-get install espeak-ng sox")
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".render-") as work:
            parts: list[str] = []
            for number, phrase in enumerate(phrases):
                part = os.path.join(work, f"{number}.wav")
                _run(
                    [ESPEAK, "-v", phrase.voice, "-s", str(WORDS_PER_MINUTE), "-w", part, "--stdin"],
                    phrase.text,
                )
                parts.append(part)
            out = os.path.join(work, "prompt.wav")
            # Each phrase resampled to 8 kHz mono 16-bit, with a short pause after it, then all joined.
            effects = ["rate", str(SAMPLE_RATE), "pad", "0", str(GAP_S)]
            joined: list[str] = []
            for part in parts:
                fixed = part[:-4] + "-8k.wav"
                _run([SOX, part, "-c", "1", "-b", "16", "-e", "signed-integer", fixed, *effects])
                joined.append(fixed)
            _run([SOX, *joined, out] if len(joined) > 1 else [SOX, joined[0], out])
            text = "\n".join(f"[{p.language}] {p.text}" for p in phrases)
            Path(work, "prompt.txt").write_text(text + "\n", encoding="utf-8")
            os.replace(Path(work, "prompt.txt"), path.with_suffix(".txt"))
            os.replace(out, path)  # last: a file under its final name is always complete


def _run(command: list[str], stdin: str | None = None) -> None:
    try:
        subprocess.run(command, input=stdin, text=True, capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise PromptError(f"{Path(command[0]).name} failed: {detail.strip()[:300]}") from error
