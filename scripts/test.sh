#!/usr/bin/env bash
# The one test command: ./scripts/test.sh [pytest args...]
#
# Works on a fresh Debian machine that has only python3 and the package registries:
#   1. creates .venv and installs the project with its `test` extra (skipped while
#      pyproject.toml is unchanged since the last install);
#   2. installs the Debian packages the suite needs (PostgreSQL server, Chromium);
#   3. starts a throwaway PostgreSQL cluster on 127.0.0.1 (unless POSTBUD_TEST_PG_URL
#      is already set) and exports POSTBUD_TEST_PG_URL for the tests;
#   4. runs ruff check, ruff format --check, mypy, lint-imports (the import rules of
#      docs/architecture.md, contracts in pyproject.toml), then pytest -n 2 "$@".
# Every step runs even if an earlier one failed, so one run shows every problem; the
# script exits non-zero if any step failed. The cluster is stopped on exit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

VENV="$REPO_ROOT/.venv"
INSTALL_MARKER="$VENV/.postbud-installed"
PYTHON="${PYTHON:-python3}"
export DEBIAN_FRONTEND=noninteractive

PG_DIR="" # temp dir of our throwaway cluster, empty when we started none
PG_BIN=""
FAILED_STEPS=()

log() { printf '==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

# --- Privileges ----------------------------------------------------------------------

# Root on the dev/CI machines; a developer laptop may need sudo for apt.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    else
        command -v sudo >/dev/null || die "need root or sudo to run: $*"
        sudo --preserve-env=DEBIAN_FRONTEND "$@"
    fi
}

# initdb and postgres refuse to run as root, so as root the cluster belongs to the
# `postgres` OS user (created by Debian's postgresql-common); otherwise to ourselves.
# From `/`: the postgres user may not be allowed into the caller's working directory.
as_pg_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && exec runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# --- Python environment --------------------------------------------------------------

ensure_venv() {
    if [[ ! -x "$VENV/bin/python" ]]; then
        log "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
}

# Reinstall only when pyproject.toml changed: pip's own no-op check costs several seconds.
ensure_python_deps() {
    local want have=""
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [[ -f "$INSTALL_MARKER" ]]; then have="$(cat "$INSTALL_MARKER")"; fi
    [[ "$want" == "$have" ]] && return 0
    log "pip install -e '.[test]'"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
    echo "$want" >"$INSTALL_MARKER"
}

# --- Debian packages -----------------------------------------------------------------

# Newest installed major version, e.g. /usr/lib/postgresql/15/bin; empty if none.
pg_bin_dir() {
    local found=(/usr/lib/postgresql/*/bin/initdb)
    [[ -x "${found[0]}" ]] || return 0 # the glob matched nothing
    dirname "$(printf '%s\n' "${found[@]}" | sort -V | tail -n1)"
}

postgres_installed() {
    [[ -n "$(pg_bin_dir)" ]] && id -u postgres >/dev/null 2>&1
}

# apt-get update only when something is missing: it is slow and usually not needed.
apt_install() {
    local apt_log
    apt_log="$(mktemp)"
    log "apt-get install $*"
    if ! { as_root apt-get update -qq && as_root apt-get install -y -qq "$@"; } >"$apt_log" 2>&1; then
        tail -n 40 "$apt_log" >&2
        rm -f "$apt_log"
        die "apt-get install $* failed"
    fi
    rm -f "$apt_log"
}

ensure_debian_packages() {
    local missing=()
    if [[ -z "${POSTBUD_TEST_PG_URL:-}" ]] && ! postgres_installed; then
        missing+=(postgresql)
    fi
    # The browser tests drive Debian's Chromium (Playwright's own download is not reachable).
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    # The print cover page uses DejaVu Sans for letters Helvetica lacks (č, đ, ŋ, ŧ).
    [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
    if ((${#missing[@]})); then
        apt_install "${missing[@]}"
    fi
}

# --- Throwaway PostgreSQL cluster ----------------------------------------------------

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_postgres() {
    [[ -n "$PG_DIR" ]] || return 0
    # Immediate mode: the data is thrown away anyway, so skip the shutdown checkpoint.
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}

init_cluster() {
    if ! as_pg_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        die "initdb failed"
    fi
    # Loopback only; the socket in our temp dir (/var/run/postgresql may be missing or
    # someone else's); no durability, since a crash of a test cluster just means a rerun.
    cat >>"$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start_postgres() {
    local port
    PG_BIN="$(pg_bin_dir)"
    [[ -n "$PG_BIN" ]] || die "no PostgreSQL under /usr/lib/postgresql/*/bin"
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/postbud-pg.XXXXXX")"
    if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$PG_DIR"; fi
    port="$(free_port)"
    log "starting PostgreSQL ($PG_BIN) on 127.0.0.1:$port"

    init_cluster "$port"
    if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null; then
        cat "$PG_DIR/server.log" >&2
        die "could not start PostgreSQL"
    fi
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres postbud_test
    export POSTBUD_TEST_PG_URL="postgresql+asyncpg://postgres@127.0.0.1:$port/postbud_test"
}

# --- Checks --------------------------------------------------------------------------

# Run one check; remember a failure instead of stopping, so later checks still run.
run_check() {
    local name="$1" rc=0 started=$SECONDS
    shift
    log "$name"
    "$@" || rc=$?
    if ((rc == 0)); then
        log "$name: ok ($((SECONDS - started))s)"
    else
        log "$name: FAILED with exit $rc ($((SECONDS - started))s)"
        FAILED_STEPS+=("$name (exit $rc)")
    fi
}

# pytest goes last and prints nothing after it on success: CI reads its summary line.
# Two runs: Playwright's sync API keeps an event loop running in its process for the whole
# session, which breaks every asyncio test that lands in the same process after it. So the
# browser tests get a process of their own, after the rest has run on two workers.
run_pytest() {
    local rc=0
    log "pytest -n 2 -m 'not browser' $*"
    python -m pytest -n 2 -m "not browser" "$@" || rc=$?
    record_pytest "$rc"
    rc=0
    log "pytest -m browser $*"
    python -m pytest -m browser "$@" || rc=$?
    # A selection given on the command line may hold no browser test; that is fine.
    if ((rc == 5 && $# > 0)); then rc=0; fi
    record_pytest "$rc"
}

record_pytest() {
    local rc="$1"
    if ((rc == 5)); then
        echo "test.sh: pytest collected no tests (exit 5): check the selection" >&2
    fi
    ((rc == 0)) || FAILED_STEPS+=("pytest (exit $rc)")
}

main() {
    trap stop_postgres EXIT
    # Turn signals into an exit, so the EXIT trap still stops the cluster.
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local started=$SECONDS
    ensure_venv
    ensure_python_deps
    ensure_debian_packages
    if [[ -n "${POSTBUD_TEST_PG_URL:-}" ]]; then
        log "using POSTBUD_TEST_PG_URL from the environment"
    else
        start_postgres
    fi
    log "environment ready ($((SECONDS - started))s)"

    export PATH="$VENV/bin:$PATH"
    run_check "ruff check" ruff check
    run_check "ruff format --check" ruff format --check
    run_check "mypy" mypy
    run_check "lint-imports" lint-imports --no-cache
    run_pytest "$@"

    if ((${#FAILED_STEPS[@]})); then
        printf 'test.sh: FAILED: %s\n' "${FAILED_STEPS[@]}" >&2
        exit 1
    fi
}

main "$@"
