/** The major version package.json's `engines.node` (">=22") asks for at least. */
export function requiredMajor(range?: string): number;
/** Why this Node cannot run Slipway, in one line, or undefined when it can (`versions`: process.versions). */
export function nodeVersionProblem(versions: { readonly node: string }, range?: string): string | undefined;
