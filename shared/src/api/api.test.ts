import { describe, expect, it } from "vitest";
import { requestIdSchema } from "../generation/jobs.ts";
import { ApiError } from "./errors.ts";
import { bearerToken } from "./keys.server.ts";
import { createVideoSchema, listVideosSchema } from "./schemas.ts";
import { OPENAI_MODEL, parse, requestIdFor, toVideo } from "./videos.server.ts";
import { signWebhook, webhookBackoffMs } from "./webhook-signature.ts";

describe("the API's pure parts", () => {
  it("signs like the Standard Webhooks reference example", () => {
    // The example of the Standard Webhooks spec / Svix docs.
    expect(
      signWebhook(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("backs off 4× per failed attempt, capped at 6 hours", () => {
    expect([1, 2, 3, 4].map((n) => webhookBackoffMs(n, 5000))).toEqual([
      5000, 20000, 80000, 320000,
    ]);
    expect(webhookBackoffMs(20, 5000)).toBe(6 * 3600_000);
  });

  it("reads a bearer token and nothing else", () => {
    expect(bearerToken("Bearer rh_sk_abc")).toBe("rh_sk_abc");
    expect(bearerToken("bearer  rh_sk_abc ")).toBe("rh_sk_abc");
    expect(bearerToken("Basic xyz")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it("parses OpenAI's string fields and names the bad one", () => {
    expect(parse(createVideoSchema, { prompt: " a fox ", seconds: "8" })).toEqual({
      prompt: "a fox",
      seconds: 8,
      size: "720x1280",
    });
    expect(parse(listVideosSchema, { limit: "5" })).toEqual({ limit: 5, order: "desc" });
    const refusal = (raw: unknown) => {
      try {
        parse(createVideoSchema, raw);
      } catch (err) {
        return err as ApiError;
      }
      throw new Error("expected a refusal");
    };
    expect(refusal({})).toMatchObject({
      status: 400,
      param: "prompt",
      message: "Missing required parameter: 'prompt'.",
    });
    expect(refusal({ prompt: "x", seconds: "3" })).toMatchObject({ param: "seconds" });
    expect(refusal({ prompt: "x", seconds: "4.5" })).toMatchObject({ param: "seconds" });
    expect(refusal({ prompt: "x", size: "1792x1024" })).toMatchObject({ param: "size" });
  });

  it("maps OpenAI model names, and only those, to the workspace backend", () => {
    for (const m of ["sora-2", "sora-2-pro", "sora-2-2025-10-06", "sora-2-pro-2025-10-06"])
      expect(OPENAI_MODEL.test(m)).toBe(true);
    for (const m of ["previz", "sora-3", "sora-2-mini", "xsora-2"])
      expect(OPENAI_MODEL.test(m)).toBe(false);
  });

  it("shows job states as OpenAI's statuses, with the error only when failed", () => {
    const base = {
      id: "video_1",
      model: "previz",
      prompt: "p",
      seconds: 4,
      size: "720x1280",
      remixed_from_video_id: null,
      created_at: new Date(1_764_000_000_000),
      seq: "1",
      workflow_id: "gen:x:y",
      backend: "previz",
      progress: 40,
      error_code: null,
      error: null,
      finished_at: null,
      request: {} as never,
      video_path: null,
      poster_path: null,
      sprite_path: null,
    };
    expect(toVideo({ ...base, status: "queued" })).toMatchObject({ status: "queued", error: null });
    expect(toVideo({ ...base, status: "running" })).toMatchObject({
      status: "in_progress",
      progress: 40,
    });
    expect(
      toVideo({ ...base, status: "succeeded", finished_at: new Date(1_764_000_060_000) }),
    ).toMatchObject({
      status: "completed",
      progress: 100,
      completed_at: 1_764_000_060,
      seconds: "4",
    });
    expect(
      toVideo({ ...base, status: "failed", error_code: "safety_gore", error: "No." }),
    ).toMatchObject({
      status: "failed",
      error: { code: "safety_gore", message: "No." },
      completed_at: null,
    });
    expect(toVideo({ ...base, status: "cancelled" }).error?.code).toBe("cancelled");
  });

  it("turns an Idempotency-Key into a valid request id, stable per key and distinct across keys", () => {
    const long = `stainless-node-retry-${"x".repeat(200)}`;
    const a = requestIdFor("video", long, "key-1");
    expect(requestIdSchema.safeParse(a).success).toBe(true);
    expect(requestIdFor("video", long, "key-1")).toBe(a);
    expect(requestIdFor("video", `${long}y`, "key-1")).not.toBe(a);
    expect(requestIdFor("video", long, "key-2")).not.toBe(a);
    expect(requestIdSchema.safeParse(requestIdFor("extend", undefined, "k")).success).toBe(true);
  });

  it("errors serialize in OpenAI's shape", () => {
    expect(new ApiError(404, "not_found", "No video.", "video").toJSON()).toEqual({
      error: {
        message: "No video.",
        type: "invalid_request_error",
        param: "video",
        code: "not_found",
      },
    });
  });
});
