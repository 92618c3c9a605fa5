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
} from "../../components/cidr";

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
  it("gives three AZs /19 private and /21 public subnets in a /16, none overlapping", () => {
    const { privatePrefixLength, publicPrefixLength } = defaultPrefixLengths(16, 3);
    assert.deepEqual([privatePrefixLength, publicPrefixLength], [19, 21]);
    const plan = planSubnets("10.30.0.0/16", 3, 19, 21);
    assert.notEqual(typeof plan, "string");
    const { privateCidrs, publicCidrs } = plan as Exclude<typeof plan, string>;
    assert.deepEqual(privateCidrs, ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"]);
    assert.deepEqual(publicCidrs, ["10.30.96.0/21", "10.30.104.0/21", "10.30.112.0/21"]);
    assert.deepEqual(checkSubnetCidrs("10.30.0.0/16", [...privateCidrs, ...publicCidrs]), []);
  });
  it("aligns a smaller block after a larger one", () => {
    const plan = planSubnets("10.0.0.0/16", 2, 18, 24);
    assert.deepEqual(plan, {
      privateCidrs: ["10.0.0.0/18", "10.0.64.0/18"],
      publicCidrs: ["10.0.128.0/24", "10.0.129.0/24"],
    });
  });
  it("says so when the subnets do not fit", () => {
    assert.match(planSubnets("10.0.0.0/24", 3, 25, 26) as string, /do not fit in 10\.0\.0\.0\/24/);
  });
  it("refuses subnets smaller than /28 or not smaller than the VPC", () => {
    assert.match(planSubnets("10.0.0.0/24", 2, 29, 29) as string, /at most \/28/);
    assert.match(planSubnets("10.0.0.0/16", 2, 16, 20) as string, /longer than the VPC/);
  });
});

describe("checkSubnetCidrs", () => {
  it("reports overlap, outside the VPC and malformed entries, one message each", () => {
    const problems = checkSubnetCidrs("10.0.0.0/16", ["10.0.0.0/20", "10.0.8.0/24", "10.1.0.0/24", "bad"]);
    assert.deepEqual(problems, [
      "10.0.8.0/24 overlaps 10.0.0.0/20",
      "10.1.0.0/24 is outside the VPC 10.0.0.0/16",
      "bad is not a valid IPv4 CIDR",
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
