#!/usr/bin/env bash
# Usage: preview.sh <stack>
# `pulumi preview` of this commit with the policy pack at the stack's tier's levels: what
# the production approver sees before the gate.
source "$(dirname "$0")/lib.sh"
stack="$1"
config="$(policy_config "$stack")"
pulumi preview --stack "$stack" --non-interactive --policy-pack policy --policy-pack-config "$config"
