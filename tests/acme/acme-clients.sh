#!/bin/bash
# acme-clients.sh: Debian's ACME clients get certificates from Vouch's ACME
# server, and curl, trusting only the root, then accepts each client's own
# HTTPS server by name. TAP on standard output.
#
# Runs inside tools/private-lan (a private network namespace with its own
# avahi-daemon): every client's servers bind their own 127.0.1.x address,
# and its name is announced as NAME.local through that avahi-daemon, which
# is how Vouch's validator finds it. Nothing leaves 127.0.0.0/8.
#
#   VOUCHCTL=… tools/private-lan -- tests/acme/acme-clients.sh [CLIENT…]
#
# CLIENT picks some of: certbot lego dehydrated uacme acme-tiny caddy approval
# (default all). ACME_TEST_SERVER=pebble runs the same clients against pebble.
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/acme-lib.sh"

if [ "${VOUCH_PRIVATE_LAN:-}" != 1 ]; then
  echo "1..0 # SKIP needs tools/private-lan"
  exit 0
fi

acme_setup_work
T=$ACME_CLIENT_TIMEOUT

# Clients whose web server or HTTP client the test cannot point at a CA
# file read the system bundle; in a mount namespace of their own, that file
# is replaced by one that holds the server's CA (never on the machine).
with_ca_bundle () {
  cat /etc/ssl/certs/ca-certificates.crt "$server_ca" >"$work/bundle.pem"
  unshare --mount --propagation private -- sh -c \
    'mount --bind "$0" /etc/ssl/certs/ca-certificates.crt && exec "$@"' "$work/bundle.pem" "$@"
}

# A plain web server for clients that only write challenge files.
serve_webroot () {
  mkdir -p "$2/.well-known/acme-challenge"
  bg /usr/bin/python3 -m http.server 80 --bind "$1" --directory "$2"
  web_pid=$bg_last
  wait_for 100 port_open "$1" 80
}

serial_of () {
  openssl x509 -noout -serial -in "$1" | sed 's/^serial=//' | tr a-f A-F
}

crl_lists () {
  [ "$ACME_TEST_SERVER" = pebble ] && return 0
  "$VOUCHCTL" crl --out "$work/crl.pem" >/dev/null || return 1
  openssl crl -in "$work/crl.pem" -noout -text >"$work/crl.txt" || return 1
  grep -q -i "Serial Number: $1$" "$work/crl.txt" && return 0
  echo "serial $1 not in:"
  cat "$work/crl.txt"
  "$VOUCHCTL" certs
  return 1
}

# verify_site NAME ADDRESS CHAIN KEY WHAT: serve the certificate and curl it.
verify_site () {
  if ! serve_tls "$1" "$2" "$3" "$4"; then
    tap_not_ok "$5: a TLS server runs with the certificate"
    return
  fi
  check "$5: curl --cacert root.pem accepts https://$1" https_ok "$1" "$2"
  stop_tls
}

# --- certbot: standalone http-01, renew, revoke (by both keys) -----------
test_certbot () {
  local name=certbot.local addr=127.0.1.1 dirs live s1 s2
  publish "$name" "$addr" || { tap_not_ok "certbot: $name resolves over mDNS"; return; }
  dirs=(--config-dir "$work/certbot/etc" --work-dir "$work/certbot/var" --logs-dir "$work/certbot/log")
  export REQUESTS_CA_BUNDLE=$server_ca
  check "certbot certonly --standalone (http-01)" \
    timeout "$T" certbot certonly "${dirs[@]}" --non-interactive --agree-tos \
      --register-unsafely-without-email --server "$directory" --standalone \
      --preferred-challenges http-01 --http-01-address "$addr" --http-01-port 80 -d "$name" || return
  live=$work/certbot/etc/live/$name
  verify_site "$name" "$addr" "$live/fullchain.pem" "$live/privkey.pem" certbot

  check "certbot renew --force-renewal" \
    timeout "$T" certbot renew "${dirs[@]}" --non-interactive --force-renewal \
      --no-random-sleep-on-renew
  s1=$(serial_of "$work/certbot/etc/archive/$name/cert1.pem")
  s2=$(serial_of "$live/cert.pem")
  if [ -n "$s2" ] && [ "$s1" != "$s2" ]; then
    tap_ok "certbot: the renewed certificate is a new one"
  else
    tap_not_ok "certbot: the renewed certificate is a new one ($s1 / $s2)"
  fi
  verify_site "$name" "$addr" "$live/fullchain.pem" "$live/privkey.pem" "certbot (renewed)"

  # The first certificate is revoked with its own key, the renewed one
  # with the account's key: RFC 8555 §7.6 allows both.
  check "certbot revoke with the certificate's key" \
    timeout "$T" certbot revoke "${dirs[@]}" --non-interactive --server "$directory" \
      --cert-path "$work/certbot/etc/archive/$name/cert1.pem" \
      --key-path "$work/certbot/etc/archive/$name/privkey1.pem" \
      --reason keycompromise --no-delete-after-revoke
  check "certbot revoke with the account key" \
    timeout "$T" certbot revoke "${dirs[@]}" --non-interactive --server "$directory" \
      --cert-path "$live/cert.pem" --no-delete-after-revoke
  check "the CRL lists the first certbot serial" crl_lists "$s1"
  check "the CRL lists the renewed certbot serial" crl_lists "$s2"
  unset REQUESTS_CA_BUNDLE
}

# --- lego: http-01 and tls-alpn-01, EC and RSA keys, an IP identifier ---
lego_run () {
  local what=$1 path=$2 domain=$3
  shift 3
  check "lego $what" timeout "$T" env LEGO_CA_CERTIFICATES="$server_ca" \
    lego --server "$directory" --accept-tos --email "admin@example.org" --path "$path" \
      --domains "$domain" "$@" run
}

test_lego () {
  local name addr
  name=lego-http.local addr=127.0.1.2
  publish "$name" "$addr" || tap_not_ok "lego: $name resolves over mDNS"
  if lego_run "http-01, EC P-256 key" "$work/lego-ec" "$name" --key-type ec256 \
       --http --http.port "$addr:80"; then
    verify_site "$name" "$addr" "$work/lego-ec/certificates/$name.crt" \
      "$work/lego-ec/certificates/$name.key" "lego http-01 EC"
  fi

  name=lego-alpn.local addr=127.0.1.3
  publish "$name" "$addr" || tap_not_ok "lego: $name resolves over mDNS"
  if lego_run "tls-alpn-01, RSA 2048 key" "$work/lego-rsa" "$name" --key-type rsa2048 \
       --tls --tls.port "$addr:443"; then
    verify_site "$name" "$addr" "$work/lego-rsa/certificates/$name.crt" \
      "$work/lego-rsa/certificates/$name.key" "lego tls-alpn-01 RSA"
  fi

  # Debian 12's lego (4.9) sends an address as a dns identifier; Vouch
  # takes it as the ip identifier it means (pebble refuses it). uacme below
  # sends a real RFC 8738 ip identifier.
  addr=127.0.1.4
  if [ "$ACME_TEST_SERVER" = pebble ]; then
    tap_skip "lego 4.9 sends an address as a dns identifier, which pebble refuses"
  elif lego_run "http-01 for an address (sent as a dns identifier)" "$work/lego-ip" "$addr" \
         --key-type ec384 --http --http.port "$addr:80"; then
    verify_site "$addr" "$addr" "$work/lego-ip/certificates/$addr.crt" \
      "$work/lego-ip/certificates/$addr.key" "lego address"
  fi
}

# --- dehydrated: http-01 through a webroot --------------------------------
test_dehydrated () {
  local name=dehydrated.local addr=127.0.1.5 d=$work/dehydrated
  publish "$name" "$addr" || tap_not_ok "dehydrated: $name resolves over mDNS"
  mkdir -p "$d"
  serve_webroot "$addr" "$d/www" || { tap_not_ok "dehydrated: web server runs"; return; }
  cat >"$d/config" <<EOF
CA="$directory"
BASEDIR="$d"
WELLKNOWN="$d/www/.well-known/acme-challenge"
CHALLENGETYPE="http-01"
CURL_OPTS="--cacert $server_ca"
CONTACT_EMAIL=""
EOF
  check "dehydrated --register" timeout "$T" dehydrated -f "$d/config" --register --accept-terms &&
    check "dehydrated -c (http-01)" timeout "$T" dehydrated -f "$d/config" -c -d "$name" &&
    verify_site "$name" "$addr" "$d/certs/$name/fullchain.pem" "$d/certs/$name/privkey.pem" dehydrated
  stop_pid "$web_pid"
}

# --- uacme: http-01 through its hook --------------------------------------
test_uacme () {
  local name=uacme.local addr=127.0.1.6 d=$work/uacme
  publish "$name" "$addr" || tap_not_ok "uacme: $name resolves over mDNS"
  mkdir -p "$d/conf"
  serve_webroot "$addr" "$d/www" || { tap_not_ok "uacme: web server runs"; return; }
  # uacme's hook: METHOD TYPE IDENT TOKEN AUTH; it accepts http-01 only.
  cat >"$d/hook" <<EOF
#!/bin/sh
[ "\$2" = http-01 ] || exit 1
f="$d/www/.well-known/acme-challenge/\$4"
case "\$1" in
  begin) printf '%s' "\$5" >"\$f" ;;
  *) rm -f "\$f" ;;
esac
EOF
  chmod +x "$d/hook"
  # uacme's libcurl reads only the system bundle.
  check "uacme new" with_ca_bundle timeout "$T" uacme -c "$d/conf" -a "$directory" -y new &&
    check "uacme issue (http-01)" with_ca_bundle timeout "$T" \
      uacme -c "$d/conf" -a "$directory" -t EC -o -h "$d/hook" issue "$name" &&
    verify_site "$name" "$addr" "$d/conf/$name/cert.pem" "$d/conf/private/$name/key.pem" uacme
  stop_pid "$web_pid"
  # uacme speaks RFC 8738: a real ip identifier.
  addr=127.0.1.10
  serve_webroot "$addr" "$d/www" || { tap_not_ok "uacme: web server runs on $addr"; return; }
  check "uacme issue for an IP identifier (http-01)" with_ca_bundle timeout "$T" \
      uacme -c "$d/conf" -a "$directory" -t RSA -b 2048 -o -h "$d/hook" issue "$addr" &&
    verify_site "$addr" "$addr" "$d/conf/$addr/cert.pem" "$d/conf/private/$addr/key.pem" \
      "uacme IP identifier"
  stop_pid "$web_pid"
}

# --- acme-tiny: http-01 with a CSR made by openssl -----------------------
acme_tiny_run () {
  timeout "$T" env SSL_CERT_FILE="$server_ca" \
    acme-tiny --account-key "$1/account.key" --csr "$1/domain.csr" --disable-check \
      --acme-dir "$1/www/.well-known/acme-challenge" --directory-url "$directory" \
      --contact mailto:admin@example.org >"$1/chain.pem"
}

test_acme_tiny () {
  local name=acme-tiny.local addr=127.0.1.7 d=$work/acme-tiny
  publish "$name" "$addr" || tap_not_ok "acme-tiny: $name resolves over mDNS"
  mkdir -p "$d"
  serve_webroot "$addr" "$d/www" || { tap_not_ok "acme-tiny: web server runs"; return; }
  openssl genrsa -out "$d/account.key" 2048 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/domain.key" \
    -subj "/CN=$name" -addext "subjectAltName=DNS:$name" -out "$d/domain.csr" 2>/dev/null
  # acme-tiny's own pre-check fetches the challenge through the system
  # resolver, which knows no .local names here: the server's check is
  # the one under test. Python's urllib trusts SSL_CERT_FILE.
  if check "acme-tiny (http-01)" acme_tiny_run "$d"; then
    verify_site "$name" "$addr" "$d/chain.pem" "$d/domain.key" acme-tiny
  fi
  stop_pid "$web_pid"
}

# --- Caddy: a site whose issuer is Vouch's directory ---------------------
test_caddy () {
  local name=caddy.local addr=127.0.1.8 d=$work/caddy pid
  publish "$name" "$addr" || tap_not_ok "caddy: $name resolves over mDNS"
  mkdir -p "$d"
  cat >"$d/Caddyfile" <<EOF
{
	admin off
	skip_install_trust
	ocsp_stapling off
	storage file_system $d/storage
	http_port 80
	https_port 443
}
$name {
	bind $addr
	tls {
		issuer acme {
			dir $directory
			trusted_roots $server_ca
		}
	}
	respond "hello from caddy"
}
EOF
  bg_to "$d/caddy.log" "$d/caddy.log" env HOME="$d" XDG_DATA_HOME="$d/data" \
    XDG_CONFIG_HOME="$d/config" caddy run --adapter caddyfile --config "$d/Caddyfile"
  pid=$bg_last
  # Caddy gets its certificate in the background; curl succeeds once it has.
  if wait_for 600 https_ok "$name" "$addr"; then
    tap_ok "caddy: curl --cacert root.pem accepts https://$name (issued by the directory)"
  else
    tap_not_ok "caddy: curl --cacert root.pem accepts https://$name (issued by the directory)"
    diag "$d/caddy.log"
  fi
  stop_pid "$pid"
}

# --- Approval: a new account's first order waits for `vouchctl acme approve`
test_approval () {
  local name=approve.local addr=127.0.1.9 pid id i status
  if [ "$ACME_TEST_SERVER" = pebble ]; then
    tap_skip "approval: pebble has no operator"
    return
  fi
  restart_vouch --approval ask --allow-loopback-validation ||
    { tap_not_ok "approval: the server restarts in ask mode"; return; }
  publish "$name" "$addr" || tap_not_ok "approval: $name resolves over mDNS"
  bg_to "$work/lego-ask.log" "$work/lego-ask.log" timeout "$T" \
    env LEGO_CA_CERTIFICATES="$server_ca" lego --server "$directory" --accept-tos \
      --email admin@example.org --path "$work/lego-ask" --domains "$name" \
      --http --http.port "$addr:80" run
  pid=$bg_last
  id=
  for i in $(seq 300); do
    id=$("$VOUCHCTL" acme pending --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
items = d if isinstance(d, list) else d.get("pending", d.get("requests", []))
print(items[0]["id"] if items else "")' 2>/dev/null)
    [ -n "$id" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$id" ]; then
    tap_not_ok "approval: vouchctl acme pending lists lego's order"
    diag "$work/lego-ask.log" "$work/serve.log"
    stop_pid "$pid"
    return
  fi
  tap_ok "approval: vouchctl acme pending lists lego's order"
  if [ -f "$work/lego-ask/certificates/$name.crt" ]; then
    tap_not_ok "approval: nothing is issued before the operator approves"
  else
    tap_ok "approval: nothing is issued before the operator approves"
  fi
  check "approval: vouchctl acme approve $id" "$VOUCHCTL" acme approve "$id"
  status=0
  wait "$pid" || status=$?
  if [ "$status" = 0 ] && [ -f "$work/lego-ask/certificates/$name.crt" ]; then
    tap_ok "approval: lego gets its certificate once approved"
    verify_site "$name" "$addr" "$work/lego-ask/certificates/$name.crt" \
      "$work/lego-ask/certificates/$name.key" "lego after approval"
  else
    tap_not_ok "approval: lego gets its certificate once approved"
    diag "$work/lego-ask.log"
  fi
}

if ! start_server --approval open --allow-loopback-validation; then
  echo "Bail out! the ACME server under test did not start"
  diag "$work/serve.log"
  exit 1
fi
echo "# directory: $directory ($ACME_TEST_SERVER)"

clients=("$@")
[ ${#clients[@]} -gt 0 ] || clients=(certbot lego dehydrated uacme acme-tiny caddy approval)
for c in "${clients[@]}"; do
  case "$c" in
    certbot) test_certbot ;;
    lego) test_lego ;;
    dehydrated) test_dehydrated ;;
    uacme) test_uacme ;;
    acme-tiny) test_acme_tiny ;;
    caddy) test_caddy ;;
    approval) test_approval ;;
    *) echo "Bail out! unknown client $c"; exit 2 ;;
  esac
done

echo "1..$tap_n"
[ "$tap_failed" = 0 ]
