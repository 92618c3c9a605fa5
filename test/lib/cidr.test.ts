import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkSubnetCidrs,
  contains,
  coverWholeInternet,
  defaultPrefixLengths,
  formatCidr,
  overlaps,
  parseCidr,
  planSubnets,
  privateRangeOf,
  type SubnetPlan,
} from "../../lib/cidr";
import { nodeSubnetProblem } from "../../lib/eks-network";

describe("parseCidr", () => {
  const cases: Array<[string, string | undefined]> = [
    ["10.20.0.0/16", "10.20.0.0/16"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["192.168.1.128/25", "192.168.1.128/25"],
    ["10.20.0.1/16", undefined], // host bits set
    ["10.0.0.256/24", undefined],
    ["10.0.0.0/33", undefined],
    ["10.0.0/24", undefined],
    ["not a cidr", undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${text} -> ${expected ?? "rejected"}`, () => {
      const block = parseCidr(text);
      assert.equal(block === undefined ? undefined : formatCidr(block), expected);
    });
  }
});

describe("contains / overlaps", () => {
  const block = (t: string) => parseCidr(t)!;
  it("a /19 inside its /16", () => assert.ok(contains(block("10.0.0.0/16"), block("10.0.32.0/19"))));
  it("a /16 is not inside a /19", () => assert.ok(!contains(block("10.0.32.0/19"), block("10.0.0.0/16"))));
  it("neighbouring blocks do not overlap", () => assert.ok(!overlaps(block("10.0.0.0/24"), block("10.0.1.0/24"))));
  it("nested blocks overlap either way round", () => {
    assert.ok(overlaps(block("10.0.0.0/23"), block("10.0.1.0/24")));
    assert.ok(overlaps(block("10.0.1.0/24"), block("10.0.0.0/23")));
  });
});

describe("planSubnets", () => {
  it("gives three zones /20 private and /22 public subnets in a /16, each in its letter's slot", () => {
    const { privatePrefixLength, publicPrefixLength } = defaultPrefixLengths(16);
    assert.deepEqual([privatePrefixLength, publicPrefixLength], [20, 22]);
    const plan = planSubnets("10.30.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], 20, 22);
    assert.notEqual(typeof plan, "string");
    const { privateCidrs, publicCidrs } = plan as Exclude<typeof plan, string>;
    assert.deepEqual(privateCidrs, ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"]);
    assert.deepEqual(publicCidrs, ["10.30.128.0/22", "10.30.132.0/22", "10.30.136.0/22"]);
    assert.deepEqual(checkSubnetCidrs("10.30.0.0/16", [...privateCidrs, ...publicCidrs]), []);
  });
  it("keeps a zone's subnets where they were when another zone is dropped (the 10.30.96.0/21 case)", () => {
    const three = planSubnets("10.30.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], 20, 22) as SubnetPlan;
    const two = planSubnets("10.30.0.0/16", ["us-east-1a", "us-east-1c"], 20, 22) as SubnetPlan;
    assert.deepEqual(two.privateCidrs, [three.privateCidrs[0], three.privateCidrs[2]]);
    assert.deepEqual(two.publicCidrs, [three.publicCidrs[0], three.publicCidrs[2]]);
  });
  it("fits the smallest VPC, a /24, with /28 subnets for every zone letter", () => {
    const { privatePrefixLength, publicPrefixLength } = defaultPrefixLengths(24);
    assert.deepEqual([privatePrefixLength, publicPrefixLength], [28, 28]);
    const plan = planSubnets("10.0.0.0/24", ["x-1a", "x-1h"], 28, 28) as SubnetPlan;
    assert.deepEqual(plan.privateCidrs, ["10.0.0.0/28", "10.0.0.112/28"]);
    assert.deepEqual(plan.publicCidrs, ["10.0.0.128/28", "10.0.0.240/28"]);
  });
  it("says which zone does not fit when the subnets are too large for its slot", () => {
    assert.match(
      planSubnets("10.0.0.0/16", ["us-east-1a", "us-east-1c"], 18, 22) as string,
      /^us-east-1c's private subnet \(slot 2, \/18\) does not fit in its half of 10\.0\.0\.0\/16: each half holds 2 \/18 subnets$/,
    );
  });
  it("refuses subnets smaller than /28 or not smaller than half the VPC", () => {
    assert.match(planSubnets("10.0.0.0/24", ["x-1a"], 29, 28) as string, /at most \/28/);
    assert.match(planSubnets("10.0.0.0/16", ["x-1a"], 17, 20) as string, /longer than half the VPC \(\/17\)/);
  });
});

describe("planSubnets, property: a zone's subnets depend on its letter alone", () => {
  // A small deterministic generator, so a failure reproduces.
  let seed = 20261122;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const letters = ["a", "b", "c", "d", "e", "f"];
  const shuffledSubset = () =>
    letters
      .filter(() => random() < 0.6)
      .sort(() => random() - 0.5)
      .map((l) => `us-east-1${l}`);
  for (const [vpc, prefix] of [
    ["10.30.0.0/16", 16],
    ["172.16.0.0/20", 20],
    ["192.168.8.0/22", 22],
  ] as const) {
    it(`in ${vpc}: 200 random zone lists, each zone at the same CIDRs as alone, none overlapping`, () => {
      const { privatePrefixLength, publicPrefixLength } = defaultPrefixLengths(prefix);
      const alone = new Map(
        letters.map((l) => {
          const zone = `us-east-1${l}`;
          return [zone, planSubnets(vpc, [zone], privatePrefixLength, publicPrefixLength) as SubnetPlan];
        }),
      );
      for (let run = 0; run < 200; run++) {
        const zones = shuffledSubset();
        if (zones.length === 0) continue;
        const plan = planSubnets(vpc, zones, privatePrefixLength, publicPrefixLength) as SubnetPlan;
        zones.forEach((zone, i) => {
          assert.equal(plan.privateCidrs[i], alone.get(zone)!.privateCidrs[0], `${zone} in ${zones.join(",")}`);
          assert.equal(plan.publicCidrs[i], alone.get(zone)!.publicCidrs[0], `${zone} in ${zones.join(",")}`);
        });
        assert.deepEqual(checkSubnetCidrs(vpc, [...plan.privateCidrs, ...plan.publicCidrs]), []);
      }
    });
  }
});

describe("checkSubnetCidrs", () => {
  it("reports overlap, outside the VPC, a size AWS refuses and malformed entries, one message each at its index", () => {
    const problems = checkSubnetCidrs("10.0.0.0/16", [
      "10.0.0.0/20",
      "10.0.8.0/24",
      "10.1.0.0/24",
      "bad",
      "10.0.64.0/29",
      "10.0.0.0/15",
    ]);
    assert.deepEqual(problems, [
      { index: 1, message: "overlaps 10.0.0.0/20" },
      { index: 2, message: "is outside the VPC 10.0.0.0/16" },
      { index: 3, message: "is not a valid IPv4 CIDR" },
      { index: 4, message: 'is a /29; AWS subnets are /16 to /28 (VPC User Guide, "Subnet CIDR blocks")' },
      { index: 5, message: 'is a /15; AWS subnets are /16 to /28 (VPC User Guide, "Subnet CIDR blocks")' },
    ]);
  });
});

describe("coverWholeInternet", () => {
  const blocks = (...cidrs: string[]) => cidrs.map((c) => parseCidr(c)!);
  const cases: Array<[string[], boolean]> = [
    [["0.0.0.0/0"], true],
    [["0.0.0.0/1", "128.0.0.0/1"], true],
    [["128.0.0.0/1", "0.0.0.0/1"], true],
    [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], true],
    [["0.0.0.0/1", "128.0.0.0/2"], false],
    [["0.0.0.0/1", "128.0.0.1/32"], false],
    [["198.51.100.0/24"], false],
    [[], false],
  ];
  for (const [cidrs, expected] of cases) {
    it(`${cidrs.join(" + ") || "nothing"}: ${expected ? "the whole internet" : "not all of it"}`, () => {
      assert.equal(coverWholeInternet(blocks(...cidrs)), expected);
    });
  }
});

describe("privateRangeOf: RFC 1918, whole blocks only", () => {
  const cases: Array<[string, string | undefined]> = [
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["10.255.255.255/32", "10.0.0.0/8"],
    ["172.16.0.0/12", "172.16.0.0/12"],
    ["172.31.255.0/24", "172.16.0.0/12"],
    ["172.32.0.0/16", undefined],
    ["172.15.0.0/16", undefined],
    ["192.168.0.0/16", "192.168.0.0/16"],
    ["192.169.0.0/16", undefined],
    ["11.0.0.0/8", undefined],
    ["8.0.0.0/7", undefined], // holds 9.0.0.0/8 but not all of 10/8: partly public, so it can match
    ["0.0.0.0/1", undefined],
    ["203.0.113.0/28", undefined],
  ];
  for (const [cidr, range] of cases) {
    it(`${cidr} -> ${range ?? "public (in part at least)"}`, () =>
      assert.equal(privateRangeOf(parseCidr(cidr)!), range));
  }
});

describe("nodeSubnetProblem: EKS's 6 addresses and 10 for each node, after AWS's 5", () => {
  const cases: Array<[string, number, boolean]> = [
    ["10.0.0.0/28", 0, true], // 11 usable, EKS takes 6
    ["10.0.0.0/28", 1, false], // 11 < 16
    ["10.0.0.0/26", 5, true], // 59 >= 56
    ["10.0.0.0/26", 6, false], // 59 < 66
    ["10.0.0.0/20", 408, true], // 4091 >= 4086
    ["10.0.0.0/20", 409, false], // 4091 < 4096
  ];
  for (const [cidr, nodes, fits] of cases) {
    it(`${cidr} with ${nodes} node(s) a zone ${fits ? "fits" : "is refused, with the numbers"}`, () => {
      const problem = nodeSubnetProblem(parseCidr(cidr)!, nodes);
      if (fits) assert.equal(problem, undefined);
      else
        assert.match(
          problem ?? "",
          /^has \d+ usable addresses \(AWS keeps 5 of every subnet\), but needs at least \d+: 6 for EKS/,
        );
    });
  }
});
