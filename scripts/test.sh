#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit tests, then the integration
# tests against a real Asterisk pair (built on first run, cached in
# ~/.cache/pult). Browser tests need Debian's chromium (installed by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "[pult] typecheck"; npx tsc --noEmit
echo "[pult] lint"; npx eslint .
echo "[pult] build the browser UI"; npm run ui:build --silent
echo "[pult] unit and integration tests"
npx vitest run "$@"
