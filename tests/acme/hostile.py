#!/usr/bin/python3
"""hostile.py: bad ACME requests, each refused with the right problem type.

A scripted client built from python3-acme's and josepy's low-level pieces
(keys, JWK, JWA signatures, CSRs) and requests, so that every field of a
request can be wrong on purpose. Run by acme-hostile.sh inside
tools/private-lan; it prints TAP lines (no plan: the script adds it).

  hostile.py --directory URL --ca FILE --first N [--phase main|no-loopback]

Every wait is bounded. Names are announced through the namespace's own
avahi-daemon with avahi-publish; the only servers contacted are the ACME
server and this script's own http-01 responders, all on 127.0.0.0/8.
"""

import argparse
import http.server
import ipaddress
import json
import os
import subprocess
import sys
import threading
import time

import josepy
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

URN = "urn:ietf:params:acme:error:"
TIMEOUT = 10


def b64(data):
    return josepy.b64.b64encode(data).decode()


class Account:
    """An account key and, once registered, its kid."""

    def __init__(self, kind="ec"):
        if kind == "rsa":
            self.key = josepy.JWKRSA(key=rsa.generate_private_key(65537, 2048))
            self.alg = josepy.RS256
        else:
            self.key = josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
            self.alg = josepy.ES256
        self.kid = None

    def jwk(self):
        return self.key.public_key().to_partial_json()

    def thumbprint(self):
        return b64(self.key.thumbprint())


class Client:
    def __init__(self, directory, ca):
        self.session = requests.Session()
        self.session.verify = ca
        # requests lets REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE win over verify.
        self.session.trust_env = False
        self.dir = self.session.get(directory, timeout=TIMEOUT).json()
        self.last_nonce = None

    def nonce(self):
        r = self.session.head(self.dir["newNonce"], timeout=TIMEOUT)
        return r.headers["Replay-Nonce"]

    def body(self, url, payload, account, alg=None, nonce=None, url_header=None,
             use_jwk=None, kid=None, protected_extra=None, signer=None):
        """A flattened JWS, with any header member overridden."""
        alg = alg or account.alg
        protected = {"alg": alg.name if hasattr(alg, "name") else alg,
                     "nonce": nonce if nonce is not None else self.nonce(),
                     "url": url_header if url_header is not None else url}
        if use_jwk is None:
            use_jwk = account.kid is None and kid is None
        if use_jwk:
            protected["jwk"] = account.jwk()
        else:
            protected["kid"] = kid or account.kid
        protected.update(protected_extra or {})
        self.last_nonce = protected["nonce"]
        p64 = b64(json.dumps(protected).encode())
        y64 = "" if payload is None else b64(json.dumps(payload).encode())
        signing_input = (p64 + "." + y64).encode()
        if signer is not None:
            sig = signer(signing_input)
        else:
            sig = alg.sign(account.key.key, signing_input)
        return {"protected": p64, "payload": y64, "signature": b64(sig)}

    def post(self, url, payload, account, raw=None, content_type="application/jose+json",
             **kw):
        data = raw if raw is not None else json.dumps(self.body(url, payload, account, **kw))
        return self.session.post(url, data=data, timeout=TIMEOUT,
                                 headers={"Content-Type": content_type},
                                 allow_redirects=False)

    def new_account(self, account):
        r = self.post(self.dir["newAccount"], {"termsOfServiceAgreed": True}, account)
        if r.status_code not in (200, 201):
            raise RuntimeError("newAccount: %s %s" % (r.status_code, r.text))
        account.kid = r.headers["Location"]
        return account

    def new_order(self, account, identifiers):
        r = self.post(self.dir["newOrder"], {"identifiers": identifiers}, account)
        return r

    def get(self, url, account):
        return self.post(url, None, account)


def dns(*names):
    return [{"type": "dns", "value": n} for n in names]


def make_csr(names, key=None, ips=(), ca=False):
    key = key or ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(n) for n in names]
    sans += [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, (names or ips)[0])]))
    builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                        critical=True)
    csr = builder.sign(key, hashes.SHA256())
    return b64(csr.public_bytes(serialization.Encoding.DER))


# --- the test's own http-01 responders ------------------------------------

class Responder(http.server.BaseHTTPRequestHandler):
    answers = {}   # path → (status, headers, body)

    def do_GET(self):
        status, headers, body = self.answers.get(self.path, (404, {}, b"no"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_responder(address):
    server = http.server.ThreadingHTTPServer((address, 80), Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


publishers = []


def publish(name, address):
    """NAME → ADDRESS through the private avahi-daemon; waits ≤ 10 s."""
    publishers.append(subprocess.Popen(["avahi-publish", "-a", "-R", name, address],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            out = subprocess.run(["avahi-resolve", "-4", "-n", name], capture_output=True,
                                 text=True, timeout=5).stdout.split()
        except subprocess.TimeoutExpired:
            continue
        if len(out) == 2 and out[1] == address:
            return True
        time.sleep(0.1)
    return False


# --- TAP -------------------------------------------------------------------

class Tap:
    def __init__(self, first):
        self.n = first - 1
        self.failed = 0

    def result(self, ok, what, detail=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, what), flush=True)
        if not ok:
            self.failed += 1
            for line in str(detail).splitlines()[-20:]:
                print("# " + line, flush=True)

    def problem(self, what, response, *types, status=None):
        """RESPONSE is a problem document of one of TYPES (short names)."""
        try:
            doc = response.json()
        except ValueError:
            doc = {}
        ptype = doc.get("type", "")
        ok = (response.status_code >= 400 and
              response.headers.get("Content-Type", "").startswith("application/problem+json") and
              ptype in [URN + t for t in types])
        if status is not None:
            ok = ok and response.status_code == status
        self.result(ok, "%s → %s (got %s)" % (what, "|".join(types), ptype.replace(URN, "")),
                    "got %s %s" % (response.status_code, response.text[:400]))
        return ok


def poll(client, account, url, until, count=100):
    """POST-as-GET URL until UNTIL(json) holds, at most COUNT times and
    COUNT/10 + 10 seconds."""
    doc = {}
    deadline = time.monotonic() + count / 10 + 10
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        doc = client.get(url, account).json()
        if until(doc):
            return doc
        time.sleep(0.1)
    return doc


# --- the cases -------------------------------------------------------------

def jws_cases(tap, c):
    a = c.new_account(Account())
    b = c.new_account(Account())
    order_url = c.dir["newOrder"]

    # 1, 2: nonces are single use, and only the server's own.
    r = c.post(c.dir["newAccount"], {"onlyReturnExisting": True}, Account())
    used = c.last_nonce
    r = c.post(order_url, {"identifiers": dns("replay.local")}, a, nonce=used)
    tap.problem("a replayed nonce", r, "badNonce")
    r = c.post(order_url, {"identifiers": dns("made-up.local")}, a, nonce=b64(os.urandom(16)))
    tap.problem("a nonce the server never gave", r, "badNonce")

    # 3: the url header must equal the request URL (RFC 8555 §6.4).
    r = c.post(order_url, {"identifiers": dns("url.local")}, a, url_header=c.dir["newAccount"])
    tap.problem("a url header naming another resource", r, "unauthorized")

    # 4-6: only the allowed algorithms, never none or an HMAC.
    r = c.post(order_url, {"identifiers": dns("none.local")}, a, alg="none",
               signer=lambda _: b"")
    tap.problem("alg none", r, "badSignatureAlgorithm")
    r = c.post(order_url, {"identifiers": dns("hs.local")}, a, alg="HS256",
               signer=lambda m: josepy.HS256.sign(b"k" * 32, m))
    tap.problem("alg HS256", r, "badSignatureAlgorithm")
    r = c.post(order_url, {"identifiers": dns("rs.local")}, a, alg="RS1",
               signer=lambda m: b"x" * 256)
    tap.problem("an unknown alg", r, "badSignatureAlgorithm")

    # 7: the alg must fit the key: RS256 over an EC key.
    r = c.post(order_url, {"identifiers": dns("mismatch.local")}, a, alg=josepy.RS256,
               signer=lambda m: josepy.ES256.sign(a.key.key, m))
    tap.problem("alg RS256 with an EC P-256 key", r, "badSignatureAlgorithm", "malformed")

    # 8: a kid for another account: signed by A, naming B.
    r = c.post(order_url, {"identifiers": dns("kid.local")}, a, kid=b.kid)
    tap.problem("a kid for another account", r, "malformed", "unauthorized")

    # 9: a new account whose JWS is signed by another key than its jwk.
    stranger = Account()
    r = c.post(c.dir["newAccount"], {"termsOfServiceAgreed": True}, Account(),
               signer=lambda m: josepy.ES256.sign(stranger.key.key, m))
    tap.problem("a JWS signed by another key than its jwk", r, "malformed", "unauthorized")

    # 10, 11: jwk xor kid (RFC 8555 §6.2).
    r = c.post(order_url, {"identifiers": dns("both.local")}, a,
               protected_extra={"jwk": a.jwk()})
    tap.problem("both jwk and kid", r, "malformed")
    r = c.post(order_url, {"identifiers": dns("jwk.local")}, a, use_jwk=True)
    tap.problem("newOrder with a jwk instead of a kid", r, "malformed")

    # 12: a kid that names no account.
    r = c.post(order_url, {"identifiers": dns("ghost.local")}, a,
               kid=a.kid.rsplit("/", 1)[0] + "/no-such-account")
    tap.problem("a kid for no account", r, "accountDoesNotExist", "unauthorized", "malformed")

    # 13: onlyReturnExisting for a key the server never saw.
    r = c.post(c.dir["newAccount"], {"onlyReturnExisting": True}, Account())
    tap.problem("onlyReturnExisting for an unknown key", r, "accountDoesNotExist")

    # 14: bodies above 64 KiB are refused before parsing.
    big = {"identifiers": dns("big.local"), "padding": "x" * (70 * 1024)}
    r = c.post(order_url, big, a)
    tap.problem("a 70 KiB body", r, "malformed")

    # 15: the wrong media type (RFC 8555 §6.2).
    r = c.post(order_url, {"identifiers": dns("ct.local")}, a, content_type="application/json")
    tap.problem("Content-Type application/json", r, "malformed")

    # 16: a body that is not a JWS at all.
    r = c.post(order_url, None, a, raw='{"protected": "e30", "payload": "", "signature": 1}')
    tap.problem("a JWS whose signature is a number", r, "malformed")

    # 17: a signature that does not verify (one bit flipped).
    body = c.body(order_url, {"identifiers": dns("flip.local")}, a)
    sig = bytearray(josepy.b64.b64decode(body["signature"]))
    sig[5] ^= 1
    body["signature"] = b64(bytes(sig))
    r = c.post(order_url, None, a, raw=json.dumps(body))
    tap.problem("a flipped bit in the signature", r, "malformed", "unauthorized")

    # 18: one account reading another's order.
    r = c.new_order(b, dns("b-only.local"))
    if r.status_code == 201:
        r = c.get(r.headers["Location"], a)
        tap.problem("POST-as-GET of another account's order", r, "unauthorized", "malformed")
    else:
        tap.result(False, "POST-as-GET of another account's order", r.text)
    return a


def order_cases(tap, c, a):
    # 19-22: identifiers the root may not sign for, or no ACME identifier.
    tap.problem("an order for a public name", c.new_order(a, dns("www.example.com")),
                "rejectedIdentifier")
    tap.problem("an order for a public address",
                c.new_order(a, [{"type": "ip", "value": "8.8.8.8"}]), "rejectedIdentifier")
    tap.problem("an identifier type that is not dns or ip",
                c.new_order(a, [{"type": "email", "value": "a@b.local"}]),
                "unsupportedIdentifier", "malformed")
    # Vouch has no dns-01, so it cannot check a wildcard.
    tap.problem("a wildcard name", c.new_order(a, dns("*.wild.local")),
                "rejectedIdentifier", "malformed", "unsupportedIdentifier")

    # 23: finalize before the authorizations are valid.
    r = c.new_order(a, dns("early.local"))
    if r.status_code != 201:
        tap.result(False, "finalize before the authorizations are valid", r.text)
        return
    order = r.json()
    r = c.post(order["finalize"], {"csr": make_csr(["early.local"])}, a)
    tap.problem("finalize before the authorizations are valid", r, "orderNotReady")


def valid_order(tap, c, a, name, address):
    """An order for NAME whose http-01 challenge this script answers."""
    r = c.new_order(a, dns(name))
    if r.status_code != 201:
        return None, None
    order, url = r.json(), r.headers["Location"]
    authz = c.get(order["authorizations"][0], a).json()
    chall = next(ch for ch in authz["challenges"] if ch["type"] == "http-01")
    Responder.answers["/.well-known/acme-challenge/" + chall["token"]] = (
        200, {}, (chall["token"] + "." + a.thumbprint()).encode())
    c.post(chall["url"], {}, a)
    order = poll(c, a, url, lambda o: o.get("status") != "pending")
    return order, url


def csr_cases(tap, c, a, address):
    name = "hostile-csr.local"
    if not publish(name, address):
        tap.result(False, "%s resolves over mDNS" % name)
        return
    order, url = valid_order(tap, c, a, name, address)
    if order is None or order.get("status") != "ready":
        tap.result(False, "an order whose challenge is answered becomes ready", order)
        return
    # 24-27: the CSR must ask for exactly the order's names, within policy.
    tap.problem("a CSR whose names differ from the order",
                c.post(order["finalize"], {"csr": make_csr(["other.local"])}, a), "badCSR")
    tap.problem("a CSR with one name more than the order",
                c.post(order["finalize"], {"csr": make_csr([name, "extra.local"])}, a),
                "badCSR")
    tap.problem("a CSR with a name outside the root's constraints",
                c.post(order["finalize"], {"csr": make_csr([name, "www.example.com"])}, a),
                "badCSR", "rejectedIdentifier")
    tap.problem("a CSR asking to be a CA",
                c.post(order["finalize"], {"csr": make_csr([name], ca=True)}, a), "badCSR")
    tap.problem("a CSR with a 1024-bit RSA key",
                c.post(order["finalize"],
                       {"csr": make_csr([name], key=rsa.generate_private_key(65537, 1024))}, a),
                "badCSR", "badPublicKey")
    tap.problem("a CSR that is not base64url DER",
                c.post(order["finalize"], {"csr": "not a CSR!"}, a), "badCSR", "malformed")
    # The order is still open: none of the above issued anything.
    o = c.get(url, a).json()
    tap.result(o.get("status") == "ready" and "certificate" not in o,
               "the order is still ready, with no certificate, after bad CSRs", o)


def challenge_fails(tap, c, a, what, name, answer, *types):
    """An http-01 challenge for NAME, answered with ANSWER(token) →
    (status, headers, body), ends with the authorization invalid and a
    challenge error of one of TYPES."""
    r = c.new_order(a, dns(name))
    if r.status_code != 201:
        # Refusing the order itself is as good, when it is for that reason.
        tap.problem(what, r, *types)
        return
    order = r.json()
    authz_url = order["authorizations"][0]
    authz = c.get(authz_url, a).json()
    chall = next(ch for ch in authz["challenges"] if ch["type"] == "http-01")
    Responder.answers["/.well-known/acme-challenge/" + chall["token"]] = answer(chall["token"])
    c.post(chall["url"], {}, a)
    authz = poll(c, a, authz_url, lambda z: z.get("status") != "pending", count=300)
    errors = [ch.get("error", {}).get("type") for ch in authz.get("challenges", [])]
    ok = authz.get("status") == "invalid" and any(e in [URN + t for t in types] for e in errors)
    got = ",".join((e or "none").replace(URN, "") for e in errors)
    tap.result(ok, "%s → authorization invalid, %s (got %s)" % (what, "|".join(types), got), authz)
    r = c.post(order["finalize"], {"csr": make_csr([name])}, a)
    tap.problem("%s: finalize afterwards" % what, r, "orderNotReady", "unauthorized")


def validation_cases(tap, c, a, address):
    name = "wrong-key.local"
    if publish(name, address):
        challenge_fails(tap, c, a, "an http-01 answer with another account's key authorization",
                        name, lambda t: (200, {}, (t + "." + Account().thumbprint()).encode()),
                        "incorrectResponse", "unauthorized")
    else:
        tap.result(False, "%s resolves over mDNS" % name)

    # A name whose mDNS answer is a public address: nothing is sent there
    # (there is no route out of the namespace anyway).
    name = "public-address.local"
    if publish(name, "192.0.2.10"):
        challenge_fails(tap, c, a, "a challenge name that resolves to a public address", name,
                        lambda t: (404, {}, b""), "rejectedIdentifier", "connection",
                        "unauthorized")
    else:
        tap.result(False, "%s resolves over mDNS" % name)

    # Redirects to another host, and to a public address.
    name = "redirect.local"
    if publish(name, address):
        challenge_fails(tap, c, a, "an http-01 redirect to a public address", name,
                        lambda t: (302, {"Location": "http://192.0.2.10/.well-known/acme-challenge/" + t},
                                   b""),
                        "connection", "unauthorized", "rejectedIdentifier", "incorrectResponse")
        challenge_fails(tap, c, a, "an http-01 redirect loop", name,
                        lambda t: (302, {"Location": "/.well-known/acme-challenge/" + t}, b""),
                        "connection", "unauthorized", "incorrectResponse")
        challenge_fails(tap, c, a, "a 1 MiB http-01 answer", name,
                        lambda t: (200, {}, b"x" * (1 << 20)),
                        "incorrectResponse", "connection", "unauthorized")
        challenge_fails(tap, c, a, "an http-01 redirect to another port", name,
                        lambda t: (302, {"Location": "http://%s:8080/x" % name}, b""),
                        "connection", "unauthorized", "rejectedIdentifier", "incorrectResponse")
    else:
        tap.result(False, "%s resolves over mDNS" % name)


def loopback_cases(tap, c, address):
    """Run against a server started without --allow-loopback-validation."""
    a = c.new_account(Account())
    name = "loopback.local"
    if publish(name, address):
        challenge_fails(tap, c, a, "a challenge name that resolves to loopback (no option)", name,
                        lambda t: (200, {}, (t + "." + a.thumbprint()).encode()),
                        "rejectedIdentifier", "connection", "unauthorized")
    else:
        tap.result(False, "%s resolves over mDNS" % name)
    r = c.new_order(a, [{"type": "ip", "value": address}])
    if r.status_code == 201:
        order = r.json()
        authz_url = order["authorizations"][0]
        authz = c.get(authz_url, a).json()
        chall = next(ch for ch in authz["challenges"] if ch["type"] == "http-01")
        Responder.answers["/.well-known/acme-challenge/" + chall["token"]] = (
            200, {}, (chall["token"] + "." + a.thumbprint()).encode())
        c.post(chall["url"], {}, a)
        authz = poll(c, a, authz_url, lambda z: z.get("status") != "pending", count=300)
        tap.result(authz.get("status") == "invalid",
                   "an IP identifier on loopback (no option) → authorization invalid", authz)
    else:
        tap.problem("an IP identifier on loopback (no option)", r, "rejectedIdentifier")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--directory", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--first", type=int, default=1)
    p.add_argument("--phase", default="main", choices=["main", "no-loopback"])
    p.add_argument("--address", default="127.0.1.30")
    p.add_argument("--count-file")
    args = p.parse_args()

    tap = Tap(args.first)
    responder = start_responder(args.address)
    try:
        c = Client(args.directory, args.ca)
        if args.phase == "main":
            a = jws_cases(tap, c)
            order_cases(tap, c, a)
            csr_cases(tap, c, a, args.address)
            validation_cases(tap, c, a, args.address)
        else:
            loopback_cases(tap, c, args.address)
    except Exception as e:  # a crash of the script is a failure, never a pass
        import traceback
        tap.result(False, "hostile.py ran to the end", traceback.format_exc())
    finally:
        responder.shutdown()
        for pub in publishers:
            pub.terminate()
            pub.wait(timeout=5)
    if args.count_file:
        with open(args.count_file, "w") as f:
            f.write("%d %d\n" % (tap.n, tap.failed))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
