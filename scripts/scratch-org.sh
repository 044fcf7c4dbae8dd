#!/usr/bin/env bash
# Creates a scratch org (Person Accounts, Lightning Web Security), deploys the built package source,
# assigns every permission set of the package and, with --test, runs all Apex tests with coverage.
# Usage: npm run scratch-org -- [--alias NAME] [--devhub ALIAS] [--test] [--min-coverage 90] [--days N]
# Needs an authorised Dev Hub: npx sf org login web --set-default-dev-hub --alias devhub
set -euo pipefail
cd "$(dirname "$0")/.."
alias_name=ccphone-scratch devhub="" run_tests=0 min_coverage=90 days=7
while [ $# -gt 0 ]; do
    case "$1" in
        --alias) alias_name=$2; shift 2 ;;
        --devhub) devhub=$2; shift 2 ;;
        --test) run_tests=1; shift ;;
        --min-coverage) min_coverage=$2; shift 2 ;;
        --days) days=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
sf=./node_modules/.bin/sf
hub_flag=()
[ -n "$devhub" ] && hub_flag=(--target-dev-hub "$devhub")

node scripts/build.mjs
"$sf" org create scratch --definition-file config/project-scratch-def.json --alias "$alias_name" \
    --duration-days "$days" --wait 30 --set-default "${hub_flag[@]}"
"$sf" project deploy start --source-dir force-app --target-org "$alias_name" --wait 60

permsets=$(find force-app -name '*.permissionset-meta.xml' -exec basename {} .permissionset-meta.xml \; | sort)
if [ -n "$permsets" ]; then
    args=()
    for p in $permsets; do args+=(--name "$p"); done
    "$sf" org assign permset --target-org "$alias_name" "${args[@]}"
fi

if [ "$run_tests" = 1 ]; then
    mkdir -p build/apex-tests
    "$sf" apex run test --target-org "$alias_name" --test-level RunLocalTests --code-coverage \
        --result-format json --output-dir build/apex-tests --wait 60 > build/apex-tests/result.json || true
    node scripts/check-apex-coverage.mjs build/apex-tests/result.json "$min_coverage"
fi
echo "scratch org '$alias_name' is ready: npx sf org open --target-org $alias_name"
