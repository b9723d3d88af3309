import type { JobJson } from "./types";

/**
 * The renders list's filter (issue 17 item 5): by status, kind, who made it and text. Pure, so the
 * panel and its tests agree on what matches.
 */
export interface RenderFilter {
  /** "all", "active" (queued or rendering), or a status. */
  status: "all" | "active" | "succeeded" | "failed" | "cancelled";
  kind: "all" | JobJson["kind"];
  /** "all", or a user id. */
  by: string;
  /** Words that must all appear in the label, prompt name or maker's username (any case). */
  text: string;
}

export const NO_FILTER: RenderFilter = { status: "all", kind: "all", by: "all", text: "" };

export function isFiltered(f: RenderFilter): boolean {
  return f.status !== "all" || f.kind !== "all" || f.by !== "all" || f.text.trim() !== "";
}

export function filterRenders(jobs: JobJson[], f: RenderFilter): JobJson[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return jobs.filter((j) => {
    if (f.status === "active" ? !(j.status === "queued" || j.status === "running") : false)
      return false;
    if (f.status !== "all" && f.status !== "active" && j.status !== f.status) return false;
    if (f.kind !== "all" && j.kind !== f.kind) return false;
    if (f.by !== "all" && j.userId !== f.by) return false;
    const hay = `${j.label} ${j.username}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The people who made renders in the list, for the "Made by" menu (first seen first). */
export function makers(jobs: JobJson[]): { id: string; username: string }[] {
  const seen = new Map<string, string>();
  for (const j of jobs) if (!seen.has(j.userId)) seen.set(j.userId, j.username || "someone");
  return [...seen].map(([id, username]) => ({ id, username }));
}
