#!/bin/bash
# Checks tools/private-lan itself: the namespace holds only a multicast
# loopback, the private avahi-daemon answers on the private bus, COMMAND's
# status comes back, two harnesses run side by side, nothing is left over.
set -u

lan=${1:?usage: test-private-lan.sh PATH/TO/private-lan}
n=0
failed=0

check () {
  local what=$1
  shift
  n=$((n + 1))
  if "$@" >/dev/null 2>&1; then
    echo "ok $n $what"
  else
    echo "not ok $n $what"
    failed=1
  fi
}

inside_only_lo () {
  "$lan" --no-avahi -- sh -c '
    [ "$(ip -o link show | wc -l)" = 1 ] &&
    ip -o link show lo | grep -q MULTICAST &&
    ip route show table all | grep -q "^multicast 224.0.0.0/4 dev lo\|^224.0.0.0/4 dev lo" &&
    [ "$VOUCH_PRIVATE_LAN" = 1 ]'
}

status_comes_back () {
  "$lan" --no-avahi -- sh -c 'exit 7'
  [ $? = 7 ]
}

avahi_on_private_bus () {
  "$lan" -- sh -c '
    case "$DBUS_SYSTEM_BUS_ADDRESS" in unix:path=/tmp/*|unix:path=${TMPDIR:-/tmp}/*) ;; *) exit 1 ;; esac
    dbus-send --system --print-reply=literal --dest=org.freedesktop.Avahi / \
      org.freedesktop.Avahi.Server.GetState | grep -q "int32 2"'
}

no_system_bus_without_avahi () {
  "$lan" --no-avahi -- sh -c '! dbus-send --system --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetId'
}

two_side_by_side () {
  local a b
  "$lan" -- sh -c 'avahi-publish -s "Side A" _vouch._tcp 1 txtvers=1 & sleep 2; avahi-browse -tp _vouch._tcp' >"$tmp/a" 2>/dev/null &
  a=$!
  "$lan" -- sh -c 'avahi-publish -s "Side B" _vouch._tcp 1 txtvers=1 & sleep 2; avahi-browse -tp _vouch._tcp' >"$tmp/b" 2>/dev/null &
  b=$!
  wait $a && wait $b &&
  grep -q 'Side\\032A' "$tmp/a" && ! grep -q 'Side\\032B' "$tmp/a" &&
  grep -q 'Side\\032B' "$tmp/b" && ! grep -q 'Side\\032A' "$tmp/b"
}

leftovers_are_stopped () {
  # A command that leaves a child behind must not keep the harness (or
  # meson, reading its output) waiting.
  # The pipe to cat stays open as long as the child lives.
  timeout 30 sh -c '"$1" --no-avahi -- sh -c "sleep 300 & exit 0" | cat' sh "$lan"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-private-lan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "1..6"
check "only a multicast loopback inside" inside_only_lo
check "the command's exit status comes back" status_comes_back
check "avahi-daemon runs on a private system bus" avahi_on_private_bus
check "--no-avahi leaves no way to the host's system bus" no_system_bus_without_avahi
check "two harnesses run side by side, each with its own mDNS" two_side_by_side
check "processes left in the namespace are stopped" leftovers_are_stopped
exit $failed
