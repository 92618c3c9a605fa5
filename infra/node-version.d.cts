/** The version package.json's `engines.node` (">=22.15") asks for at least, as [major, minor]. */
export function requiredVersion(range?: string): [number, number];
/** Why this Node cannot run Slipway, in one line, or undefined when it can (`versions`: process.versions). */
export function nodeVersionProblem(versions: { readonly node: string }, range?: string): string | undefined;
