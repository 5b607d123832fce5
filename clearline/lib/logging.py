"""A logging filter that keeps phone numbers out of every log line, tracebacks included (DESIGN.md rule 7)."""

from __future__ import annotations

import logging
import re

# Anything that may be a phone number: 7+ digits, optionally with a leading + and the usual separators.
PHONE_LIKE = re.compile(r"\+?\d[\d\-\s().]{5,}\d")
# ISO dates and times look like digit runs too; they are not personal data and logs need them.
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}(?::\d{2}){0,2})?$")


# Identifiers and timestamps that contain digit runs but can never be a phone number, kept whole so logs stay
# useful: UUIDs (task ids), Twilio SIDs (two capitals and 32 hex digits), the SIP controller's CallSids ("SIP"
# and 32 hex digits) and full ISO timestamps with fractions.
KEEP_WHOLE = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
    r"|\b(?:[A-Z]{2}|SIP)[0-9a-f]{32}\b"
    r"|\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _replace(match: re.Match[str]) -> str:
    text = match.group(0)
    return text if ISO_DATE_TIME.match(text.strip()) else "[redacted-number]"


def redact(text: str) -> str:
    pieces, last = [], 0
    for kept in KEEP_WHOLE.finditer(text):
        pieces += [PHONE_LIKE.sub(_replace, text[last : kept.start()]), kept.group(0)]
        last = kept.end()
    pieces.append(PHONE_LIKE.sub(_replace, text[last:]))
    return "".join(pieces)


def _redact_arg(arg: object) -> object:
    text = str(arg)
    redacted = redact(text)
    return arg if redacted == text else redacted


class RedactPhoneNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # The template and each argument are redacted on their own, so separate small numbers (a status code
        # and a size in a request line) are not read together as one phone number; a number inside any one
        # piece is still masked.
        if isinstance(record.args, tuple) and record.args:
            pieces = tuple(_redact_arg(arg) for arg in record.args)
            try:
                message = redact(str(record.msg)) % pieces
            except (TypeError, ValueError):  # e.g. %d given a masked piece: mask the whole message instead
                message = redact(record.getMessage())
            record.msg, record.args = message, None
        else:
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
