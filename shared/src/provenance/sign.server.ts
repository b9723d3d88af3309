import { createPrivateKey, type KeyObject, randomBytes, sign } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { Builder, LocalSigner, Reader } from "@contentauth/c2pa-node";
import { dataDir } from "../paths.server.ts";
import { loadOrCreateIdentity, type SigningIdentity } from "./identity.server.ts";
import {
  type ManifestDefinition,
  manifestDefinition,
  ORIGIN_ASSERTION,
  type OriginAssertion,
  type ProvenanceFacts,
} from "./manifest.ts";

/**
 * Signing and reading C2PA manifests with the official library (@contentauth/c2pa-node, its native
 * binary shipped in the npm tarball). `signExport` is called once by the durable step that writes a
 * file: it writes the signed file under a hidden temporary name beside the destination and renames
 * it into place, so a reader never sees an unsigned or half-signed file under the final name.
 */

const identities = new Map<string, Promise<SigningIdentity>>();

/** The instance's identity (cached per DATA_DIR for the process). */
export function identity(dir = dataDir()): Promise<SigningIdentity> {
  let p = identities.get(dir);
  if (!p) {
    p = loadOrCreateIdentity(dir);
    p.catch(() => identities.delete(dir));
    identities.set(dir, p);
  }
  return p;
}

export type Mime = "video/mp4" | "image/jpeg" | "image/png";

/**
 * No claim thumbnail: the library would decode, scale and re-encode every image it signs to embed
 * a preview of it (~60 ms per poster or spritesheet, most of a draft's signing time), and the
 * files we sign are pictures already (a poster, a spritesheet) or videos, of which it makes none.
 */
const BUILDER_SETTINGS = JSON.stringify({ builder: { thumbnail: { enabled: false } } });

/** The library's signer settings for an identity (its chain and reserve size), made once. */
const signerConfigs = new WeakMap<
  SigningIdentity,
  { key: KeyObject; config: Parameters<Builder["signConfigAsync"]>[1] }
>();
function signerFor(ident: SigningIdentity) {
  let s = signerConfigs.get(ident);
  if (!s) {
    // A LocalSigner reads the chain as the library wants it and knows the room a signature needs.
    const local = LocalSigner.newSigner(
      Buffer.from(ident.chainPem),
      Buffer.from(ident.keyPem),
      "es256",
    );
    s = {
      key: createPrivateKey(ident.keyPem),
      config: {
        alg: "es256",
        certs: [Buffer.from(ident.chainPem)],
        reserveSize: local.reserveSize(),
        directCoseHandling: false,
      },
    };
    signerConfigs.set(ident, s);
  }
  return s;
}

/**
 * Signs `src` with `facts`' manifest into `dest` (may equal `src`), atomically. The library hashes
 * and writes the file off the main thread (`signConfigAsync`; only the ES256 signature of the claim
 * is computed here), so a draft's three files are signed side by side and the event loop stays free.
 */
export async function signExport(
  src: string,
  dest: string,
  facts: ProvenanceFacts,
  id?: SigningIdentity,
): Promise<void> {
  const ident = id ?? (await identity());
  const def: ManifestDefinition = manifestDefinition(facts);
  const tmp = path.join(
    path.dirname(dest),
    `.${path.basename(dest)}.c2pa-${process.pid}-${randomBytes(6).toString("hex")}${path.extname(dest)}`,
  );
  try {
    const { key, config } = signerFor(ident);
    // The library's types come from a package it does not depend on; our JSON is its Manifest.
    const builder = Builder.withJson(def as never, BUILDER_SETTINGS);
    await builder.signConfigAsync(
      async (data) => sign("sha256", data, { key, dsaEncoding: "ieee-p1363" }),
      config,
      { path: src },
      { path: tmp },
    );
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new Error(`C2PA signing of ${path.basename(dest)} failed: ${(e as Error).message}`);
  }
}

export type ProvenanceState =
  /** A manifest signed by this instance's chain, every check passed. */
  | "ours"
  /** A well-formed, valid manifest, but not signed by this instance. */
  | "other"
  /** A manifest whose signature or hashes fail: the file was changed after signing. */
  | "invalid"
  /** No C2PA manifest at all. */
  | "none";

export type ProvenanceReport = {
  state: ProvenanceState;
  /** The library's own verdict (Trusted / Valid / Invalid), when a manifest was found. */
  validationState: string | null;
  origin: OriginAssertion | null;
  claims: {
    title: string | null;
    generator: string | null;
    signer: string | null;
    signedAt: string | null;
    digitalSourceType: string | null;
    actions: { action: string; softwareAgent: string | null }[];
    ingredients: { title: string; instanceId: string | null }[];
  } | null;
  failures: { code: string; explanation: string | null }[];
};

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : null);

/** Reads and validates the manifest of a file (path) or buffer against our chain only. */
export async function readProvenance(
  asset: { path: string } | { buffer: Buffer; mimeType: Mime },
  id?: SigningIdentity,
): Promise<ProvenanceReport> {
  const ident = id ?? (await identity());
  let reader: Awaited<ReturnType<typeof Reader.fromAsset>>;
  try {
    reader = await Reader.fromAsset(asset, {
      verify: { verify_trust: true, verify_after_reading: true },
      trust: { trust_anchors: ident.rootPem },
    });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    // The library throws for a file with no manifest ("JumbfNotFound" / "no JUMBF data found").
    if (/jumbf|not found|no manifest|ManifestNotFound/i.test(msg))
      return { state: "none", validationState: null, origin: null, claims: null, failures: [] };
    return {
      state: "invalid",
      validationState: null,
      origin: null,
      claims: null,
      failures: [{ code: "read.failed", explanation: msg.slice(0, 300) }],
    };
  }
  if (!reader)
    return { state: "none", validationState: null, origin: null, claims: null, failures: [] };
  const store = reader.json() as unknown as Json;
  const active = (reader.getActive() ?? null) as Json | null;
  const validationState = str(store.validation_state);
  const results = (store.validation_results as Json | undefined)?.activeManifest as
    | Json
    | undefined;
  const failures = ((results?.failure as Json[] | undefined) ?? []).map((f) => ({
    code: String(f.code),
    explanation: str(f.explanation),
  }));
  const assertions = (active?.assertions as Json[] | undefined) ?? [];
  const originData = assertions.find((a) => a.label === ORIGIN_ASSERTION)?.data as
    | OriginAssertion
    | undefined;
  const actionsData = assertions.find((a) => String(a.label).startsWith("c2pa.actions"))?.data as
    | { actions?: Json[] }
    | undefined;
  const actions = (actionsData?.actions ?? []).map((a) => ({
    action: String(a.action),
    softwareAgent: str((a.softwareAgent as Json | undefined)?.name) ?? str(a.softwareAgent),
    digitalSourceType: str(a.digitalSourceType),
  }));
  const sig = (active?.signature_info as Json | undefined) ?? {};
  const gen = ((active?.claim_generator_info as Json[] | undefined) ?? [])[0];
  const claims = active
    ? {
        title: str(active.title),
        generator: gen ? `${str(gen.name) ?? ""} ${str(gen.version) ?? ""}`.trim() : null,
        signer: str(sig.common_name) ?? str(sig.issuer),
        signedAt: str(sig.time),
        digitalSourceType: actions.find((a) => a.digitalSourceType)?.digitalSourceType ?? null,
        actions: actions.map(({ action, softwareAgent }) => ({ action, softwareAgent })),
        ingredients: ((active.ingredients as Json[] | undefined) ?? []).map((i) => ({
          title: String(i.title ?? ""),
          instanceId: str(i.instance_id),
        })),
      }
    : null;
  const state: ProvenanceState =
    validationState === "Trusted" && failures.length === 0
      ? "ours"
      : validationState === "Invalid" ||
          failures.some((f) => !f.code.startsWith("signingCredential"))
        ? "invalid"
        : "other";
  return {
    state,
    validationState,
    // Only a manifest signed by us is believed about where in this instance a file comes from.
    origin: state === "ours" ? (originData ?? null) : null,
    claims,
    failures,
  };
}
