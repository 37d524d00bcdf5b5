#!/bin/bash
# bench-acme-stack-conforming.sh: bench-acme-stack --conforming does the
# work it claims, so the benchmark's conforming floor is a server that
# does what the issue requires. Over its real HTTPS, with real ES256 keys
# (python3-cryptography): an account, an order, its challenges and
# finalize with a CSR for the order's names give a certificate that
# OpenSSL verifies against the root, for those names, with Vouch's leaf
# profile; a JWS signed by another key, a CSR for other names and a CSR
# whose signature is broken are refused and issue nothing; after a
# restart the account's key is read back from the database and its
# requests verify; the root's key is in the keyring while the server
# runs and gone after it stops. TAP; runs inside tools/private-lan with a
# keyring (tests/run-with-keyring.sh).
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/../acme/acme-lib.sh"
[ "${VOUCH_PRIVATE_LAN:-}" = 1 ] || { echo "1..0 # SKIP run me inside tools/private-lan"; exit 0; }
stack=${VOUCH_BENCH_ACME_STACK:-$(dirname "$VOUCHCTL")/../../tests/acme/bench-acme-stack}

acme_setup_work
ACME_SERVER_ADDRESS=127.0.0.7
db=$work/stack.db
schema=io.github.vouchpki.BenchAcmeStack.RootKey

start () {
  : >"$work/stack.out"
  bg_to "$work/stack.out" "$work/serve.log" "$stack" --address "$ACME_SERVER_ADDRESS" \
    --port "$ACME_SERVER_PORT" --ca-out "$work/root.pem" --durable "$db" --conforming
  server_pid=$bg_last
  wait_for 150 test -s "$work/stack.out" && wait_for 100 port_open "$ACME_SERVER_ADDRESS" "$ACME_SERVER_PORT"
}

# The root keys this server keeps in the keyring now (libsecret names
# each item's schema in its xdg:schema attribute).
keys_in_keyring () {
  secret-tool search --all xdg:schema "$schema" 2>/dev/null | grep -c '^\[/'
}

cat >"$work/client.py" <<'PY'
import base64, json, ssl, subprocess, sys, urllib.error, urllib.request
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID

state_file, step = sys.argv[1], sys.argv[2]
try:
    state = json.load(open(state_file))
except FileNotFoundError:
    state = {}
ctx = ssl.create_default_context(cafile=state.get("ca") or sys.argv[3])
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def new_key():
    return ec.generate_private_key(ec.SECP256R1())

def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()

def load(pem):
    return serialization.load_pem_private_key(pem.encode(), None)

def jwk(key):
    n = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "x": b64(n.x.to_bytes(32, "big")), "y": b64(n.y.to_bytes(32, "big"))}

def call(url, payload, kid=None, key=None, signer=None):
    nonce = urllib.request.urlopen(urllib.request.Request(state["dir"]["newNonce"], method="HEAD"),
                                   context=ctx).headers["Replay-Nonce"]
    header = {"alg": "ES256", "nonce": nonce, "url": url}
    if kid:
        header["kid"] = kid
    else:
        header["jwk"] = jwk(key)
    protected = b64(json.dumps(header).encode())
    body = "" if payload is None else b64(json.dumps(payload).encode())
    r, s = decode_dss_signature((signer or key).sign((protected + "." + body).encode(),
                                                     ec.ECDSA(hashes.SHA256())))
    data = json.dumps({"protected": protected, "payload": body,
                       "signature": b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))}).encode()
    req = urllib.request.Request(url, data, {"Content-Type": "application/jose+json"})
    try:
        resp = urllib.request.urlopen(req, context=ctx)
        return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()

def csr(names, break_signature=False):
    key = new_key()
    req = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
           .sign(key, hashes.SHA256()))
    der = bytearray(req.public_bytes(serialization.Encoding.DER))
    if break_signature:
        der[-3] ^= 0x01
    return b64(bytes(der))

def ok(good, what):
    print(("ok - " if good else "not ok - ") + what)

def ready_order(names):
    account = load(state["account_key"])
    s, h, b = call(state["dir"]["newOrder"], {"identifiers": [{"type": "dns", "value": n} for n in names]},
                   state["kid"], account)
    if s != 201:
        return s, None, account
    order = json.loads(b)
    for url in order["authorizations"]:
        s, h, b = call(url, None, state["kid"], account)
        call(json.loads(b)["challenges"][0]["url"], {}, state["kid"], account)
    return 201, order, account

if step == "setup":
    state["ca"] = sys.argv[3]
    state["dir"] = json.load(urllib.request.urlopen(sys.argv[4], context=ctx))
    account = new_key()
    state["account_key"] = key_pem(account)
    s, h, b = call(state["dir"]["newAccount"], {"termsOfServiceAgreed": True}, key=account,
                   signer=new_key())
    ok(s == 400 and b"malformed" in b, "newAccount signed by another key than its jwk is refused (%d)" % s)
    s, h, b = call(state["dir"]["newAccount"], {"termsOfServiceAgreed": True}, key=account)
    ok(s == 201, "newAccount with a good signature makes an account (%d)" % s)
    state["kid"] = h["Location"]
    s, h, b = call(state["dir"]["newOrder"], {"identifiers": [{"type": "dns", "value": "x.local"}]},
                   state["kid"], account, signer=new_key())
    ok(s == 400 and b"malformed" in b, "a kid request signed by another key is refused (%d)" % s)
    _, order, account = ready_order(["a.local", "b.local"])
    s, h, b = call(order["finalize"], {"csr": csr(["a.local", "c.local"])}, state["kid"], account)
    ok(s == 400 and b"badCSR" in b, "a CSR for other names than the order's is refused (%d)" % s)
    s, h, b = call(order["finalize"], {"csr": csr(["a.local", "b.local"])}, state["kid"], account)
    ok(s == 403, "and that order issues nothing after (%d)" % s)
    _, order, account = ready_order(["d.local"])
    s, h, b = call(order["finalize"], {"csr": csr(["d.local"], break_signature=True)}, state["kid"],
                   account)
    ok(s == 400 and b"badCSR" in b, "a CSR whose signature is broken is refused (%d)" % s)
elif step == "after-restart":
    s, order, account = ready_order(["a.local", "b.local"])
    ok(s == 201, "after a restart the account's key, read back, verifies its requests (%d)" % s)
    if order is None:
        sys.exit(0)
    s, h, b = call(order["finalize"], {"csr": csr(["b.local", "a.local"])}, state["kid"], account)
    done = json.loads(b)
    ok(s == 200 and done["status"] == "valid", "finalize with the order's names issues (%d)" % s)
    s, h, b = call(done["certificate"], None, state["kid"], account)
    ok(s == 200 and b.count(b"-----BEGIN CERTIFICATE-----") == 2, "the chain downloads (%d)" % s)
    open(sys.argv[3], "wb").write(b)
    leaf = x509.load_pem_x509_certificate(b)
    sans = sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                  .get_values_for_type(x509.DNSName))
    bc = leaf.extensions.get_extension_for_class(x509.BasicConstraints)
    ku = leaf.extensions.get_extension_for_class(x509.KeyUsage)
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    leaf.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    ok(sans == ["a.local", "b.local"] and bc.critical and not bc.value.ca and ku.critical and
       ku.value.digital_signature and list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH],
       "the certificate has the order's names and Vouch's leaf profile")
json.dump(state, open(state_file, "w"))
PY

echo "1..13"
start || { diag "$work/serve.log"; exit 1; }
directory=$(head -n 1 "$work/stack.out")
n=$(keys_in_keyring)
[ "$n" = 1 ] && echo "ok - the root's key is in the keyring while the server runs" ||
  echo "not ok - the keyring holds $n root keys of the server"
/usr/bin/python3 "$work/client.py" "$work/state" setup "$work/root.pem" "$directory"
stop_pid "$server_pid"
start || { diag "$work/serve.log"; exit 1; }
/usr/bin/python3 "$work/client.py" "$work/state" after-restart "$work/chain.pem"
if openssl verify -CAfile "$work/root.pem" "$work/chain.pem" >"$work/verify.out" 2>&1; then
  echo "ok - OpenSSL verifies the issued certificate against the root"
else
  echo "not ok - OpenSSL does not verify the issued certificate: $(cat "$work/verify.out")"
fi
stop_pid "$server_pid"
n=$(keys_in_keyring)
[ "$n" = 0 ] && echo "ok - the root's key left the keyring when the server stopped" ||
  echo "not ok - the keyring still holds $n root keys of the server"
