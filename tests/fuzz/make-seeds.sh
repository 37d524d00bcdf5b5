#!/bin/bash
# Regenerates the seed corpora in tests/fuzz/<target>/ with openssl. The
# keys made here are throwaway public test data, committed on purpose;
# they protect nothing. Run from anywhere; it replaces the seed files.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# A root like the ones Vouch and mkcert make, and a leaf under it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root-key.pem \
  -out root.pem -days 3650 -subj "/CN=Fuzz Root" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:1" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "nameConstraints=critical,permitted;DNS:.local,permitted;IP:192.168.0.0/255.255.0.0" \
  2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa-root-key.pem -out rsa-root.pem -days 3650 \
  -subj "/CN=Fuzz RSA Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf-key.pem \
  -out leaf.pem -days 30 -subj "/CN=cam.local" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "subjectAltName=DNS:cam.local" 2>/dev/null
openssl x509 -in root.pem -outform DER -out root.der
openssl ec -in root-key.pem -outform DER -out root-key-sec1.der 2>/dev/null
openssl ec -in root-key.pem -out root-key-sec1.pem 2>/dev/null
openssl pkcs8 -topk8 -in root-key.pem -v2 aes-256-cbc -iter 2 -passout pass:vouch-fuzz \
  -out root-key-enc.pem
openssl pkcs8 -topk8 -in root-key.pem -nocrypt -outform DER -out root-key.der
openssl rsa -in rsa-root-key.pem -traditional -out rsa-root-key-pkcs1.pem 2>/dev/null
openssl pkcs12 -export -in root.pem -inkey root-key.pem -passout pass:vouch-fuzz \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -iter 2 -out root.p12
openssl pkcs12 -export -in rsa-root.pem -inkey rsa-root-key.pem -passout pass:vouch-fuzz \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -iter 2 -out rsa-root.p12
openssl pkcs12 -export -in root.pem -inkey root-key.pem -passout pass:wrong -iter 2 -out wrong.p12

# CSRs: good ones, and the near misses the policy refuses.
csr () { # name key-args subject [extra -addext…]
  local name=$1 newkey=$2 subj=$3; shift 3
  openssl req -new $newkey -nodes -keyout /dev/null -subj "$subj" "$@" -out "$name" 2>/dev/null
}
csr p256.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-256" /CN=cam.local \
  -addext "subjectAltName=DNS:cam.local,DNS:cam.home.arpa,IP:192.168.1.20"
csr p384.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-384" /CN=nas.lan \
  -addext "subjectAltName=DNS:nas.lan,IP:fe80::1"
csr rsa2048.csr "-newkey rsa:2048" /CN=printer.internal \
  -addext "subjectAltName=DNS:printer.internal,IP:10.0.0.1"
csr ca.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-256" /CN=sub.local \
  -addext "basicConstraints=critical,CA:TRUE" -addext "subjectAltName=DNS:sub.local"
csr public.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-256" /CN=www.example.com \
  -addext "subjectAltName=DNS:www.example.com"
csr cn-only.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-256" /CN=router.local
csr ed25519.csr "-newkey ed25519" /CN=plc.local -addext "subjectAltName=DNS:plc.local"
csr wildcard.csr "-newkey ec -pkeyopt ec_paramgen_curve:P-256" /CN=x.local \
  -addext "subjectAltName=DNS:*.local,DNS:a..local,IP:8.8.8.8"
openssl req -in p256.csr -outform DER -out p256.der

seeds () { rm -rf "${here:?}/$1"; mkdir -p "$here/$1"; }

seeds csr-policy
cp p256.csr p384.csr rsa2048.csr ca.csr public.csr cn-only.csr ed25519.csr wildcard.csr \
  p256.der "$here/csr-policy/"
head -c 300 p256.csr >"$here/csr-policy/truncated.csr"
cat p256.csr p384.csr >"$here/csr-policy/two.csr"

seeds helper-input
cp root.pem root.der rsa-root.pem leaf.pem "$here/helper-input/"
cat root.pem rsa-root.pem >"$here/helper-input/two-roots.pem"
head -c 200 root.der >"$here/helper-input/truncated.der"

seeds import
python3 - "$here/import" <<'PY'
import sys, os
out = sys.argv[1]
r = lambda f: open(f, 'rb').read()
def pair(name, cert, key):
    c = r(cert)
    open(os.path.join(out, name), 'wb').write(bytes([0, len(c) >> 8, len(c) & 255]) + c + r(key))
pair('mkcert-pair', 'root.pem', 'root-key.pem')
pair('der-sec1-pair', 'root.der', 'root-key-sec1.der')
pair('sec1-pem-pair', 'root.pem', 'root-key-sec1.pem')
pair('pkcs8-der-pair', 'root.pem', 'root-key.der')
pair('encrypted-pair', 'root.pem', 'root-key-enc.pem')
pair('rsa-pkcs1-pair', 'rsa-root.pem', 'rsa-root-key-pkcs1.pem')
pair('mismatched-pair', 'root.pem', 'rsa-root-key.pem')
pair('leaf-pair', 'leaf.pem', 'leaf-key.pem')
for name, f in (('p12-ec', 'root.p12'), ('p12-rsa', 'rsa-root.p12'), ('p12-wrong', 'wrong.p12')):
    open(os.path.join(out, name), 'wb').write(b'\x01' + r(f))
open(os.path.join(out, 'pem-cert'), 'wb').write(b'\x02' + r('root.pem'))
open(os.path.join(out, 'der-cert'), 'wb').write(b'\x03' + r('root.der'))
open(os.path.join(out, 'pem-as-der'), 'wb').write(b'\x03' + r('rsa-root.pem'))
PY

seeds device-json
python3 - "$here/device-json" "$work/p256.csr" <<'PY'
import sys, os, json
out, csr = sys.argv[1], open(sys.argv[2]).read()
# First byte: index into the harness's statuses (0 = 200, 5 = 401, 9 = 500).
seeds = {
  'info': (0, {"device_id": "0123456789abcdef", "model": "Fuzz Cam", "api": 1,
               "names": ["cam.local"], "key_types": ["ecdsa-p256"]}),
  'csr': (1, {"nonce": "fuzz-nonce-0123456789", "csr": csr}),
  'csr-wrong-nonce': (0, {"nonce": "other", "csr": csr}),
  'installed': (2, {"installed": True, "sha256": "00" * 32}),
  'problem-401': (5, {"type": "about:blank", "title": "Unauthorized", "detail": "bad secret"}),
  'problem-429': (8, {"title": "Too many", "detail": "wait"}),
  'problem-500': (9, {"title": "Oops"}),
  'no-device-id': (0, {"device_id": 7}),
}
for name, (status, body) in seeds.items():
    open(os.path.join(out, name), 'wb').write(bytes([status]) + json.dumps(body).encode())
open(os.path.join(out, 'nested'), 'wb').write(b'\x00' + b'[' * 20 + b']' * 20)
open(os.path.join(out, 'escapes'), 'wb').write(b'\x00{"device_id":"a\\"[[[\\u00e9\\ud83d\\ude00"}')
open(os.path.join(out, 'not-utf8'), 'wb').write(b'\x00{"device_id":"\xff\xfe"}')
open(os.path.join(out, 'redirect'), 'wb').write(b'\x03{}')
open(os.path.join(out, 'array'), 'wb').write(b'\x00[1,2,3]')
PY

seeds txt
python3 - "$here/txt" <<'PY'
import sys, os
out = sys.argv[1]
def wire(*entries):
    b = b''
    for e in entries:
        b += bytes([len(e)]) + e
    return b
seeds = {
  'agent': wire(b'id=0123456789abcdef', b'model=Vouch Agent', b'api=1', b'path=/.well-known/vouch'),
  'empty-entries': wire(b'', b'=x', b'id', b'id='),
  'bad-id': wire(b'id=../../etc/passwd', b'model=\x1b[31mred'),
  'long-id': wire(b'id=' + b'a' * 80),
  'not-utf8': wire(b'model=\xff\xfe', b'id=ok'),
  'many': wire(*[b'k%d=%s' % (i, b'v' * 40) for i in range(40)]),
  'duplicate': wire(b'id=first', b'id=second', b'model=a=b'),
}
for name, data in seeds.items():
    open(os.path.join(out, name), 'wb').write(data)
PY

seeds setup-code
printf '%s' 'ABCD-EFGH-JKMN' >"$here/setup-code/grouped"
printf '%s' ' abcd efgh jkmn ' >"$here/setup-code/spaced-lower"
printf '%s' 'ILO0-1ilo-0000' >"$here/setup-code/ambiguous"
printf '%s' 'ABCD-EFGH-JKMU' >"$here/setup-code/excluded-u"
printf '%s' 'VOUCH:1:ABCDEFGHJKMN:0123456789ABCDEF' >"$here/setup-code/qr"
printf '%s' 'VOUCH:1:ABCDEFGHJKMN' >"$here/setup-code/qr-no-id"
printf '%s' 'VOUCH:2:ABCDEFGHJKMN:0123456789ABCDEF:extra' >"$here/setup-code/qr-bad"
printf '%s' 'ABCD—EFGH—JKMN' >"$here/setup-code/unicode-dash"

seeds redfish-json
python3 - "$here/redfish-json" "$work/p256.csr" <<'PY'
import sys, os, json
out, csr = sys.argv[1], open(sys.argv[2]).read()
link = lambda p: {"@odata.id": p}
seeds = {
  'service-root': {"@odata.id": "/redfish/v1", "Vendor": "Dell", "UUID": "4c4c4544-0000",
                   "Product": "Integrated Dell Remote Access Controller",
                   "Managers": link("/redfish/v1/Managers"), "Oem": {"Dell": {}}},
  'collection': {"Members": [link("/redfish/v1/Managers/bmc")], "Members@odata.count": 1},
  'manager': {"NetworkProtocol": link("/redfish/v1/Managers/bmc/NetworkProtocol"),
              "Links": {"Oem": {"Dell": {"DelliDRACCardService": link("/redfish/v1/x")}}}},
  'protocol': {"HTTPS": {"Certificates": link("/redfish/v1/Managers/bmc/NetworkProtocol/HTTPS/Certificates")}},
  'csr': {"CSRString": csr, "CertificateCollection": link("/redfish/v1/x")},
  'hpe-csr': {"CertificateSigningRequest": csr,
              "Actions": {"#HpeHttpsCert.GenerateCSR": {"target": "/redfish/v1/Managers/1/SecurityService/HttpsCert/Actions/HpeHttpsCert.GenerateCSR"}}},
  'error': {"error": {"code": "Base.1.8.GeneralError", "message": "A general error",
                      "@Message.ExtendedInfo": [{"Message": "Only one CSR at a time \u001b[31m"}]}},
  'error-object-message': {"error": {"message": {"nested": 1}, "@Message.ExtendedInfo": [7]}},
  'links-outside': {"Managers": link("https://evil.example/redfish/v1"),
                    "NetworkProtocol": link("/redfish/v1/../../etc"),
                    "Certificates": link("/redfish/v1//x"), "Vendor": ["HPE"]},
}
for name, body in seeds.items():
    open(os.path.join(out, name), 'wb').write(json.dumps(body).encode())
open(os.path.join(out, 'empty'), 'wb').write(b'')
open(os.path.join(out, 'nested'), 'wb').write(b'{"a":' * 40 + b'1' + b'}' * 40)
open(os.path.join(out, 'surrogate'), 'wb').write(b'{"Vendor":"\\ud83d x","UUID":"\\u0000"}')
open(os.path.join(out, 'not-object'), 'wb').write(b'["/redfish/v1"]')
PY

seeds axis-json
python3 - "$here/axis-json" "$work/leaf.pem" <<'PY'
import sys, os, json
out, pem = sys.argv[1], open(sys.argv[2]).read()
seeds = {
  'basicdeviceinfo': {"apiVersion": "1.0", "data": {"propertyList": {
    "SerialNumber": "ACCC8E000000", "ProdShortName": "AXIS M3106-L Mk II"}}},
  'created': {"status": "success", "data": {"alias": "vouch-1", "keyType": "EC-P256"}},
  'csr': {"status": "success", "data": "-----BEGIN CERTIFICATE REQUEST-----\nAA==\n"},
  'list': {"status": "success", "data": [{"alias": "vouch-1", "certificate": pem},
                                         {"alias": {"x": 1}, "certificate": 7}]},
  'error': {"status": "error", "error": {"code": 2101, "message": "Alias in use \u202e"}},
  'error-message-array': {"status": "error", "error": {"message": ["x"]}},
  'status-object': {"status": {"success": True}},
}
for name, body in seeds.items():
    open(os.path.join(out, name), 'wb').write(json.dumps(body).encode())
open(os.path.join(out, 'soap'), 'wb').write(b'<?xml version="1.0"?><SOAP-ENV:Envelope/>')
open(os.path.join(out, 'nested'), 'wb').write(b'{"data":' + b'[' * 40 + b']' * 40 + b'}')
# An Axis camera's SOAP answers (tests/fuzz/fuzz-axis-soap.c): results as
# AXIS OS writes them, faults in SOAP 1.2 and 1.1.
seeds axis-soap
python3 - "$here/axis-soap" "$work/p256.csr" "$work/leaf.pem" <<'PY'
import base64, os, re, sys
out, csr_path, leaf_path = sys.argv[1:4]
def der(path):
    text = open(path).read()
    body = re.search(r'-----BEGIN [A-Z ]+-----(.*?)-----END', text, re.S).group(1)
    return ''.join(body.split())
env = ('<?xml version="1.0" encoding="UTF-8"?><env:Envelope '
       'xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
       'xmlns:ter="http://www.onvif.org/ver10/error" '
       'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
       'xmlns:tt="http://www.onvif.org/ver10/schema"><env:Body>%s</env:Body></env:Envelope>')
csr, leaf = der(csr_path), der(leaf_path)
seeds = {
  'pkcs10': env % ('<tds:GetPkcs10RequestResponse><tds:Pkcs10Request><tt:Data>%s</tt:Data>'
                   '</tds:Pkcs10Request></tds:GetPkcs10RequestResponse>' % csr),
  'pkcs10-pem': env % ('<tds:GetPkcs10RequestResponse><tds:Pkcs10Request><tt:Data>%s</tt:Data>'
                       '</tds:Pkcs10Request></tds:GetPkcs10RequestResponse>'
                       % base64.b64encode(open(csr_path, 'rb').read()).decode()),
  'certificates': env % ('<tds:GetCertificatesResponse><tds:NvtCertificate>'
                         '<tt:CertificateID>vouch-1</tt:CertificateID><tt:Certificate>'
                         '<tt:Data>%s</tt:Data></tt:Certificate></tds:NvtCertificate>'
                         '<tds:NvtCertificate><tt:CertificateID>empty</tt:CertificateID>'
                         '</tds:NvtCertificate></tds:GetCertificatesResponse>' % leaf),
  'fault': env % ('<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode>'
                  '<env:Value>ter:InvalidArgVal</env:Value><env:Subcode><env:Value>'
                  'ter:InvalidCertificateID</env:Value></env:Subcode></env:Subcode></env:Code>'
                  '<env:Reason><env:Text xml:lang="en">No such \u202eId</env:Text></env:Reason>'
                  '</env:Fault>'),
  'fault-not-authorized': env % ('<env:Fault><env:Code><env:Value>env:Sender</env:Value>'
                                 '<env:Subcode><env:Value>ter:NotAuthorized</env:Value>'
                                 '</env:Subcode></env:Code><env:Reason><env:Text>Sender not '
                                 'Authorized</env:Text></env:Reason></env:Fault>'),
  'fault-soap11': ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                   '<s:Fault><faultcode>s:Client</faultcode><faultstring>Bad &amp; wrong'
                   '</faultstring></s:Fault></s:Body></s:Envelope>'),
  'empty-result': env % '<aweb:SetWebServerTlsConfigurationResponse xmlns:aweb="x"/>',
  'not-soap': '<html><body>404</body></html>',
}
for name, data in seeds.items():
    open(os.path.join(out, name), 'w').write(data)
PY
