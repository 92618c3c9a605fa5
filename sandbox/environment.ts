/**
 * A sandbox for one stack: where its state, secrets, plugins and simulated cloud live, and
 * the environment that points the real Pulumi CLI (and every `slipway` command) at them.
 *
 * .slipway/sandbox/<stack>/
 *   project/      the project as the CLI sees it: links to this repository's folders, and
 *                 the sandbox's own copy of Pulumi.<stack>.yaml (its salt and secrets)
 *   state/        the file backend (pulumi login file://…)
 *   home/         PULUMI_HOME: plugins, credentials, workspace settings
 *   cloud.json    the simulated cloud: every resource the simulated plugins hold
 *   backups/      what `slipway backup` writes in the sandbox
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isPair, isScalar, parseDocument, visit, type Document } from "yaml";
import { PROJECT_ROOT } from "../lib/project-root";

/** The passphrase of every sandbox stack's secrets: sandboxes hold no real secret. */
export const SANDBOX_PASSPHRASE = "slipway-sandbox-not-a-secret";

/** Environment variables that could let a sandboxed command reach a real account or cluster. */
export const REAL_ACCOUNT_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "KUBECONFIG",
  "PULUMI_ACCESS_TOKEN",
] as const;

/** The folders of one stack's sandbox. */
export interface Sandbox {
  readonly stack: string;
  readonly dir: string;
  readonly projectDir: string;
  readonly stateDir: string;
  readonly homeDir: string;
  readonly cloudFile: string;
  readonly backupsDir: string;
}

/** Where the sandbox of `stack` lives in `repository`. */
export function sandboxOf(stack: string, repository: string = PROJECT_ROOT): Sandbox {
  const dir = path.join(repository, ".slipway", "sandbox", stack);
  return {
    stack,
    dir,
    projectDir: path.join(dir, "project"),
    stateDir: path.join(dir, "state"),
    homeDir: path.join(dir, "home"),
    cloudFile: path.join(dir, "cloud.json"),
    backupsDir: path.join(dir, "backups"),
  };
}

/** Repository entries the sandbox project does not link: its own stack files, git, the sandboxes. */
function linked(entry: string): boolean {
  return !/^Pulumi\.[^.]+\.yaml$/.test(entry) && ![".git", ".slipway"].includes(entry);
}

/** The stack-file keys that belong to the sandbox's secrets provider, never to the committed file. */
const SECRETS_PROVIDER_KEYS = ["encryptionsalt", "secretsprovider", "encryptedkey"];

/**
 * Lays out the sandbox's project: a link to every entry of the repository and the sandbox's
 * own stack file. The copy follows the committed file: when that changes, it is copied
 * again, keeping the sandbox's salt and the secrets set in the sandbox that the committed
 * file does not set (those are encrypted with the sandbox's passphrase; the committed
 * file's `secure:` values, encrypted for the real stack, are dropped: set them in the
 * sandbox with `pulumi config set --secret`). Returns a line for the user when it copied.
 */
export function layOut(sandbox: Sandbox, repository: string = PROJECT_ROOT): string | undefined {
  for (const dir of [sandbox.projectDir, sandbox.stateDir, sandbox.homeDir]) fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(repository).filter(linked)) {
    const link = path.join(sandbox.projectDir, entry);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(repository, entry), link);
  }
  const committed = path.join(repository, `Pulumi.${sandbox.stack}.yaml`);
  const copy = path.join(sandbox.projectDir, `Pulumi.${sandbox.stack}.yaml`);
  const stamp = path.join(sandbox.dir, "stack-file.sha256");
  const text = fs.readFileSync(committed, "utf8");
  const hash = createHash("sha256").update(text).digest("hex");
  if (fs.existsSync(copy) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) return undefined;
  const had = fs.existsSync(copy);
  fs.writeFileSync(copy, followCommitted(text, had ? fs.readFileSync(copy, "utf8") : undefined));
  fs.writeFileSync(stamp, hash);
  return had ? `Pulumi.${sandbox.stack}.yaml changed: the sandbox copied it again` : undefined;
}

/** The committed stack file, with the sandbox's provider keys and sandbox-set secrets carried over. */
export function followCommitted(committedText: string, sandboxText: string | undefined): string {
  const next = parseDocument(committedText);
  for (const key of SECRETS_PROVIDER_KEYS) next.delete(key);
  for (const { keys } of secureValues(next)) next.deleteIn(keys);
  if (sandboxText !== undefined) {
    const previous = parseDocument(sandboxText);
    for (const key of SECRETS_PROVIDER_KEYS) {
      const value = previous.get(key, true);
      if (value !== undefined) next.set(key, value);
    }
    for (const { keys, node } of secureValues(previous)) {
      if (!next.hasIn(keys)) next.setIn(keys, node);
    }
  }
  return next.toString();
}

/**
 * Every `secure:` value of a stack file, at its key path (`pulumi config set --path
 * --secret` nests them: `config: { slipway:platform: { token: { secure: … } } }`).
 */
function secureValues(doc: Document): Array<{ keys: unknown[]; node: unknown }> {
  const found: Array<{ keys: unknown[]; node: unknown }> = [];
  visit(doc, {
    Pair(_, pair, ancestors) {
      const value = pair.value;
      if (
        !isMap(value) ||
        value.items.length !== 1 ||
        !isScalar(value.items[0]?.key) ||
        value.items[0].key.value !== "secure"
      )
        return;
      const keys = [...ancestors.filter(isPair), pair].map((p) => (isScalar(p.key) ? p.key.value : p.key));
      found.push({ keys, node: value });
    },
  });
  return found;
}

/** The folder of a real Pulumi Node.js language host beside `pulumi`, or on PATH, if there is one. */
export function realLanguageHost(pulumiBinary: string, searchPath: string): string | undefined {
  const candidates = [path.dirname(fs.realpathSync(pulumiBinary)), ...searchPath.split(path.delimiter)];
  return candidates.find((dir) => dir !== "" && isExecutable(path.join(dir, "pulumi-language-nodejs")));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The environment a command runs with in the sandbox: the file backend, the passphrase,
 * the sandbox's PULUMI_HOME, the simulated plugins first on PATH (and the stand-in language
 * host where no real one is installed), and no variable that could reach a real account.
 */
export function sandboxEnvironment(
  sandbox: Sandbox,
  pulumiDir: string,
  base: NodeJS.ProcessEnv,
  useStandInHost: boolean,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of REAL_ACCOUNT_VARIABLES) delete env[name];
  const own = [path.join(PROJECT_ROOT, "sandbox", "plugins"), pulumiDir];
  if (useStandInHost) own.unshift(path.join(PROJECT_ROOT, "sandbox", "host"));
  return {
    ...env,
    PATH: [...own, base.PATH ?? ""].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${sandbox.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: SANDBOX_PASSPHRASE,
    PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
    PULUMI_HOME: sandbox.homeDir,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    SLIPWAY_SANDBOX: sandbox.stack,
    SLIPWAY_SANDBOX_CLOUD: sandbox.cloudFile,
    SLIPWAY_WORKSPACE_DIR: sandbox.projectDir,
    SLIPWAY_BACKUP_DIR: sandbox.backupsDir,
  };
}
