// The Node the project needs, checked first by the preload (infra/fast-start.cjs), so an
// older Node stops with one line instead of failing somewhere obscure (Node 20 runs
// `npm test` as "Could not find 'test/**/*.test.ts'": its test runner takes no globs; a
// Node 22 before 22.15 has no module.registerHooks, which the preload loads TypeScript with).
// The floor is package.json's `engines.node`, the one place it is written.
const { engines } = require("../package.json");

/** The version `engines.node` (">=22.15") asks for at least, as [major, minor]. */
function requiredVersion(range = engines.node) {
  const match = /^>=\s*(\d+)(?:\.(\d+))?$/.exec(String(range).trim());
  if (!match) throw new Error(`package.json engines.node must read ">=<major>.<minor>", not ${JSON.stringify(range)}`);
  return [Number(match[1]), Number(match[2] ?? 0)];
}

/**
 * Why this Node cannot run Slipway, in one line, or undefined when it can. `versions` is
 * process.versions, a parameter so that a test can pass another Node's.
 */
function nodeVersionProblem(versions, range = engines.node) {
  const [major, minor] = requiredVersion(range);
  const [hasMajor, hasMinor] = versions.node.split(".").map(Number);
  if (hasMajor > major || (hasMajor === major && hasMinor >= minor)) return undefined;
  const floor = `${major}.${minor}`;
  return `Slipway needs Node ${floor} or newer (package.json engines: node ${range}); this is Node ${versions.node}: install Node ${floor} or newer, or put it first on PATH`;
}

module.exports = { nodeVersionProblem, requiredVersion };
