import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkGraph, computeWaves, criticalPath, findCycle, type GraphNode } from "../../lib/addon-graph";

const node = (key: string, ...needs: string[]): GraphNode => ({ key, needs });
const all = (nodes: GraphNode[]) => new Set(nodes.map((n) => n.key));

describe("computeWaves", () => {
  it("puts each node in the wave right after its latest need", () => {
    const nodes = [node("d", "b", "c"), node("a"), node("b", "a"), node("c"), node("e", "a")];
    assert.deepEqual(computeWaves(nodes), [["a", "c"], ["b", "e"], ["d"]]);
  });
  it("keeps nodes with no path between them in the same wave", () => {
    assert.deepEqual(computeWaves([node("x"), node("y"), node("z")]), [["x", "y", "z"]]);
  });
  it("ignores needs outside the given nodes (disabled add-ons)", () => {
    assert.deepEqual(computeWaves([node("a", "gone"), node("b", "a")]), [["a"], ["b"]]);
  });
  it("refuses a cycle", () => {
    assert.throws(() => computeWaves([node("a", "b"), node("b", "a")]), /dependency cycle: a -> b -> a/);
  });
});

describe("checkGraph", () => {
  it("accepts a sound graph", () => {
    const nodes = [node("a"), node("b", "a")];
    assert.deepEqual(checkGraph(nodes, all(nodes)), []);
  });
  it("names an unknown need", () => {
    const nodes = [node("a", "typo")];
    assert.deepEqual(checkGraph(nodes, all(nodes)), [
      { key: "a", message: 'a needs "typo", which is not in the catalog' },
    ]);
  });
  it("names a disabled need and says how to fix it", () => {
    const nodes = [node("a"), node("b", "a")];
    assert.deepEqual(checkGraph(nodes, new Set(["b"])), [
      { key: "b", message: "b needs a, which is disabled; enable a or disable b too" },
    ]);
  });
  it("does not complain about a disabled node's needs", () => {
    const nodes = [node("a"), node("b", "a")];
    assert.deepEqual(checkGraph(nodes, new Set(["a"])), []);
  });
  it("reports a cycle with its path", () => {
    const nodes = [node("a", "c"), node("b", "a"), node("c", "b")];
    assert.deepEqual(checkGraph(nodes, all(nodes)), [{ key: "a", message: "dependency cycle: a -> c -> b -> a" }]);
    assert.deepEqual(findCycle([node("self", "self")]), ["self", "self"]);
  });
});

describe("criticalPath", () => {
  it("follows the longest weighted chain", () => {
    const nodes = [node("a"), node("b", "a"), node("c"), node("d", "b", "c")];
    const minutes: Record<string, number> = { a: 10, b: 5, c: 30, d: 1 };
    assert.deepEqual(
      criticalPath(nodes, (k) => minutes[k]),
      { path: ["c", "d"], total: 31 },
    );
  });
});
