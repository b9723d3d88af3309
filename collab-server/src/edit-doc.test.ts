import { editDocName, parseDocName } from "@reelhouse/shared/collab/docs";
import { userOrigin } from "@reelhouse/shared/collab/schema";
import { compileEdit, type EditSource } from "@reelhouse/shared/edit/compile";
import { initEditDoc, readEdit, setGrade, trimClip } from "@reelhouse/shared/edit/doc";
import { gradeFilters } from "@reelhouse/shared/edit/grade";
import { editSchema } from "@reelhouse/shared/edit/schema";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CollabServer, createCollabServer } from "./server.ts";
import {
  acknowledged,
  type Client,
  connect,
  makeTeam,
  SECRET,
  sleep,
  type Team,
  tokenFor,
  waitFor,
} from "./testing.ts";

/**
 * An edit's timeline (`project.<id>.edit-<editId>`) through the real collab server over
 * WebSocket: two editors cut it at once and both see both changes; viewers read; outsiders and
 * edits of other projects are refused.
 */

const pool = testPool(6);
let srv: CollabServer;
const clients: Client[] = [];
let t: Team;
let other: Team;
let editId: string;
let foreignEditId: string;
const DRAFT = "00000000-0000-4000-8000-0000000000d1";

const start = editSchema.parse({
  version: 1,
  fps: 30,
  width: 320,
  height: 240,
  clips: [{ id: "c1", draftId: DRAFT, inFrame: 0, outFrame: 120 }],
});

function open(name: string, token: string): Client {
  const c = connect(srv.url, name, token);
  clients.push(c);
  return c;
}

async function makeEdit(team: Team): Promise<string> {
  return (
    await pool.query<{ id: string }>(
      `INSERT INTO edits (project_id, created_by, source_draft_ids, edl) VALUES ($1, $2, ARRAY[$3]::uuid[], $4) RETURNING id`,
      [team.projectId, team.owner.id, DRAFT, JSON.stringify(start)],
    )
  ).rows[0]!.id;
}

beforeAll(async () => {
  srv = await createCollabServer({
    pool,
    secret: SECRET,
    port: 0,
    debounceMs: 200,
    maxDebounceMs: 1000,
    maxMessageBytes: 64 * 1024,
    pollMs: 60_000,
    log: () => {},
  });
  t = await makeTeam(pool);
  other = await makeTeam(pool);
  editId = await makeEdit(t);
  foreignEditId = await makeEdit(other);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
  await pool.end();
});

describe("edit timeline documents", () => {
  it("names parse both ways and nothing else passes", () => {
    const name = editDocName(t.projectId, editId);
    expect(parseDocName(name)).toEqual({ projectId: t.projectId, kind: "edit", editId });
    expect(parseDocName(`project.${t.projectId}.edit-nope`)).toBeNull();
    expect(parseDocName(`project.${t.projectId}.edit-${editId}.x`)).toBeNull();
  });

  it("two editors edit one timeline live (trim in one, grade in the other): both see both, the render has both", async () => {
    const name = editDocName(t.projectId, editId);
    const ana = open(name, tokenFor(t.owner.id));
    await ana.ready;
    initEditDoc(ana.doc, start, userOrigin(t.owner.id));
    await acknowledged(ana);
    const ben = open(name, tokenFor(t.editor.id));
    await ben.ready;
    await waitFor(() => ben.doc.getMap("clips").size === 1, 5000, "ben to see the timeline");
    trimClip(ana.doc, "c1", { inFrame: 15, outFrame: 90 }, userOrigin(t.owner.id));
    setGrade(ben.doc, { preset: "vintage", saturation: 0.8 }, userOrigin(t.editor.id));
    await Promise.all([acknowledged(ana), acknowledged(ben)]);
    await waitFor(
      () =>
        readEdit(ana.doc).grade.preset === "vintage" && readEdit(ben.doc).clips[0]!.inFrame === 15,
      5000,
      "both changes on both sides",
    );
    expect(readEdit(ana.doc)).toEqual(readEdit(ben.doc));
    const src: EditSource = {
      draftId: DRAFT,
      path: "/m/a.mp4",
      width: 320,
      height: 240,
      fps: 30,
      frames: 120,
      hasAudio: true,
      keyframes: [0],
    };
    const args = compileEdit(readEdit(ben.doc), {
      sources: { [DRAFT]: src },
      output: "/o.mp4",
    }).renderArgs.join(" ");
    expect(args).toContain("trim=start_frame=15:end_frame=90");
    // The editor's grade (vintage, saturation 0.8), compiled the way the render compiles it: its
    // curves are folded into the one lutrgb, so the chain is looked for whole rather than by name.
    expect(args).toContain(gradeFilters(readEdit(ana.doc).grade).join(","));
    expect(readEdit(ana.doc).grade).toMatchObject({ preset: "vintage", saturation: 0.8 });
  });

  it("a viewer reads the timeline but their changes are dropped", async () => {
    const name = editDocName(t.projectId, editId);
    const viewer = open(name, tokenFor(t.viewer.id));
    await viewer.ready;
    await waitFor(() => viewer.doc.getMap("clips").size === 1, 5000, "viewer sync");
    setGrade(viewer.doc, { exposure: 2 }, userOrigin(t.viewer.id));
    await sleep(400);
    const check = open(name, tokenFor(t.editor.id));
    await check.ready;
    await waitFor(() => check.doc.getMap("clips").size === 1, 5000, "check sync");
    expect(readEdit(check.doc).grade.exposure).toBe(0);
  });

  it("refuses an outsider, and an edit opened under another project's id", async () => {
    const outsider = open(editDocName(t.projectId, editId), tokenFor(t.outsider.id));
    await expect(outsider.ready).rejects.toThrow();
    // A member of this project naming another project's edit under their own project id.
    const sneaky = open(editDocName(t.projectId, foreignEditId), tokenFor(t.owner.id));
    await expect(sneaky.ready).rejects.toThrow();
  });
});
