"""The services' one error."""


class TelephonyError(Exception):
    """An event named something we do not know (number, call, attempt); the adapter answers with the fallback."""
