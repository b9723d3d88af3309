import {
  generationRequestSchema,
  MAX_CLIP_SECONDS,
  MIN_CLIP_SECONDS,
} from "@reelhouse/shared/generation/request";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ShotDurationField } from "./Storyboard.tsx";

describe("a storyboard shot's duration field", () => {
  it("accepts exactly what a render accepts, which is what the storyboard hint says (4–20 s)", () => {
    const html = renderToString(
      createElement(ShotDurationField, { value: 4, canEdit: true, onChange: () => {} }),
    );
    expect(html).toContain(`min="${MIN_CLIP_SECONDS}"`);
    expect(html).toContain(`max="${MAX_CLIP_SECONDS}"`);
    expect([MIN_CLIP_SECONDS, MAX_CLIP_SECONDS]).toEqual([4, 20]);
    const ok = (s: number) =>
      generationRequestSchema.safeParse({ prompt: { text: "a fox" }, durationSeconds: s }).success;
    expect([
      ok(MIN_CLIP_SECONDS - 1),
      ok(MIN_CLIP_SECONDS),
      ok(MAX_CLIP_SECONDS),
      ok(MAX_CLIP_SECONDS + 1),
    ]).toEqual([false, true, true, false]);
  });
});
