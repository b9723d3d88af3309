import { randomBytes } from "node:crypto";
import type { CastMember } from "../cameos/consent.server.ts";
import { CameoError } from "../cameos/errors.ts";
import type { LivenessPlan } from "../cameos/liveness.ts";
import { castFromPrompt } from "../cameos/mentions.ts";
import type { CameoService } from "../cameos/service.server.ts";
import type { Pool } from "../db/pool.server.ts";
import { ApiError, type ApiErrorStatus, notFound } from "./errors.ts";
import { type ApiPrincipal, requireScope } from "./keys.server.ts";
import { type CharacterObject, createCharacterSchema } from "./schemas.ts";

/**
 * The Videos API's characters (POST /v1/videos/characters, GET /v1/videos/characters/{id}) over
 * the cameo domain (shared/src/cameos): a character is the PERSON cameo of the key's user, made
 * from the uploaded video by the same `cameo` workflow as a recording made in the app — the
 * recording checks (container, codecs, size, 3–12 s), liveness (face in the frames, anti-spoof,
 * replay on a screen, the head turns in order, the digits read aloud), the likeness guard (a face
 * that is someone else's cameo is refused) — and cast only as the owner's "who may cast" allows
 * (consent.server.ts, asked when the render is submitted and again when it starts).
 *
 * A recording made in the app answers prompts the page showed in a random order. An API client
 * cannot see prompts, so an API character follows the published order `API_LIVENESS_PLAN`. That
 * keeps every check except the random order, which is what stops a replay of an older recording
 * of the same person: the screen-replay and anti-spoof checks still run, and the likeness guard
 * still refuses a face that is another person's cameo. docs/api.md says so.
 */

/** The prompts an API character's video must follow: second 0–1 centred, then one second each. */
export const API_LIVENESS_PLAN: LivenessPlan = {
  baselineEndS: 1,
  prompts: [
    { kind: "left", startS: 1, endS: 2 },
    { kind: "right", startS: 2, endS: 3 },
    { kind: "up", startS: 3, endS: 4 },
    { kind: "digits", startS: 4, endS: 5, digits: "1234" },
  ],
};

const CHARACTER_ID = /^char_[0-9a-f]{24}$/;

interface Row {
  id: string;
  name: string;
  created_at: Date;
  cameo_id: string;
  status: "processing" | "ready" | "refused" | "failed";
  status_reason: string | null;
  verdict_code: string | null;
}

const SELECT = `SELECT a.id, a.name, a.created_at, a.cameo_id, c.status, c.status_reason,
                       c.liveness -> 'verdict' ->> 'code' AS verdict_code
                  FROM api_characters a JOIN cameos c ON c.id = a.cameo_id`;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function toCharacter(r: Row): CharacterObject {
  const failed = r.status === "refused" || r.status === "failed";
  return {
    id: r.id,
    object: "character",
    name: r.name,
    created_at: unix(r.created_at),
    status: failed ? "failed" : (r.status as "processing" | "ready"),
    error: failed
      ? {
          code: r.verdict_code ?? (r.status === "failed" ? "processing_failed" : "cameo_refused"),
          message: r.status_reason ?? "The video could not be made into a character.",
        }
      : null,
  };
}

const apiStatus = (s: number): ApiErrorStatus =>
  s === 400 || s === 404 || s === 409 || s === 413 ? s : 403;

export interface CharactersApi {
  create(p: ApiPrincipal, raw: unknown, video: Uint8Array | undefined): Promise<CharacterObject>;
  retrieve(p: ApiPrincipal, id: string): Promise<CharacterObject>;
  /**
   * The cast a create request's prompt names: "@char_… as the barista" (or "@Name as the
   * barista", a character's display name in this workspace) casts that character's cameo in the
   * role; other "@username as …" mentions stay as the app reads them. Unknown character ids are
   * 404. The consent rule is asked by the generation service, not here.
   */
  castOf(p: ApiPrincipal, prompt: string): Promise<CastMember[]>;
}

export function createCharactersApi(opts: {
  pool: Pool;
  cameos: () => Promise<CameoService>;
}): CharactersApi {
  const { pool } = opts;

  async function byId(p: ApiPrincipal, id: string): Promise<Row> {
    const r = CHARACTER_ID.test(id)
      ? await pool.query<Row>(`${SELECT} WHERE a.id = $1 AND a.workspace_id = $2`, [
          id,
          p.workspaceId,
        ])
      : { rows: [] };
    if (!r.rows[0]) throw notFound("character", id);
    return r.rows[0];
  }

  return {
    async create(p, raw, video) {
      requireScope(p, "videos:write");
      const parsed = createCharacterSchema.safeParse(raw);
      if (!parsed.success)
        throw new ApiError(
          400,
          "invalid_value",
          "name is required: 1 to 80 characters naming the character.",
          "name",
        );
      if (!video || video.length === 0)
        throw new ApiError(
          400,
          "missing_parameter",
          "Missing required parameter: 'video' (a WebM or MP4 file of the person, 3 to 12 seconds).",
          "video",
        );
      // A person has one cameo. A refused or failed one is retaken; a ready or processing one is
      // kept (a retake would replace a working cameo: that is done in the app, on /cameos).
      const existing = await pool.query<{ id: string; status: Row["status"] }>(
        "SELECT id, status FROM cameos WHERE owner_id = $1 AND kind = 'person'",
        [p.userId],
      );
      const own = existing.rows[0];
      if (own && (own.status === "ready" || own.status === "processing")) {
        const linked = await pool.query<{ id: string }>(
          "SELECT id FROM api_characters WHERE cameo_id = $1 AND workspace_id = $2 ORDER BY created_at DESC LIMIT 1",
          [own.id, p.workspaceId],
        );
        throw new ApiError(
          409,
          "character_exists",
          linked.rows[0]
            ? `This key's user already has a character (${linked.rows[0].id}, ${own.status}): a person has one cameo. Use it, or retake it in the app on /cameos.`
            : `This key's user already has a cameo (${own.status}): a person has one. Retake or delete it on /cameos.`,
          "video",
        );
      }
      const service = await opts.cameos();
      const submitted = await service
        .submit(p.userId, own ? { cameoId: own.id } : { kind: "person" }, video, null, {
          plan: API_LIVENESS_PLAN,
        })
        .catch((err: unknown) => {
          if (err instanceof CameoError)
            throw new ApiError(apiStatus(err.status), err.code, err.message, "video");
          throw err;
        });
      const id = `char_${randomBytes(12).toString("hex")}`;
      // A retake's earlier characters named a refused attempt: they go, so an id never changes
      // from failed to ready behind a client's back.
      if (own) await pool.query("DELETE FROM api_characters WHERE cameo_id = $1", [own.id]);
      await pool.query(
        `INSERT INTO api_characters (id, workspace_id, user_id, api_key_id, cameo_id, name)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, p.workspaceId, p.userId, p.keyId, submitted.cameo.id, parsed.data.name],
      );
      return toCharacter(await byId(p, id));
    },

    async retrieve(p, id) {
      requireScope(p, "videos:read");
      return toCharacter(await byId(p, id));
    },

    async castOf(p, prompt) {
      const named = castFromPrompt(prompt);
      const out: CastMember[] = [];
      for (const m of named) {
        const token = m.username ?? "";
        if (CHARACTER_ID.test(token)) {
          const c = await byId(p, token).catch(() => {
            throw new ApiError(
              404,
              "not_found",
              `No character with id '${token}' in this workspace.`,
              "prompt",
            );
          });
          out.push({ role: m.role, cameoId: c.cameo_id });
          continue;
        }
        const byName = await pool.query<{ cameo_id: string }>(
          "SELECT cameo_id FROM api_characters WHERE workspace_id = $1 AND lower(name) = lower($2)",
          [p.workspaceId, token],
        );
        if (byName.rows.length > 1)
          throw new ApiError(
            400,
            "character_ambiguous",
            `Several characters of this workspace are called @${token}: name it by its id (@char_…).`,
            "prompt",
          );
        out.push(byName.rows[0] ? { role: m.role, cameoId: byName.rows[0].cameo_id } : m);
      }
      return out;
    },
  };
}
