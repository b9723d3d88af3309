import path from "node:path";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import type { GenerationRequest } from "../generation/request.ts";
import { dataDir } from "../paths.server.ts";
import type { KitManifest } from "./analyzer.server.ts";
import type { CameoVoice } from "./voice.ts";

/**
 * What a render needs of each cameo cast in it: the role it plays, its likeness kit's files
 * (absolute, each checked to lie inside the cameo's own folder), its colours and its voice. Read
 * by the render step right after the consent check, so a deleted or unready cameo is simply absent.
 */
export interface CastCameo {
  cameoId: string;
  /** The cameo's handle (a person's username): "@mia". */
  name: string;
  /** The role of the cast member ("the barista"), as the casting document names it. */
  role: string;
  files: {
    face: string;
    mouthOpen: string;
    mouthClosed: string;
    poses: { left?: string; right?: string; up?: string };
  };
  colors: { skin: string; hair: string };
  voice: CameoVoice | null;
}

type Q = Pool | PoolClient;
type Row = {
  id: string;
  name: string;
  dir: string;
  kit: KitManifest | null;
  voice: CameoVoice | null;
};

/** A kit file (relative to the cameo folder) as an absolute path that cannot leave that folder. */
export function kitFile(root: string, dir: string, rel: string): string {
  const base = path.resolve(root, dir);
  const abs = path.resolve(base, rel);
  if (!base.startsWith(path.resolve(root, "cameos") + path.sep) || !abs.startsWith(base + path.sep))
    throw new Error(`cameo kit file outside its folder: ${rel}`);
  return abs;
}

export async function castCameos(
  q: Q,
  request: Pick<GenerationRequest, "cast">,
  root: string = dataDir(),
): Promise<CastCameo[]> {
  const members = request.cast.filter((m) => m.cameoId);
  if (members.length === 0) return [];
  const r = await q.query<Row>(
    `SELECT id, name, dir, kit, voice FROM cameos
      WHERE id = ANY($1::uuid[]) AND status = 'ready' AND kit IS NOT NULL`,
    [members.map((m) => m.cameoId)],
  );
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  const out: CastCameo[] = [];
  for (const m of members) {
    const row = byId.get(m.cameoId!);
    if (!row?.kit) continue;
    const f = (rel: string) => kitFile(root, row.dir, rel);
    const poses: CastCameo["files"]["poses"] = {};
    for (const k of ["left", "right", "up"] as const) {
      const p = row.kit.poses[k];
      if (p) poses[k] = f(p);
    }
    out.push({
      cameoId: row.id,
      name: row.name,
      role: m.role,
      files: {
        face: f(row.kit.face),
        mouthOpen: f(row.kit.mouthOpen),
        mouthClosed: f(row.kit.mouthClosed),
        poses,
      },
      colors: row.kit.colors,
      voice: row.voice,
    });
  }
  return out;
}
