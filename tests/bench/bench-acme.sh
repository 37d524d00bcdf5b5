#!/bin/bash
# bench-acme.sh: bench-acme.py's client loop against Vouch and against
# Debian's pebble in the same run, with 1 and 8 concurrent clients, both
# with validation off (Vouch: --insecure-skip-validation; pebble:
# PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1). Runs inside
# tools/private-lan; prints a Markdown table (and writes it to --out).
#
#   bench-acme.sh [--count N] [--out FILE]
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/../acme/acme-lib.sh"

count=20
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--count N] [--out FILE]" >&2; exit 2 ;;
  esac
done
[ "${VOUCH_PRIVATE_LAN:-}" = 1 ] || { echo "bench-acme: run me inside tools/private-lan" >&2; exit 77; }

acme_setup_work
start_vouch --approval open --insecure-skip-validation || { diag "$work/serve.log" >&2; exit 1; }
vouch_dir=$directory vouch_ca=$server_ca vouch_pid=$server_pid
ACME_SERVER_ADDRESS=127.0.0.3
PEBBLE_VA_ALWAYS_VALID=1 start_pebble || { diag "$work/serve.log" >&2; exit 1; }
pebble_dir=$directory pebble_ca=$server_ca pebble_pid=$server_pid

run () {
  timeout 300 /usr/bin/python3 "$here/bench-acme.py" --label "$1" --directory "$2" --ca "$3" \
    --pid "$4" --clients "$5" --count "$6"
}

: >"$work/results"
for clients in 1 8; do
  per=$count
  [ "$clients" = 8 ] && per=$(( (count + 7) / 8 * 2 ))
  run vouch "$vouch_dir" "$vouch_ca" "$vouch_pid" "$clients" "$per" >>"$work/results"
  run pebble "$pebble_dir" "$pebble_ca" "$pebble_pid" "$clients" "$per" >>"$work/results"
done

/usr/bin/python3 - "$work/results" "${out:-/dev/null}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
lines = ["| Server | Clients | Certs (errors) | Certs/s | p50 ms | p95 ms | Server CPU ms/cert |",
         "| --- | --- | --- | --- | --- | --- | --- |"]
f = lambda v: "-" if v is None else "%.1f" % v
for r in rows:
    lines.append("| %s | %d | %d (%d) | %s | %s | %s | %s |" % (
        r["server"], r["clients"], r["certs"], r["errors"], f(r["certs_per_s"]),
        f(r["p50_ms"]), f(r["p95_ms"]), f(r["cpu_ms_per_cert"])))
    if r["first_error"]:
        lines.append("")
        lines.append("First error (%s, %d clients): %s" % (r["server"], r["clients"], r["first_error"]))
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
if sys.argv[2] != "/dev/null":
    open(sys.argv[2], "w").write(text)
PY
