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
import { githubRender } from "./github-render";

after(() => PolicyPackServer.stopShared());

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
