#!/usr/bin/env bash
# Usage: bookmark.sh <stack>
# Writes version=<n> to $GITHUB_OUTPUT: the newest update that succeeded, the version a
# failed deploy rolls back to (empty for a stack with none yet). A history that cannot be
# read fails the step instead of bookmarking nothing.
source "$(dirname "$0")/lib.sh"
stack="$1"
version="$(npm run -s ops -- history "$stack" --last-succeeded)" || fail "cannot bookmark $stack: its history could not be read (see above)"
echo "version=$version" >>"$GITHUB_OUTPUT"
echo "bookmark: $stack rolls back to ${version:-nothing (no update has succeeded yet)}"
