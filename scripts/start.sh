#!/usr/bin/env bash
# One command for a newcomer: dependencies, the local Asterisk (built on the
# first run, about 5 minutes), the simulator carrier, and the Pult server on
# SQLite with demo data. Ctrl+C stops the server; `npm run pbx -- stop` and
# `npm run sim -- stop` stop the two Asterisk instances.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PULT_STATE_DIR="${PULT_STATE_DIR:-$PWD/var}"
# The demo logins and lines (loaded into an empty database only).
export PULT_DEMO_DATA="${PULT_DEMO_DATA:-on}"

bash scripts/ensure-deps.sh
npm run ui:build --silent
# The server compiled to JavaScript (build/): production runs that, not the sources through tsx.
npm run build --silent
bash scripts/asterisk/build.sh
bash scripts/asterisk/pbx.sh start
bash scripts/asterisk/sim.sh start

# The PBX's ARI password lives in var/secrets.env (generated on first start).
set -a
# shellcheck disable=SC1091
. "$PULT_STATE_DIR/secrets.env"
set +a
export PULT_ARI_URL="${PULT_ARI_URL:-http://127.0.0.1:${PULT_ASTERISK_HTTP_PORT:-8088}}"
port="${PULT_HTTP_PORT:-8080}"
did="${PULT_DEMO_DID:-74950000001}"
mobile="${PULT_DEMO_MOBILE:-79990000001}"
pw="${PULT_DEMO_PASSWORD:-demo}"
# HTTPS when a certificate is configured (PULT_TLS_CERT / PULT_TLS_KEY; the PBX serves wss:// with it too).
base="http://127.0.0.1:${port}"
[ -z "${PULT_TLS_CERT:-}" ] || base="https://127.0.0.1:${port}"

cat <<INFO

  Pult is starting on ${base}
    console     ${base}/        (operator / ${pw}: softphone, card, tickets)
    mobile      ${base}/m/      (mobile / ${pw}: overflow staff)
    wallboard   ${base}/wall/   (supervisor / ${pw})
    reports     ${base}/reports/  (supervisor / ${pw})
    executor    ${base}/x/      (executor / ${pw}: the technician's phone page)
    admin       ${base}/admin/  (admin / ${pw}: companies, lines, users, audit;
                also /directory/, /zones/, /categories/, /documents/)
    residents   ${base}/r/      (no login: the web form; its status links /s/…)
    API docs    ${base}/api/docs/
    health      ${base}/api/health
    call log    ${base}/api/calls   (Authorization: Bearer <token>)
  Demo logins (password "${pw}"): admin, supervisor, operator, operator2, mobile, executor, executor2
  Demo line "Аварийная линия": DID ${did}; overflow mobile ${mobile}
    after ${PULT_OVERFLOW_AFTER_SEC:-20} s, or at once while no operator is logged in.
  Place a demo call from another terminal:
    npm run call -- ${did} 79161234567
  PBX: SIP udp 127.0.0.1:${PULT_SIP_PORT:-5060}, ARI ${PULT_ARI_URL}, carrier ${PULT_TRUNK_PEER:-127.0.0.2:5060}

INFO
exec node --enable-source-maps build/src/main.js
