/** The README's examples run as written, and what it lists matches the program. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";

const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

describe("the README stays a first read", () => {
  it("is under 15 KB and starts with the fresh-clone commands", () => {
    assert.ok(Buffer.byteLength(readme) < 15 * 1024, `${Buffer.byteLength(readme)} bytes`);
    const firstSection = readme.split(/\n## /)[1];
    assert.match(
      firstSection,
      /^On a fresh clone\n\n```sh\nnpm ci\nnpm run plan -- staging .*\nnpm test .*\nnpm run test:slow .*\n```/,
    );
  });

  it("links only to files that exist", () => {
    const docs = fs.readdirSync(path.join(PROJECT_ROOT, "docs")).map((f) => path.join("docs", f));
    for (const file of ["README.md", "CONTRIBUTING.md", ...docs.filter((f) => f.endsWith(".md"))]) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
        if (/^https?:/.test(target) || !/^[\w./-]+$/.test(target)) continue;
        const resolved = path.join(PROJECT_ROOT, path.dirname(file), target);
        assert.ok(fs.existsSync(resolved), `${file} links to ${target}, which does not exist`);
      }
    }
  });
});
