#!/bin/sh
# Runs a test that installs into the real system trust store, and leaves
# the machine's trust stores exactly as it found them.
#
# 1. What the test left: the test records each anchor file it creates in
#    $VOUCH_TRUST_CLEANUP_MARKER and clears the record once it has removed
#    them itself (an assertion aborts the process, so its own teardown
#    never runs). Removing the anchor is not enough on Debian: as
#    vouch-trust-helper does, rebuild the links with --fresh and tell the
#    hooks the link is gone, or ca-certificates-java keeps the root.
# 2. What the distribution's tools changed besides: update-ca-certificates
#    regenerates every link and the bundle, and its Java hook imports every
#    anchor it finds, including ones a machine's owner placed by hand
#    without running it. The test's own assertions check that no trace of
#    Vouch's root is left; the snapshot taken here puts back the rest byte
#    for byte (links, bundle, Java's keystore, the local anchors), so the
#    suite's end check (tools/check) finds the machine as it was.
#
# Tests run through this wrapper are not run in parallel with others
# (is_parallel: false), since they share these directories.
set -u
dirs="etc/ssl/certs usr/local/share/ca-certificates"

snapshot=
if [ "$(id -u)" = 0 ]; then
  snapshot=$(mktemp "${TMPDIR:-/tmp}/vouch-trust-snapshot.XXXXXX") || exit 1
  present=
  for d in $dirs; do [ -d "/$d" ] && present="$present $d"; done
  # shellcheck disable=SC2086
  if [ -z "$present" ] || ! tar -C / -cpf "$snapshot" $present 2>/dev/null; then
    rm -f "$snapshot"
    snapshot=
  fi
fi

marker=$(mktemp "${TMPDIR:-/tmp}/vouch-trust-cleanup.XXXXXX")
: > "$marker"
export VOUCH_TRUST_CLEANUP_MARKER="$marker"
status=0
"$@" || status=$?
if [ -s "$marker" ]; then
  echo "# trust-cleanup: removing what the test left in the system trust store" >&2
  while IFS= read -r path || [ -n "$path" ]; do
    case "$path" in
      /usr/local/share/ca-certificates/vouch-local-root.crt) rm -f -- "$path" ;;
    esac
  done < "$marker"
  /usr/sbin/update-ca-certificates --fresh >/dev/null 2>&1 || true
  if [ -d /etc/ca-certificates/update.d ]; then
    run-parts --test -- /etc/ca-certificates/update.d | while read -r hook; do
      echo "-/etc/ssl/certs/vouch-local-root.pem" | "$hook" >/dev/null 2>&1 || true
    done
  fi
fi
rm -f "$marker"

# Put each directory back whole: unpack beside it (same file system), then
# swap, so a failure half-way never leaves a directory half restored.
if [ -n "$snapshot" ]; then
  for d in $present; do
    staging=$(mktemp -d "/$d.vouch-restore.XXXXXX") || continue
    if tar -C "$staging" -xpf "$snapshot" "$d" 2>/dev/null; then
      mv "/$d" "$staging/old" && mv "$staging/$d" "/$d"
    else
      echo "# trust-cleanup: could not restore /$d from $snapshot" >&2
      status=1
    fi
    rm -rf "$staging"
  done
  rm -f "$snapshot"
fi
exit $status
