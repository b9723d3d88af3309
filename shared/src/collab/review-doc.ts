import * as Y from "yjs";
import { z } from "zod";
import { parseMentions } from "./schema.ts";

/**
 * The review documents of one version (a draft): `review.<draftId>.shared`, which everyone who may
 * review the version sees — guests on a review link included — and `review.<draftId>.team`, for
 * team-only notes, which only workspace members can open. Keeping team notes in their own document
 * means a guest's connection never receives a byte of them (docs/collab-spec.md [R1]).
 *
 * Structure of both (docs/collab-spec.md [R2]): a root map `notes`, note id → Y.Map with
 *   anchor   { frame, endFrame? }   the frame (or inclusive frame range) the note is about
 *   shapes   Shape[]                drawings on the anchor frame, normalized 0..1 coordinates
 *   resolved boolean
 *   createdAt number (ms)
 *   messages Y.Array<ReviewMessage> the thread: first message, then replies
 * Pure and browser-safe: the player and the collab server's guard both use it.
 */

export const REVIEW_DOC_KINDS = ["shared", "team"] as const;
export type ReviewDocKind = (typeof REVIEW_DOC_KINDS)[number];
export type ReviewDocRef = { draftId: string; kind: ReviewDocKind };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function reviewDocName(draftId: string, kind: ReviewDocKind): string {
  if (!UUID.test(draftId)) throw new Error(`not a version id: ${draftId}`);
  return `review.${draftId}.${kind}`;
}

/** Null for anything that is not exactly `review.<uuid>.shared|team`. */
export function parseReviewDocName(name: string): ReviewDocRef | null {
  if (name.length > 100) return null;
  const parts = name.split(".");
  if (parts.length !== 3 || parts[0] !== "review") return null;
  const [, draftId, kind] = parts as [string, string, string];
  if (!UUID.test(draftId)) return null;
  if (kind !== "shared" && kind !== "team") return null;
  return { draftId, kind };
}

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

export const MAX_FRAME = 30 * 60 * 60; // an hour at 30 fps
const frame = z.number().int().min(0).max(MAX_FRAME);

export const reviewAnchorSchema = z
  .object({ frame, endFrame: frame.optional() })
  .strict()
  .refine((a) => a.endFrame === undefined || a.endFrame >= a.frame, {
    message: "a range ends at or after its first frame",
  });
export type ReviewAnchor = z.infer<typeof reviewAnchorSchema>;

export const SHAPE_TOOLS = ["arrow", "rect", "line", "pen"] as const;
export type ShapeTool = (typeof SHAPE_TOOLS)[number];
export const SHAPE_COLORS = ["#ff3b30", "#ffcc00", "#34c759", "#0a84ff", "#ffffff", "#000000"];

const unit = z.number().min(0).max(1);
const point = z.tuple([unit, unit]);
export const shapeSchema = z
  .object({
    tool: z.enum(SHAPE_TOOLS),
    color: z.string().regex(/^#[0-9a-f]{6}$/, "a colour is #rrggbb"),
    /** Stroke width as a fraction of the frame's width, so it scales with the player. */
    width: z.number().min(0.001).max(0.05),
    points: z.array(point).min(2).max(400),
  })
  .strict()
  .refine((s) => s.tool === "pen" || s.points.length === 2, {
    message: "an arrow, rectangle or line has exactly two points",
  });
export type Shape = z.infer<typeof shapeSchema>;
export const shapesSchema = z.array(shapeSchema).max(50);

export const reviewAuthorSchema = z
  .object({
    /** User id, or `rguest:<link id>:<random>` for a guest on a review link. */
    id: z.string().min(1).max(120),
    name: z.string().min(1).max(80),
    guest: z.boolean(),
  })
  .strict();
export type ReviewAuthor = z.infer<typeof reviewAuthorSchema>;

export const reviewMessageSchema = z
  .object({
    id: z.string().min(1).max(64),
    author: reviewAuthorSchema,
    body: z.string().min(1).max(4000),
    mentions: z.array(z.string().max(30)).max(20),
    createdAt: z.number().int().min(0),
  })
  .strict();
export type ReviewMessage = z.infer<typeof reviewMessageSchema>;

export type ReviewNote = {
  id: string;
  anchor: ReviewAnchor;
  shapes: Shape[];
  resolved: boolean;
  createdAt: number;
  messages: ReviewMessage[];
};

export function notesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("notes");
}

const NOTE_KEYS = new Set(["anchor", "shapes", "resolved", "createdAt", "messages"]);

/**
 * A note as stored, or why it is not one the schema allows. The guard uses the reason; readers
 * use `listNotes`, which skips malformed notes.
 */
export function readNote(id: string, t: unknown): ReviewNote | string {
  if (!(t instanceof Y.Map)) return "a note is a map";
  for (const k of t.keys()) if (!NOTE_KEYS.has(k)) return `unknown field ${k}`;
  const anchor = reviewAnchorSchema.safeParse(t.get("anchor"));
  if (!anchor.success) return "bad anchor";
  const shapes = shapesSchema.safeParse(t.get("shapes") ?? []);
  if (!shapes.success) return `bad drawing: ${shapes.error.issues[0]?.message ?? "invalid"}`;
  const resolved = t.get("resolved");
  if (typeof resolved !== "boolean") return "bad resolved flag";
  const createdAt = t.get("createdAt");
  if (typeof createdAt !== "number") return "bad createdAt";
  const msgs = t.get("messages");
  if (!(msgs instanceof Y.Array) || msgs.length === 0) return "a note needs a message";
  const messages: ReviewMessage[] = [];
  for (const m of msgs.toArray()) {
    const p = reviewMessageSchema.safeParse(m);
    if (!p.success) return "bad message";
    messages.push(p.data);
  }
  return { id, anchor: anchor.data, shapes: shapes.data, resolved, createdAt, messages };
}

/** Notes in frame order (then creation order). */
export function listNotes(doc: Y.Doc): ReviewNote[] {
  const out: ReviewNote[] = [];
  for (const [id, t] of notesMap(doc).entries()) {
    const n = readNote(id, t);
    if (typeof n !== "string") out.push(n);
  }
  return out.sort(
    (a, b) =>
      a.anchor.frame - b.anchor.frame || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  );
}

// ---------------------------------------------------------------------------------------------
// Changes (each one transaction; origin is the author)
// ---------------------------------------------------------------------------------------------

function newId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const bodySchema = z.string().trim().min(1, "A comment is not empty.").max(4000);

function message(author: ReviewAuthor, body: string): ReviewMessage {
  const text = bodySchema.parse(body);
  return {
    id: newId(),
    author: reviewAuthorSchema.parse(author),
    body: text,
    mentions: parseMentions(text).slice(0, 20),
    createdAt: Date.now(),
  };
}

export function addNote(
  doc: Y.Doc,
  n: { anchor: ReviewAnchor; shapes?: Shape[]; author: ReviewAuthor; body: string },
): string {
  const anchor = reviewAnchorSchema.parse(n.anchor);
  const shapes = shapesSchema.parse(n.shapes ?? []);
  const first = message(n.author, n.body);
  const id = newId();
  doc.transact(
    () => {
      const t = new Y.Map<unknown>();
      t.set("anchor", anchor);
      t.set("shapes", shapes);
      t.set("resolved", false);
      t.set("createdAt", first.createdAt);
      const msgs = new Y.Array<ReviewMessage>();
      msgs.push([first]);
      t.set("messages", msgs);
      notesMap(doc).set(id, t);
    },
    { kind: "user", userId: n.author.id },
  );
  return id;
}

export function replyToNote(doc: Y.Doc, noteId: string, author: ReviewAuthor, body: string) {
  const t = notesMap(doc).get(noteId);
  if (!t) throw new Error(`no note ${noteId}`);
  const m = message(author, body);
  doc.transact(() => (t.get("messages") as Y.Array<ReviewMessage>).push([m]), {
    kind: "user",
    userId: author.id,
  });
  return m.id;
}

export function setNoteResolved(doc: Y.Doc, noteId: string, resolved: boolean, userId: string) {
  const t = notesMap(doc).get(noteId);
  if (!t) throw new Error(`no note ${noteId}`);
  doc.transact(() => t.set("resolved", resolved), { kind: "user", userId });
}

/** Notes whose anchor covers this frame (a point note on it, or a range that contains it). */
export function notesAtFrame(notes: ReviewNote[], f: number): ReviewNote[] {
  return notes.filter((n) =>
    n.anchor.endFrame === undefined
      ? n.anchor.frame === f
      : f >= n.anchor.frame && f <= n.anchor.endFrame,
  );
}
