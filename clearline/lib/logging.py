"""A logging filter that keeps phone numbers out of every log line, tracebacks included (DESIGN.md rule 7)."""

from __future__ import annotations

import logging
import re

# Anything that may be a phone number: 7+ digits, optionally with a leading + and the usual separators.
PHONE_LIKE = re.compile(r"\+?\d[\d\-\s().]{5,}\d")
# ISO dates and times look like digit runs too; they are not personal data and logs need them.
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}(?::\d{2}){0,2})?$")


def _replace(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if ISO_DATE_TIME.match(text.strip()) else "[redacted-number]"


def redact(text: str) -> str:
    return PHONE_LIKE.sub(_replace, text)


class RedactPhoneNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            # Exception messages may quote their input; format the traceback now, redacted, and drop the original.
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(formatted)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
