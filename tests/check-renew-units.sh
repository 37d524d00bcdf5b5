#!/bin/sh
# Checks the shipped systemd user units with systemd-analyze, pointing the
# service at the built vouchctl (systemd-analyze insists the program
# exists). Fails, rather than skips, when systemd-analyze is missing.
set -eu

data=$1
vouchctl=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "1..3"
sed "s|@bindir@/vouchctl|$vouchctl|" "$data/vouch-renew.service.in" > "$dir/vouch-renew.service"
sed "s|@bindir@/vouchctl|$vouchctl|" "$data/vouch-acme.service.in" > "$dir/vouch-acme.service"
cp "$data/vouch-renew.timer" "$dir/"

if out=$(cd "$dir" && systemd-analyze verify --man=no "$dir/vouch-renew.timer" "$dir/vouch-renew.service" \
                "$dir/vouch-acme.service" 2>&1) &&
   [ -z "$out" ]; then
  echo "ok 1 - systemd-analyze verify accepts the units"
else
  echo "not ok 1 - systemd-analyze verify: $out"
fi

if grep -q '^ExecStart=@bindir@/vouchctl renew --due 30d --notify$' "$data/vouch-renew.service.in" &&
   grep -q '^OnCalendar=daily$' "$data/vouch-renew.timer" &&
   grep -q '^Persistent=true$' "$data/vouch-renew.timer"; then
  echo "ok 2 - the timer runs vouchctl renew --due 30d --notify daily, catching up"
else
  echo "not ok 2 - the units changed what they run"
fi

if grep -q '^ExecStart=@bindir@/vouchctl acme serve$' "$data/vouch-acme.service.in" &&
   grep -q '^WantedBy=default.target$' "$data/vouch-acme.service.in"; then
  echo "ok 3 - the ACME service runs vouchctl acme serve in the user session"
else
  echo "not ok 3 - the ACME service changed what it runs"
fi
