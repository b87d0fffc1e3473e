#!/usr/bin/env bash
# Compiles the server (npm run build → build/) and checks that the compiled
# server starts on an empty database with demo data and answers: what
# `npm start` and the systemd unit run. Part of `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm run build --silent
dir="$(mktemp -d)"
port="${PULT_CHECK_BUILD_PORT:-18979}"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
PULT_STATE_DIR="$dir" PULT_DEMO_DATA=on PULT_HTTP_PORT="$port" PULT_ARI_URL=http://127.0.0.1:9 \
  PULT_ARI_PASSWORD=check-build-only node --enable-source-maps build/src/main.js >"$dir/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >"$dir/health.json" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "[pult] the compiled server exited:"; tail -20 "$dir/out.log"; exit 1; }
  sleep 0.5
done
grep -q '"db":{"ok":true}' "$dir/health.json" || { echo "[pult] the compiled server did not answer /api/health:"; tail -20 "$dir/out.log"; exit 1; }
token="$(curl -fsS -X POST "http://127.0.0.1:$port/api/auth/login" -H 'content-type: application/json' -d '{"login":"admin","password":"demo"}' | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).token??""))')"
[ -n "$token" ] || { echo "[pult] the compiled server refused the demo admin"; exit 1; }
version="$(curl -fsS "http://127.0.0.1:$port/api/openapi.json" -H "Authorization: Bearer $token" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).info.version))')"
[ "$version" = "$(node -p 'require("./package.json").version')" ] || { echo "[pult] /api/openapi.json version «$version» is not package.json's"; exit 1; }
echo "[pult] the compiled server starts, logs in and describes its API (version $version)"
