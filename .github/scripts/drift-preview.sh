#!/usr/bin/env bash
# Usage: drift-preview.sh <stack>
# A refreshed preview's JSON into preview.json and its exit code into $GITHUB_OUTPUT: 0 when
# nothing differs, 7 when something does, anything else when the preview failed
# (pulumi/pulumi v3.248.0 pkg/cmd/pulumi/cmd/exit_codes.go). The JSON is printed in all
# three cases, a failure's errors in its diagnostics.
source "$(dirname "$0")/lib.sh"
stack="$1"
code=0
pulumi preview --stack "$stack" --refresh --expect-no-changes --json --non-interactive >preview.json || code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
