/**
 * `npm run plan -- --compare <stackA> <stackB>`: what one stack declares that the other
 * does not, every differing input, and the monthly cost difference item by item.
 */
import { costDelta, renderCostDelta } from "../cost/render";
import { runProgram } from "../../harness/run";
import { stackCost } from "./cost";
import { diffRecords, renderDiff } from "./diff";
import type { Style } from "../style";

/** Compares two stacks; returns the exit code (2 when not given exactly two). */
export async function compare(
  stacks: string[],
  options: { json: boolean; "stack-dir"?: string; "cost-date"?: string },
  style: Style,
  usage: string,
): Promise<number> {
  const { json, "stack-dir": stackDir } = options;
  const [leftStack, rightStack] = stacks;
  if (stacks.length !== 2 || leftStack === undefined || rightStack === undefined) {
    console.error(`plan: --compare takes two stacks, e.g. --compare staging production\n\n${usage}`);
    return 2;
  }
  const [left, right] = await Promise.all([
    runProgram({ stack: leftStack, projectDir: stackDir }),
    runProgram({ stack: rightStack, projectDir: stackDir }),
  ]);
  const diff = diffRecords(left, right);
  const [leftCost, rightCost] = [stackCost(left, options["cost-date"]), stackCost(right, options["cost-date"])];
  const delta =
    "estimate" in leftCost && "estimate" in rightCost ? costDelta(leftCost.estimate, rightCost.estimate) : undefined;
  if (json) {
    console.log(
      JSON.stringify(
        {
          left: leftStack,
          right: rightStack,
          onlyLeft: diff.removed.map((r) => r.urn),
          onlyRight: diff.added.map((r) => r.urn),
          differing: diff.changed.map((c) => ({ resource: c.after.name, type: c.after.type, paths: c.paths })),
          ...(delta ? { costDelta: delta } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(style.bold(`Stack ${leftStack} against stack ${rightStack}`));
  console.log(renderDiff(diff, leftStack, rightStack));
  if (delta) console.log(`\n${renderCostDelta(delta, rightStack, `stack ${leftStack}`)}`);
  return 0;
}
