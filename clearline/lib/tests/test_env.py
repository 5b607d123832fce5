import pytest
from django.core.exceptions import ImproperlyConfigured

from clearline.lib.env import env_bool, env_choice, env_int, env_list, env_str


def test_env_bool_accepts_the_documented_spellings(monkeypatch):
    for raw, expected in [
        ("1", True),
        ("TRUE", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
    ]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="FLAG='yes' is not a boolean"):
        env_bool("FLAG", default=False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


def test_env_int_checks_type_and_bounds(monkeypatch):
    monkeypatch.setenv("N", "seven")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 1, minimum=1)
    monkeypatch.setenv("N", "5")
    assert env_int("N", 1, minimum=1, maximum=9) == 5


def test_env_str_reads_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN") == "s3cret"


def test_env_str_refuses_both_value_and_file(monkeypatch, tmp_path):
    monkeypatch.setenv("TOKEN", "a")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "x"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_str("TOKEN")


def test_env_str_reports_unreadable_file(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("TOKEN")


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("MODE", "staging")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("MODE", "development", ("development", "production"))


def test_logs_never_carry_phone_numbers_even_in_tracebacks():
    import logging

    from clearline.lib.logging import RedactPhoneNumbersFilter, redact

    assert redact("caller +1 (206) 555-0177 rang") == "caller [redacted-number] rang"
    assert redact("at 2026-11-28 15:00 call 42") == "at 2026-11-28 15:00 call 42"
    try:
        raise ValueError("bad number +12065550177")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed for %s", ("2065550177",), None)
        import sys

        record.exc_info = sys.exc_info()
    RedactPhoneNumbersFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "5550177" not in line and "[redacted-number]" in line and "ValueError" in line


def test_a_request_line_keeps_its_status_and_size_but_numbers_in_any_piece_are_masked():
    import logging

    from clearline.lib.logging import RedactPhoneNumbersFilter

    def logged(msg, *args):
        record = logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)
        RedactPhoneNumbersFilter().filter(record)
        return record.getMessage()

    assert logged('"%s" %s %s', "GET /transparency/ HTTP/1.1", "200", "14567") == (
        '"GET /transparency/ HTTP/1.1" 200 14567'
    )
    assert "5550177" not in logged('"%s" %s %s', "GET /?from=+12065550177 HTTP/1.1", "200", "14")
    assert "5550177" not in logged("call from %d", 12065550177)
    assert "5550177" not in logged("caller +1 206 555 0177 and %s", "x")


def test_task_ids_call_sids_and_timestamps_stay_readable_while_numbers_beside_them_are_masked():
    from clearline.lib.logging import redact

    task = "Task id=fdf6ef25-c9da-49f8-b830-a12345678901 state=RUNNING"
    assert redact(task) == task
    call = "call CA0123456789abcdef0123456789abcdef ended"
    assert redact(call) == call
    sip_call = "SIP call SIP0123456789abcdef0123456789abcdef ended"
    assert redact(sip_call) == sip_call
    stamp = "older than 2026-11-28 20:11:05.123456+00:00"
    assert redact(stamp) == stamp
    mixed = "Task id=fdf6ef25-c9da-49f8-b830-a12345678901 from +12065550177 at 2026-11-28T20:11:05Z"
    assert redact(mixed) == (
        "Task id=fdf6ef25-c9da-49f8-b830-a12345678901 from [redacted-number] at 2026-11-28T20:11:05Z"
    )
    assert "5550177" not in redact("From=%2B12065550177&CallSid=CA0123456789abcdef0123456789abcdef")


def test_djangos_own_loggers_go_through_the_redacting_handler_only():
    import logging

    for name in ("django", "django.server", "django.request"):
        logger = logging.getLogger(name)
        while logger is not None and not logger.handlers:
            logger = logger.parent if logger.propagate else None
        assert logger is not None, name
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue  # pytest's own capture handlers
            assert any(type(f).__name__ == "RedactPhoneNumbersFilter" for f in handler.filters), (
                name,
                handler,
            )
