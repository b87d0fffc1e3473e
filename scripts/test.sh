#!/usr/bin/env bash
# The whole test suite: typecheck, lint, unit tests, then the integration
# tests against a real Asterisk pair (built on first run, cached in
# ~/.cache/pult). Browser tests need Debian's chromium (installed by .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
echo "[pult] typecheck"; npx tsc --noEmit; npx tsc --noEmit -p agent-ui/tsconfig.json
echo "[pult] lint"; npx eslint .
echo "[pult] build the browser UI"; npm run ui:build --silent
echo "[pult] compile the server and start it once"; bash scripts/check-build.sh
echo "[pult] unit and integration tests"
mkdir -p artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile=artifacts/vitest.json "$@" || status=$?
# One plain closing line for CI: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync("artifacts/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
