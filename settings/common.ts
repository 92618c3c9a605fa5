/**
 * Building blocks shared by the settings modules: strict objects whose unknown-key
 * errors list what is allowed, CIDRs, ARNs, log retention, catalogue checks, and the
 * daily and weekly UTC windows AWS takes for backups and maintenance.
 */
import { z } from "zod";
import { isWholeInternet, parseCidr, privateRangeOf } from "../lib/cidr";

/**
 * An object schema that rejects unknown keys, naming them and the keys it accepts, so a
 * typo in a stack file (`natGateway:` for `natGateways:`) is a clear error, not a silently
 * ignored setting.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed keys: ${allowed}`
        : undefined,
  });
}

/** An IPv4 CIDR with no host bits set, e.g. `10.20.0.0/16`. */
export const cidrBlock = z.string().refine((text) => parseCidr(text) !== undefined, {
  message: "must be an IPv4 CIDR with no host bits set, like 10.20.0.0/16",
});

/**
 * A CIDR allowed to reach a public endpoint: never the whole internet. The runbooks'
 * `0.0.0.0/0` is exactly what must not ship.
 */
export const allowListCidr = cidrBlock
  .refine(
    (text) => {
      const block = parseCidr(text);
      return block === undefined || !isWholeInternet(block);
    },
    { message: "0.0.0.0/0 opens the endpoint to the whole internet; list your office or CI CIDRs instead" },
  )
  .superRefine((text, ctx) => {
    // A request reaches a public endpoint from a public address (from inside the VPC too:
    // through the NAT gateway's address, EKS User Guide, "Cluster API server endpoint"),
    // so a private range in the allow-list can never match anyone.
    const block = parseCidr(text);
    const range = block && privateRangeOf(block);
    if (range) {
      ctx.addIssue({
        code: "custom",
        message: `lies in the private range ${range} (RFC 1918), which no request to a public endpoint comes from: list the public egress addresses of your office, VPN or NAT gateway instead`,
      });
    }
  });

/** An IAM role ARN, e.g. `arn:aws:iam::123456789012:role/platform-admin`. */
export const iamRoleArn = z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/, {
  message: "must be an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin",
});

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A CloudWatch Logs retention in days (one of {@link LOG_RETENTION_DAYS}). */
export const logRetentionDays = z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
  message: `must be one of the retention periods CloudWatch accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** A DNS-1123 label: lower-case letters, digits and `-`, at most 63 characters. */
export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters",
});

/** AWS region names, e.g. `us-east-1`, `eu-central-2`. */
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "must be an AWS region like us-east-1" });

/** Adds one issue per message, all at `path`. */
export function addIssues(ctx: z.RefinementCtx, path: PropertyKey[], messages: string[]): void {
  for (const message of messages) ctx.addIssue({ code: "custom", path, message });
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A host as Slipway compares hosts: lower case, without a trailing dot. DNS names are
 * case-insensitive (RFC 4343) and `api.example.com.` is the fully qualified form of
 * `api.example.com` (RFC 1034, 3.1): each pair is one host.
 */
export const canonicalHost = (host: string) => host.toLowerCase().replace(/\.$/, "");

/**
 * A DNS name like `api.example.com`, written one way only (lower case, no trailing dot,
 * at most 253 characters), so that two spellings of one host cannot pass as two hosts.
 */
export const dnsName = z.string().regex(DNS_NAME, {
  error: (issue) => {
    const host = String(issue.input);
    const canonical = canonicalHost(host);
    return DNS_NAME.test(canonical)
      ? `must be written ${canonical}: DNS names ignore case (RFC 4343) and a trailing dot names the same host, so both spellings are one host`
      : "must be a DNS name like api.example.com";
  },
});

/**
 * A label or taint key as Kubernetes validates it: an optional DNS-subdomain prefix (at
 * most 253 characters) and "/", then a name of at most 63 characters, alphanumeric at
 * both ends with "-", "_" and "." inside (kubernetes.io, "Labels and Selectors",
 * "Syntax and character set"; taint keys follow the same rule).
 */
export const labelKey = z.string().refine(
  (key) => {
    const slash = key.lastIndexOf("/");
    const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
    const nameOk = name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
    const prefixOk =
      prefix === undefined ||
      (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
    return nameOk && prefixOk;
  },
  {
    message:
      "must be a Kubernetes label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
  },
);

/** A label or taint value: empty, or at most 63 characters, alphanumeric at both ends. */
export const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, {
  message:
    "must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
});

/** A string checked against a catalogue: one issue, the catalogue's own words, when it is not in it. */
export const fromCatalogue = (problem: (value: string) => string | undefined, note: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .describe(note);

/** A daily UTC window, e.g. `03:00-04:00` (RDS's backup window, ElastiCache's snapshot window). */
export const dailyWindow = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a UTC window like 03:00-04:00" });
/** A weekly UTC window, e.g. `sun:04:00-sun:05:00` (maintenance windows). */
export const weeklyWindow = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
    {
      message: "must be a UTC window like sun:04:00-sun:05:00",
    },
  );

/** A window as minutes from its start and its length. */
export interface Window {
  readonly start: number;
  readonly length: number;
}
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEK = 7 * 24 * 60;

/** `03:00-04:00` as minutes of the day (a window may cross midnight). */
export function dailyMinutes(text: string): Window {
  const [from = "", to = ""] = text.split("-");
  return { start: minutesOf(from), length: (minutesOf(to) - minutesOf(from) + 1440) % 1440 };
}

/** `sun:04:00-sun:05:00` as minutes of the week (a window may cross the week's end). */
export function weeklyMinutes(text: string): Window {
  const at = (part: string) => DAYS.indexOf(part.slice(0, 3)) * 1440 + minutesOf(part.slice(4));
  const [from, to] = [text.slice(0, 9), text.slice(10)];
  return { start: at(from), length: (at(to) - at(from) + WEEK) % WEEK };
}

/** True when a daily window, on any day, shares a minute with a weekly one. */
export function dailyOverlapsWeekly(daily: Window, weekly: Window): boolean {
  return DAYS.some((_, day) => {
    const start = day * 1440 + daily.start;
    const a = [start, start + daily.length] as const;
    // Compare on the week's circle: shift the weekly window by a week either way.
    return [-WEEK, 0, WEEK].some((shift) => {
      const b = [weekly.start + shift, weekly.start + shift + weekly.length] as const;
      return a[0] < b[1] && b[0] < a[1];
    });
  });
}
