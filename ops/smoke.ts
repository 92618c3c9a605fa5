/**
 * `npm run smoke -- <stack>`: after `pulumi up`, every app's health endpoint answers 200.
 * Reads the `appUrls` stack output (public URLs; in-cluster ones are skipped), retries
 * for a few minutes while DNS, certificates and rollouts settle. Exits 1 naming the app
 * that never answered.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { exitWhenFlushed, exitCleanlyOnOutputError } from "./exit";
import { hasPulumiCli } from "./commands/common";

const USAGE = `Usage: npm run smoke -- <stack> [--path /health] [--minutes 5]

Requests <url><path> for every public URL in the stack's appUrls output until each
answers 200, for at most --minutes. Needs the Pulumi CLI (pulumi stack output).`;

/** The public health URLs of an `appUrls` output. */
export function healthUrls(appUrls: Record<string, string>, healthPath: string): Array<[string, string]> {
  return Object.entries(appUrls)
    .filter(([, url]) => url.startsWith("https://"))
    .map(([app, url]) => [app, `${url.replace(/\/$/, "")}${healthPath}`]);
}

/** The `smoke` command; returns its exit code. Also `slipway smoke`. */
export async function smokeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      path: { type: "string", default: "/health" },
      minutes: { type: "string", default: "5" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return (console.log(USAGE), 0);
  if (positionals.length !== 1) return (console.error(`smoke: name one stack\n\n${USAGE}`), 2);
  if (!hasPulumiCli()) {
    console.error(
      "smoke: the Pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/); this command reads the stack's appUrls output with it",
    );
    return 1;
  }
  let output: string;
  try {
    output = execFileSync("pulumi", ["stack", "output", "appUrls", "--json", "--stack", String(positionals[0])], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    console.error(`smoke: cannot read the appUrls output: ${(error as Error).message.split("\n")[0]}`);
    return 1;
  }
  const deadline = Date.now() + Number(values.minutes) * 60_000;
  for (const [app, url] of healthUrls(JSON.parse(output) as Record<string, string>, values.path!)) {
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    if (status !== 200) {
      console.error(`smoke: ${app} did not answer 200 at ${url} (last status ${status || "no answer"})`);
      return 1;
    }
    console.log(`ok  ${app}  ${url}`);
  }
  return 0;
}

// Run as a command, not when a test imports healthUrls.
if (require.main === module) {
  exitCleanlyOnOutputError("smoke");
  void smokeCommand(process.argv.slice(2)).then((code) => exitWhenFlushed(code));
}
