#!/bin/bash
# bench-acme.sh: the same client loop (bench-acme-client, in C) against
# Vouch and against Debian's pebble in the same run, with 1 and 8
# concurrent clients, both with validation off (Vouch:
# --insecure-skip-validation; pebble: PEBBLE_VA_ALWAYS_VALID=1
# PEBBLE_VA_NOSLEEP=1), and against `stack` (bench-acme-stack: the same
# loop on libsoup's server, GLib's TLS and json-glib with no verification,
# signing or storage), whose CPU per certificate is the mandated stack's
# floor, `stack-durable` (the same with --durable: it also keeps, in
# SQLite, what a server meeting the issue must keep), the durable floor,
# and `stack-conforming` (the same with --conforming as well: it also
# verifies every JWS, checks each CSR and issues each certificate through
# GnuTLS in the server, the root's key read from the keyring for each
# signature), the least a server doing what the issue requires costs on
# these libraries, measured in the same turns and under the same load as
# Vouch, its crypto run among the rest of its work as Vouch's is.
# Between the turns, bench-acme-floor measures what each certificate needs
# through GnuTLS: the older crypto floor (raw ES256 verifications and one
# P-256 signature) and the issuance floor (the JWS verifications as JWS
# carries them, the CSR's through the X.509 API, the certificate issued
# under Vouch's profile and the root key's read from the keyring for its
# signature); the issue's rule (at most half pebble's CPU, else within
# 1.5× of the floor) is judged against durable stack + issuance floor
# and against the conforming server, and Vouch's ratio to every floor is
# printed.
# The servers take turns, round by round, and each figure is the
# median of the rounds. Runs inside tools/private-lan; prints a Markdown
# table (and writes it to --out).
#
#   bench-acme.sh [--count N] [--rounds N] [--baseline VOUCHCTL] [--out FILE]
#
# --baseline runs a second Vouch, another build's vouchctl (say, of the
# main branch) on the same inventory, in the same turns: before and after
# a change, measured together.
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/../acme/acme-lib.sh"

count=20
rounds=3
baseline=
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--count N] [--rounds N] [--baseline VOUCHCTL] [--out FILE]" >&2; exit 2 ;;
  esac
done
[ "${VOUCH_PRIVATE_LAN:-}" = 1 ] || { echo "bench-acme: run me inside tools/private-lan" >&2; exit 77; }
client=${VOUCH_BENCH_ACME_CLIENT:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-client}
stack=${VOUCH_BENCH_ACME_STACK:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-stack}

# The mandated stack alone serves the loop, on its own address; it makes
# its own root and prints its directory URL first, as Vouch does.
# start_stack NAME [ARG...]: NAME names its files, ARGs go to it.
start_stack () {
  local name=$1
  shift
  : >"$work/$name.out"
  bg_to "$work/$name.out" "$work/serve.log" "$stack" --address "$ACME_SERVER_ADDRESS" \
    --port "$ACME_SERVER_PORT" --ca-out "$work/$name-root.pem" "$@"
  server_pid=$bg_last
  wait_for 150 test -s "$work/$name.out" || return 1
  directory=$(head -n 1 "$work/$name.out")
  server_ca=$work/$name-root.pem
  wait_for 100 port_open "$ACME_SERVER_ADDRESS" "$ACME_SERVER_PORT"
}

acme_setup_work
start_vouch --approval open --insecure-skip-validation || { diag "$work/serve.log" >&2; exit 1; }
servers=("vouch $directory $server_ca $server_pid")
if [ -n "$baseline" ]; then
  server_pid=
  ACME_SERVER_ADDRESS=127.0.0.4
  VOUCHCTL=$baseline restart_vouch --approval open --insecure-skip-validation ||
    { diag "$work/serve.log" >&2; exit 1; }
  servers+=("baseline $directory $server_ca $server_pid")
fi
ACME_SERVER_ADDRESS=127.0.0.3
PEBBLE_VA_ALWAYS_VALID=1 start_pebble || { diag "$work/serve.log" >&2; exit 1; }
servers+=("pebble $directory $server_ca $server_pid")
ACME_SERVER_ADDRESS=127.0.0.5
start_stack stack || { diag "$work/serve.log" >&2; exit 1; }
servers+=("stack $directory $server_ca $server_pid")
ACME_SERVER_ADDRESS=127.0.0.6
start_stack stack-durable --durable "$work/stack.db" || { diag "$work/serve.log" >&2; exit 1; }
servers+=("stack-durable $directory $server_ca $server_pid")
ACME_SERVER_ADDRESS=127.0.0.7
start_stack stack-conforming --durable "$work/stack-conforming.db" --conforming ||
  { diag "$work/serve.log" >&2; exit 1; }
servers+=("stack-conforming $directory $server_ca $server_pid")

# The floors: GnuTLS's cost of what each certificate needs (see
# bench-acme-floor.c), measured once a round between the servers' turns,
# so it sees the same machine they do; the report takes their medians.
floor=${VOUCH_BENCH_ACME_FLOOR:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-floor}
floor_fields="es256_verify_us p256_sign_us jws_verify_us csr_verify_us issue_us key_read_us"

# run_floor FILE [--hot]: one measurement, appended to FILE, every field
# present and positive. Vouch needs the keyring too (it keeps the root's
# key there), so a floor without the key's read (null) is a failure here.
run_floor () {
  local line file=$1
  shift
  line=$("$floor" --count 1000 "$@") || { echo "bench-acme: $floor failed" >&2; return 1; }
  /usr/bin/python3 -c '
import json, sys
floor = json.loads(sys.argv[1])
bad = [k for k in sys.argv[2].split() if not isinstance(floor.get(k), (int, float)) or floor[k] <= 0]
if bad:
    sys.exit("bench-acme: bench-acme-floor gave no positive %s%s: %s" % (
        ", ".join(bad), " (key_read_us is null: no Secret Service was reachable)"
        if "key_read_us" in floor and floor["key_read_us"] is None else "", sys.argv[1].strip()))
' "$line" "$floor_fields" || return 1
  echo "$line" >>"$file"
}

# Each run's clients connect from addresses no earlier run used
# (127.0.3.N), so Vouch's per-address limit (60 orders, then one per
# 20 s) never refuses one: count at most 50 per client. The other
# servers limit no address.
next_address=0
: >"$work/results"
: >"$work/floor"
: >"$work/floor-hot"
for round in $(seq "$rounds"); do
  run_floor "$work/floor" || exit 1
  run_floor "$work/floor-hot" --hot || exit 1
  for clients in 1 8; do
    per=$count
    [ "$clients" = 8 ] && per=$(( (count + 7) / 8 * 2 ))
    for i in "${!servers[@]}"; do
      set -- ${servers[$i]}
      # Only Vouch limits orders per client address: its runs take fresh
      # addresses, the others share the last few.
      address=$((254 - clients))
      case "$1" in vouch|baseline) address=$next_address; next_address=$((next_address + clients)) ;; esac
      timeout 300 "$client" --label "$1" --directory "$2" --ca "$3" --pid "$4" \
        --clients "$clients" --count "$per" --first-address "$address" >>"$work/results"
      # pebble has been seen to stop answering mid-run (every request
      # then times out): a turn that issued nothing starts it again, so
      # later rounds measure it; the report leaves the empty turn out.
      if [ "$1" = pebble ] && tail -n 1 "$work/results" | grep -q '"certs": 0,'; then
        stop_pid "$4"
        ACME_SERVER_ADDRESS=127.0.0.3 PEBBLE_VA_ALWAYS_VALID=1 start_pebble ||
          { diag "$work/serve.log" >&2; exit 1; }
        servers[$i]="pebble $directory $server_ca $server_pid"
      fi
    done
  done
done

/usr/bin/python3 - "$work/results" "${out:-/dev/null}" "$work/floor" "$rounds" "$floor_fields" \
  "$work/floor-hot" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
floors = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
floor = {k: statistics.median(f[k] for f in floors) for k in sys.argv[5].split()}
hot_floors = [json.loads(l) for l in open(sys.argv[6]) if l.strip()]
hot = {k: statistics.median(f[k] for f in hot_floors) for k in sys.argv[5].split()}
rounds = int(sys.argv[4])
order = []
groups = {}
for r in runs:
    key = (r["server"], r["clients"])
    if key not in groups:
        order.append(key)
        groups[key] = []
    groups[key].append(r)

def median(rs, name):
    # A round in which a server issued nothing measured no rate or CPU: its
    # errors are in the table and its first error below it.
    values = [r[name] for r in rs if r[name] is not None and r["certs"]]
    return statistics.median(values) if values else None

rows = []
for key in sorted(order, key=lambda k: (k[1], order.index(k))):
    rs = groups[key]
    rows.append({"server": key[0], "clients": key[1],
                 "certs": sum(r["certs"] for r in rs), "errors": sum(r["errors"] for r in rs),
                 "first_error": next((r["first_error"] for r in rs if r["first_error"]), None),
                 **{m: median(rs, m) for m in ("certs_per_s", "p50_ms", "p95_ms",
                                                "cpu_ms_per_cert", "jws_per_cert")}})

lines = ["Medians of %d rounds; certificates and errors are totals." % rounds, "",
         "| Server | Clients | Certs (errors) | Certs/s | p50 ms | p95 ms | Server CPU ms/cert |",
         "| --- | --- | --- | --- | --- | --- | --- |"]
f = lambda v: "-" if v is None else "%.1f" % v
for r in rows:
    lines.append("| %s | %d | %d (%d) | %s | %s | %s | %s |" % (
        r["server"], r["clients"], r["certs"], r["errors"], f(r["certs_per_s"]),
        f(r["p50_ms"]), f(r["p95_ms"]), f(r["cpu_ms_per_cert"])))
for r in rows:
    if r["first_error"]:
        lines.append("")
        lines.append("First error (%s, %d clients): %s" % (r["server"], r["clients"], r["first_error"]))
jws = max((r["jws_per_cert"] or 0) for r in rows if r["server"] == "vouch")
floor_ms = ((jws + 1) * floor["es256_verify_us"] + floor["p256_sign_us"]) / 1000
lines.append("")
lines.append("Crypto floor (GnuTLS on this machine, median of the rounds): %.0f µs per ES256 verification, %.0f µs per P-256 "
             "signature; %.1f JWS requests per certificate in this loop, plus the CSR's signature "
             "→ **%.2f ms of CPU per certificate**, %.0f certificates/s per core." % (
                 floor["es256_verify_us"], floor["p256_sign_us"], jws, floor_ms, 1000 / floor_ms))
# The issuance floor: what each certificate needs, as a server on GnuTLS
# and the keyring must do it (bench-acme-floor.c says why each step is
# unavoidable).
issue_ms = (jws * floor["jws_verify_us"] + floor["csr_verify_us"] + floor["issue_us"] +
            floor["key_read_us"]) / 1000
lines.append("")
lines.append("Issuance floor (bench-acme-floor, GnuTLS's X.509 API and the keyring on this machine, median "
             "of the rounds): %.0f µs per JWS verification as JWS carries it (r||s to DER, over the "
             "signing input), %.0f µs for the finalize CSR (import, verify, read its names), %.0f µs "
             "to issue the certificate under Vouch's leaf profile (build, sign with the root's P-256 "
             "key, encode), %.0f µs to read the root's key from the keyring for that signature "
             "(and wipe it); %.1f JWS requests per certificate → **%.2f ms of CPU per "
             "certificate**, %.0f certificates/s per core." % (
                 floor["jws_verify_us"], floor["csr_verify_us"], floor["issue_us"],
                 floor["key_read_us"], jws, issue_ms, 1000 / issue_ms))
by = {(r["server"], r["clients"]): r for r in rows}

# The mandated stack's floors: bench-acme-stack's CPU per certificate, at
# the same number of clients, storing nothing (stack) and keeping what the
# issue asks a server to keep (stack-durable), each plus the crypto floor
# and plus the issuance floor. Each must have run the same loop as Vouch.
stacks = [("stack", "Stack floor (bench-acme-stack: the same loop on libsoup's server, "
           "glib-networking's TLS and json-glib, with no signature verified, nothing signed, "
           "nothing stored)", "mandated stack"),
          ("stack-durable", "Durable stack floor (bench-acme-stack --durable: the same, also keeping "
           "accounts, orders, authorizations, challenges and certificates in SQLite, one write "
           "transaction per state change, each certificate's commit synced to the disk)",
           "durable mandated stack")]
# (kind, ms, its name in a sum, its name alone)
# The same, each step measured in a loop of its own (bench-acme-floor
# --hot): caches and predictors primed as in no server, the lowest
# figures this machine gives.
hot_ms = (jws * hot["jws_verify_us"] + hot["csr_verify_us"] + hot["issue_us"] +
          hot["key_read_us"]) / 1000
lines.append("")
lines.append("Issuance floor, hot (each step in a loop of its own): %.0f µs per JWS verification, %.0f µs "
             "for the CSR, %.0f µs to issue, %.0f µs to read the key → **%.2f ms of CPU per "
             "certificate**." % (hot["jws_verify_us"], hot["csr_verify_us"], hot["issue_us"],
                                 hot["key_read_us"], hot_ms))
kinds = [("crypto", floor_ms, "GnuTLS crypto", "crypto floor"),
         ("issuance", issue_ms, "issuance floor", "issuance floor"),
         ("hot", hot_ms, "hot issuance floor", "hot issuance floor")]
plural = lambda c: "" if c == 1 else "s"
floors = {}
for name, _, _ in stacks:
    for c in (1, 8):
        s = by.get((name, c))
        if s and s["certs"]:
            for kind, ms, _, _ in kinds:
                floors[(name, kind, c)] = s["cpu_ms_per_cert"] + ms
for name, what, _ in stacks:
    cs = [c for c in (1, 8) if (name, "crypto", c) in floors]
    if cs:
        lines.append("")
        lines.append("%s: %s." % (what, "; ".join(
            "**%.2f ms of CPU per certificate** at %d client%s (%.1f JWS requests per "
            "certificate)" % (by[(name, c)]["cpu_ms_per_cert"], c, plural(c),
                              by[(name, c)]["jws_per_cert"]) for c in cs)))
for kind, ms, kind_name, _ in kinds:
    for name, _, stack_name in stacks:
        cs = [c for c in (1, 8) if (name, kind, c) in floors]
        if cs:
            lines.append("")
            lines.append("Floor: %s + %s = %s." % (stack_name, kind_name, "; ".join(
                "%.2f + %.2f = **%.2f ms per certificate** at %d client%s, %.0f certificates/s per "
                "core" % (by[(name, c)]["cpu_ms_per_cert"], ms, floors[(name, kind, c)], c,
                          plural(c), 1000 / floors[(name, kind, c)]) for c in cs)))
# The conforming server does the crypto itself, among the rest of its
# work, as Vouch does: its own CPU per certificate is a floor, no sum.
for c in (1, 8):
    s = by.get(("stack-conforming", c))
    if s and s["certs"]:
        floors[("stack-conforming", "own", c)] = s["cpu_ms_per_cert"]
cs = [c for c in (1, 8) if ("stack-conforming", "own", c) in floors]
if cs:
    lines.append("")
    lines.append("Conforming floor (bench-acme-stack --durable --conforming: the durable stack that "
                 "also verifies every JWS through GnuTLS, checks each CSR's signature and names, and "
                 "issues each certificate through GnuTLS's X.509 API under Vouch's leaf profile, the "
                 "root's key read from the keyring for each signature; its own CPU, nothing added): "
                 "%s." % "; ".join("**%.2f ms per certificate** at %d client%s" % (
                     floors[("stack-conforming", "own", c)], c, plural(c)) for c in cs))
# The issue's rule: if the floor makes ≤ ½ pebble's CPU impossible, the
# goal is to be within 1.5× of the floor. It is judged against the two
# floors a server meeting the issue on the mandated libraries cannot go
# below: the durable stack plus the issuance floor (the crypto measured
# alone, hot), and the conforming server (the crypto measured in it).
verdicts = [(("stack-durable", "issuance"), "durable mandated stack + issuance floor"),
            (("stack-durable", "hot"), "durable mandated stack + hot issuance floor"),
            (("stack-conforming", "own"), "conforming minimal server")]
for verdict, verdict_name in verdicts:
  for c in (1, 8):
    p, v = by.get(("pebble", c)), by.get(("vouch", c))
    if verdict + (c,) in floors and p and p["certs"]:
        half, both = p["cpu_ms_per_cert"] / 2, floors[verdict + (c,)]
        goal = half if half >= both else 1.5 * both
        met = ""
        if v and v["certs"]:
            met = " Vouch spends %.2f ms: %s." % (
                v["cpu_ms_per_cert"], "met" if v["cpu_ms_per_cert"] <= goal else "not met")
        lines.append("")
        lines.append("%d client%s: half of pebble's CPU per certificate is %.2f ms, %s the "
                     "floor %s (%.2f ms): %s%s" % (
                         c, plural(c), half, "above" if half >= both else "below", verdict_name,
                         both, "the CPU target is within reach." if half >= both else
                         "the CPU target is out of reach, and within 1.5× of the floor is "
                         "%.2f ms." % (1.5 * both), met))
# The rate target (≥ 2× pebble's certificates per second) by the same
# rule: the conforming server's rate is the most a server doing what the
# issue requires reaches on these libraries here.
for c in (1, 8):
    p, v, s = by.get(("pebble", c)), by.get(("vouch", c)), by.get(("stack-conforming", c))
    if p and s and p["certs_per_s"] and s["certs_per_s"]:
        twice, best = 2 * p["certs_per_s"], s["certs_per_s"]
        goal = twice if best >= twice else best / 1.5
        met = ""
        if v and v["certs_per_s"]:
            met = " Vouch issues %.1f/s: %s." % (v["certs_per_s"],
                                                  "met" if v["certs_per_s"] >= goal else "not met")
        lines.append("")
        lines.append("%d client%s: twice pebble's rate is %.1f certificates/s, %s the conforming "
                     "minimal server's %.1f/s (%.2f× pebble's): %s%s" % (
                         c, plural(c), twice, "below" if best >= twice else "above", best,
                         best / p["certs_per_s"], "the rate target is within reach." if best >= twice
                         else "the rate target is out of reach, and within 1.5× of that rate is "
                         "%.1f/s." % goal, met))
for name in [n for n, _, _ in stacks] + ["stack-conforming"]:
    for c in (1, 8):
        v, s = by.get(("vouch", c)), by.get((name, c))
        if s and s["certs"] and v and v["jws_per_cert"] and \
           abs(v["jws_per_cert"] - s["jws_per_cert"]) > 0.05:
            lines.append("")
            lines.append("**Not the same loop at %d client%s: %s %.2f JWS requests per "
                         "certificate, Vouch %.2f.**" % (c, plural(c), name, s["jws_per_cert"],
                                                          v["jws_per_cert"]))
# Vouch's CPU against every floor, the older ones too, so none is hidden;
# the verdict's floor in bold.
for c in (1, 8):
    p = by.get(("pebble", c))
    for name in ("vouch", "baseline"):
        v = by.get((name, c))
        if v and p and v["certs"] and p["certs"] and p["certs_per_s"] and p["cpu_ms_per_cert"]:
            cpu = v["cpu_ms_per_cert"]
            ratios = []
            for kind, ms, kind_name, alone in kinds:
                ratios.append(", CPU ÷ %s %.2f×" % (alone, cpu / ms))
                ratios += [(", CPU ÷ (%s + %s) **%.2f×**" if (stack, kind) in [v for v, _ in verdicts] else
                            ", CPU ÷ (%s + %s) %.2f×") % (stack_name, kind_name,
                                                          cpu / floors[(stack, kind, c)])
                           for stack, _, stack_name in stacks if (stack, kind, c) in floors]
            if ("stack-conforming", "own", c) in floors:
                ratios.append(", CPU ÷ conforming minimal server **%.2f×**" % (
                    cpu / floors[("stack-conforming", "own", c)]))
            lines.append("")
            lines.append("%s, %d client%s: rate ÷ pebble's %.2f× (target ≥ 2×), CPU per cert ÷ "
                         "pebble's %.2f× (target ≤ 0.5×)%s (≤ 1.5× of each floor in bold if the target "
                         "is out of reach)." % (
                             name, c, plural(c), v["certs_per_s"] / p["certs_per_s"],
                             cpu / p["cpu_ms_per_cert"], "".join(ratios)))
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
if sys.argv[2] != "/dev/null":
    open(sys.argv[2], "w").write(text)
PY
