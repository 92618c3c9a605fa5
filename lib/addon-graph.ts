/**
 * Ordering of the platform add-ons by what they need. Pure: the Platform component and
 * config validation call it, and the plan uses it to show deployment waves. An add-on's
 * wave is one more than the latest wave among its needs, so add-ons with no path between
 * them never wait for each other.
 */

/** One node of the graph: a name and the names it needs. */
export interface GraphNode<K extends string = string> {
  /** Node name. */
  readonly key: K;
  /** Names this node waits for. */
  readonly needs: readonly string[];
}

/** A problem with the graph, in words a person can act on. */
export interface GraphProblem {
  /** The node the problem is about. */
  readonly key: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Checks the enabled part of the graph: every need names a known node, no enabled node
 * needs a disabled one, and there is no cycle. Returns every problem found.
 *
 * @param nodes   every node of the catalog
 * @param enabled the nodes switched on
 */
export function checkGraph(nodes: readonly GraphNode[], enabled: ReadonlySet<string>): GraphProblem[] {
  const known = new Map(nodes.map((n) => [n.key, n]));
  const problems: GraphProblem[] = [];
  for (const node of nodes) {
    if (!enabled.has(node.key)) continue;
    for (const need of node.needs) {
      if (!known.has(need)) {
        problems.push({ key: node.key, message: `${node.key} needs "${need}", which is not in the catalog` });
      } else if (!enabled.has(need)) {
        problems.push({
          key: node.key,
          message: `${node.key} needs ${need}, which is disabled; enable ${need} or disable ${node.key} too`,
        });
      }
    }
  }
  const cycle = findCycle(nodes.filter((n) => enabled.has(n.key)));
  if (cycle?.[0] !== undefined) problems.push({ key: cycle[0], message: `dependency cycle: ${cycle.join(" -> ")}` });
  return problems;
}

/** A cycle as a path that starts and ends at the same node, or `undefined`. */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (key: string): string[] | undefined => {
    if (state.get(key) === "done") return undefined;
    if (state.get(key) === "visiting") return [...path.slice(path.indexOf(key)), key];
    state.set(key, "visiting");
    path.push(key);
    for (const need of byKey.get(key)?.needs ?? []) {
      if (!byKey.has(need)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(key, "done");
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.key);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Groups nodes into waves: wave 0 needs nothing, wave n needs something in wave n-1 and
 * nothing later. Needs that name nodes outside `nodes` are ignored (they are disabled or
 * belong to another layer). Throws on a cycle; call {@link checkGraph} first.
 */
export function computeWaves<K extends string>(nodes: readonly GraphNode<K>[]): K[][] {
  const byKey = new Map(nodes.map((n) => [n.key as string, n]));
  const cycle = findCycle(nodes);
  if (cycle) throw new Error(`dependency cycle: ${cycle.join(" -> ")}`);
  const waveOf = new Map<string, number>();
  const wave = (key: string): number => {
    const known = waveOf.get(key);
    if (known !== undefined) return known;
    const needs = (byKey.get(key)?.needs ?? []).filter((n) => byKey.has(n));
    const value = needs.length === 0 ? 0 : 1 + Math.max(...needs.map(wave));
    waveOf.set(key, value);
    return value;
  };
  const waves: K[][] = [];
  for (const node of nodes) {
    const index = wave(node.key);
    (waves[index] ??= []).push(node.key);
  }
  return waves;
}

/**
 * The longest chain of needs through the graph, weighted by each node's duration, and
 * its total. Used for the critical path of a deployment.
 */
export function criticalPath<K extends string>(
  nodes: readonly GraphNode<K>[],
  durationOf: (key: K) => number,
): { path: K[]; total: number } {
  const byKey = new Map(nodes.map((n) => [n.key as string, n]));
  const best = new Map<string, { total: number; path: K[] }>();
  const longest = (key: K): { total: number; path: K[] } => {
    const known = best.get(key);
    if (known) return known;
    let result = { total: durationOf(key), path: [key] };
    for (const need of byKey.get(key)?.needs ?? []) {
      if (!byKey.has(need)) continue;
      const upstream = longest(need as K);
      if (upstream.total + durationOf(key) > result.total) {
        result = { total: upstream.total + durationOf(key), path: [...upstream.path, key] };
      }
    }
    best.set(key, result);
    return result;
  };
  let winner = { total: 0, path: [] as K[] };
  for (const node of nodes) {
    const candidate = longest(node.key);
    if (candidate.total > winner.total) winner = candidate;
  }
  return winner;
}
