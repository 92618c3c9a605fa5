/**
 * The secrets envelope of a stack file as the Pulumi CLI writes it: `secretsprovider`,
 * `encryptionsalt`, `encryptedkey`, and the shape of every `secure:` value. Offline
 * nothing can be decrypted, but a value that cannot be ciphertext (empty, not base64, a
 * hand-edited envelope) can be refused here, instead of by the CLI at the next deploy.
 * Formats from pulumi/pulumi v3.248.0, the CLI this project's SDK pins; each is named
 * beside the check that relies on it.
 */
import { closest } from "../lib/did-you-mean";

/**
 * The provider kinds `pulumi stack init --secrets-provider` accepts: the text before the
 * first ':' must be one of these (pkg/cmd/pulumi/stack/secrets.go, ValidateSecretsProvider).
 */
export const SECRETS_PROVIDER_KINDS = ["default", "passphrase", "awskms", "azurekeyvault", "gcpkms", "hashivault"];

/** The cloud kinds, which keep a KMS-encrypted data key in `encryptedkey` (pkg/secrets/cloud/manager.go). */
const CLOUD_KINDS = ["awskms", "azurekeyvault", "gcpkms", "hashivault"];

/** The top-level keys of a stack file that hold its secrets envelope, as written. */
export interface SecretsEnvelope {
  readonly secretsprovider?: unknown;
  readonly encryptionsalt?: unknown;
  readonly encryptedkey?: unknown;
}

/** How the stack's `secure:` values are encrypted, which decides their shape. */
export type CiphertextForm = "envelope" | "base64" | "either";

/** Standard base64 with padding, as Go's base64.StdEncoding decodes it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's strings.SplitN: at most `n` parts, the last holding the rest. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts = text.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

/** Bytes in a base64 text (valid base64 only). */
const base64Bytes = (text: string) => (text.length / 4) * 3 - (text.match(/=*$/)?.[0].length ?? 0);

/**
 * Why text is not the CLI's symmetric ciphertext, `v1:<base64 nonce>:<base64 ciphertext>`,
 * or undefined when it is: AES-256-GCM with a 12-byte nonce, so the ciphertext holds at
 * least GCM's 16-byte tag (sdk/go/common/resource/config/crypt.go, symmetricCrypter:
 * EncryptValue writes "v1:%s:%s", DecryptValue refuses another version, bad base64 and a
 * nonce of another size). Both the passphrase and the cloud (KMS) providers use it.
 */
export function envelopeProblem(text: string): string | undefined {
  const parts = text.split(":");
  if (parts.length !== 3 || parts[0] !== "v1") return "is not v1:<base64 nonce>:<base64 ciphertext>";
  const [, nonce = "", ciphertext = ""] = parts;
  if (!BASE64.test(nonce) || base64Bytes(nonce) !== 12) return "has a nonce that is not 12 bytes of base64";
  if (!BASE64.test(ciphertext) || base64Bytes(ciphertext) < 16) {
    return "has a ciphertext that is not base64 of at least 16 bytes (the AES-GCM tag alone)";
  }
  return undefined;
}

/**
 * Why a `secure:` value cannot be ciphertext of the stack's provider, or undefined when
 * it can. The Pulumi Cloud provider writes plain base64 (pkg/secrets/service/manager.go,
 * serviceCrypter.EncryptValue); the passphrase and cloud providers the v1 envelope.
 */
export function ciphertextProblem(value: string, form: CiphertextForm): string | undefined {
  if (value === "") return "is empty, not ciphertext";
  const envelope = envelopeProblem(value);
  const base64 = BASE64.test(value) ? undefined : "is not base64";
  if (form === "envelope" && envelope) return `${envelope} (the passphrase and KMS providers' ciphertext)`;
  if (form === "base64" && base64) return `${base64} (Pulumi Cloud's ciphertext is base64)`;
  if (form === "either" && envelope && base64) {
    return "is neither v1:<base64 nonce>:<base64 ciphertext> (passphrase, KMS) nor base64 (Pulumi Cloud)";
  }
  return undefined;
}

/**
 * Problems with the stack file's envelope, one line each without the file's name, and the
 * form its `secure:` values take.
 */
export function envelopeProblems(envelope: SecretsEnvelope): { problems: string[]; form: CiphertextForm } {
  const problems: string[] = [];
  const { secretsprovider: provider, encryptionsalt: salt, encryptedkey: key } = envelope;
  let kind: string | undefined;
  if (provider !== undefined) {
    kind = typeof provider === "string" ? provider.split(":")[0] : undefined;
    if (kind === undefined || !SECRETS_PROVIDER_KINDS.includes(kind)) {
      const near = kind === undefined ? undefined : closest(kind, SECRETS_PROVIDER_KINDS);
      problems.push(
        `secretsprovider: ${JSON.stringify(provider)} is not a secrets provider the Pulumi CLI knows` +
          `${near ? `; did you mean ${near}?` : ""} kinds: default, passphrase, awskms://, azurekeyvault://, gcpkms://, hashivault:// ` +
          `(pulumi/pulumi pkg/cmd/pulumi/stack/secrets.go)`,
      );
    }
  }
  if (salt !== undefined) {
    // "v1:<base64 salt>:<the word 'pulumi' encrypted>", split in three at the first two
    // colons (pkg/secrets/passphrase/manager.go: NewPassphraseSecretsManager writes it,
    // symmetricCrypterFromPhraseAndState reads it).
    const [version, saltText = "", check = ""] = typeof salt === "string" ? splitN(salt, ":", 3) : [];
    if (version !== "v1" || !BASE64.test(saltText) || saltText === "" || envelopeProblem(check)) {
      problems.push(
        `encryptionsalt: is not the passphrase provider's v1:<base64 salt>:v1:<base64 nonce>:<base64 ciphertext> ` +
          `(pulumi/pulumi pkg/secrets/passphrase/manager.go); restore it from version control, or the stack's secrets cannot be decrypted`,
      );
    }
  }
  if (key !== undefined && (typeof key !== "string" || key === "" || !BASE64.test(key))) {
    problems.push(
      `encryptedkey: is not base64 (the KMS-encrypted data key, pulumi/pulumi pkg/secrets/cloud/manager.go); restore it from version control`,
    );
  }
  if (kind === "passphrase" && salt === undefined) {
    problems.push(
      "secretsprovider: passphrase needs the encryptionsalt the CLI wrote beside it; restore it from version control",
    );
  }
  if (kind !== undefined && CLOUD_KINDS.includes(kind) && key === undefined) {
    problems.push(
      `secretsprovider: ${kind} needs the encryptedkey the CLI wrote beside it; restore it from version control`,
    );
  }
  const envelopeForm = salt !== undefined || key !== undefined || (kind !== undefined && kind !== "default");
  const form: CiphertextForm = envelopeForm ? "envelope" : kind === "default" ? "either" : "base64";
  return { problems, form };
}
