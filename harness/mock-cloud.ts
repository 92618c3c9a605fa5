/**
 * What the offline run pretends the cloud answers: for each resource its inputs plus the
 * outputs AWS or Kubernetes would compute (ARNs, endpoints, ids), deterministic so that
 * two runs of the same program give the same record. These values are never shown as
 * what the cloud would do; they only let the program's `apply` callbacks run.
 */
import type * as pulumi from "@pulumi/pulumi";
import { WIRE_UNKNOWN } from "./record";
import { POSTGRES_PORT } from "../lib/rds-postgres";

/** Account id used in fake ARNs (AWS's documentation account). */
export const MOCK_ACCOUNT_ID = "123456789012";

/** Marker inside every mocked generated secret (random passwords, tokens). */
export const MOCK_SECRET_MARKER = "mock-generated-secret";

type State = Record<string, unknown>;

/**
 * Outputs a resource type computes, beyond echoing its inputs. The sandbox's simulated
 * plugins (sandbox/simulated-provider.ts) answer with the same shapes.
 */
export function computedOutputs(type: string, name: string, inputs: State, seed: string): State {
  const arn = `arn:aws:mock:us-east-1:${MOCK_ACCOUNT_ID}:${type.split(":")[1]}/${name}`;
  switch (type) {
    case "aws:eks/cluster:Cluster":
      return {
        arn,
        endpoint: `https://${name}.gr7.us-east-1.eks.amazonaws.com`,
        certificateAuthority: { data: "bW9jay1jYQ==" },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${name.toUpperCase()}` }] }],
        vpcConfig: { ...(inputs.vpcConfig as State), clusterSecurityGroupId: `sg-${name}-cluster` },
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { arn, latestVersion: 1 };
    case "aws:kms/key:Key":
      return { arn, keyId: `${name}-key-id` };
    case "aws:rds/instance:Instance":
      return {
        arn,
        address: `${name}.mock.us-east-1.rds.amazonaws.com`,
        endpoint: `${name}.mock.us-east-1.rds.amazonaws.com:${POSTGRES_PORT}`,
        port: inputs.port ?? POSTGRES_PORT,
        // Always in the provider's outputs, empty unless RDS manages the password (pulumi-aws
        // schema, aws:rds/instance:Instance masterUserSecrets). An output a preview does not
        // get back is unknown to the program, so leaving it out made every preview of an
        // unchanged stack show the apps' connection Secrets as changing.
        masterUserSecrets: inputs.manageMasterUserPassword
          ? [
              {
                secretArn: `arn:aws:secretsmanager:us-east-1:${MOCK_ACCOUNT_ID}:secret:rds!${name}`,
                secretStatus: "active",
              },
            ]
          : [],
      };
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return {
        arn,
        primaryEndpointAddress: `master.${name}.mock.use1.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${name}.mock.use1.cache.amazonaws.com`,
      };
    case "random:index/randomPassword:RandomPassword":
    case "random:index/randomString:RandomString":
      return { result: `${MOCK_SECRET_MARKER}-${seed}-${name}` };
    case "random:index/randomId:RandomId": {
      // The outputs @pulumi/random's RandomId computes (hex, b64Std, b64Url, dec), from a
      // fixed stand-in for its random bytes.
      const bytes = Buffer.from(`${seed}-${name}`).subarray(0, Number(inputs.byteLength ?? 4));
      return {
        hex: bytes.toString("hex"),
        b64Std: bytes.toString("base64"),
        b64Url: bytes.toString("base64url"),
        dec: BigInt(`0x${bytes.toString("hex") || "0"}`).toString(),
      };
    }
    default:
      return { arn };
  }
}

/** How the mock cloud answers. */
export interface MockCloudOptions {
  /** Varies the generated secrets, so a test can see what a rotated credential changes. @default "1" */
  readonly seed?: string;
  /**
   * Answer as a preview of a new stack does: no ID, and every computed output unknown.
   * In a preview the engine asks the provider for a create with `preview: true`
   * (`CreateRequest.preview` in pulumi's provider.proto), which returns the checked inputs
   * with every value the provider computes left unknown: known inputs stay known.
   * @default false
   */
  readonly preview?: boolean;
}

/** Every computed output of a resource, unknown. */
function unknownOutputs(computed: State): State {
  return Object.fromEntries(Object.keys(computed).map((key) => [key, WIRE_UNKNOWN]));
}

/** The mocks handed to Pulumi's mock runtime. */
export function createMockCloud(options: MockCloudOptions = {}): pulumi.runtime.Mocks {
  const seed = options.seed ?? "1";
  const preview = options.preview ?? false;
  return {
    newResource(args) {
      const computed = computedOutputs(args.type, args.name, args.inputs, seed);
      if (preview) {
        // The empty ID is how a preview says "not created yet" (runtime/resource.ts treats it as unknown).
        // An auto-name is left unknown too: rules must not depend on when a provider picks it.
        return { id: args.id || "", state: { name: WIRE_UNKNOWN, ...args.inputs, ...unknownOutputs(computed) } };
      }
      return {
        id: args.id || `${args.name}-id`,
        // Providers auto-name resources whose `name` is not set (logical name plus a random
        // suffix); the mock uses the logical name alone, so the value is predictable.
        state: { name: args.name, ...args.inputs, ...computed },
      };
    },
    call(args) {
      return invokeResult(args.token, args.inputs);
    },
  };
}

/** What a data-source function answers: the account, partition and region; else its inputs back. */
export function invokeResult(token: string, inputs: State): State {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`, userId: "mock" };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getRegion:getRegion":
      return { name: "us-east-1", region: "us-east-1" };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken": {
      // A token of the registry asked for, in the form ECR answers (user name "AWS").
      const registryId = String(inputs.registryId ?? MOCK_ACCOUNT_ID);
      const region = String(inputs.region ?? "us-east-1");
      const password = `${MOCK_SECRET_MARKER}-ecr-${registryId}-${region}`;
      return {
        registryId,
        region,
        userName: "AWS",
        password,
        authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
        proxyEndpoint: `https://${registryId}.dkr.ecr.${region}.amazonaws.com`,
        expiresAt: "2026-01-01T12:00:00Z",
        id: region,
      };
    }
    default:
      return inputs;
  }
}
