#!/usr/bin/env bash
# Usage: rollback-hint.sh <stack> <version>
# After a failed deploy: the rollback command, as an error on the run and in the job summary.
source "$(dirname "$0")/lib.sh"
stack="$1"
version="$2"
[ -n "$version" ] || fail "$stack failed, and no earlier update succeeded: there is nothing to roll back to (docs/rollback.md)"
command="npm run ops -- rollback $stack --to $version"
echo "::error::$stack failed after the deploy started; roll back with: $command"
echo "Roll back with \`$command\` (docs/rollback.md)." >>"$GITHUB_STEP_SUMMARY"
