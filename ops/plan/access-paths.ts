/**
 * The plan's access paths: for each actor of a stack (the deploy from an admin machine or
 * the deploy network, the workflow jobs that deploy, preview and check drift, the nodes,
 * each pod with an IAM role, the load-balancer integration, cert-manager's issuers), each
 * call it must make, the network route that reaches the callee and what lets it in. A call
 * with no route, no grant or no tool is a finding that fails the plan. Modelled from the
 * recorded program (every resource with its inputs and which resources each input came
 * from), the stack config and the workflows; the facts it takes as given are
 * access-needs.ts, with their sources (docs/fidelity.md, "Access paths").
 */
import * as path from "node:path";
import { parseStackConfig } from "../../infra/config";
import type { RawStackConfig } from "../../infra/stack-file";
import type { ProgramRecord } from "../../harness/record";
import { FACTS, type FactName } from "./access-needs";
import { deployers, workflowActors } from "./access-deploy";
import {
  Actor,
  Graph,
  Network,
  type AccessFinding,
  type AccessInput,
  type AccessReport,
  type Leg,
} from "./access-network";
import { issuers, loadBalancers, nodes, podRoles } from "./access-workloads";
import { workflowJobs } from "./workflow-jobs";
import { PROJECT_ROOT } from "../../lib/project-root";

export type { AccessFinding, AccessInput, AccessPath, AccessReport, Leg } from "./access-network";

/** Runs the check. */
export function accessPaths(input: AccessInput): AccessReport {
  const g = new Graph(input.record);
  const net = new Network(g, input.config.region);
  const notes: string[] = [];
  const actors: Actor[] = [
    ...deployers(g, net, input.config),
    ...workflowActors(g, net, input, notes),
    nodes(g, net, input.config),
    ...podRoles(g, net),
    ...loadBalancers(g, net),
    ...issuers(g, net),
  ];
  const paths = actors.flatMap((a) => a.paths);
  const findings = paths.flatMap((p) =>
    (["route", "grant", "tool"] as const).flatMap((leg) => {
      const l = p[leg];
      return l?.status === "missing" ? [{ actor: p.actor, call: p.call, leg, missing: l.text }] : [];
    }),
  );
  return { paths, findings, notes };
}

/** The check of a recorded stack, with its stack file's config and this checkout's workflows. */
export function stackAccessPaths(record: ProgramRecord, rawConfig: RawStackConfig, stack: string): AccessReport {
  const config = parseStackConfig(rawConfig, { project: record.project, stack, stackFile: `Pulumi.${stack}.yaml` });
  return accessPaths({ record, config, workflows: workflowJobs(path.join(PROJECT_ROOT, ".github", "workflows")) });
}

const MARK: Record<Leg["status"], string> = { ok: "", missing: "MISSING: ", external: "outside this program: " };

/** The report as text: each actor, its calls, and each leg. */
export function renderAccessPaths(report: AccessReport): string {
  const lines: string[] = [...report.notes.map((n) => `note: ${n}`)];
  let actor = "";
  for (const path of report.paths) {
    if (path.actor !== actor) {
      actor = path.actor;
      lines.push(actor);
    }
    const bad = [path.route, path.grant, path.tool].some((l) => l?.status === "missing");
    lines.push(`  ${bad ? "[missing]" : "[ok]     "} ${path.call}`);
    lines.push(`      route: ${MARK[path.route.status]}${path.route.text}`);
    lines.push(`      grant: ${MARK[path.grant.status]}${path.grant.text}`);
    if (path.tool) lines.push(`      tool:  ${MARK[path.tool.status]}${path.tool.text}`);
  }
  return lines.join("\n");
}

/** One line per finding, for the plan's closing lines and the Markdown. */
export function describeFinding(f: AccessFinding): string {
  return `${f.actor} -> ${f.call}: no ${f.leg}: ${f.missing}`;
}

/** The facts each path relies on, with sources, for --json. */
export function factsOf(report: AccessReport): Record<string, (typeof FACTS)[FactName]> {
  const names = [...new Set(report.paths.flatMap((p) => p.facts))].sort();
  return Object.fromEntries(names.map((n) => [n, FACTS[n]]));
}

/** The failure line of a report with findings: none without. */
export function accessFailures(report: AccessReport): string[] {
  const count = report.findings.length;
  return count > 0 ? [`${count} access path(s) missing a route, grant or tool`] : [];
}

/** The plan's section: its heading, then every path. */
export function accessSection(report: AccessReport, bold: (text: string) => string = (t) => t): string {
  const heading = `${bold("Access paths")} (each actor's calls: the route that reaches the callee, what lets it in; sources: docs/fidelity.md)`;
  return `${heading}\n${renderAccessPaths(report)}`;
}

/** The plan's closing lines for the findings: one per finding, after a blank line. */
export function accessClosing(report: AccessReport): string[] {
  if (report.findings.length === 0) return [];
  return [`\nplan: ${accessFailures(report)[0]}:`, ...report.findings.map((f) => `  - ${describeFinding(f)}`)];
}
