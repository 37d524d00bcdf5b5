#!/bin/sh
# Checks what tools/demo does before any work: --help, a wrong option, and
# a desktop demo with no display, which must stop at once and say what to
# do instead. It runs a copy of the script in an empty tree, so a demo that
# went on would find no tools/install-deps and no build rather than
# install packages and build for minutes.
set -eu

demo_source=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tools"
cp "$demo_source" "$dir/tools/demo"
demo="$dir/tools/demo"

echo "1..3"

status=0
out=$(timeout 20 "$demo" --help 2>"$dir/err") || status=$?
if [ "$status" = 0 ] && printf '%s\n' "$out" | grep -q -- '--headless' && [ ! -s "$dir/err" ]; then
  echo "ok 1 - --help prints the options on standard output and exits 0"
else
  echo "not ok 1 - --help exited $status; stdout: $out; stderr: $(cat "$dir/err")"
fi

status=0
timeout 20 "$demo" --no-such-option >/dev/null 2>"$dir/err" || status=$?
if [ "$status" = 2 ] && grep -q 'unknown option --no-such-option' "$dir/err"; then
  echo "ok 2 - a wrong option is named, with the usage, and exits 2"
else
  echo "not ok 2 - a wrong option exited $status: $(cat "$dir/err")"
fi

status=0
timeout 20 env -u DISPLAY -u WAYLAND_DISPLAY "$demo" >/dev/null 2>"$dir/err" || status=$?
if [ "$status" = 1 ] && grep -q 'there is no display' "$dir/err" &&
   grep -q -- '--headless' "$dir/err"; then
  echo "ok 3 - with no display the demo stops before building and offers --headless"
else
  echo "not ok 3 - with no display the demo exited $status: $(cat "$dir/err")"
fi
