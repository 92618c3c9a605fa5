/** Each require of @pulumi/pulumi the adapter gives a stand-in: the module, and the SDK file (relative to the package) that requires it. */
export const STAND_INS: Readonly<Record<string, string>>;
/** A deferred package's stand-in: the package, loaded from `filename` on the first use of any of its properties. */
export function deferredExports(filename: string): object;
