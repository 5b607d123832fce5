"""The `clearline` command: Django's manage.py under the project's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(routing_settings_option(sys.argv))


def routing_settings_option(argv: list[str]) -> list[str]:
    """``clearline replay --settings FILE`` names a routing settings file; Django would read any ``--settings`` as
    its settings module before the command runs, so for ``replay`` it is passed on as ``--settings-file``."""
    if len(argv) < 2 or argv[1] != "replay":
        return argv
    rest = [
        "--settings-file" + arg.removeprefix("--settings") if arg.split("=")[0] == "--settings" else arg
        for arg in argv[2:]
    ]
    return [*argv[:2], *rest]


if __name__ == "__main__":
    main()
