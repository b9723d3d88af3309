import { describe, expect, it } from "vitest";
import { manifestDefinition, ORIGIN_ASSERTION, TRAINED_ALGORITHMIC_MEDIA } from "./manifest.ts";

const base = {
  kind: "draft-video" as const,
  format: "video/mp4" as const,
  title: "video.mp4",
  instance: "https://r.example/",
  backend: "openai",
  model: "sora-2",
  workspace: { id: "w", name: "Team" },
  projectId: "p",
  draftWorkflowId: "generate:1",
  draftId: null,
  postId: null,
  edited: false,
  remixOf: [],
};

describe("manifestDefinition", () => {
  it("claims AI generation by Reelhouse with the backend and model", () => {
    const m = manifestDefinition(base);
    const actions = (
      (m.assertions[0]?.data ?? { actions: [] }) as { actions: Record<string, unknown>[] }
    ).actions;
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      action: "c2pa.created",
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: {
        name: "Reelhouse",
        "com.reelhouse.backend": "openai",
        "com.reelhouse.model": "sora-2",
      },
      parameters: { "com.reelhouse.workspace": "Team" },
    });
    expect(m.assertions[1]).toEqual({
      label: ORIGIN_ASSERTION,
      data: expect.objectContaining({
        workspaceId: "w",
        draftWorkflowId: "generate:1",
        kind: "draft-video",
      }),
    });
    expect(m.ingredients).toEqual([]);
  });

  it("adds the remix chain as ingredients, nearest first, and edit/watermark actions", () => {
    const m = manifestDefinition({
      ...base,
      kind: "post-download",
      edited: true,
      postId: "x",
      remixOf: [
        { postId: "a", username: "ana" },
        { postId: "b", username: null },
      ],
    });
    expect(m.ingredients.map((i) => i.instance_id)).toEqual([
      "https://r.example/p/a",
      "https://r.example/p/b",
    ]);
    expect(m.ingredients[0]?.title).toContain("@ana");
    expect(m.ingredients[1]?.title).not.toContain("@");
    const actions = (
      (m.assertions[0]?.data ?? { actions: [] }) as { actions: { action: string }[] }
    ).actions;
    expect(actions.map((a) => a.action)).toEqual([
      "c2pa.created",
      "c2pa.edited",
      "c2pa.watermarked",
    ]);
  });

  it("the feed rendition and a draft's export say they are watermarked (post / draft mark); the master does not", () => {
    const actionsOf = (kind: "post-video" | "draft-export" | "draft-video") =>
      (
        (manifestDefinition({ ...base, kind }).assertions[0]?.data ?? { actions: [] }) as {
          actions: { action: string; parameters?: { description?: string } }[];
        }
      ).actions;
    expect(actionsOf("post-video").map((a) => a.action)).toEqual([
      "c2pa.created",
      "c2pa.watermarked",
      "c2pa.transcoded",
    ]);
    expect(actionsOf("post-video")[1]?.parameters?.description).toContain("invisible post mark");
    expect(actionsOf("draft-export").map((a) => a.action)).toEqual([
      "c2pa.created",
      "c2pa.watermarked",
    ]);
    expect(actionsOf("draft-export")[1]?.parameters?.description).toContain("invisible draft mark");
    expect(actionsOf("draft-video").map((a) => a.action)).toEqual(["c2pa.created"]);
  });

  it("without a public URL names remix posts by URN and leaves out an unknown model", () => {
    const m = manifestDefinition({
      ...base,
      instance: null,
      model: null,
      remixOf: [{ postId: "a", username: "u" }],
    });
    expect(m.ingredients[0]?.instance_id).toBe("urn:reelhouse:post:a");
    const created = (
      (m.assertions[0]?.data ?? { actions: [] }) as { actions: Record<string, unknown>[] }
    ).actions[0];
    expect(JSON.stringify(created)).not.toContain("com.reelhouse.model");
  });
});
