/** The plan's --json printed in pieces: the text JSON.stringify(value, null, 2) makes, byte for byte. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { printJsonInPieces } from "../../ops/plan/json-output";

/** What printJsonInPieces prints, as console.log would write it, and in how many pieces. */
function printed(value: Record<string, unknown>, pieceChars?: number): { text: string; pieces: number } {
  const pieces: string[] = [];
  printJsonInPieces(value, (text) => pieces.push(`${text}\n`), pieceChars);
  return { text: pieces.join(""), pieces: pieces.length };
}

const CASES: Array<[string, Record<string, unknown>]> = [
  ["an empty object", {}],
  ["scalars", { stack: "production", configBytes: 3122, failed: false, nothing: null }],
  ["empty containers", { resources: [], outputs: {} }],
  ["what JSON leaves out or writes as null", { gone: undefined, list: [undefined, () => 1, 1], after: 2 }],
  ["escaped text", { message: 'two\nlines, "quoted", tab\t and \u2028' }],
  [
    "nested resources",
    {
      summary: "Resources: + 2 to create",
      resources: [
        { urn: "urn:a", inputs: { tags: { Name: "a" }, list: [1, [2, { deep: [] }]] } },
        { urn: "urn:b", inputs: {} },
      ],
      outputs: { endpoint: "[unknown]" },
    },
  ],
];

describe("printJsonInPieces", () => {
  for (const [label, value] of CASES) {
    it(`prints ${label} exactly as JSON.stringify(value, null, 2)`, () => {
      assert.equal(printed(value).text, `${JSON.stringify(value, null, 2)}\n`);
    });
  }

  it("prints a long array in pieces of whole lines, and the same text", () => {
    const value = { resources: Array.from({ length: 500 }, (_, i) => ({ urn: `urn:${i}`, inputs: { i } })) };
    const { text, pieces } = printed(value, 1000);
    assert.ok(pieces > 10, `${pieces} pieces`);
    assert.equal(text, `${JSON.stringify(value, null, 2)}\n`);
  });
});
