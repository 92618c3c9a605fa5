/**
 * Where the apps serve their hosts across every stack: DNS sends one name to one load
 * balancer, and each stack has its own, so a host belongs to one stack and one app.
 */
import { canonicalHost } from "../common";
import { isMapping, stackEntry, type AppFile } from "./file";

/** Where one app serves one host in one stack, as its file says. */
interface HostUse {
  readonly stack: string;
  readonly file: string;
  readonly host: string;
  readonly path: string;
  /** Where the host is written: `ingress.host` or `stacks.<stack>.ingress.host`. */
  readonly at: string;
}

/** Every host every app serves in every stack, from the files as written. */
function hostUses(files: readonly AppFile[], stacks: readonly string[]): HostUse[] {
  return stacks.flatMap((stack) =>
    files.flatMap((appFile) => {
      const override = stackEntry(appFile.document, stack);
      if (override?.enabled === false) return [];
      const fromStack = override !== undefined && "ingress" in override;
      const ingress = fromStack ? override.ingress : appFile.document.ingress;
      if (!isMapping(ingress) || typeof ingress.host !== "string") return [];
      const route = typeof ingress.path === "string" ? ingress.path : "/";
      const at = fromStack ? `stacks.${stack}.ingress.host` : "ingress.host";
      return [{ stack, file: appFile.file, host: canonicalHost(ingress.host), path: route, at }];
    }),
  );
}

/**
 * Hosts served twice, in every stack, not only the one planned: one host in two stacks
 * (DNS sends a name to one load balancer, and each stack has its own), and, in the other
 * stacks, one host and path in two apps (the planned stack's are reported with its apps,
 * settings/apps/stack.ts). One problem per clash.
 */
export function hostClashes(files: readonly AppFile[], stacks: readonly string[], planned: string): string[] {
  const byHost = new Map<string, HostUse[]>();
  for (const use of hostUses(files, stacks)) byHost.set(use.host, [...(byHost.get(use.host) ?? []), use]);
  const problems: string[] = [];
  for (const [host, uses] of byHost) {
    const routes = new Map<string, HostUse>();
    for (const use of uses) {
      const route = `${use.stack} ${use.path}`;
      const twin = routes.get(route);
      if (!twin) routes.set(route, use);
      else if (use.stack !== planned) {
        problems.push(
          `${use.file}: ${use.at}: ${host}${use.path} is already served in ${use.stack} by ${twin.file}; one route, one app`,
        );
      }
    }
    const stacksOf = [...new Set(uses.map((u) => u.stack))];
    if (stacksOf.length < 2) continue;
    // One problem per host, where it first appears in a second stack, naming every place.
    const at = uses.find((u) => u.stack !== stacksOf[0])!;
    const places = uses.map((u) => `${u.stack} (${u.file} ${u.at})`).join(", ");
    problems.push(
      `${at.file}: ${at.at}: ${host} is served in ${stacksOf.length} stacks, ${places}: DNS sends one host to one stack's load balancer; give each stack its own host`,
    );
  }
  return problems;
}
