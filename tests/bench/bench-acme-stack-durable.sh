#!/bin/bash
# bench-acme-stack-durable.sh: bench-acme-stack --durable keeps what it
# must and answers from it. Over its real HTTPS: an account and an order
# made, the server stopped and started again on the same database, and
# the order then served, answered, finalized and downloaded with the
# account from before the restart; the bad cases (another account's
# order, an unknown challenge, finalize before ready and twice) are
# refused; the database holds the rows. The server verifies no signature,
# so the JWS here carries a dummy one. TAP; runs inside tools/private-lan.
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/../acme/acme-lib.sh"
[ "${VOUCH_PRIVATE_LAN:-}" = 1 ] || { echo "1..0 # SKIP run me inside tools/private-lan"; exit 0; }
stack=${VOUCH_BENCH_ACME_STACK:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-stack}

acme_setup_work
ACME_SERVER_ADDRESS=127.0.0.6
db=$work/stack.db

start () {
  : >"$work/stack.out"
  bg_to "$work/stack.out" "$work/serve.log" "$stack" --address "$ACME_SERVER_ADDRESS" \
    --port "$ACME_SERVER_PORT" --ca-out "$work/root.pem" --durable "$db"
  server_pid=$bg_last
  wait_for 150 test -s "$work/stack.out" && wait_for 100 port_open "$ACME_SERVER_ADDRESS" "$ACME_SERVER_PORT"
}

# client.py STATE STEP: one step of the exchange; STATE keeps the URLs
# and the account between steps (and across the restart). Prints TAP.
cat >"$work/client.py" <<'PY'
import base64, json, ssl, sys, urllib.error, urllib.request
state_file, step = sys.argv[1], sys.argv[2]
try:
    state = json.load(open(state_file))
except FileNotFoundError:
    state = {}
ctx = ssl.create_default_context(cafile=state.get("ca") or sys.argv[3])
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def call(url, payload, kid=None, key="A"):
    nonce = urllib.request.urlopen(urllib.request.Request(state["dir"]["newNonce"], method="HEAD"),
                                   context=ctx).headers["Replay-Nonce"]
    header = {"alg": "ES256", "nonce": nonce, "url": url}
    if kid:
        header["kid"] = kid
    else:
        header["jwk"] = {"kty": "EC", "crv": "P-256", "x": b64(key.encode() * 32), "y": b64(b"y" * 32)}
    body = json.dumps({"protected": b64(json.dumps(header).encode()),
                       "payload": "" if payload is None else b64(json.dumps(payload).encode()),
                       "signature": b64(b"s" * 64)}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/jose+json"})
    try:
        r = urllib.request.urlopen(req, context=ctx)
        return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()

def ok(good, what):
    print(("ok - " if good else "not ok - ") + what)

if step == "setup":
    state["ca"] = sys.argv[3]
    state["dir"] = json.load(urllib.request.urlopen(sys.argv[4], context=ctx))
    s, h, b = call(state["dir"]["newAccount"], {"termsOfServiceAgreed": True})
    ok(s == 201, "newAccount makes an account (%d)" % s)
    state["kid"] = h["Location"]
    s, h, b = call(state["dir"]["newAccount"], {"termsOfServiceAgreed": True})
    ok(s == 200 and h["Location"] == state["kid"], "newAccount with the same key finds it (%d)" % s)
    s, h, b = call(state["dir"]["newAccount"], {}, key="B")
    state["other"] = h["Location"]
    s, h, b = call(state["dir"]["newOrder"],
                   {"identifiers": [{"type": "dns", "value": "a.local"}, {"type": "dns", "value": "b.local"}]},
                   state["kid"])
    order = json.loads(b)
    ok(s == 201 and order["status"] == "pending" and len(order["authorizations"]) == 2,
       "newOrder makes a pending order with two authorizations (%d)" % s)
    state["order"] = h["Location"]
    state["body"] = order
elif step == "after-restart":
    order = state["body"]
    s, h, b = call(state["order"], None, state["kid"])
    ok(s == 200 and json.loads(b)["status"] == "pending",
       "after a restart the order is there, pending, for the account from before (%d)" % s)
    s, h, b = call(state["order"], None, state["other"])
    ok(s == 404, "another account does not see it (%d)" % s)
    s, h, b = call(order["finalize"], {"csr": b64(b"csr")}, state["kid"])
    ok(s == 403 and b"orderNotReady" in b, "finalize before the order is ready is refused (%d)" % s)
    authz = []
    for url in order["authorizations"]:
        s, h, b = call(url, None, state["kid"])
        authz.append(json.loads(b))
        ok(s == 200 and [c["type"] for c in authz[-1]["challenges"]] == ["http-01", "tls-alpn-01"],
           "an authorization is read with its two challenges (%d)" % s)
    chall = authz[0]["challenges"][0]
    s, h, b = call(chall["url"].replace("http-01", "dns-01"), {}, state["kid"])
    ok(s == 404, "an unknown challenge is refused (%d)" % s)
    for a in authz:
        s, h, b = call(a["challenges"][0]["url"], {}, state["kid"])
        ok(s == 200 and json.loads(b)["status"] == "valid" and
           json.loads(b)["token"] == a["challenges"][0]["token"], "a challenge passes (%d)" % s)
    s, h, b = call(order["authorizations"][0], None, state["kid"])
    a = json.loads(b)
    ok(a["status"] == "valid" and [c["status"] for c in a["challenges"]] == ["valid"],
       "a valid authorization shows only the challenge that passed")
    s, h, b = call(state["order"], None, state["kid"])
    ok(json.loads(b)["status"] == "ready", "the order is ready once both are valid")
    s, h, b = call(order["finalize"], {"csr": b64(b"csr")}, state["kid"])
    done = json.loads(b)
    ok(s == 200 and done["status"] == "valid" and "certificate" in done, "finalize issues (%d)" % s)
    state["cert"] = done["certificate"]
    s, h, b = call(order["finalize"], {"csr": b64(b"csr")}, state["kid"])
    ok(s == 403, "a second finalize is refused: no order is issued twice (%d)" % s)
    s, h, b = call(state["cert"], None, state["other"])
    ok(s == 404, "another account cannot download the certificate (%d)" % s)
elif step == "download":
    s, h, b = call(state["cert"], None, state["kid"])
    ok(s == 200 and b.count(b"-----BEGIN CERTIFICATE-----") == 2,
       "after another restart the certificate downloads, with the root (%d)" % s)
json.dump(state, open(state_file, "w"))
PY

echo "1..20"
start || { diag "$work/serve.log"; exit 1; }
directory=$(head -n 1 "$work/stack.out")
/usr/bin/python3 "$work/client.py" "$work/state" setup "$work/root.pem" "$directory"
stop_pid "$server_pid"
start || { diag "$work/serve.log"; exit 1; }
/usr/bin/python3 "$work/client.py" "$work/state" after-restart
stop_pid "$server_pid"
start || { diag "$work/serve.log"; exit 1; }
/usr/bin/python3 "$work/client.py" "$work/state" download
stop_pid "$server_pid"
rows=$(/usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
  "SELECT (SELECT count(*) FROM accounts) || \" \" || (SELECT group_concat(status) FROM orders)"
  " || \" \" || (SELECT count(*) FROM authorizations WHERE status = \"valid\") || \" \" ||"
  " (SELECT count(*) FROM challenges) || \" \" || (SELECT count(*) FROM certificates c"
  " JOIN orders o ON o.serial = c.serial WHERE o.csr IS NOT NULL)").fetchone()[0])' "$db")
# A database it cannot use stops it at once, saying why.
echo "not SQLite" >"$work/bad.db"
for bad in "$work/bad.db:file is not a database" "$work/none/x.db:unable to open"; do
  if "$stack" --address "$ACME_SERVER_ADDRESS" --port "$ACME_SERVER_PORT" --ca-out "$work/bad.pem" \
       --durable "${bad%%:*}" >/dev/null 2>"$work/bad.err"; then
    echo "not ok - --durable ${bad%%:*} started"
  elif grep -q "${bad#*:}" "$work/bad.err"; then
    echo "ok - --durable ${bad%%:*} is refused: $(cat "$work/bad.err")"
  else
    echo "not ok - --durable ${bad%%:*} is refused, but not clearly: $(cat "$work/bad.err")"
  fi
done
if [ "$rows" = "2 valid 2 4 1" ]; then
  echo "ok - the database holds 2 accounts, the valid order with its CSR and certificate, 2 authorizations, 4 challenges"
else
  echo "not ok - the database holds: $rows"
fi
