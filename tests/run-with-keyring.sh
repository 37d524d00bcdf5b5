#!/bin/bash
# Runs one test with its own HOME, its own session bus and a real
# gnome-keyring-daemon, so tests never touch the developer's keyring and
# never see each other's secrets.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vouch-test.XXXXXX")
cleanup () {
  # GTK may start xdg-document-portal on the session bus; its FUSE mount
  # under the runtime dir can outlive the bus for a moment. Detach it, and
  # never let tidying up change the test's result.
  if mountpoint -q "$tmp/run/doc" 2>/dev/null; then
    fusermount3 -u -z "$tmp/run/doc" 2>/dev/null || umount -l "$tmp/run/doc" 2>/dev/null || true
  fi
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mkdir -p "$tmp/home" "$tmp/run"
chmod 700 "$tmp/run"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/home/.local/share"
export XDG_CONFIG_HOME="$tmp/home/.config"
export XDG_CACHE_HOME="$tmp/home/.cache"
export XDG_RUNTIME_DIR="$tmp/run"
export VOUCH_TEST_TMPDIR="$tmp"

status=0
# Services that the bus starts (the accessibility registry prints a banner)
# write to the bus's stdout. Only the test may write to ours, since meson
# reads it as TAP: the bus gets stderr, and the test gets our stdout as fd 3.
#
# Nothing the bus starts is ours (gnome-keyring, the accessibility bus, the
# desktop portal): it runs without the tests' G_DEBUG=fatal-warnings and
# sanitizer options, or any warning inside it would kill it mid-test. The
# test gets them back.
keep=()
unset_them=()
for var in G_DEBUG ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS MALLOC_PERTURB_; do
  [ -n "${!var+set}" ] && keep+=("$var=${!var}")
  unset_them+=(-u "$var")
done
env "${unset_them[@]}" dbus-run-session -- sh -c '
  printf %s vouch-test-keyring |
    gnome-keyring-daemon --unlock --components=secrets >/dev/null 3>&-
  # Wait (at most 5 s) until the daemon owns its bus name. A test that
  # ends sooner would take the bus away before the daemon joined it, and
  # the daemon would then never leave, holding our stderr open.
  for i in $(seq 50); do
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null 3>&- |
      grep -q true && break
    sleep 0.1
  done
  exec env "$@" >&3 3>&-' sh "${keep[@]}" "$@" 3>&1 >&2 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
exit $status
