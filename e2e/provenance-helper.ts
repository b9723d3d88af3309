/**
 * Command-line helper for tests/media-paths.spec.ts and tests/verify.spec.ts (run with
 * `node --import tsx`, like social-helper.ts, against the launcher Playwright started):
 *
 *   setup <username>   → a new account with a session, and one of everything a person can
 *                        download, made through the real services and worker: a draft, its post,
 *                        an edited and an extended version of it, a review link that allows
 *                        downloads with a guest's cookie, a share link and an API key. Prints their
 *                        ids, the masters' paths, the cookies and the key.
 *   check <json>       → for each `{ file, master?, payloads }`: the C2PA state read back with this
 *                        instance's chain, the invisible mark (blind decode and match against
 *                        `payloads`), and for videos with a master the visible mark's score.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createSession } from "@reelhouse/shared/accounts/sessions.server";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { createApiKey } from "@reelhouse/shared/api/keys.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { createEditService } from "@reelhouse/shared/edit/service.server";
import { createGenerationService } from "@reelhouse/shared/generation/service.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { identify, payloadHex, payloadOf } from "@reelhouse/shared/provenance/invisible-mark";
import { detectInFile } from "@reelhouse/shared/provenance/invisible-mark.server";
import { readProvenance } from "@reelhouse/shared/provenance/sign.server";
import { visibleMarkScore } from "@reelhouse/shared/provenance/visible-mark";
import { firstGrayFrame } from "@reelhouse/shared/provenance/visible-mark.server";
import { createReviewLink, openReviewLink } from "@reelhouse/shared/review/links.server";
import { createPublishService } from "@reelhouse/shared/social/publish.server";
import { hashToken } from "@reelhouse/shared/workspaces/db.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createShareLink } from "@reelhouse/shared/workspaces/share-links.server";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";

const [cmd, arg] = process.argv.slice(2);
const rid = () => `r${randomUUID().replaceAll("-", "").slice(0, 20)}`;

async function until<T>(what: string, ms: number, probeFn: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probeFn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not finish in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function setup(pool: Pool, url: string, username: string) {
  const { user } = await createAccount(
    pool,
    {
      email: `${username}@example.test`,
      password: `Sturdy-${randomUUID().slice(0, 8)}-Passphrase!`,
      birthdate: "1990-04-12",
      username,
    },
    { inviteRequired: false },
  );
  const userId = user.id;
  const session = (await createSession(pool, userId, "playwright")).token;
  const ws = await createWorkspace(pool, userId, "Lighthouse studio");
  const projectId = (await createProject(pool, userId, ws.id, "Provenance")).id;
  const generation = await createGenerationService({ pool, databaseUrl: url });
  const edits = await createEditService({ pool, databaseUrl: url });
  const publish = await createPublishService({ pool, databaseUrl: url });
  const draftOf = (workflowId: string) =>
    until(workflowId, 400_000, async () => {
      const j = await generation.getJob(userId, workflowId);
      if (j && (j.status === "failed" || j.status === "cancelled"))
        throw new Error(`${workflowId} ${j.status}: ${j.error}`);
      return j?.status === "succeeded" && j.draft ? j.draft.id : null;
    });
  try {
    const { job } = await generation.submitGeneration(userId, {
      projectId,
      requestId: rid(),
      request: {
        prompt: { text: "A lighthouse on a cliff at dusk, waves below, slow pan" },
        durationSeconds: 4,
      },
    });
    const draftId = await draftOf(job.workflowId);
    // The edited version (the editor's render of the draft) and the extended one, concurrently.
    const edit = await edits.createEdit(userId, { projectId, draftIds: [draftId], title: "Cut" });
    const render = await edits.submitRender(userId, edit.id, { requestId: rid(), edl: edit.edl });
    const extend = await edits.submitExtend(userId, projectId, draftId, {
      requestId: rid(),
      seconds: 1,
    });
    const { job: pub } = await publish.submit(userId, { draftId, caption: "provenance" });
    const postId = await until("publishing", 400_000, async () => {
      const j = await publish.get(userId, pub.workflowId);
      if (j.status === "failed") throw new Error(`publish failed: ${j.error}`);
      return j.status === "succeeded" ? j.postId : null;
    });
    const editDraftId = await draftOf(render.workflowId);
    const extendDraftId = await draftOf(extend.workflowId);
    const link = await createReviewLink(pool, userId, {
      draftId,
      rights: "comment",
      allowDownload: true,
    });
    const guest = await openReviewLink(pool, link.token, { name: "Guest" });
    const key = await createApiKey(pool, userId, ws.id, {
      name: "provenance",
      scopes: ["videos:read", "videos:write"],
      rateLimitPerMinute: 600,
    });
    const share = await createShareLink(pool, userId, projectId, { rights: "view" });
    const masters = await pool.query<{ id: string; video_path: string; poster_media_id: string }>(
      "SELECT id, video_path, poster_media_id FROM drafts WHERE id = ANY($1::uuid[])",
      [[draftId, editDraftId, extendDraftId]],
    );
    return {
      session,
      username,
      shareToken: share.token,
      posterMediaId: masters.rows.find((r) => r.id === draftId)?.poster_media_id,
      userId,
      workspaceId: ws.id,
      projectId,
      draftId,
      postId,
      editDraftId,
      extendDraftId,
      reviewToken: link.token,
      guestCookie: {
        name: `rh_review_${hashToken(link.token).slice(0, 12)}`,
        value: guest.guestToken,
      },
      apiKey: key.key,
      masters: Object.fromEntries(
        masters.rows.map((r) => [r.id, path.join(dataDir(), r.video_path)]),
      ),
    };
  } finally {
    await Promise.all([generation.close(), edits.close(), publish.close()]);
  }
}

type CheckInput = { file: string; master?: string; payloads: string[] };

async function check(items: CheckInput[]) {
  const out = [];
  for (const it of items) {
    const c2pa = await readProvenance({ path: it.file });
    const p = await probe(it.file);
    const isVideo = p.durationSeconds > 0.5 && Boolean(p.video);
    let mark: { found: boolean; blind: string | null; matched: string | null } | null = null;
    let visible: { inside: number; outside: number } | null = null;
    if (isVideo) {
      const d = await detectInFile(it.file, { fps: 24 });
      const m = identify(
        d,
        it.payloads.map((x) => payloadOf(x)),
      );
      mark = {
        found: m !== null,
        blind: d.payload === null ? null : payloadHex(d.payload),
        matched: m ? payloadHex(m.payload) : null,
      };
      if (it.master) {
        const w = p.video?.width ?? 0;
        const h = p.video?.height ?? 0;
        visible = visibleMarkScore(
          await firstGrayFrame(it.file, w, h),
          await firstGrayFrame(it.master, w, h),
          w,
          h,
        );
      }
    }
    out.push({
      file: it.file,
      video: isVideo,
      c2pa: {
        state: c2pa.state,
        kind: c2pa.origin?.kind ?? null,
        draftId: c2pa.origin?.draftId ?? null,
        failures: c2pa.failures,
      },
      mark,
      visible,
    });
  }
  return out;
}

if (cmd === "check") {
  console.log(JSON.stringify(await check(JSON.parse(arg ?? "[]") as CheckInput[])));
} else {
  await withDatabase(async (url) => {
    const pool = createPool(url, 2);
    try {
      if (cmd === "setup") console.log(JSON.stringify(await setup(pool, url, arg ?? "")));
      else throw new Error(`unknown command ${cmd}`);
    } finally {
      await pool.end();
    }
  });
}
