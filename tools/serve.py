"""`make run`: serve the demo site and run the background worker side by side.

Ctrl-C or SIGTERM stops both cleanly; if either exits, the other is stopped too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    clearline = str(BIN / "clearline")
    admin_path = os.environ.get("CLEARLINE_ADMIN_PATH", "admin/").strip("/") or "admin"
    print(
        f"\nClearline demo: http://{args.host}:{args.port}/\n"
        f"Editors' admin: http://{args.host}:{args.port}/{admin_path}/  (user: admin  password: clearline-demo)\n"
        "Press Ctrl-C to stop the web server and the worker.\n",
        flush=True,
    )
    children = [
        # --nostatic: static files come through WhiteNoise and its compression, as in production.
        subprocess.Popen([clearline, "runserver", "--noreload", "--nostatic", f"{args.host}:{args.port}"]),
        subprocess.Popen([clearline, "worker"]),
    ]

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.3)
    finally:
        stop(signal.SIGTERM, None)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(child.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
