"""Run a command against a throw-away PostgreSQL server: `python tools/with_postgres.py -- CMD ...`.

initdb into a temporary folder, start the server on a Unix socket in that folder (no TCP port at all),
export DATABASE_URL for the command, then stop the server and delete the folder, whatever the command did.
With --migrate-template, first apply every migration once to a database named clearline_template and tell the
test settings to copy it (CLEARLINE_TEST_DATABASE_TEMPLATE): each pytest-xdist worker's test database then
starts fully migrated instead of each worker applying every migration again.
initdb refuses to run as root, so as root the server runs as the `postgres` system user.
If the PostgreSQL binaries are missing, this says so loudly; under CI (CI=true) that is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote


def find_bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print("usage: with_postgres.py [--migrate-template] -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1 :]
    migrate_template = "--migrate-template" in argv[: argv.index("--")]
    bin_dir = find_bin_dir()
    if bin_dir is None:
        banner = "!" * 78
        print(
            f"{banner}\nPostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL run is NOT done.\n"
            f"Install PostgreSQL 15 (Debian: postgresql-15) to run it.\n{banner}",
            file=sys.stderr,
        )
        return 1 if os.environ.get("CI") else 0

    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    workdir = Path(tempfile.mkdtemp(prefix="clearline-pg-"))
    data_dir, sock_dir = workdir / "data", workdir / "sock"
    sock_dir.mkdir()
    if as_root:
        shutil.chown(workdir, "postgres")
        shutil.chown(sock_dir, "postgres")
    log = workdir / "server.log"
    try:
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "initdb"),
                "-D",
                str(data_dir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-k {sock_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data_dir),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server = f"postgres://postgres@{quote(str(sock_dir), safe='')}"
        env = dict(os.environ, DATABASE_URL=f"{server}/postgres")
        print(f"PostgreSQL {bin_dir.parent.name} running on socket {sock_dir}", file=sys.stderr)
        if migrate_template:
            subprocess.run(
                [*run_as, str(bin_dir / "createdb"), "-h", str(sock_dir), "clearline_template"], check=True
            )
            subprocess.run(
                [sys.executable, "-m", "clearline", "migrate", "--noinput", "-v", "0"],
                env=dict(env, DATABASE_URL=f"{server}/clearline_template"),
                check=True,
            )
            env["CLEARLINE_TEST_DATABASE_TEMPLATE"] = "clearline_template"
        return subprocess.run(command, env=env).returncode
    except subprocess.CalledProcessError as exc:
        print(f"Could not start PostgreSQL: {exc}", file=sys.stderr)
        if log.exists():
            print(log.read_text(), file=sys.stderr)
        return 1
    finally:
        if (data_dir / "postmaster.pid").exists():
            subprocess.run(
                [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
