/**
 * The explicit AWS provider every AWS resource goes through. Explicit (not the default
 * provider) so the region and the tags are part of the program, visible in the plan, and
 * not left to whatever `aws:` config or environment the operator happens to have.
 */
import * as aws from "@pulumi/aws";
import type { StackConfig } from "./config";

/** The AWS provider for a stack: its region and the tags every resource carries. */
export function createAwsProvider(config: StackConfig): aws.Provider {
  return new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: {
      tags: { project: config.project, stack: config.stack, owner: config.owner, "managed-by": "pulumi" },
    },
  });
}
