/**
 * The one SDK internal the program uses: whether a config key was `secure:` in the stack
 * file. The CLI passes the secret keys beside the config (`PULUMI_CONFIG_SECRET_KEYS`), and
 * the SDK keeps them in its runtime store; `@pulumi/pulumi`'s public API reads a value
 * (`pulumi.runtime.getConfig`, `pulumi.Config#get`/`getSecret`) but never says whether
 * the stack file held it as a secret, which the program needs to refuse a secret where a
 * plain value belongs and to keep the secret ones encrypted.
 *
 * Relies on `isConfigSecret(key)` in `runtime/config.js` of @pulumi/pulumi
 * {@link VERIFIED_SDK_VERSION} (marked `@internal`, so missing from its .d.ts).
 * test/harness/sdk-internals.test.ts fails when an upgrade moves or changes it.
 */

/** The @pulumi/pulumi version this adapter was written against and tested on. */
export const VERIFIED_SDK_VERSION = "3.248.0";

/** The shape of the SDK module this adapter reads. */
export interface RuntimeConfigModule {
  isConfigSecret(key: string): boolean;
}

/** `runtime/config.js`, which the SDK itself loads first; requiring it changes nothing. */
export function runtimeConfigModule(): RuntimeConfigModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deep path, internal to the SDK; only this adapter names it
  return require("@pulumi/pulumi/runtime/config") as RuntimeConfigModule;
}

/** True when the stack file held `key` (namespaced, `slipway:cluster`) as a `secure:` value. */
export function isSecretConfigKey(key: string): boolean {
  return runtimeConfigModule().isConfigSecret(key);
}
