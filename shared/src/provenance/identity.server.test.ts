import "reflect-metadata";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { C2PA_EKU, createIdentity, loadOrCreateIdentity } from "./identity.server.ts";

describe("signing identity", () => {
  it("creates a root CA and a signing certificate with the extensions C2PA requires", async () => {
    const id = await createIdentity();
    const [leafPem, rootPem] =
      id.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const leaf = new x509.X509Certificate(leafPem ?? "");
    const root = new x509.X509Certificate(rootPem ?? "");
    expect(await leaf.verify({ publicKey: root.publicKey })).toBe(true);
    expect(await root.isSelfSigned()).toBe(true);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    const ku = leaf.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    expect(ku & x509.KeyUsageFlags.digitalSignature).toBeTruthy();
    expect(ku & x509.KeyUsageFlags.keyCertSign).toBeFalsy();
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      C2PA_EKU,
      "1.3.6.1.5.5.7.3.4",
    ]);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)).toBeTruthy();
    expect(id.rootPem.trim()).toBe(root.toString("pem").trim());
  });

  it("is created once under DATA_DIR with mode 0600 and read back the same", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rh-id-"));
    const [a, b] = await Promise.all([
      loadOrCreateIdentity(dir, {}),
      loadOrCreateIdentity(dir, {}),
    ]);
    const c = await loadOrCreateIdentity(dir, {});
    expect(b.chainPem).toBe(a.chainPem);
    expect(c).toEqual(a);
    const live = path.join(dir, "c2pa", "identity");
    for (const f of readdirSync(live))
      expect(statSync(path.join(live, f)).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dir, "c2pa"))).toEqual(["identity"]);
  });

  it("takes the identity from configuration, and refuses half of it", async () => {
    const id = await createIdentity("Configured");
    const dir = mkdtempSync(path.join(tmpdir(), "rh-id-"));
    const got = await loadOrCreateIdentity(dir, {
      C2PA_SIGN_CERT_PEM: id.chainPem,
      C2PA_SIGN_KEY_PEM: id.keyPem,
    });
    expect(got.rootPem.trim()).toBe(id.rootPem.trim());
    expect(readdirSync(dir)).toEqual([]);
    await expect(loadOrCreateIdentity(dir, { C2PA_SIGN_CERT_PEM: id.chainPem })).rejects.toThrow(
      /set together/,
    );
    await expect(
      loadOrCreateIdentity(dir, { C2PA_SIGN_CERT_PEM: "nope", C2PA_SIGN_KEY_PEM: id.keyPem }),
    ).rejects.toThrow(/no PEM certificate/);
  });
});
