#!/usr/bin/env bash
# Run one sandboxed local Asterisk instance.
#
#   instance.sh <pbx|sim> start        render configs, start, wait until ARI answers
#   instance.sh <pbx|sim> stop         "core stop now" (kill -9 after 10 s)
#   instance.sh <pbx|sim> status       exit 0 when running, 3 when not
#   instance.sh <pbx|sim> cli [cmd]    run a CLI command (no cmd: attach a console)
#   instance.sh <pbx|sim> wait         wait until fully booted and ARI answers
#
# Instances:
#   pbx  Pult's PBX; config templates in dialplan/
#   sim  the simulated carrier / callers / mobile and desk phones used by tests
#        and demos; config templates in fixtures/sim-asterisk/
#
# Everything an instance writes lives in ${PULT_STATE_DIR:-<repo>/var}/asterisk-<name>/
# (etc, spool, run, log, lib, keys, data). Every *.conf of the template folder is
# rendered into etc/ with the ${PULT_...} placeholders below replaced;
# asterisk.conf is generated here. Nothing outside the sandbox is written, except
# the Asterisk build itself (scripts/asterisk/build.sh, run when it is missing).
#
# Environment (defaults in brackets):
#   PULT_STATE_DIR          [<repo>/var]
#   PULT_ASTERISK_HOME      [~/.cache/pult/asterisk-22]  Asterisk install prefix
#   PULT_SIP_PORT           [5060]  PBX SIP, UDP+TCP
#   PULT_SIP_BIND           [127.0.0.1]  address the PBX's SIP transports listen on
#                           (0.0.0.0: every address; a server's own address facing the carrier)
#   PULT_SIP_TLS_CERT, PULT_SIP_TLS_KEY  [unset]  PEM certificate and key: adds a SIP/TLS
#                           transport (trunks with transport=tls) on PULT_SIP_TLS_PORT [5061]
#   PULT_ASTERISK_HTTP_PORT [8088]  PBX HTTP on 127.0.0.1: ARI + SIP over WebSocket (/ws)
#   PULT_AMI_PORT           [5038]  PBX AMI on 127.0.0.1
#   PULT_TRUNK_PEER         [${PULT_SIM_SIP_HOST}:${PULT_SIM_SIP_PORT}] carrier host:port
#                           (PULT_TRUNK_HOST is derived from it)
#   PULT_ARI_USER [pult]  PULT_ARI_PASSWORD   PULT_AMI_USER [pult]  PULT_AMI_PASSWORD
#   PULT_ARI_APP            [pult]  Stasis application the PBX dialplan hands calls to
#   PULT_FALLBACK_DIAL      [PJSIP/79990000001@carrier]  dialled when Pult is down
#   PULT_FALLBACK_TIMEOUT   [30]
#   PULT_SIM_SIP_HOST [127.0.0.2]  PULT_SIM_PHONES_HOST [127.0.0.3]  PULT_SIM_SIP_PORT [5060]
#   PULT_SIM_REG_HOST [127.0.0.4]  the simulator's registering carrier (login and password)
#   PULT_SIM_HTTP_PORT [8089]  PULT_SIM_ARI_USER [sim]  PULT_SIM_ARI_PASSWORD
#   PULT_PBX_SIP            [127.0.0.1:${PULT_SIP_PORT}]  where the sim sends calls
#   PULT_ASTERISK_VERBOSE   [3]  verbosity written to log/messages and log/console.log
#   PULT_TEMPLATES_DIR      [<repo>/dialplan]  the pbx instance's config templates come from
#                           this folder instead (tests of other PBX setups, e.g. app_queue)
#   PULT_ASTERISK_TLS_CERT  [$PULT_TLS_CERT]  PEM certificate (chain) of the PBX's TLS HTTP
#   PULT_ASTERISK_TLS_KEY   [$PULT_TLS_KEY]   server and its key; when set the pbx instance
#                           serves wss://…/ws for browser softphones (http.conf tlsenable)
#   PULT_ASTERISK_TLS_HOST  [127.0.0.1]  address the TLS server binds (0.0.0.0 or the
#                           host's address in production)
#   PULT_ASTERISK_TLS_PORT  [8443]  its port (Pult names it in the softphone's wss:// URL)
#
# Passwords have no defaults: whichever of PULT_ARI_PASSWORD, PULT_AMI_PASSWORD,
# PULT_SIM_ARI_PASSWORD, PULT_SESSION_SECRET is not in the environment is read
# from ${PULT_STATE_DIR}/secrets.env (KEY=value lines, sourceable); missing keys
# are generated with `openssl rand -hex 16` and appended to that file.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

NAME="${1:-}"
CMD="${2:-}"
[ $# -ge 2 ] || usage
shift 2

case "$NAME" in
  pbx) TEMPLATES="${PULT_TEMPLATES_DIR:-$REPO/dialplan}" ;;
  sim) TEMPLATES="$REPO/fixtures/sim-asterisk" ;;
  *) usage ;;
esac

STATE_DIR="${PULT_STATE_DIR:-$REPO/var}"
SANDBOX="$STATE_DIR/asterisk-$NAME"
AST_HOME="${PULT_ASTERISK_HOME:-$HOME/.cache/pult/asterisk-22}"
AST="$AST_HOME/sbin/asterisk"
CONF="$SANDBOX/etc/asterisk.conf"
PIDFILE="$SANDBOX/run/instance.pid"
CONSOLE_LOG="$SANDBOX/log/console.log"
BOOT_TIMEOUT=30

say() { printf '[%s] %s\n' "$NAME" "$*"; }
die() { printf '[%s] error: %s\n' "$NAME" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- variables

# Template variables, in the order they are documented above. Only these
# names are substituted; every other ${...} (dialplan variables) is kept.
TEMPLATE_VARS=(
  PULT_SIP_PORT PULT_SIP_BIND PULT_TRUNK_PEER PULT_TRUNK_HOST PULT_ASTERISK_HTTP_PORT PULT_AMI_PORT
  PULT_ARI_USER PULT_ARI_PASSWORD PULT_AMI_USER PULT_AMI_PASSWORD PULT_ARI_APP
  PULT_FALLBACK_DIAL PULT_FALLBACK_TIMEOUT
  PULT_SIM_SIP_HOST PULT_SIM_PHONES_HOST PULT_SIM_REG_HOST PULT_SIM_SIP_PORT PULT_SIM_HTTP_PORT
  PULT_SIM_ARI_USER PULT_SIM_ARI_PASSWORD PULT_PBX_SIP
  PULT_ASTERISK_TLS_ENABLE PULT_ASTERISK_TLS_BIND PULT_ASTERISK_TLS_CERT PULT_ASTERISK_TLS_KEY
)
SECRET_VARS=(PULT_ARI_PASSWORD PULT_AMI_PASSWORD PULT_SIM_ARI_PASSWORD PULT_SESSION_SECRET)

load_secrets() {
  local file="$STATE_DIR/secrets.env" key line k v missing=()
  for key in "${SECRET_VARS[@]}"; do
    [ -n "${!key:-}" ] || missing+=("$key")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ -f "$file" ]; then
    # Read KEY=value lines; do not override what the environment already has.
    while IFS= read -r line || [ -n "$line" ]; do
      line="${line#export }"
      [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] || continue
      k="${line%%=*}"
      v="${line#*=}"
      v="${v%\"}"; v="${v#\"}"; v="${v%\'}"; v="${v#\'}"
      for key in "${SECRET_VARS[@]}"; do
        if [ "$k" = "$key" ] && [ -z "${!key:-}" ]; then
          printf -v "$key" '%s' "$v"
          export "${key?}"
        fi
      done
    done <"$file"
  fi
  local created=()
  for key in "${SECRET_VARS[@]}"; do
    [ -z "${!key:-}" ] || continue
    command -v openssl >/dev/null || die "openssl is needed to generate $key"
    mkdir -p "$STATE_DIR"
    [ -f "$file" ] || (umask 077 && : >"$file")
    printf -v "$key" '%s' "$(openssl rand -hex 16)"
    export "${key?}"
    printf '%s=%s\n' "$key" "${!key}" >>"$file"
    created+=("$key")
  done
  [ "${#created[@]}" -eq 0 ] || say "generated ${created[*]} in $file"
}

set_defaults() {
  : "${PULT_SIP_PORT:=5060}"
  : "${PULT_SIP_BIND:=127.0.0.1}"
  : "${PULT_SIP_TLS_PORT:=5061}"
  : "${PULT_ASTERISK_HTTP_PORT:=8088}"
  : "${PULT_AMI_PORT:=5038}"
  : "${PULT_ARI_USER:=pult}"
  : "${PULT_AMI_USER:=pult}"
  : "${PULT_ARI_APP:=pult}"
  : "${PULT_FALLBACK_DIAL:=PJSIP/79990000001@carrier}"
  : "${PULT_FALLBACK_TIMEOUT:=30}"
  : "${PULT_SIM_SIP_HOST:=127.0.0.2}"
  : "${PULT_SIM_PHONES_HOST:=127.0.0.3}"
  : "${PULT_SIM_REG_HOST:=127.0.0.4}"
  : "${PULT_SIM_SIP_PORT:=5060}"
  : "${PULT_SIM_HTTP_PORT:=8089}"
  : "${PULT_SIM_ARI_USER:=sim}"
  : "${PULT_TRUNK_PEER:=${PULT_SIM_SIP_HOST}:${PULT_SIM_SIP_PORT}}"
  : "${PULT_PBX_SIP:=127.0.0.1:${PULT_SIP_PORT}}"
  : "${PULT_ASTERISK_VERBOSE:=3}"
  # TLS HTTP server (WSS for browser softphones): the PBX's own pair, else Pult's.
  : "${PULT_ASTERISK_TLS_CERT:=${PULT_TLS_CERT:-}}"
  : "${PULT_ASTERISK_TLS_KEY:=${PULT_TLS_KEY:-}}"
  : "${PULT_ASTERISK_TLS_HOST:=127.0.0.1}"
  : "${PULT_ASTERISK_TLS_PORT:=8443}"
  PULT_ASTERISK_TLS_BIND="$PULT_ASTERISK_TLS_HOST:$PULT_ASTERISK_TLS_PORT"
  case "$PULT_ASTERISK_TLS_HOST" in *:*) PULT_ASTERISK_TLS_BIND="[$PULT_ASTERISK_TLS_HOST]:$PULT_ASTERISK_TLS_PORT" ;; esac
  if [ -n "$PULT_ASTERISK_TLS_CERT" ] || [ -n "$PULT_ASTERISK_TLS_KEY" ]; then PULT_ASTERISK_TLS_ENABLE=yes; else PULT_ASTERISK_TLS_ENABLE=no; fi
  # Host part of host:port ([v6]:port and a bare host work too).
  case "$PULT_TRUNK_PEER" in
    \[*\]*) PULT_TRUNK_HOST="${PULT_TRUNK_PEER%%]*}"; PULT_TRUNK_HOST="${PULT_TRUNK_HOST#[}" ;;
    *:*) PULT_TRUNK_HOST="${PULT_TRUNK_PEER%:*}" ;;
    *) PULT_TRUNK_HOST="$PULT_TRUNK_PEER" ;;
  esac
  export "${TEMPLATE_VARS[@]}" PULT_ASTERISK_VERBOSE

  if [ "$NAME" = pbx ]; then
    HTTP_PORT="$PULT_ASTERISK_HTTP_PORT" ARI_USER="$PULT_ARI_USER"
  else
    HTTP_PORT="$PULT_SIM_HTTP_PORT" ARI_USER="$PULT_SIM_ARI_USER"
  fi
}

# Passwords are only needed by the commands that render configs or call ARI.
need_secrets() {
  local key
  load_secrets
  # The values end up in Asterisk config files, where ';' starts a comment.
  for key in "${SECRET_VARS[@]}"; do
    case "${!key}" in
      *[\;\ \"\'\#]*) die "$key must not contain ';', '#', quotes or spaces" ;;
    esac
  done
  if [ "$NAME" = pbx ]; then ARI_PASSWORD="$PULT_ARI_PASSWORD"; else ARI_PASSWORD="$PULT_SIM_ARI_PASSWORD"; fi
}

# ---------------------------------------------------------------- helpers

running_pid() {
  # Prints the pid and succeeds when this instance's Asterisk is alive.
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must be our Asterisk.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

rx() { "$AST" -C "$CONF" -rx "$*"; }

port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

ari_info() {
  curl -fsS --max-time 3 -u "$ARI_USER:$ARI_PASSWORD" \
    "http://127.0.0.1:$HTTP_PORT/ari/asterisk/info" 2>/dev/null
}

ensure_build() {
  if [ ! -x "$AST" ]; then
    say "Asterisk not found in $AST_HOME, building it"
    PULT_ASTERISK_HOME="$AST_HOME" bash "$REPO/scripts/asterisk/build.sh"
  fi
  [ -x "$AST" ] || die "no Asterisk binary at $AST"
}

render_templates() {
  local etc="$SANDBOX/etc" tpl out vars left
  [ -d "$TEMPLATES" ] || die "no template folder $TEMPLATES"
  mkdir -p "$etc"
  rm -f "$etc"/*.conf
  # shellcheck disable=SC2016 # literal ${NAME} list for envsubst
  vars="$(printf '${%s} ' "${TEMPLATE_VARS[@]}")"
  for tpl in "$TEMPLATES"/*.conf; do
    [ -e "$tpl" ] || continue
    out="$etc/$(basename "$tpl")"
    if command -v envsubst >/dev/null; then
      envsubst "$vars" <"$tpl" >"$out"
    else
      PULT_TPL_VARS="${TEMPLATE_VARS[*]}" perl -pe '
        BEGIN { %ok = map { $_ => 1 } split / /, $ENV{PULT_TPL_VARS} }
        s/\$\{([A-Z0-9_]+)\}/$ok{$1} ? $ENV{$1} : "\${$1}"/ge' <"$tpl" >"$out"
    fi
    chmod 600 "$out"
  done
  write_noload_tests "$etc/noload-tests.conf"
  [ "$NAME" != pbx ] || write_pjsip_tls "$etc/pjsip-tls.conf"
  # shellcheck disable=SC2016 # a literal ${PULT_ pattern
  left="$(grep -oh '\${PULT_[A-Z0-9_]*}' "$etc"/*.conf 2>/dev/null | sort -u || true)"
  [ -z "$left" ] || die "unknown template variables left after rendering: $(echo "$left" | tr '\n' ' ')"
}

write_pjsip_tls() {
  # The PBX's SIP/TLS transport, only when a certificate and key are given.
  {
    echo "; Generated by scripts/asterisk/instance.sh: SIP over TLS (PULT_SIP_TLS_CERT / PULT_SIP_TLS_KEY)."
    if [ -n "${PULT_SIP_TLS_CERT:-}" ] && [ -n "${PULT_SIP_TLS_KEY:-}" ]; then
      [ -r "$PULT_SIP_TLS_CERT" ] || die "PULT_SIP_TLS_CERT: cannot read $PULT_SIP_TLS_CERT"
      [ -r "$PULT_SIP_TLS_KEY" ] || die "PULT_SIP_TLS_KEY: cannot read $PULT_SIP_TLS_KEY"
      printf '[transport-tls]\ntype = transport\nprotocol = tls\nbind = %s:%s\ncert_file = %s\npriv_key_file = %s\nmethod = tlsv1_2\n' \
        "$PULT_SIP_BIND" "$PULT_SIP_TLS_PORT" "$PULT_SIP_TLS_CERT" "$PULT_SIP_TLS_KEY"
    else
      echo "; (not configured: no TLS transport)"
    fi
  } >"$1"
  chmod 600 "$1"
}

write_noload_tests() {
  # The build has the test framework on and installs ~90 test_*.so modules.
  # modules.conf #includes this list so autoload skips them.
  local f mod
  {
    echo "; Generated by scripts/asterisk/instance.sh: test modules of the build, not loaded."
    for f in "$AST_HOME/lib/asterisk/modules"/test_*.so; do
      [ -e "$f" ] || continue
      mod="$(basename "$f")"
      echo "noload = $mod"
    done
  } >"$1"
}

build_data_dir() {
  # astdatadir: the build's var/lib/asterisk, except that sounds/ gets the
  # language names Asterisk looks up (en, ru). Debian's *-wav sound packages
  # install en_US_f_Allison/ and ru_RU_f_IvrvoiceRU/ and leave the short names to
  # packages we do not install, so they are linked here.
  local src="$AST_HOME/var/lib/asterisk" data="$SANDBOX/data" entry base dir lang
  rm -rf "$data"
  mkdir -p "$data/sounds"
  for entry in "$src"/*; do
    [ -e "$entry" ] || continue
    base="$(basename "$entry")"
    [ "$base" = sounds ] || ln -s "$entry" "$data/$base"
  done
  for dir in "$src/sounds"/*/; do
    [ -d "$dir" ] || continue
    dir="${dir%/}"
    base="$(basename "$dir")"
    ln -s "$dir" "$data/sounds/$base"
    lang="${base%%_*}"
    if [ "$lang" != "$base" ] && [ ! -e "$data/sounds/$lang" ] && [ ! -e "$src/sounds/$lang" ]; then
      ln -s "$dir" "$data/sounds/$lang"
    fi
  done
  # Pult's own prompts (sound:pult/…, e.g. the entry menu's), spoken by espeak-ng.
  if [ "$NAME" = pbx ]; then
    bash "$REPO/scripts/asterisk/prompts.sh" "$data/sounds/pult"
  fi
}

write_asterisk_conf() {
  cat >"$CONF" <<EOF
; Generated by scripts/asterisk/instance.sh for the "$NAME" instance.
; Do not edit: it is rewritten on every start.
;
; Every directory Asterisk writes to lives in this sandbox; modules and the
; sbin dir come from the build in $AST_HOME. Keys are read from
; astkeydir/keys (= $SANDBOX/keys).

[directories]
astetcdir => $SANDBOX/etc
astmoddir => $AST_HOME/lib/asterisk/modules
astvarlibdir => $SANDBOX/lib
astdbdir => $SANDBOX/lib
astkeydir => $SANDBOX
astdatadir => $SANDBOX/data
astagidir => $SANDBOX/lib/agi-bin
astspooldir => $SANDBOX/spool
astrundir => $SANDBOX/run
astlogdir => $SANDBOX/log
astcachedir => $SANDBOX/lib/cache
astsbindir => $AST_HOME/sbin

[options]
; No runuser/rungroup: Asterisk keeps the identity of whoever starts it.
verbose = $PULT_ASTERISK_VERBOSE
; "-rx" commands from this script must not flood the log.
hideconnect = yes
EOF
}

# With TLS on, both files must be readable PEM and belong together: said here,
# in one line, rather than as a TLS server that silently does not start.
check_tls_files() {
  local cert="$PULT_ASTERISK_TLS_CERT" key="$PULT_ASTERISK_TLS_KEY" f
  [ "$NAME" = pbx ] && [ "$PULT_ASTERISK_TLS_ENABLE" = yes ] || return 0
  [ -n "$cert" ] || die "PULT_ASTERISK_TLS_KEY is set but no certificate (PULT_ASTERISK_TLS_CERT or PULT_TLS_CERT)"
  [ -n "$key" ] || die "PULT_ASTERISK_TLS_CERT is set but no key (PULT_ASTERISK_TLS_KEY or PULT_TLS_KEY)"
  for f in "$cert" "$key"; do
    case "$f" in /*) ;; *) die "TLS file paths must be absolute: $f" ;; esac
    case "$f" in *[\;\ \"\'\#]*) die "TLS file path must not contain ';', '#', quotes or spaces: $f" ;; esac
    [ -r "$f" ] || die "cannot read TLS file $f"
  done
  if command -v openssl >/dev/null; then
    openssl x509 -in "$cert" -noout 2>/dev/null || die "$cert is not a PEM certificate"
    [ "$(openssl x509 -in "$cert" -pubkey -noout | openssl pkey -pubin -outform der 2>/dev/null | sha256sum)" = \
      "$(openssl pkey -in "$key" -pubout -outform der 2>/dev/null | sha256sum)" ] || die "the key $key does not match the certificate $cert"
  fi
}

prepare_sandbox() {
  local d
  for d in etc spool run log lib keys lib/agi-bin lib/cache \
    spool/recording spool/recording/fallback spool/monitor spool/outgoing spool/tmp \
    log/cdr-csv; do
    mkdir -p "$SANDBOX/$d"
  done
  # The control socket path must fit in sun_path (108 bytes).
  [ "${#SANDBOX}" -le 90 ] || die "sandbox path too long for the control socket: $SANDBOX (use a shorter PULT_STATE_DIR)"
  check_tls_files
  render_templates
  build_data_dir
  write_asterisk_conf
}

wait_booted() {
  # wait_booted <pid or empty>: until "core waitfullybooted" returns and ARI answers.
  local pid="${1:-}" deadline=$((SECONDS + BOOT_TIMEOUT)) booted=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      say "Asterisk exited during start; last lines of $CONSOLE_LOG:" >&2
      tail -n 20 "$CONSOLE_LOG" >&2 || true
      return 1
    fi
    if [ "$booted" = 0 ] && (timeout -k 1 5 "$AST" -C "$CONF" -rx "core waitfullybooted"; exit $?) >/dev/null 2>&1; then
      booted=1
    fi
    if [ "$booted" = 1 ] && ari_info >/dev/null; then
      return 0
    fi
    sleep 0.3
  done
  say "not ready after ${BOOT_TIMEOUT}s (booted=$booted); see $CONSOLE_LOG" >&2
  return 1
}

summary() {
  local version
  version="$(ari_info | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')"
  if [ "$NAME" = pbx ]; then
    say "Asterisk ${version:-?} running (pid $1): SIP $PULT_SIP_BIND:$PULT_SIP_PORT udp+tcp," \
      "ARI+WS http://127.0.0.1:$PULT_ASTERISK_HTTP_PORT, AMI 127.0.0.1:$PULT_AMI_PORT," \
      "trunk $PULT_TRUNK_PEER"
    if [ "$PULT_ASTERISK_TLS_ENABLE" = yes ]; then
      say "WSS for browser softphones: wss://$PULT_ASTERISK_TLS_BIND/ws (certificate $PULT_ASTERISK_TLS_CERT)"
    fi
  else
    say "Asterisk ${version:-?} running (pid $1): carrier SIP $PULT_SIM_SIP_HOST:$PULT_SIM_SIP_PORT," \
      "phones SIP $PULT_SIM_PHONES_HOST:$PULT_SIM_SIP_PORT, ARI http://127.0.0.1:$PULT_SIM_HTTP_PORT," \
      "PBX $PULT_PBX_SIP"
  fi
}

check_load_errors() {
  local n
  n="$(grep -cE 'Error loading module|Declined to load|Failed to load' "$CONSOLE_LOG" 2>/dev/null || true)"
  [ "${n:-0}" = 0 ] || say "warning: $n module load problem(s) in $CONSOLE_LOG" >&2
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local pid port
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    return 0
  fi
  ensure_build
  need_secrets
  if [ "$NAME" = pbx ]; then
    for port in "$PULT_ASTERISK_HTTP_PORT" "$PULT_AMI_PORT"; do
      ! port_busy 127.0.0.1 "$port" || die "127.0.0.1:$port is already in use"
    done
    if [ "$PULT_ASTERISK_TLS_ENABLE" = yes ] && port_busy "${PULT_ASTERISK_TLS_HOST/#0.0.0.0/127.0.0.1}" "$PULT_ASTERISK_TLS_PORT"; then
      die "$PULT_ASTERISK_TLS_BIND (TLS HTTP server) is already in use"
    fi
  else
    ! port_busy 127.0.0.1 "$PULT_SIM_HTTP_PORT" || die "127.0.0.1:$PULT_SIM_HTTP_PORT is already in use"
  fi
  prepare_sandbox
  : >"$CONSOLE_LOG"
  # setsid: the instance must not die with the caller's terminal or job.
  setsid nohup "$AST" -C "$CONF" -f -n -g </dev/null >>"$CONSOLE_LOG" 2>&1 &
  pid=$!
  echo "$pid" >"$PIDFILE"
  if ! wait_booted "$pid"; then
    cmd_stop >/dev/null 2>&1 || true
    return 1
  fi
  if [ "$NAME" = pbx ] && [ "$PULT_ASTERISK_TLS_ENABLE" = yes ] && ! port_busy "${PULT_ASTERISK_TLS_HOST/#0.0.0.0/127.0.0.1}" "$PULT_ASTERISK_TLS_PORT"; then
    say "the TLS HTTP server did not start on $PULT_ASTERISK_TLS_BIND; see $CONSOLE_LOG:" >&2
    grep -iE 'tls|ssl|certificate' "$CONSOLE_LOG" | tail -n 5 >&2 || true
    cmd_stop >/dev/null 2>&1 || true
    return 1
  fi
  check_load_errors
  summary "$pid"
}

cmd_stop() {
  local pid deadline
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  deadline=$((SECONDS + 10))
  (timeout -k 1 5 "$AST" -C "$CONF" -rx "core stop now"; exit $?) >/dev/null 2>&1 || true
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after 10 s, killing pid $pid"
    kill -9 "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid)"
    return 0
  fi
  say "not running"
  return 3
}

cmd_cli() {
  running_pid >/dev/null || die "not running"
  if [ $# -eq 0 ]; then
    exec "$AST" -C "$CONF" -r
  fi
  rx "$*"
}

cmd_wait() {
  local pid
  pid="$(running_pid)" || die "not running"
  need_secrets
  wait_booted "$pid"
}

set_defaults
case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  cli) cmd_cli "$@" ;;
  wait) cmd_wait ;;
  *) usage ;;
esac
