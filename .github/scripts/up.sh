#!/usr/bin/env bash
# Usage: up.sh <stack> <message>
# `pulumi up` with the policy pack at the stack's tier's levels; the message names the commit.
source "$(dirname "$0")/lib.sh"
stack="$1"
message="$2"
config="$(policy_config "$stack")"
pulumi up --stack "$stack" --yes --non-interactive --message "$message" --policy-pack policy --policy-pack-config "$config"
