import * as Y from "yjs";
import { z } from "zod";
import type { DocKind } from "./docs.ts";
import { keyBetween } from "./fractional-index.ts";

/**
 * Typed helpers for the Yjs structure of each project document (docs/collab-spec.md [C10]-[C14]).
 * Everything here is pure: it reads or changes a Y.Doc in one transaction with a typed origin.
 */

// ---------------------------------------------------------------------------------------------
// Transaction origins
// ---------------------------------------------------------------------------------------------

/** Why a change happened; passed as the Yjs transaction origin (never a bare string). */
export type TxOrigin =
  | { kind: "user"; userId: string }
  | { kind: "restore"; snapshotId: string }
  | { kind: "template"; template: string }
  | { kind: "server"; reason: string };

export const userOrigin = (userId: string): TxOrigin => ({ kind: "user", userId });

function tx(doc: Y.Doc, origin: TxOrigin, fn: () => void): void {
  doc.transact(fn, origin);
}

// ---------------------------------------------------------------------------------------------
// Root types per document kind (also what a version restore replaces)
// ---------------------------------------------------------------------------------------------

export const ROOT_TYPES = {
  prompt: { prompt: "xml", sections: "map" },
  storyboard: { shots: "map" },
  casting: { roles: "map" },
  comments: { threads: "map" },
} as const satisfies Record<DocKind, Record<string, "xml" | "map">>;

// ---------------------------------------------------------------------------------------------
// Prompt: a TipTap/ProseMirror XmlFragment named "prompt" + section metadata
// ---------------------------------------------------------------------------------------------

export const PROMPT_SECTIONS = [
  "Subject",
  "Action",
  "Setting",
  "Camera",
  "Lighting",
  "Audio",
  "Style",
] as const;
export type PromptSection = (typeof PROMPT_SECTIONS)[number];

export const sectionMetaSchema = z.object({
  /** Template the section text came from, if any (e.g. "Cinematic shot"). */
  template: z.string().max(80).optional(),
  /** Last person who edited the section. */
  lastEditedBy: z.string().max(120).optional(),
  collapsed: z.boolean().optional(),
});
export type SectionMeta = z.infer<typeof sectionMetaSchema>;

export function promptFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment("prompt");
}
export function promptSections(doc: Y.Doc): Y.Map<SectionMeta> {
  return doc.getMap<SectionMeta>("sections");
}
export function setSectionMeta(
  doc: Y.Doc,
  section: PromptSection,
  meta: SectionMeta,
  origin: TxOrigin,
): void {
  const parsed = sectionMetaSchema.parse(meta);
  tx(doc, origin, () => promptSections(doc).set(section, parsed));
}

/** Plain text of the prompt fragment, one line per block (for checks and previews). */
export function promptPlainText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, out: string[]): void => {
    if (node instanceof Y.XmlText) out.push(node.toString().replace(/<[^>]+>/g, ""));
    else if (node instanceof Y.XmlElement) for (const c of node.toArray()) walk(c, out);
  };
  for (const block of promptFragment(doc).toArray()) {
    const parts: string[] = [];
    walk(block as Y.XmlElement, parts);
    lines.push(parts.join(""));
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Storyboard: shots in a Y.Map keyed by shot id; order is a fractional index key per shot
// ---------------------------------------------------------------------------------------------

export const TRANSITIONS = ["cut", "fade", "dissolve", "wipe", "match-cut"] as const;

export const shotFieldsSchema = z.object({
  prompt: z.string().max(4000),
  durationSeconds: z.number().min(1).max(60),
  camera: z.string().max(200),
  transition: z.enum(TRANSITIONS),
  notes: z.string().max(4000),
  latestRenderId: z.string().max(64).nullable(),
});
export type ShotFields = z.infer<typeof shotFieldsSchema>;
export type Shot = ShotFields & { id: string; order: string };

export const DEFAULT_SHOT: ShotFields = {
  prompt: "",
  durationSeconds: 4,
  camera: "",
  transition: "cut",
  notes: "",
  latestRenderId: null,
};

export function shotsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("shots");
}

function readShot(id: string, m: Y.Map<unknown>): Shot | null {
  const parsed = shotFieldsSchema.safeParse({
    prompt: m.get("prompt") ?? DEFAULT_SHOT.prompt,
    durationSeconds: m.get("durationSeconds") ?? DEFAULT_SHOT.durationSeconds,
    camera: m.get("camera") ?? DEFAULT_SHOT.camera,
    transition: m.get("transition") ?? DEFAULT_SHOT.transition,
    notes: m.get("notes") ?? DEFAULT_SHOT.notes,
    latestRenderId: m.get("latestRenderId") ?? null,
  });
  const order = m.get("order");
  if (!parsed.success || typeof order !== "string") return null;
  return { ...parsed.data, id, order };
}

/** Shots in storyboard order (order key, then id to break ties between concurrent inserts). */
export function listShots(doc: Y.Doc): Shot[] {
  const out: Shot[] = [];
  for (const [id, m] of shotsMap(doc).entries()) {
    const s = readShot(id, m);
    if (s) out.push(s);
  }
  return out.sort((a, b) =>
    a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

export function totalDurationSeconds(doc: Y.Doc): number {
  return listShots(doc).reduce((sum, s) => sum + s.durationSeconds, 0);
}

/** The order key for position `index` (0..n) in the current list, excluding `movingId`. */
function keyAt(doc: Y.Doc, index: number, movingId?: string): string {
  const shots = listShots(doc).filter((s) => s.id !== movingId);
  const i = Math.max(0, Math.min(index, shots.length));
  const before = shots[i - 1]?.order ?? null;
  let after = shots[i]?.order ?? null;
  // Concurrent inserts can leave two shots with the same key; then place right after `before`.
  if (before !== null && after !== null && before >= after) after = null;
  if (before !== null && after === null && shots[i]) {
    // Find the next strictly greater key.
    const next = shots.slice(i).find((s) => s.order > before);
    after = next?.order ?? null;
  }
  return keyBetween(before, after);
}

/** A v4 UUID; also in browsers on plain http, where crypto.randomUUID is missing. */
function newId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Adds a shot at `index` (default: the end); returns its id. */
export function addShot(
  doc: Y.Doc,
  fields: Partial<ShotFields>,
  origin: TxOrigin,
  index?: number,
): string {
  const full = shotFieldsSchema.parse({ ...DEFAULT_SHOT, ...fields });
  const id = newId();
  tx(doc, origin, () => {
    const order = keyAt(doc, index ?? Number.MAX_SAFE_INTEGER);
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(full)) m.set(k, v);
    m.set("order", order);
    shotsMap(doc).set(id, m);
  });
  return id;
}

export function updateShot(
  doc: Y.Doc,
  id: string,
  fields: Partial<ShotFields>,
  origin: TxOrigin,
): void {
  const parsed = shotFieldsSchema.partial().parse(fields);
  const m = shotsMap(doc).get(id);
  if (!m) throw new Error(`no shot ${id}`);
  tx(doc, origin, () => {
    for (const [k, v] of Object.entries(parsed)) if (v !== undefined) m.set(k, v);
  });
}

/** Duplicates a shot right after itself; returns the new id. */
export function duplicateShot(doc: Y.Doc, id: string, origin: TxOrigin): string {
  const shots = listShots(doc);
  const i = shots.findIndex((s) => s.id === id);
  const shot = shots[i];
  if (!shot) throw new Error(`no shot ${id}`);
  const { id: _id, order: _order, ...fields } = shot;
  return addShot(doc, fields, origin, i + 1);
}

export function deleteShot(doc: Y.Doc, id: string, origin: TxOrigin): void {
  tx(doc, origin, () => shotsMap(doc).delete(id));
}

/**
 * Moves a shot to position `toIndex` of the list as it will be after the move. Writes only the
 * shot's order key, so a concurrent move of the same shot resolves to one position (last writer
 * wins) and never duplicates or drops it.
 */
export function moveShot(doc: Y.Doc, id: string, toIndex: number, origin: TxOrigin): void {
  const m = shotsMap(doc).get(id);
  if (!m) throw new Error(`no shot ${id}`);
  tx(doc, origin, () => m.set("order", keyAt(doc, toIndex, id)));
}

// ---------------------------------------------------------------------------------------------
// Casting: roles keyed by id
// ---------------------------------------------------------------------------------------------

export const roleFieldsSchema = z.object({
  name: z.string().min(1).max(80),
  description: z.string().max(1000),
  /** User assigned to the role (later: that user's cameo). */
  assigneeUserId: z.string().max(64).nullable(),
});
export type RoleFields = z.infer<typeof roleFieldsSchema>;
export type CastingRole = RoleFields & { id: string; createdAt: number };

export function rolesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("roles");
}

export function addRole(
  doc: Y.Doc,
  fields: Omit<RoleFields, "assigneeUserId"> & { assigneeUserId?: string | null },
  origin: TxOrigin,
): string {
  const full = roleFieldsSchema.parse({ assigneeUserId: null, ...fields });
  const id = newId();
  tx(doc, origin, () => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(full)) m.set(k, v);
    m.set("createdAt", Date.now());
    rolesMap(doc).set(id, m);
  });
  return id;
}

export function updateRole(
  doc: Y.Doc,
  id: string,
  fields: Partial<RoleFields>,
  origin: TxOrigin,
): void {
  const parsed = roleFieldsSchema.partial().parse(fields);
  const m = rolesMap(doc).get(id);
  if (!m) throw new Error(`no role ${id}`);
  tx(doc, origin, () => {
    for (const [k, v] of Object.entries(parsed)) if (v !== undefined) m.set(k, v);
  });
}

export function removeRole(doc: Y.Doc, id: string, origin: TxOrigin): void {
  tx(doc, origin, () => rolesMap(doc).delete(id));
}

export function listRoles(doc: Y.Doc): CastingRole[] {
  const out: CastingRole[] = [];
  for (const [id, m] of rolesMap(doc).entries()) {
    const p = roleFieldsSchema.safeParse({
      name: m.get("name"),
      description: m.get("description") ?? "",
      assigneeUserId: m.get("assigneeUserId") ?? null,
    });
    if (p.success) out.push({ ...p.data, id, createdAt: Number(m.get("createdAt") ?? 0) });
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Comments: threads anchored to a shot or a text range (Yjs relative positions), with @mentions
// ---------------------------------------------------------------------------------------------

export const anchorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("shot"), shotId: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal("text"),
    /** Which document the range lives in (the prompt). */
    doc: z.literal("prompt"),
    /** base64 of Y.encodeRelativePosition for the start and end of the range. */
    start: z.string().min(1).max(400),
    end: z.string().min(1).max(400),
  }),
]);
export type Anchor = z.infer<typeof anchorSchema>;

export const authorSchema = z.object({
  /** User id, or `guest:<link id>:<random>` for share-link guests. */
  id: z.string().min(1).max(120),
  name: z.string().min(1).max(80),
});
export type Author = z.infer<typeof authorSchema>;

export type CommentMessage = {
  id: string;
  author: Author;
  body: string;
  mentions: string[];
  createdAt: number;
};
export type Thread = {
  id: string;
  anchor: Anchor;
  resolved: boolean;
  createdAt: number;
  messages: CommentMessage[];
};

const bodySchema = z.string().trim().min(1).max(4000);

/** `@username` mentions in a comment body (usernames as in the users table), deduplicated. */
export function parseMentions(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(/(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,30})/g)) {
    out.add(m[2]!.replace(/\.+$/, "").toLowerCase());
  }
  return [...out].filter((u) => u.length >= 3);
}

/** A stored message exactly (no extra keys), as the comments guard accepts it ([C40]). */
export const commentMessageSchema = z
  .object({
    id: z.string().min(1).max(64),
    author: authorSchema.strict(),
    body: z.string().min(1).max(4000),
    mentions: z.array(z.string().max(40)).max(100),
    createdAt: z.number().finite(),
  })
  .strict();

const THREAD_KEYS = new Set(["anchor", "resolved", "createdAt", "messages"]);

/**
 * Why a value stored under `threads` is not a thread of the schema ([C14], [C40]), or null: a
 * Y.Map with only `anchor` (a valid anchor, no extra keys), `resolved` (boolean), `createdAt`
 * (number) and `messages` (a Y.Array of messages matching `commentMessageSchema`).
 */
export function threadShapeProblem(value: unknown): string | null {
  if (!(value instanceof Y.Map)) return "a thread is not a map";
  for (const key of value.keys()) if (!THREAD_KEYS.has(key)) return `unknown thread key "${key}"`;
  const anchor = value.get("anchor");
  const parsed = anchorSchema.safeParse(anchor);
  if (!parsed.success || Object.keys(anchor as object).length !== Object.keys(parsed.data).length)
    return "malformed anchor";
  if (typeof value.get("resolved") !== "boolean") return "malformed resolved flag";
  if (typeof value.get("createdAt") !== "number" || !Number.isFinite(value.get("createdAt")))
    return "malformed createdAt";
  const msgs = value.get("messages");
  if (!(msgs instanceof Y.Array)) return "messages are not a list";
  const ids = new Set<string>();
  for (const m of msgs.toArray()) {
    const parsed = commentMessageSchema.safeParse(m);
    if (!parsed.success) return "malformed message";
    if (ids.has(parsed.data.id)) return "two messages with one id";
    ids.add(parsed.data.id);
  }
  return null;
}

export function threadsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("threads");
}

function message(author: Author, body: string): CommentMessage {
  const text = bodySchema.parse(body);
  return {
    id: newId(),
    author: authorSchema.parse(author),
    body: text,
    mentions: parseMentions(text),
    createdAt: Date.now(),
  };
}

export function addThread(
  doc: Y.Doc,
  anchor: Anchor,
  author: Author,
  body: string,
  origin: TxOrigin,
): string {
  const a = anchorSchema.parse(anchor);
  const first = message(author, body);
  const id = newId();
  tx(doc, origin, () => {
    const t = new Y.Map<unknown>();
    t.set("anchor", a);
    t.set("resolved", false);
    t.set("createdAt", first.createdAt);
    const msgs = new Y.Array<CommentMessage>();
    msgs.push([first]);
    t.set("messages", msgs);
    threadsMap(doc).set(id, t);
  });
  return id;
}

export function reply(
  doc: Y.Doc,
  threadId: string,
  author: Author,
  body: string,
  origin: TxOrigin,
): string {
  const t = threadsMap(doc).get(threadId);
  if (!t) throw new Error(`no thread ${threadId}`);
  const m = message(author, body);
  tx(doc, origin, () => (t.get("messages") as Y.Array<CommentMessage>).push([m]));
  return m.id;
}

export function setResolved(
  doc: Y.Doc,
  threadId: string,
  resolved: boolean,
  origin: TxOrigin,
): void {
  const t = threadsMap(doc).get(threadId);
  if (!t) throw new Error(`no thread ${threadId}`);
  tx(doc, origin, () => t.set("resolved", resolved));
}

export function listThreads(doc: Y.Doc): Thread[] {
  const out: Thread[] = [];
  for (const [id, t] of threadsMap(doc).entries()) {
    const anchor = anchorSchema.safeParse(t.get("anchor"));
    const msgs = t.get("messages");
    if (!anchor.success || !(msgs instanceof Y.Array)) continue;
    out.push({
      id,
      anchor: anchor.data,
      resolved: t.get("resolved") === true,
      createdAt: Number(t.get("createdAt") ?? 0),
      messages: (msgs.toArray() as CommentMessage[])
        .slice()
        .sort((a, b) => a.createdAt - b.createdAt),
    });
  }
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

// base64 without Buffer: this module also runs in the browser (btoa/atob exist in both).
function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Anchor for the range [start, end) of a Y.Text or Y.XmlText (e.g. inside the prompt). */
export function textRangeAnchor(
  type: Y.Text | Y.XmlText | Y.XmlFragment,
  start: number,
  end: number,
): Anchor {
  const enc = (i: number, assoc: number) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(type, i, assoc)));
  return { kind: "text", doc: "prompt", start: enc(start, 0), end: enc(end, -1) };
}

/** Resolves a text anchor against the current document; null if its text is gone or it is malformed. */
export function resolveTextAnchor(
  doc: Y.Doc,
  anchor: Extract<Anchor, { kind: "text" }>,
): { type: Y.AbstractType<unknown>; start: number; end: number } | null {
  const dec = (s: string) => {
    try {
      return Y.createAbsolutePositionFromRelativePosition(
        Y.decodeRelativePosition(fromBase64(s)),
        doc,
      );
    } catch {
      return null;
    }
  };
  const a = dec(anchor.start);
  const b = dec(anchor.end);
  if (!a || !b || a.type !== b.type || b.index < a.index) return null;
  return { type: a.type, start: a.index, end: b.index };
}

// ---------------------------------------------------------------------------------------------
// Version restore: make a live document's content equal to a snapshot's, as one normal update
// ---------------------------------------------------------------------------------------------

type Cloneable = { clone(): unknown };
const cloneValue = (v: unknown): unknown =>
  v instanceof Y.AbstractType ? (v as unknown as Cloneable).clone() : v;

/**
 * Replaces the content of `target` with the content of `source` (both of document kind `kind`) in
 * one transaction. The result is an ordinary Yjs update, so it merges with concurrent edits and can
 * itself be undone by restoring the snapshot taken before it.
 */
export function replaceContent(
  target: Y.Doc,
  source: Y.Doc,
  kind: DocKind,
  origin: TxOrigin,
): void {
  tx(target, origin, () => {
    for (const [name, type] of Object.entries(ROOT_TYPES[kind])) {
      if (type === "map") {
        const to = target.getMap<unknown>(name);
        const from = source.getMap<unknown>(name);
        for (const key of [...to.keys()]) if (!from.has(key)) to.delete(key);
        for (const [key, value] of from.entries()) {
          const current = to.get(key);
          if (!(value instanceof Y.AbstractType) && current === value) continue;
          to.set(key, cloneValue(value));
        }
      } else {
        const to = target.getXmlFragment(name);
        const from = source.getXmlFragment(name);
        if (to.length > 0) to.delete(0, to.length);
        const children = from.toArray().map((c) => (c as unknown as Cloneable).clone());
        if (children.length > 0) to.insert(0, children as Y.XmlElement[]);
      }
    }
  });
}

/** Plain JSON view of a document (previews and tests). */
export function docToJSON(doc: Y.Doc, kind: DocKind): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(ROOT_TYPES[kind])) {
    out[name] = type === "map" ? doc.getMap(name).toJSON() : doc.getXmlFragment(name).toString();
  }
  return out;
}
