#!/usr/bin/env bash
# Usage: backup.sh <stack>
# The state, secrets encrypted, with its checksum; copied to BACKUP_S3_URI when it is set.
source "$(dirname "$0")/lib.sh"
stack="$1"
npm run -s ops -- backup "$stack" ${BACKUP_S3_URI:+--s3 "$BACKUP_S3_URI"}
