#!/usr/bin/env bash
# Usage: drift-report.sh <stack> <preview exit code> <run url>
# The drift issue's content into drift.json; a failed preview fails the step, so the issue
# step does not run and an open drift issue stays as it is.
source "$(dirname "$0")/lib.sh"
npm run -s ops -- drift-report "$1" --preview-json preview.json --preview-exit-code "$2" --run-url "$3" >drift.json
