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

# The floor: GnuTLS's cost of the ES256 verifications (one per JWS request,
# plus the CSR's) and the root's one P-256 signature per certificate.
floor=${VOUCH_BENCH_ACME_FLOOR:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-floor}
"$floor" --count 2000 >"$work/floor" || { echo "bench-acme: $floor failed" >&2; exit 1; }

/usr/bin/python3 - "$work/results" "${out:-/dev/null}" "$work/floor" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
floor = json.load(open(sys.argv[3]))
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
jws = max((r["jws_per_cert"] or 0) for r in rows if r["server"] == "vouch")
floor_ms = ((jws + 1) * floor["es256_verify_us"] + floor["p256_sign_us"]) / 1000
lines.append("")
lines.append("Floor (GnuTLS on this machine): %.0f µs per ES256 verification, %.0f µs per P-256 "
             "signature; %.1f JWS requests per certificate in this loop, plus the CSR's signature "
             "→ **%.2f ms of CPU per certificate**, %.0f certificates/s per core." % (
                 floor["es256_verify_us"], floor["p256_sign_us"], jws, floor_ms, 1000 / floor_ms))
by = {(r["server"], r["clients"]): r for r in rows}
for c in (1, 8):
    v, p = by.get(("vouch", c)), by.get(("pebble", c))
    if v and p and v["certs"] and p["certs"]:
        lines.append("")
        lines.append("%d client%s: Vouch/pebble rate %.2f× (target ≥ 2×), CPU per cert %.2f× "
                     "(target ≤ 0.5×), Vouch CPU ÷ floor %.2f× (≤ 1.5× if the target is out of reach)." % (
                         c, "" if c == 1 else "s", v["certs_per_s"] / p["certs_per_s"],
                         v["cpu_ms_per_cert"] / p["cpu_ms_per_cert"], v["cpu_ms_per_cert"] / floor_ms))
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
if sys.argv[2] != "/dev/null":
    open(sys.argv[2], "w").write(text)
PY
