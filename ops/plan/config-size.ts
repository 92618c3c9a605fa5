/**
 * How large the stack config is as the Pulumi CLI hands it to the program and to the
 * policy pack: one environment variable, `PULUMI_CONFIG`, a JSON object of every key to
 * its value as text (structured values as JSON). Linux caps one environment string at
 * MAX_ARG_STRLEN, 32 pages of 4 KiB = 128 KiB (include/uapi/linux/binfmts.h); past it the
 * CLI fails with "fork/exec node: argument list too long" (pulumi/pulumi#8680 for the
 * program, #20402 for policy packs, both open). The plan measures it and refuses well
 * before the cap.
 */
import { EncryptedValue, type RawStackConfig } from "../../infra/stack-file";

/** Linux's MAX_ARG_STRLEN: the longest one `NAME=value` environment string may be. */
export const ENVIRONMENT_STRING_LIMIT_BYTES = 32 * 4096;
/** The plan refuses past three quarters of it, leaving room for growth and for secrets. */
export const CONFIG_BUDGET_BYTES = (ENVIRONMENT_STRING_LIMIT_BYTES * 3) / 4;

/**
 * Bytes of `PULUMI_CONFIG=<json>` and its terminating NUL. A secret counts with its
 * ciphertext's length, an upper bound of the plaintext the CLI decrypts. Go's encoder
 * writes `<`, `>`, `&`, U+2028 and U+2029 as six-character escapes, so they count six.
 */
export function configEnvironmentBytes(raw: RawStackConfig): number {
  const asText = (value: unknown): string => {
    if (value instanceof EncryptedValue) return "x".repeat(value.ciphertext.length);
    if (typeof value === "string") return value;
    return JSON.stringify(value, (_, v: unknown) =>
      v instanceof EncryptedValue ? "x".repeat(v.ciphertext.length) : v,
    );
  };
  const json = JSON.stringify(Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, asText(value)])));
  const goEscapes = (json.match(/[<>&\u2028\u2029]/g) ?? []).length;
  return Buffer.byteLength(`PULUMI_CONFIG=${json}`) + goEscapes * 5 + 1;
}

/** A line for the plan, and a refusal when the config is past the budget. */
export function configSizeReport(raw: RawStackConfig, stackFile: string): { line: string; problem?: string } {
  const bytes = configEnvironmentBytes(raw);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const line = `Stack config as the CLI passes it: ${kib(bytes)} of the ${kib(ENVIRONMENT_STRING_LIMIT_BYTES)} one environment variable may hold (Linux MAX_ARG_STRLEN; pulumi/pulumi#8680, #20402)`;
  if (bytes <= CONFIG_BUDGET_BYTES) return { line };
  return {
    line,
    problem:
      `${stackFile}: the config the CLI would pass is ${kib(bytes)}, past Slipway's budget of ${kib(CONFIG_BUDGET_BYTES)} ` +
      `(three quarters of Linux's ${kib(ENVIRONMENT_STRING_LIMIT_BYTES)} cap on one environment variable): pulumi preview would ` +
      `fail with "argument list too long" near the cap. Move large values out of the stack file: apps into their files (apps/<name>.yaml), data into S3.`,
  };
}
