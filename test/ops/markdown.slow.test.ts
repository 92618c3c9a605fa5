/** The plan as Markdown, as a pull request shows it. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { PolicyPackServer } from "../../harness/policy-pack";
import { PROJECT_ROOT } from "../../lib/project-root";
import { commentMarker } from "../../ops/plan/markdown";
import { readReplacementTriggers } from "../../policy/replacement-triggers";
import { planInProcess, temporaryFolder } from "../helpers";

after(() => PolicyPackServer.stopShared());

/**
 * The elements GitHub's sanitizer lets through (gjtorikian/html-pipeline,
 * lib/html/pipeline/sanitization_filter.rb, the allow-list GitHub published); any other
 * element is removed.
 */
const GITHUB_ALLOWED = new Set(
  `h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul
   table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s
   strike summary details caption figure figcaption abbr bdo cite dfn mark small span time wbr`.split(/\s+/),
);
/** A raw HTML open or closing tag as CommonMark reads one (spec, 6.6 Raw HTML): `<Slack incoming-webhook URL>` is one. */
const TAG = /<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/g;
const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' };

/**
 * What a reader sees of a comment's text on GitHub, as far as HTML goes: fenced code blocks
 * and code spans stay as written; elsewhere HTML comments are hidden, a tag not on the
 * allow-list is dropped with the text written inside it, and entities show as their
 * characters. Returns that text, the dropped tags and the hidden comments.
 */
function githubRender(markdown: string): { text: string; dropped: string[]; hidden: string[] } {
  const dropped: string[] = [];
  const hidden: string[] = [];
  const prose = (part: string) =>
    part
      .replace(/<!--[^]*?-->/g, (comment) => (hidden.push(comment), ""))
      .replace(TAG, (tag, name: string) => (GITHUB_ALLOWED.has(name.toLowerCase()) ? tag : (dropped.push(tag), "")))
      .replace(/&(lt|gt|amp|quot);/g, (entity) => ENTITIES[entity]);
  // Odd parts are code (a fenced block, or a code span): literal on GitHub.
  const text = markdown
    .split(/(^```[^\n]*\n[^]*?\n```$|`[^`\n]+`)/m)
    .map((part, i) => (i % 2 === 1 ? part : prose(part)))
    .join("");
  return { text, dropped, hidden };
}

describe("the comment as GitHub renders it", () => {
  it("loses no text of a real plan's comment: the data loss, the advice and the placeholders read as written", async () => {
    const dir = temporaryFolder("slipway-markdown-");
    const file = path.join(dir, "Pulumi.production.yaml");
    const document = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), "utf8"));
    document.config["slipway:database"].databaseName = "orders";
    fs.writeFileSync(file, stringify(document));
    const { code, stdout } = await planInProcess("production", "--stack-dir", dir, "--base", "HEAD", "--markdown");
    assert.equal(code, 1, "a data-losing change fails the plan");
    const shown = githubRender(stdout);
    assert.deepEqual(shown.dropped, [], "GitHub would drop these, and the text in them");
    assert.deepEqual(shown.hidden, [commentMarker("production")], "only the marker is hidden");
    // The advisory's fix and the warning, with their placeholder, as a reader must type them.
    const placeholder = "pulumi config set --secret slipway:alertmanagerWebhookUrl <Slack incoming-webhook URL>";
    assert.ok(shown.text.split(placeholder).length - 1 >= 2, "in the warning and in the policy table's fix");
    assert.ok(shown.text.includes(readReplacementTriggers()["aws:rds/instance:Instance"].avoid!), "the advice, whole");
    // What the change does comes before the reference parts.
    const at = (heading: string) => stdout.indexOf(heading);
    assert.ok(at("#### Data loss") > 0);
    assert.ok(at("#### Data loss") < at("#### Changes, resource by resource"));
    assert.ok(at("#### Changes, resource by resource") < at("#### Monthly cost: "));
    assert.ok(at("#### Monthly cost: ") < at("#### Policy"));
  });
});
