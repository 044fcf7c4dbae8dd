#!/usr/bin/env bash
# Installs what the real-call e2e tests and `npm run bench:calls` need on Debian 12 (bookworm):
# Chromium (driven by playwright-core) and Kamailio with the WebSocket, auth_ephemeral and http_client
# modules. Idempotent: installs only the packages that are missing; runs apt-get update only then.
# Needs root (or sudo). Usage: e2e/install-deps.sh [--check]   (--check: report, install nothing)
set -euo pipefail

PACKAGES=(
    chromium                    # /usr/bin/chromium for playwright-core
    kamailio                    # registrar/proxy (tm, registrar, usrloc, jsonrpcs, xhttp, cfgutils...)
    kamailio-websocket-modules  # websocket.so: SIP over WebSocket
    kamailio-autheph-modules    # auth_ephemeral.so: short-lived credentials from a shared secret
    kamailio-utils-modules      # http_client.so: Kamailio reports answers/BYE/CANCEL to the simulator
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "e2e deps: all installed (${PACKAGES[*]})"
    exit 0
fi

if [ "${1:-}" = "--check" ]; then
    echo "e2e deps: missing ${missing[*]}" >&2
    echo "install with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "e2e deps: missing ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

echo "e2e deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"

# The Debian package may start a system Kamailio on 5060/8080; the tests run their own on free ports,
# so a system instance is not needed (it does not conflict either: the tests pick free ports).
echo "e2e deps: done"
