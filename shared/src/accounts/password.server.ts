import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Password hashing with scrypt at the OWASP Password Storage Cheat Sheet parameters
 * (N=2^17, r=8, p=1), a 16-byte salt and a 32-byte key. The parameters are encoded in the hash
 * string, so they can be raised later without breaking existing hashes:
 *   scrypt$<log2 N>$<r>$<p>$<salt b64url>$<key b64url>
 */
export const SCRYPT_PARAMS = { log2N: 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

interface Params {
  log2N: number;
  r: number;
  p: number;
}

function derive(
  password: string,
  salt: Buffer,
  params: Params,
  keyLength: number,
): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is below that for N=2^17.
  const maxmem = 128 * N * params.r * 2;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      keyLength,
      { N, r: params.r, p: params.p, maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT_PARAMS.saltLength);
  const key = await derive(password, salt, SCRYPT_PARAMS, SCRYPT_PARAMS.keyLength);
  const { log2N, r, p } = SCRYPT_PARAMS;
  return ["scrypt", log2N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Constant-time comparison of the derived key; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [log2N, r, p] = parts.slice(1, 4).map((v) => Number.parseInt(v ?? "", 10));
  if (!log2N || !r || !p || log2N < 10 || log2N > 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const want = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length < 8 || want.length < 16) return false;
  const got = await derive(password, salt, { log2N, r, p }, want.length);
  return timingSafeEqual(got, want);
}

/** A hash of a random password, verified against when the account does not exist (same timing). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}
