import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

/**
 * The instance's C2PA signing identity: an ECDSA P-256 key and a chain of two certificates, a local
 * root CA and the signing certificate it issued (digitalSignature, the C2PA claim-signing and
 * emailProtection EKUs, not a CA, key identifiers). Taken from C2PA_SIGN_CERT_PEM (the chain, leaf
 * first) + C2PA_SIGN_KEY_PEM (PKCS#8) when both are set; otherwise created once on first start in
 * DATA_DIR/c2pa/identity/ (mode 0600, written under a temp name then renamed, so two processes starting at
 * once both end with the same files) and read back from there on every later start.
 */

x509.cryptoProvider.set(webcrypto as never);

export type SigningIdentity = {
  /** PEM chain, signing certificate first, then the root. */
  chainPem: string;
  /** PKCS#8 PEM private key of the signing certificate. */
  keyPem: string;
  /** PEM of the root: the one trust anchor a reader needs to validate our manifests. */
  rootPem: string;
};

/** OID of the C2PA claim-signing extended key usage (C2PA 2.x, 1.3.6.1.4.1.62558.2.1). */
export const C2PA_EKU = "1.3.6.1.4.1.62558.2.1";
const EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

const FILES = { chain: "chain.pem", key: "signing-key.pem", root: "root.pem" } as const;

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Creates a fresh root CA and signing certificate (valid 10 years, from one day ago). */
export async function createIdentity(name = "Reelhouse"): Promise<SigningIdentity> {
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 86_400_000);
  const rootKeys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name} local root CA, O=${name}`,
    notBefore,
    notAfter,
    keys: rootKeys as never,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey as never),
    ],
  });
  const leafKeys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${name} content signing, O=${name}`,
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey as never,
    signingKey: rootKeys.privateKey as never,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([C2PA_EKU, EMAIL_PROTECTION], false),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create(root, false),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", leafKeys.privateKey as never);
  const keyPem = x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
  const rootPem = root.toString("pem");
  return { chainPem: `${leaf.toString("pem")}\n${rootPem}\n`, keyPem: `${keyPem}\n`, rootPem };
}

function serial(): string {
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] ?? 0) & 0x7f; // positive
  return Buffer.from(b).toString("hex");
}

/** The identity from configuration, or DATA_DIR/c2pa/, created there on first call. Idempotent. */
export async function loadOrCreateIdentity(
  dataDir: string,
  env: { C2PA_SIGN_CERT_PEM?: string; C2PA_SIGN_KEY_PEM?: string } = process.env,
): Promise<SigningIdentity> {
  if (env.C2PA_SIGN_CERT_PEM || env.C2PA_SIGN_KEY_PEM) {
    if (!env.C2PA_SIGN_CERT_PEM || !env.C2PA_SIGN_KEY_PEM)
      throw new Error("C2PA_SIGN_CERT_PEM and C2PA_SIGN_KEY_PEM must be set together");
    const blocks = pemBlocks(env.C2PA_SIGN_CERT_PEM);
    if (blocks.length < 1) throw new Error("C2PA_SIGN_CERT_PEM holds no PEM certificate");
    if (!/-----BEGIN PRIVATE KEY-----/.test(env.C2PA_SIGN_KEY_PEM))
      throw new Error("C2PA_SIGN_KEY_PEM must be a PKCS#8 PEM (BEGIN PRIVATE KEY)");
    return {
      chainPem: env.C2PA_SIGN_CERT_PEM,
      keyPem: env.C2PA_SIGN_KEY_PEM,
      rootPem: blocks[blocks.length - 1] ?? "",
    };
  }
  const dir = path.join(dataDir, "c2pa");
  const live = path.join(dir, "identity");
  if (!existsSync(path.join(live, FILES.chain))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const id = await createIdentity();
    const tmp = path.join(dir, `.new-${process.pid}-${Date.now()}`);
    mkdirSync(tmp, { mode: 0o700 });
    writeFileSync(path.join(tmp, FILES.key), id.keyPem, { mode: 0o600 });
    writeFileSync(path.join(tmp, FILES.root), id.rootPem, { mode: 0o600 });
    writeFileSync(path.join(tmp, FILES.chain), id.chainPem, { mode: 0o600 });
    // One rename makes the whole identity visible at once; if another process won the race the
    // rename fails (the target is a non-empty directory) and its identity is the one kept.
    try {
      renameSync(tmp, live);
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const read = (f: string) => readFileSync(path.join(live, f), "utf8");
  return { chainPem: read(FILES.chain), keyPem: read(FILES.key), rootPem: read(FILES.root) };
}
