#!/bin/bash
# with-xvfb.sh COMMAND [ARG...]: runs COMMAND on a private Xvfb screen
# (1280x800, 24 bits) and stops the server afterwards.
#
# Xvfb picks a free display itself (-displayfd), so tests, benchmarks and
# other runs on the same machine never race for a number the way fixed
# numbers or `xvfb-run -a` do.
#
# -noreset: by default Xvfb resets when its last client leaves, and a
# client that connects during the reset is refused ("cannot open display").
# Benchmarks that start one GTK program after another hit that window.
set -u

dir=$(mktemp -d "${TMPDIR:-/tmp}/vouch-xvfb.XXXXXX") || exit 1
xvfb_pid=
cleanup () {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/log" &
xvfb_pid=$!

# Bounded: 10 s for the server to report its display.
for _ in $(seq 100); do
  [ -s "$dir/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$dir/display" ]; then
  echo "with-xvfb.sh: Xvfb did not start:" >&2
  cat "$dir/log" >&2
  exit 1
fi

DISPLAY=":$(head -n 1 "$dir/display")" "$@"
