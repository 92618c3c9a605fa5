/**
 * The secrets envelope of a stack file: what the Pulumi CLI writes is taken, what it
 * could never have written (and could never decrypt) is one problem each, at its key.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { readStackFile, StackFileError } from "../../infra/stack-file";
import { ciphertextProblem, envelopeProblem, envelopeProblems } from "../../infra/stack-secrets";
import { ProgramError, runProgram } from "../../harness/run";
import { temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

// Real output of the CLI, from pulumi/pulumi v3.248.0's own tests: tests/roundtrip/roundtrip_test.go
// (a passphrase stack) and sdk/python/lib/test/automation/data/testproj/Pulumi.int_test_983828.yaml
// (a Pulumi Cloud stack).
const SALT = "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==";
const PASSPHRASE_VALUE = "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==";
const SERVICE_VALUE = "AAABAII+gDfUcpoMRLtxD5xT9Nj99gx5gycEreX7Kd0s+XQfUEk=";
/** Made up here, in the shape of a KMS-encrypted data key: base64. */
const KMS_KEY = "AQICAHhAA2Dq3NqhYsx3zKgEz0Wm2n3TWLhNCQcNHvn5sR1cGAE=";

/** Production's stack file with an envelope and the given webhook secret, written to a temporary folder. */
function stackFile(envelope: Record<string, unknown>, webhook: unknown, stack = "production"): string {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
  const head = Object.keys(envelope).length > 0 ? stringify(envelope) : "";
  const file = path.join(temporaryFolder("slipway-secrets-"), `Pulumi.${stack}.yaml`);
  // JSON is YAML: the webhook goes in as written, whatever it is.
  fs.writeFileSync(
    file,
    head + text.replace(/^config:\n/m, `config:\n  slipway:alertmanagerWebhookUrl: ${JSON.stringify(webhook)}\n`),
  );
  return file;
}

/** The lines of the error reading a stack file gives, or [] when it reads. */
function problemsReading(file: string): string[] {
  try {
    readStackFile(file, "slipway");
    return [];
  } catch (error) {
    assert.ok(error instanceof StackFileError, String(error));
    return error.message
      .split("\n")
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ""));
  }
}

describe("the CLI's own output is taken", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a passphrase stack (encryptionsalt, no provider)", { encryptionsalt: SALT }, PASSPHRASE_VALUE],
    ["a passphrase stack named so", { secretsprovider: "passphrase", encryptionsalt: SALT }, PASSPHRASE_VALUE],
    [
      "an AWS KMS stack (its values use the passphrase stacks' envelope, with a KMS data key)",
      { secretsprovider: "awskms://alias/slipway-production?region=us-east-1", encryptedkey: KMS_KEY },
      PASSPHRASE_VALUE,
    ],
    ["a Pulumi Cloud stack (no envelope)", {}, SERVICE_VALUE],
    ["a default-provider stack", { secretsprovider: "default" }, SERVICE_VALUE],
  ];
  for (const [what, envelope, value] of cases) {
    it(what, () => assert.deepEqual(problemsReading(stackFile(envelope, { secure: value })), []));
  }
});

describe("what the CLI could never have written is one problem each, at its key", () => {
  const cases: Array<[string, Record<string, unknown>, unknown, RegExp[]]> = [
    [
      "an empty secure value",
      { encryptionsalt: SALT },
      { secure: "" },
      [
        /^slipway:alertmanagerWebhookUrl: its secure: value is empty, not ciphertext; set it again with pulumi config set --secret 'slipway:alertmanagerWebhookUrl' <value>$/,
      ],
    ],
    [
      "a plain value pasted into secure:",
      { encryptionsalt: SALT },
      { secure: "https://hooks.slack.com/services/T0/B0/x" },
      [
        /^slipway:alertmanagerWebhookUrl: its secure: value is not v1:<base64 nonce>:<base64 ciphertext> \(the passphrase and KMS providers' ciphertext\)/,
      ],
    ],
    [
      "a passphrase value with a short nonce",
      { encryptionsalt: SALT },
      { secure: "v1:T1ftqhY0:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==" },
      [/its secure: value has a nonce that is not 12 bytes of base64/],
    ],
    [
      "a passphrase value of another version",
      { encryptionsalt: SALT },
      { secure: PASSPHRASE_VALUE.replace(/^v1/, "v2") },
      [/is not v1:<base64 nonce>:<base64 ciphertext>/],
    ],
    [
      "a passphrase value whose ciphertext is shorter than the GCM tag",
      { encryptionsalt: SALT },
      { secure: "v1:T1ftqhY0hqr+EJK6:AAAA" },
      [/has a ciphertext that is not base64 of at least 16 bytes/],
    ],
    [
      "a Pulumi Cloud value that is not base64",
      {},
      { secure: "not base64!" },
      [/^slipway:alertmanagerWebhookUrl: its secure: value is not base64 \(Pulumi Cloud's ciphertext is base64\)/],
    ],
    [
      "a number as a secure value",
      { encryptionsalt: SALT },
      { secure: 12345 },
      [/its secure: value is not text, so not ciphertext/],
    ],
    [
      "an unknown secrets provider, with the nearest kind",
      { secretsprovider: "awskm://alias/x", encryptedkey: KMS_KEY },
      { secure: PASSPHRASE_VALUE },
      [
        /^secretsprovider: "awskm:\/\/alias\/x" is not a secrets provider the Pulumi CLI knows; did you mean awskms\? kinds: default, passphrase, awskms:\/\/, azurekeyvault:\/\/, gcpkms:\/\/, hashivault:\/\/ \(pulumi\/pulumi pkg\/cmd\/pulumi\/stack\/secrets\.go\)$/,
      ],
    ],
    [
      "a malformed encryptionsalt",
      { encryptionsalt: "v1:ThS5UPxP9qc=" },
      { secure: PASSPHRASE_VALUE },
      [/^encryptionsalt: is not the passphrase provider's v1:<base64 salt>:v1:<base64 nonce>:<base64 ciphertext>/],
    ],
    [
      "an encryptionsalt whose check is not ciphertext",
      { encryptionsalt: "v1:ThS5UPxP9qc=:pulumi" },
      { secure: PASSPHRASE_VALUE },
      [/^encryptionsalt: is not the passphrase provider's/],
    ],
    [
      "a passphrase provider without its salt",
      { secretsprovider: "passphrase" },
      { secure: PASSPHRASE_VALUE },
      [/^secretsprovider: passphrase needs the encryptionsalt the CLI wrote beside it/],
    ],
    [
      "a KMS provider without its data key",
      { secretsprovider: "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k" },
      { secure: PASSPHRASE_VALUE },
      [/^secretsprovider: gcpkms needs the encryptedkey the CLI wrote beside it/],
    ],
    [
      "an encryptedkey that is not base64",
      { secretsprovider: "hashivault://mykey", encryptedkey: "vault:v1:abc" },
      { secure: PASSPHRASE_VALUE },
      [/^encryptedkey: is not base64/],
    ],
  ];
  for (const [what, envelope, webhook, says] of cases) {
    it(what, () => {
      const problems = problemsReading(stackFile(envelope, webhook));
      assert.equal(problems.length, says.length, problems.join("\n"));
      says.forEach((pattern, i) => assert.match(problems[i], pattern));
      for (const p of problems) assert.ok(!p.includes("T1ftqhY0hqr"), "a ciphertext is never printed");
    });
  }

  it("names the exact path of a secure value deep inside a key, with --path", () => {
    const file = stackFile({ encryptionsalt: SALT }, { secure: PASSPHRASE_VALUE });
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(
          "logTypes: [api, audit, authenticator, controllerManager, scheduler]",
          'logTypes: [api, { secure: "" }]',
        ),
    );
    assert.deepEqual(problemsReading(file), [
      "slipway:cluster.logTypes[1]: its secure: value is empty, not ciphertext; set it again with pulumi config set --secret --path 'slipway:cluster.logTypes[1]' <value>",
    ]);
  });
});

describe("the pieces, on their own", () => {
  it("envelopeProblem takes the CLI's values and the salt's check", () => {
    assert.equal(envelopeProblem(PASSPHRASE_VALUE), undefined);
    assert.equal(envelopeProblem(SALT.slice(SALT.indexOf(":", 3) + 1)), undefined);
  });

  it("ciphertextProblem takes either form when the provider is 'default'", () => {
    assert.equal(ciphertextProblem(PASSPHRASE_VALUE, "either"), undefined);
    assert.equal(ciphertextProblem(SERVICE_VALUE, "either"), undefined);
    assert.match(ciphertextProblem("v1:x", "either") ?? "", /is neither/);
  });

  it("envelopeProblems picks the form from what the file holds", () => {
    assert.equal(envelopeProblems({}).form, "base64");
    assert.equal(envelopeProblems({ secretsprovider: "default" }).form, "either");
    assert.equal(envelopeProblems({ encryptionsalt: SALT }).form, "envelope");
    assert.equal(envelopeProblems({ secretsprovider: "awskms://k", encryptedkey: KMS_KEY }).form, "envelope");
  });
});

describe("a secret where plain config belongs, through the program: at its exact key path", () => {
  it("the CLI hands slipway:cluster over whole; the stack file says which value was secure", async () => {
    const file = stackFile({ encryptionsalt: SALT }, { secure: PASSPHRASE_VALUE }, "staging");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace('kubernetesVersion: "1.33"', `kubernetesVersion: { secure: "${PASSPHRASE_VALUE}" }`),
    );
    await assert.rejects(
      runProgram({ stack: "staging", projectDir: path.dirname(file) }),
      (error: unknown) =>
        error instanceof ProgramError &&
        error.message.split("\n").length === 2 &&
        /^ {2}- slipway:cluster\.kubernetesVersion: is a secret \(secure:\), but this key takes plain config/m.test(
          error.message,
        ),
    );
  });
});
