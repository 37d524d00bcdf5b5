#!/bin/sh
# Runs a test that installs into the real system trust store, and removes
# what it installed if it died before it could (an assertion aborts the
# process, so its own teardown never runs). The test records each anchor
# file it creates in $VOUCH_TRUST_CLEANUP_MARKER and clears the record
# once it has removed them itself.
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
  /usr/sbin/update-ca-certificates >/dev/null 2>&1 || true
fi
rm -f "$marker"
exit $status
