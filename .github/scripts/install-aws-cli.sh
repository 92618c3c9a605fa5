#!/usr/bin/env bash
# Usage: install-aws-cli.sh
# Puts the AWS CLI v2 on the job's PATH (through $GITHUB_PATH), unless the job has one.
# The deploy, preview and drift jobs run on the stack's own runner scale set, whose image
# (ghcr.io/actions/actions-runner, the gha-runner-scale-set chart's default) has curl and
# unzip but no AWS CLI (actions/runner v2.336.0 images/Dockerfile), and they need it: the
# kubeconfig the program builds authenticates with `aws eks get-token`
# (components/kubeconfig.ts) and the backup copies with `aws s3 cp` (ops/commands/backup.ts).
# aws-actions/configure-aws-credentials only exports credentials; it installs nothing.
#
# The command-line installer, as the AWS CLI user guide gives it for Linux ("Installing or
# updating to the latest version of the AWS CLI", and "Installing past releases" for the
# versioned file name): a pinned release, unpacked and installed under the runner user's
# home with --install-dir and --bin-dir, so no sudo is needed.
source "$(dirname "$0")/lib.sh"

# Pinned like the Pulumi CLI, so two runs of one commit install the same CLI.
AWS_CLI_VERSION="2.36.11"
prefix="${AWS_CLI_PREFIX:-$HOME/.local}"

if command -v aws >/dev/null 2>&1; then
  echo "install-aws-cli: $(command -v aws) is already on PATH: $(aws --version 2>&1)"
  exit 0
fi
# The two architectures the AWS CLI v2 ships a Linux installer for.
machine="$(uname -m)"
case "$machine" in
  x86_64 | aarch64) ;;
  *) fail "install-aws-cli: no AWS CLI v2 installer for $machine; the AWS CLI ships x86_64 and aarch64 for Linux" ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="https://awscli.amazonaws.com/awscli-exe-linux-$machine-$AWS_CLI_VERSION.zip"
curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --output "$work/awscliv2.zip" "$url" ||
  fail "install-aws-cli: cannot download $url (the job needs a route to awscli.amazonaws.com: NAT, docs/deploy.md)"
unzip -q "$work/awscliv2.zip" -d "$work" || fail "install-aws-cli: $url is not a whole zip archive"
"$work/aws/install" --install-dir "$prefix/aws-cli" --bin-dir "$prefix/bin" --update ||
  fail "install-aws-cli: the AWS CLI installer failed"
echo "$prefix/bin" >>"$GITHUB_PATH"
echo "install-aws-cli: $("$prefix/bin/aws" --version 2>&1)"
