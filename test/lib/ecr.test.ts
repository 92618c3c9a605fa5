import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ecrRegistryOf } from "../../lib/ecr";

/** [reference, the registry it is on, or undefined]. */
const cases: Array<[string, ReturnType<typeof ecrRegistryOf>]> = [
  [
    "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts",
    { accountId: "123456789012", region: "us-east-1", host: "123456789012.dkr.ecr.us-east-1.amazonaws.com" },
  ],
  [
    "123456789012.dkr.ecr.eu-central-1.amazonaws.com/mirror/quay.io/jetstack/cert-manager-webhook",
    { accountId: "123456789012", region: "eu-central-1", host: "123456789012.dkr.ecr.eu-central-1.amazonaws.com" },
  ],
  [
    "oci://210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/charts",
    { accountId: "210987654321", region: "cn-north-1", host: "210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn" },
  ],
  [
    "oci://123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/charts",
    { accountId: "123456789012", region: "us-gov-west-1", host: "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com" },
  ],
  ["oci://public.ecr.aws/charts", undefined],
  ["oci://ghcr.io/actions/actions-runner-controller-charts", undefined],
  ["oci://12345.dkr.ecr.us-east-1.amazonaws.com/charts", undefined],
  ["oci://123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/charts", undefined],
  ["https://charts.jetstack.io", undefined],
];

describe("ECR registries", () => {
  for (const [reference, registry] of cases) {
    it(`${reference}: ${registry ? `account ${registry.accountId} in ${registry.region}` : "not ECR"}`, () =>
      assert.deepEqual(ecrRegistryOf(reference), registry));
  }
});
