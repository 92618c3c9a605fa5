/**
 * The catalogues of what AWS offers (instance types, classes, node types, engine
 * versions): checked against an independent list where one is installed, against the
 * price table, and for the answers they give on a typo.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InstanceType } from "@pulumi/aws/types/enums/ec2";

import { nearest } from "../../lib/did-you-mean";
import {
  amiArchitecture,
  EC2_INSTANCE_FAMILIES,
  EC2_INSTANCE_TYPES,
  instanceArchitecture,
  instanceTypeProblem,
} from "../../lib/ec2-instance-types";
import {
  instanceClassMemoryBytes,
  instanceClassProblem,
  POSTGRES_MAJORS,
  POSTGRES_RELEASES,
  postgresVersionProblem,
  RDS_INSTANCE_CLASSES,
} from "../../lib/rds-postgres";
import { CACHE_NODE_TYPES, cacheNodeTypeProblem, redisVersionProblem } from "../../lib/elasticache";
import { NODE_AMI_TYPES } from "../../settings/cluster";
import { loadPrices, pricedRegions } from "../../ops/cost/prices";

describe("the EC2 catalogue", () => {
  it("holds only instance types the AWS provider knows (@pulumi/aws's InstanceType enum)", () => {
    const known = new Set<string>(Object.values(InstanceType));
    assert.deepEqual(
      EC2_INSTANCE_TYPES.filter((type) => !known.has(type)),
      [],
    );
  });

  it("calls a family arm64 exactly when it is a Graviton family (a g after the generation)", () => {
    for (const [family, { architecture }] of Object.entries(EC2_INSTANCE_FAMILIES)) {
      assert.equal(architecture, /^[a-z]+\dg$/.test(family) ? "arm64" : "x86_64", family);
    }
  });

  it("reads the architecture from every AMI type Slipway allows", () => {
    assert.deepEqual(
      NODE_AMI_TYPES.map((ami) => [ami, amiArchitecture(ami)]),
      [
        ["AL2023_x86_64_STANDARD", "x86_64"],
        ["AL2023_ARM_64_STANDARD", "arm64"],
        ["BOTTLEROCKET_x86_64", "x86_64"],
        ["BOTTLEROCKET_ARM_64", "arm64"],
      ],
    );
  });

  const cases: Array<[string, string | undefined]> = [
    ["m6i.large", undefined],
    ["m7g.medium", undefined],
    ["m6i.mega", "did you mean m6i.large?"],
    ["m6i.medium", "did you mean m6i.large?"],
    ["t3.micro", "did you mean t3.medium?"],
    ["m6i.metal", "did you mean m6i.large?"],
    ["x9.large", "did you mean "],
    ["M6I.LARGE", "did you mean m6i.large?"],
  ];
  for (const [type, says] of cases) {
    it(`${type} is ${says ? "refused" : "taken"}`, () => {
      const problem = instanceTypeProblem(type);
      if (says === undefined) assert.equal(problem, undefined);
      else assert.ok(problem?.includes(says), problem);
      assert.equal(instanceArchitecture(type) === undefined, says !== undefined);
    });
  }
});

describe("the RDS catalogue", () => {
  it("knows each class's memory: the stack files' db.r6g.xlarge has 32 GiB, db.t4g.medium 4", () => {
    assert.equal(instanceClassMemoryBytes("db.r6g.xlarge"), 32 * 1024 ** 3);
    assert.equal(instanceClassMemoryBytes("db.t4g.medium"), 4 * 1024 ** 3);
    assert.equal(instanceClassMemoryBytes("db.t4g.mega"), undefined);
  });

  it("refuses a class for a major its family does not run, naming both", () => {
    const families = { m8g: { memoryGiB: { large: 8 }, postgresMajors: [16, 17] } };
    assert.equal(instanceClassProblem("db.m8g.large", "17.2", families), undefined);
    assert.match(
      instanceClassProblem("db.m8g.large", "15", families) ?? "",
      /^does not run PostgreSQL 15 \(engineVersion "15"\): it runs 16, 17 \(https:/,
    );
  });

  const versions: Array<[string, RegExp | undefined]> = [
    ["15", undefined],
    ["15.2", undefined],
    ["17.9", undefined],
    ["13.23", undefined],
    ["16.99", /^is not a PostgreSQL 16 release on RDS; did you mean 16\.9\? RDS shipped 16\.1 to 16\.13 /],
    ["15.1", /did you mean 15\.\d+\? RDS shipped 15\.2 to 15\.17/],
    ["17.0", /did you mean 17\.\d\? RDS shipped 17\.1 to/],
    ["12", /^is not a PostgreSQL major version 13\.\.17, the majors Slipway takes$/],
    ["18.1", /^is not a PostgreSQL major version 13\.\.17/],
  ];
  for (const [version, says] of versions) {
    it(`PostgreSQL ${version} is ${says ? "refused" : "taken"}`, () => {
      const problem = postgresVersionProblem(version);
      if (says === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? "", says);
    });
  }

  it("has a release range for every major Slipway takes, and no other", () => {
    assert.deepEqual(Object.keys(POSTGRES_RELEASES).map(Number), [...POSTGRES_MAJORS]);
  });
});

describe("the ElastiCache catalogue", () => {
  const cases: Array<[string, string | undefined]> = [
    ["cache.r6g.large", undefined],
    ["cache.t4g.small", undefined],
    ["cache.x9.large", "did you mean cache."],
    ["cache.r6g.mega", "did you mean cache.r6g.large?"],
    ["cache.m5.8xlarge", "cache.m5 comes in large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge"],
  ];
  for (const [type, says] of cases) {
    it(`${type} is ${says ? "refused" : "taken"}`, () => {
      const problem = cacheNodeTypeProblem(type);
      if (says === undefined) assert.equal(problem, undefined);
      else assert.ok(problem?.includes(says), problem);
    });
  }

  it("takes Redis 7.0 and 7.1 and nothing else", () => {
    assert.deepEqual(
      ["7.0", "7.1", "7.2", "7.9", "6.2", "7"].map((v) => redisVersionProblem(v) === undefined),
      [true, true, false, false, false, false],
    );
  });
});

describe("the price tables price only what the catalogues hold", () => {
  // A price for a type that does not exist is a typo in the table; a type the config
  // refuses can never reach the estimate, so it can never come out cheaper than it is.
  for (const region of pricedRegions()) {
    it(`ops/cost/prices/${region}.yaml`, () => {
      const prices = loadPrices(region);
      assert.deepEqual(
        Object.keys(prices.ec2.instanceHour).filter((t) => !EC2_INSTANCE_TYPES.includes(t)),
        [],
        "EC2 types priced but not in lib/ec2-instance-types.ts",
      );
      assert.deepEqual(
        Object.keys(prices.rds.postgresInstanceHour).filter((c) => !RDS_INSTANCE_CLASSES.includes(c)),
        [],
        "RDS classes priced but not in lib/rds-postgres.ts",
      );
      assert.deepEqual(
        Object.keys(prices.elasticache.nodeHour).filter((t) => !CACHE_NODE_TYPES.includes(t)),
        [],
        "ElastiCache node types priced but not in lib/elasticache.ts",
      );
    });
  }
});

describe("nearest: a suggestion from a catalogue", () => {
  const cases: Array<[string, string[], string]> = [
    ["db.t4g.mega", ["db.t4g.micro", "db.t4g.medium", "db.t4g.large"], "db.t4g.medium"],
    ["16.99", ["16.1", "16.9", "16.13"], "16.9"],
    ["zzzz", ["a", "b"], "a"],
  ];
  for (const [name, candidates, expected] of cases) {
    it(`${name} -> ${expected}`, () => assert.equal(nearest(name, candidates), expected));
  }
});
