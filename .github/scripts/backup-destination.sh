#!/usr/bin/env bash
# Usage: backup-destination.sh <stack> [--required]
# Without BACKUP_S3_URI the backup stays on the runner and is gone with it: a warning, or
# with --required (production) an error before anyone is asked to approve (docs/deploy.md).
source "$(dirname "$0")/lib.sh"
stack="$1"
[ -n "${BACKUP_S3_URI:-}" ] && exit 0
if [ "${2:-}" = "--required" ]; then
  fail "BACKUP_S3_URI is not set: $stack is not deployed without a state backup that outlives the runner (docs/deploy.md, Backups)"
fi
echo "::warning::BACKUP_S3_URI is not set: the $stack state backup stays on this runner and is lost with it (docs/deploy.md, Backups)"
