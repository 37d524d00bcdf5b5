#!/bin/sh
# Runs a test that installs into the real system trust store, and removes
# what it installed if it died before it could (an assertion aborts the
# process, so its own teardown never runs). The test records each anchor
# file it creates in $VOUCH_TRUST_CLEANUP_MARKER and clears the record
# once it has removed them itself.
#
# Removing the anchor is not enough on Debian: as vouch-trust-helper does,
# rebuild the links with --fresh (a plain run leaves vouch-local-root.pem
# and its hash link dangling in /etc/ssl/certs) and tell the hooks the link
# is gone, or ca-certificates-java keeps the root in Java's keystore.
set -u
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
exit $status
