/**
 * A customer-managed KMS key with rotation on and a 30-day deletion window, plus an
 * alias. Every component that encrypts data makes its own, so one key's policy or
 * deletion never reaches another store's data.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link createEncryptionKey}. */
export interface EncryptionKeyArgs {
  /** Logical name; the alias is `alias/<aliasName>`. */
  readonly name: string;
  /** Alias name without `alias/`, e.g. `slipway-production-database`. */
  readonly aliasName: string;
  /** What the key encrypts. */
  readonly description: string;
  /** Pulumi `protect` on the key. */
  readonly protect: boolean;
  /**
   * Leave the key in AWS when Pulumi deletes it. Right for keys under snapshots and
   * backups: a deleted key makes every copy encrypted with it unreadable.
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

/** Creates the key and its alias under `parent`. */
export function createEncryptionKey(args: EncryptionKeyArgs, parent: pulumi.Resource): aws.kms.Key {
  const key = new aws.kms.Key(
    args.name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { Name: args.aliasName },
    },
    { parent, protect: args.protect, retainOnDelete: args.retainOnDelete ?? false },
  );
  new aws.kms.Alias(args.name, { name: `alias/${args.aliasName}`, targetKeyId: key.keyId }, { parent });
  return key;
}
