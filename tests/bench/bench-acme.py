#!/usr/bin/python3
"""bench-acme.py: the same non-sleeping ACME client loop against one server.

Each worker has its own account and runs COUNT times: newOrder → the
authorization (POST-as-GET) → respond to http-01 → poll the order without
sleeping until ready → finalize → poll until valid → download. Validation
is off in the server (Vouch: --insecure-skip-validation; pebble:
PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1), so this measures the
server, not the network. Prints one JSON line: certs/s, p50/p95 latency
and the server's CPU seconds per certificate (utime+stime of PID from
/proc/PID/stat, before and after). bench-acme.sh runs it for both servers.
"""

import argparse
import json
import os
import statistics
import threading
import time

import josepy
import requests
import requests.adapters
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def b64(data):
    return josepy.b64.b64encode(data).decode()


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SourceAdapter(requests.adapters.HTTPAdapter):
    """Connects from a given loopback address, as a device of its own."""

    def __init__(self, source):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Worker:
    def __init__(self, directory, ca, source):
        self.s = requests.Session()
        self.s.verify = ca
        self.s.trust_env = False
        self.s.mount("https://", SourceAdapter(source))
        self.dir = self.s.get(directory, timeout=30).json()
        self.nonce = None
        self.posts = 0
        self.cert_key = ec.generate_private_key(ec.SECP256R1())
        self.new_account()

    def new_account(self):
        """A fresh account: Vouch allows an account 20 orders in a burst,
        as a device renewing every few weeks needs far fewer."""
        self.key = josepy.JWKEC(key=ec.generate_private_key(ec.SECP256R1()))
        self.kid = None
        r = self.post(self.dir["newAccount"], {"termsOfServiceAgreed": True})
        self.kid = r.headers["Location"]

    def post(self, url, payload):
        if self.nonce is None:
            self.nonce = self.s.head(self.dir["newNonce"], timeout=30).headers["Replay-Nonce"]
        protected = {"alg": "ES256", "nonce": self.nonce, "url": url}
        if self.kid:
            protected["kid"] = self.kid
        else:
            protected["jwk"] = self.key.public_key().to_partial_json()
        p64 = b64(json.dumps(protected).encode())
        y64 = "" if payload is None else b64(json.dumps(payload).encode())
        sig = josepy.ES256.sign(self.key.key, (p64 + "." + y64).encode())
        self.posts += 1
        r = self.s.post(url, data=json.dumps({"protected": p64, "payload": y64,
                                              "signature": b64(sig)}),
                        headers={"Content-Type": "application/jose+json"}, timeout=30)
        self.nonce = r.headers.get("Replay-Nonce")
        if r.status_code >= 400:
            raise RuntimeError("%s: %s %s" % (url, r.status_code, r.text[:300]))
        return r

    def poll(self, url, states):
        for _ in range(10000):
            doc = self.post(url, None).json()
            if doc["status"] in states:
                return doc
        raise RuntimeError("%s stayed %s" % (url, doc["status"]))

    def one(self, name):
        r = self.post(self.dir["newOrder"], {"identifiers": [{"type": "dns", "value": name}]})
        order_url, order = r.headers["Location"], r.json()
        for authz_url in order["authorizations"]:
            authz = self.post(authz_url, None).json()
            if authz["status"] != "valid":
                chall = next(c for c in authz["challenges"] if c["type"] == "http-01")
                self.post(chall["url"], {})
        self.poll(order_url, ("ready", "valid"))
        csr = x509.CertificateSigningRequestBuilder().subject_name(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])).add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False).sign(
            self.cert_key, hashes.SHA256())
        self.post(order["finalize"],
                  {"csr": b64(csr.public_bytes(serialization.Encoding.DER))})
        order = self.poll(order_url, ("valid",))
        pem = self.post(order["certificate"], None).text
        assert "BEGIN CERTIFICATE" in pem


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--directory", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--count", type=int, default=20, help="certificates per client")
    p.add_argument("--label", default="")
    args = p.parse_args()

    # Each client is a device of its own address (127.0.3.N), as on a LAN:
    # Vouch also limits orders per address.
    workers = [Worker(args.directory, args.ca, "127.0.3.%d" % (i + 1))
               for i in range(args.clients)]
    latencies, errors, jws_counts = [], [], []
    lock = threading.Lock()

    def run(i, w):
        for n in range(args.count):
            if n > 0 and n % 15 == 0:
                w.new_account()
            posts = w.posts
            t0 = time.monotonic()
            try:
                w.one("bench-%d-%d.local" % (i, n))
            except Exception as e:  # counted, never hidden
                with lock:
                    errors.append(str(e))
                continue
            with lock:
                latencies.append(time.monotonic() - t0)
                jws_counts.append(w.posts - posts)

    cpu0 = cpu_seconds(args.pid)
    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    cpu = cpu_seconds(args.pid) - cpu0
    done = len(latencies)
    q = statistics.quantiles(latencies, n=20) if done >= 2 else [float("nan")] * 19
    print(json.dumps({
        "server": args.label, "clients": args.clients, "certs": done, "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "certs_per_s": done / wall if wall else 0,
        "p50_ms": statistics.median(latencies) * 1000 if done else None,
        "p95_ms": q[18] * 1000,
        "cpu_ms_per_cert": cpu / done * 1000 if done else None,
        "jws_per_cert": sum(jws_counts) / done if done else None,
    }), flush=True)


if __name__ == "__main__":
    main()
