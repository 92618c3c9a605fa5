# Shared by the workflow scripts: strict mode, a one-line failure, the stack's policy levels.
# The scripts run where the job runs (the checkout; the sandbox's project in the tests) and
# read and write files there, as the steps they replace did.
set -euo pipefail

# Fails the step with one line, as a GitHub error annotation.
fail() {
  echo "::error::$*"
  exit 1
}

# The policy-pack config for a stack: the levels of its slipway:tier, not of its name.
policy_config() {
  local tier
  tier="$(node -e 'const {parse}=require("yaml");const f=`Pulumi.${process.argv[1]}.yaml`;console.log(parse(require("fs").readFileSync(f,"utf8")).config["slipway:tier"]??"")' "$1")" ||
    fail "cannot read slipway:tier from Pulumi.$1.yaml"
  [ -f "policy/config/$tier.json" ] || fail "Pulumi.$1.yaml: slipway:tier \"$tier\" has no policy/config/$tier.json"
  echo "policy/config/$tier.json"
}
