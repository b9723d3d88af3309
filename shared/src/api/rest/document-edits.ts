import * as Y from "yjs";
import { keyBetween } from "../../collab/fractional-index.ts";
import {
  listShots,
  promptFragment,
  type Shot,
  type ShotFields,
  shotsMap,
  type TxOrigin,
} from "../../collab/schema.ts";
import { ApiError } from "../errors.ts";

/**
 * What a REST write does to a prompt or storyboard Y.Doc: pure functions that change the document
 * in one transaction with a typed origin, touching as little as they can, so the Yjs update they
 * produce merges with what people are typing at the same moment (documents.server.ts stores it the
 * way the collab server does).
 */

function blockText(node: unknown): string {
  if (node instanceof Y.XmlText) return node.toString().replace(/<[^>]+>/g, "");
  if (node instanceof Y.XmlElement) return node.toArray().map(blockText).join("");
  return "";
}

/** The prompt's lines for `text` (one paragraph each; CRLF accepted). */
export const promptLines = (text: string) => text.replace(/\r\n?/g, "\n").split("\n");

/**
 * Makes the prompt fragment's paragraphs read `text`: the unchanged paragraphs at the start and at
 * the end stay as they are (their Yjs items untouched), only the ones in between are replaced.
 * Returns whether anything changed.
 */
export function setPromptText(doc: Y.Doc, text: string, origin: TxOrigin): boolean {
  const fragment = promptFragment(doc);
  const current = fragment.toArray().map(blockText);
  const next = promptLines(text);
  let start = 0;
  while (start < current.length && start < next.length && current[start] === next[start]) start++;
  let end = 0;
  while (
    end < current.length - start &&
    end < next.length - start &&
    current[current.length - 1 - end] === next[next.length - 1 - end]
  )
    end++;
  const remove = current.length - start - end;
  const insert = next.slice(start, next.length - end);
  if (remove === 0 && insert.length === 0) return false;
  doc.transact(() => {
    if (remove > 0) fragment.delete(start, remove);
    if (insert.length > 0)
      fragment.insert(
        start,
        insert.map((line) => {
          const p = new Y.XmlElement("paragraph");
          if (line) p.insert(0, [new Y.XmlText(line)]);
          return p;
        }),
      );
  }, origin);
  return true;
}

/** A shot as the API writes it (schemas.ts shotInputSchema, parsed). */
export interface ShotInput {
  id?: string;
  prompt: string;
  duration_seconds: number;
  camera: string;
  transition: ShotFields["transition"];
  notes: string;
}

const fieldsOf = (s: ShotInput): Omit<ShotFields, "latestRenderId"> => ({
  prompt: s.prompt,
  durationSeconds: s.duration_seconds,
  camera: s.camera,
  transition: s.transition,
  notes: s.notes,
});

/**
 * Makes the storyboard's shots be `shots`, in that order: listed ids are updated in place (only
 * the fields that differ are written, and a shot's render link is kept), shots without an id are
 * added, and shots not listed are removed. Order keys are only rewritten when the kept shots'
 * order changes; new shots get keys between their neighbours. Throws a 400 ApiError for an
 * unknown or repeated id (nothing is changed then). Returns the ids in order.
 */
export function replaceShots(doc: Y.Doc, shots: ShotInput[], origin: TxOrigin): string[] {
  const existing = new Map(listShots(doc).map((s) => [s.id, s]));
  const seen = new Set<string>();
  shots.forEach((s, i) => {
    if (s.id === undefined) return;
    if (!existing.has(s.id))
      throw new ApiError(
        400,
        "unknown_shot",
        `No shot with id '${s.id}' in this storyboard; leave id out to add a new shot.`,
        `shots.${i}.id`,
      );
    if (seen.has(s.id))
      throw new ApiError(400, "duplicate_shot", `Shot '${s.id}' is listed twice.`, `shots.${i}.id`);
    seen.add(s.id);
  });
  const map = shotsMap(doc);
  const ids: string[] = [];
  doc.transact(() => {
    for (const id of existing.keys()) if (!seen.has(id)) map.delete(id);
    const kept = shots.filter((s) => s.id !== undefined).map((s) => existing.get(s.id!)!);
    const keysIncrease = kept.every((s, i) => i === 0 || kept[i - 1]!.order < s.order);
    let prev: string | null = null;
    shots.forEach((s, i) => {
      const old: Shot | undefined = s.id === undefined ? undefined : existing.get(s.id);
      let order: string;
      if (old && keysIncrease && (prev === null || prev < old.order)) order = old.order;
      else {
        const nextKept = keysIncrease
          ? shots.slice(i + 1).find((n) => n.id !== undefined)
          : undefined;
        const upper = nextKept ? existing.get(nextKept.id!)!.order : null;
        order = keyBetween(prev, upper !== null && prev !== null && upper <= prev ? null : upper);
      }
      prev = order;
      const fields: Record<string, unknown> = { ...fieldsOf(s), order };
      if (old) {
        const m = map.get(old.id)!;
        for (const [k, v] of Object.entries(fields)) if (m.get(k) !== v) m.set(k, v);
        ids.push(old.id);
      } else {
        const m = new Y.Map<unknown>();
        for (const [k, v] of Object.entries(fields)) m.set(k, v);
        m.set("latestRenderId", null);
        const id = crypto.randomUUID();
        map.set(id, m);
        ids.push(id);
      }
    });
  }, origin);
  return ids;
}
