#!/usr/bin/env bash
# Installs what the real-call e2e tests and `npm run bench:calls` need on Debian 12 (bookworm): Chromium
# (driven by playwright-core), Kamailio with the WebSocket, auth_ephemeral and http_client modules, and
# rtpengine + baresip for the PSTN caller scenario.
# The package list and the check live in scripts/lib/system-deps.mjs (also used by `npm start` and
# `npm test`, which install them themselves); this script is its e2e entry point for CI (.ci/run) and people.
# Idempotent: installs only the missing packages, as root or through a sudo without password; otherwise it
# prints the one command to run. Usage: e2e/install-deps.sh [--check]   (--check: report, install nothing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v node >/dev/null 2>&1; then
    # `sudo bash e2e/install-deps.sh` may lose a node that lives outside root's PATH (nvm, ~/.local)
    echo "e2e deps: node is not on PATH. Run this script as yourself (it uses sudo when it may)," >&2
    echo "or keep your PATH: sudo env \"PATH=\$PATH\" bash e2e/install-deps.sh" >&2
    exit 1
fi

exec node "$root/scripts/lib/system-deps.mjs" --for e2e "$@"
