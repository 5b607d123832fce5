"""Tiny helper for writing prose in the demo content modules.

Long strings are written as triple-quoted blocks so the source stays within the line length; ``t`` folds
all runs of whitespace (including newlines) into single spaces. The resulting data is plain strings.
"""


def t(text: str) -> str:
    """Fold whitespace in ``text`` into single spaces and strip the ends."""
    return " ".join(text.split())
