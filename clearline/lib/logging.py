"""A logging filter that keeps phone numbers out of every log line (DESIGN.md rule 7)."""

from __future__ import annotations

import logging
import re

# Runs of 7+ digits, optionally with a leading + and common separators: anything that may be a phone number.
PHONE_LIKE = re.compile(r"\+?\d[\d\-\s().]{5,}\d")


def redact(text: str) -> str:
    return PHONE_LIKE.sub("[redacted-number]", text)


class RedactPhoneNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
