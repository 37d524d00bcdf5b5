#!/bin/bash
# acme-hostile.sh: hostile.py's bad requests against `vouchctl acme serve`,
# first with --allow-loopback-validation (so its own responders on
# 127.0.1.30 can be reached), then without it, where a challenge on
# loopback must fail. Nothing may be issued: `vouchctl certs --json`
# counts the same before and after. TAP on standard output.
set -u

here=$(dirname "$(readlink -f "$0")")
. "$here/acme-lib.sh"

if [ "${VOUCH_PRIVATE_LAN:-}" != 1 ]; then
  echo "1..0 # SKIP needs tools/private-lan"
  exit 0
fi

acme_setup_work

if ! start_server --approval open --allow-loopback-validation; then
  echo "Bail out! the ACME server under test did not start"
  diag "$work/serve.log"
  exit 1
fi
echo "# directory: $directory ($ACME_TEST_SERVER)"
before=$(issued_count)

run_hostile () {
  timeout 300 /usr/bin/python3 "$here/hostile.py" --directory "$directory" --ca "$server_ca" \
    --first $((tap_n + 1)) --count-file "$work/count" "$@"
  read -r tap_n failed <"$work/count" || { tap_n=$((tap_n + 1)); failed=1; echo "not ok $tap_n - hostile.py $*"; }
  tap_failed=$((tap_failed + failed))
}

run_hostile --phase main
if [ "$ACME_TEST_SERVER" = vouch ]; then
  if restart_vouch --approval open; then
    run_hostile --phase no-loopback
  else
    tap_not_ok "the server restarts without --allow-loopback-validation"
  fi
fi

after=$(issued_count)
if [ -n "$before" ] && [ "$before" = "$after" ]; then
  tap_ok "nothing was issued (vouchctl certs --json: $before before and after)"
else
  tap_not_ok "nothing was issued (vouchctl certs --json: $before before, $after after)"
fi

echo "1..$tap_n"
[ "$tap_failed" = 0 ]
