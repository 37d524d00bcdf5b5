# acme-lib.sh: shared pieces of the ACME tests, sourced by bash scripts
# that tools/private-lan runs (so every address below is a private
# loopback address of the test's own network namespace).
#
# The server under test is Vouch (`vouchctl acme serve`), or, with
# ACME_TEST_SERVER=pebble, Debian's pebble: the scripts were first written
# against pebble, and comparing both keeps a failure's blame clear.
#
# Everything is bounded: each client command runs under `timeout`, and
# every wait polls a fixed number of times.

set -u

ACME_SERVER_ADDRESS=127.0.0.2
ACME_SERVER_PORT=14000
ACME_TEST_SERVER=${ACME_TEST_SERVER:-vouch}
# Every client step gets this long, then it is killed and counts as failed.
ACME_CLIENT_TIMEOUT=${ACME_CLIENT_TIMEOUT:-120}

tap_n=0
tap_failed=0
bg_pids=()

tap_ok () {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $*"
}

tap_not_ok () {
  tap_n=$((tap_n + 1))
  tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $*"
}

tap_skip () {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - # SKIP $*"
}

# diag FILE...: show what a failed step printed, as TAP comments.
diag () {
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    echo "# --- $f"
    tail -n 40 "$f" | sed 's/^/# /'
  done
}

# check DESCRIPTION COMMAND...: one TAP line for one command's status;
# its output goes to $work/last.log and is shown on failure.
check () {
  local what=$1
  shift
  if "$@" >"$work/last.log" 2>&1; then
    tap_ok "$what"
    return 0
  fi
  tap_not_ok "$what"
  diag "$work/last.log"
  return 1
}

# bg COMMAND...: start a helper process we stop at the end, by its PID.
# Its output goes to a log, never into the TAP stream; bg_to names files.
bg () {
  bg_to "$work/background.log" "$work/background.log" "$@"
}

bg_to () {
  local out=$1 err=$2
  shift 2
  "$@" >>"$out" 2>>"$err" &
  bg_pids+=($!)
  bg_last=$!
}

stop_pid () {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

acme_cleanup () {
  local pid
  for pid in "${bg_pids[@]}"; do
    stop_pid "$pid"
  done
}

# wait_for COUNT COMMAND...: polls COMMAND every 0.1 s, at most COUNT
# times and for at most COUNT/10 + 10 seconds, however slow COMMAND is.
wait_for () {
  local count=$1 i deadline
  shift
  deadline=$((SECONDS + count / 10 + 10))
  for i in $(seq "$count"); do
    "$@" >/dev/null 2>&1 && return 0
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
  return 1
}

port_open () {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# publish NAME ADDRESS: announce NAME.local → ADDRESS through the private
# avahi-daemon, and wait until it resolves.
publish () {
  bg avahi-publish -a -R "$1" "$2"
  wait_for 100 resolves_to "$1" "$2"
}

resolves_to () {
  [ "$(avahi-resolve -4 -n "$1" 2>/dev/null | awk '{print $2}')" = "$2" ]
}

# serve_tls NAME ADDRESS CHAIN KEY: a TLS web server on ADDRESS:443 with
# the client's certificate, stopped by stop_tls.
serve_tls () {
  bg openssl s_server -quiet -www -accept "$2:443" -cert "$3" -key "$4" -cert_chain "$3"
  tls_pid=$bg_last
  wait_for 100 port_open "$2" 443
}

stop_tls () {
  stop_pid "$tls_pid"
}

# https_ok NAME ADDRESS: curl, trusting only the root, accepts the server
# at ADDRESS by NAME. --resolve only maps the name to its loopback address.
https_ok () {
  if [ "$1" = "$2" ]; then
    curl -sS --max-time 10 --cacert "$trust_root" -o /dev/null "https://$2/"
  else
    curl -sS --max-time 10 --cacert "$trust_root" --resolve "$1:443:$2" -o /dev/null "https://$1/"
  fi
}

# Starts the server under test in the background. Sets:
#   directory   its directory URL
#   server_ca   what the clients must trust to reach the directory
#   trust_root  the root the issued certificates chain to
#   server_pid
# ARGS are extra options for `vouchctl acme serve`.
start_vouch () {
  "$VOUCHCTL" ca init --name "ACME Test Root" --permit 127.0.0.0/8 >"$work/init.log" 2>&1 ||
    { diag "$work/init.log"; return 1; }
  "$VOUCHCTL" ca export -o "$work/root.pem" || return 1
  restart_vouch "$@"
}

restart_vouch () {
  local args=() a
  # ACME_TEST_SKIP_VALIDATION=1 (by hand only) checks the clients' flow
  # alone, with Vouch's validator switched off.
  for a in "$@"; do
    if [ "${ACME_TEST_SKIP_VALIDATION:-}" = 1 ] && [ "$a" = --allow-loopback-validation ]; then
      a=--insecure-skip-validation
    fi
    args+=("$a")
  done
  set -- "${args[@]}"
  [ -n "${server_pid:-}" ] && stop_pid "$server_pid"
  : >"$work/serve.out"
  bg_to "$work/serve.out" "$work/serve.log" \
    "$VOUCHCTL" acme serve --address "$ACME_SERVER_ADDRESS" --port "$ACME_SERVER_PORT" "$@"
  server_pid=$bg_last
  wait_for 150 test -s "$work/serve.out" || { diag "$work/serve.log"; return 1; }
  directory=$(head -n 1 "$work/serve.out")
  server_ca=$work/root.pem
  trust_root=$work/root.pem
  wait_for 100 port_open "$ACME_SERVER_ADDRESS" "$ACME_SERVER_PORT"
}

# pebble needs a certificate for its own HTTPS listener; a throwaway CA
# made with openssl signs it. Its issuing root is read from its
# management port once it runs.
start_pebble () {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=pebble-test-ca -keyout "$work/pebble-ca.key" -out "$work/pebble-ca.pem" 2>/dev/null || return 1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pebble \
    -keyout "$work/pebble.key" -out "$work/pebble.csr" 2>/dev/null || return 1
  printf 'subjectAltName=IP:%s\n' "$ACME_SERVER_ADDRESS" >"$work/pebble.ext"
  openssl x509 -req -in "$work/pebble.csr" -CA "$work/pebble-ca.pem" -CAkey "$work/pebble-ca.key" \
    -CAcreateserial -days 2 -extfile "$work/pebble.ext" -out "$work/pebble.pem" 2>/dev/null || return 1
  cat >"$work/pebble.json" <<EOF
{ "pebble": {
    "listenAddress": "$ACME_SERVER_ADDRESS:$ACME_SERVER_PORT",
    "managementListenAddress": "$ACME_SERVER_ADDRESS:15000",
    "certificate": "$work/pebble.pem", "privateKey": "$work/pebble.key",
    "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "",
    "externalAccountBindingRequired": false } }
EOF
  bg_to "$work/serve.log" "$work/serve.log" \
    env PEBBLE_VA_ALWAYS_VALID="${PEBBLE_VA_ALWAYS_VALID:-1}" PEBBLE_VA_NOSLEEP=1 \
      PEBBLE_WFE_NONCEREJECT=0 pebble -config "$work/pebble.json"
  server_pid=$bg_last
  wait_for 150 port_open "$ACME_SERVER_ADDRESS" 15000 || { diag "$work/serve.log"; return 1; }
  directory=https://$ACME_SERVER_ADDRESS:$ACME_SERVER_PORT/dir
  server_ca=$work/pebble-ca.pem
  curl -sS --max-time 10 --cacert "$server_ca" -o "$work/pebble-root.pem" \
    "https://$ACME_SERVER_ADDRESS:15000/roots/0" || return 1
  trust_root=$work/pebble-root.pem
}

start_server () {
  case "$ACME_TEST_SERVER" in
    pebble) start_pebble ;;
    *) start_vouch "$@" ;;
  esac
}

# issued_count: how many certificates Vouch has issued (pebble: none known).
issued_count () {
  if [ "$ACME_TEST_SERVER" = pebble ]; then
    echo 0
    return
  fi
  "$VOUCHCTL" certs --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d, list) else d.get("certificates", [])))'
}

acme_setup_work () {
  work=$(mktemp -d "${VOUCH_TEST_TMPDIR:-${TMPDIR:-/tmp}}/acme.XXXXXX")
  trap 'acme_cleanup; [ -n "${ACME_KEEP:-}" ] || rm -rf "$work"' EXIT
}
