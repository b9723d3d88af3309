import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets at rest (model-backend API keys, webhook signing secrets): AES-256-GCM under a key
 * derived from AUTH_SECRET with HKDF-SHA256. Each purpose gets its own key (the HKDF `info`), so a
 * value sealed for one purpose never opens as another. The sealed text is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the purpose and an optional context (e.g. the
 * workspace id) are bound in as additional authenticated data, so a row copied to another
 * workspace does not decrypt.
 */

export type SealPurpose = "model-backend-secret" | "webhook-secret";

const SALT = Buffer.from("reelhouse/sealed/v1");

function keyFor(authSecret: string, purpose: SealPurpose): Buffer {
  if (authSecret.length < 16) throw new Error("AUTH_SECRET is too short to derive keys from.");
  return Buffer.from(hkdfSync("sha256", authSecret, SALT, `reelhouse:${purpose}`, 32));
}

export class SealedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedError";
  }
}

export function seal(
  authSecret: string,
  purpose: SealPurpose,
  plaintext: string,
  context = "",
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(authSecret, purpose), iv);
  cipher.setAAD(Buffer.from(`${purpose}\n${context}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv, tag, body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function isSealed(value: string): boolean {
  return /^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]*$/.test(value);
}

/** Opens a sealed value; throws SealedError if it was tampered with, or sealed under another key. */
export function open(
  authSecret: string,
  purpose: SealPurpose,
  sealed: string,
  context = "",
): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== "v1")
    throw new SealedError("The stored secret is not in the sealed format.");
  const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(authSecret, purpose), iv);
    decipher.setAAD(Buffer.from(`${purpose}\n${context}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedError(
      "The stored secret cannot be decrypted: AUTH_SECRET changed, or the value was altered.",
    );
  }
}

/** AUTH_SECRET as every process sees it (the env var, else the one kept in DATA_DIR). */
export async function appSecret(): Promise<string> {
  const [{ env }, { loadOrCreateSecret }, { dataDir }] = await Promise.all([
    import("../env.server.ts"),
    import("../secret.server.ts"),
    import("../paths.server.ts"),
  ]);
  return loadOrCreateSecret(dataDir(), env().AUTH_SECRET);
}
