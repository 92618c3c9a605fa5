// The Node the project needs, checked first by the preload (infra/fast-start.cjs), so an
// older Node stops with one line instead of failing somewhere obscure (Node 20 runs
// `npm test` as "Could not find 'test/**/*.test.ts'": its test runner takes no globs).
// The floor is package.json's `engines.node`, the one place it is written.
const { engines } = require("../package.json");

/** The major version `engines.node` (">=22") asks for at least. */
function requiredMajor(range = engines.node) {
  const match = /^>=\s*(\d+)(\.\d+){0,2}$/.exec(String(range).trim());
  if (!match) throw new Error(`package.json engines.node must read ">=<major>", not ${JSON.stringify(range)}`);
  return Number(match[1]);
}

/**
 * Why this Node cannot run Slipway, in one line, or undefined when it can. `versions` is
 * process.versions, a parameter so that a test can pass another Node's.
 */
function nodeVersionProblem(versions, range = engines.node) {
  const floor = requiredMajor(range);
  if (Number(versions.node.split(".")[0]) >= floor) return undefined;
  return `Slipway needs Node ${floor} or newer (package.json engines: node ${range}); this is Node ${versions.node}: install Node ${floor}, or put it first on PATH`;
}

module.exports = { nodeVersionProblem, requiredMajor };
