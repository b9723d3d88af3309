import { describe, expect, it } from "vitest";
import { filterRenders, isFiltered, makers, NO_FILTER } from "./filter";
import type { JobJson } from "./types";

function job(p: Partial<JobJson>): JobJson {
  return {
    workflowId: Math.random().toString(36),
    kind: "clip",
    userId: "u1",
    username: "ana",
    backend: "previz",
    status: "succeeded",
    stage: "done",
    progress: 1,
    error: null,
    shotId: null,
    parentWorkflowId: null,
    label: "A red fox in snow",
    renamed: false,
    size: "720x1280",
    seed: 1,
    shotCount: null,
    draft: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    ...p,
  };
}

const jobs = [
  job({ workflowId: "a", label: "A red fox in snow" }),
  job({ workflowId: "b", status: "running", label: "Waves at night" }),
  job({ workflowId: "c", status: "failed", kind: "sequence", label: "Sequence of 3 shots" }),
  job({ workflowId: "d", userId: "u2", username: "ben", label: "Final cut", kind: "edit" }),
  job({ workflowId: "e", status: "queued", userId: "u2", username: "ben", label: "Fox again" }),
];
const ids = (f: Partial<typeof NO_FILTER>) =>
  filterRenders(jobs, { ...NO_FILTER, ...f }).map((j) => j.workflowId);

describe("filterRenders", () => {
  it("keeps everything with no filter", () => {
    expect(ids({})).toEqual(["a", "b", "c", "d", "e"]);
    expect(isFiltered(NO_FILTER)).toBe(false);
  });
  it("filters by status; 'active' is queued or rendering", () => {
    expect(ids({ status: "active" })).toEqual(["b", "e"]);
    expect(ids({ status: "failed" })).toEqual(["c"]);
    expect(ids({ status: "succeeded" })).toEqual(["a", "d"]);
    expect(ids({ status: "cancelled" })).toEqual([]);
  });
  it("filters by kind and by who made it", () => {
    expect(ids({ kind: "sequence" })).toEqual(["c"]);
    expect(ids({ kind: "edit" })).toEqual(["d"]);
    expect(ids({ by: "u2" })).toEqual(["d", "e"]);
    expect(ids({ by: "u2", status: "active" })).toEqual(["e"]);
  });
  it("matches every word of the text, any case, in the label or the maker's name", () => {
    expect(ids({ text: "FOX" })).toEqual(["a", "e"]);
    expect(ids({ text: "fox snow" })).toEqual(["a"]);
    expect(ids({ text: "ben" })).toEqual(["d", "e"]);
    expect(ids({ text: "  " })).toEqual(["a", "b", "c", "d", "e"]);
    expect(ids({ text: "zebra" })).toEqual([]);
    expect(isFiltered({ ...NO_FILTER, text: "x" })).toBe(true);
  });
  it("lists the makers once each", () => {
    expect(makers(jobs)).toEqual([
      { id: "u1", username: "ana" },
      { id: "u2", username: "ben" },
    ]);
  });
});
