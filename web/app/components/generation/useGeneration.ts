import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import { useCsrfToken } from "../ui";
import {
  type BackendJson,
  type CancelResponse,
  type DeleteResponse,
  isActive,
  type JobJson,
  type JobsResponse,
  type RenameResponse,
  type SubmitResponse,
} from "./types";

export const SIZES = [
  { value: "720x1280", label: "720×1280 vertical" },
  { value: "1280x720", label: "1280×720 landscape" },
  { value: "1024x1792", label: "1024×1792 tall" },
] as const;

export interface GenerationSettings {
  size: string;
  durationSeconds: number;
  seed: number;
  /** Locked: every Generate reuses `seed`. Unlocked: each press picks a new seed (a new variation). */
  seedLocked: boolean;
  backend: string;
}

export interface Generation {
  projectId: string;
  jobs: JobJson[];
  backends: BackendJson[];
  loaded: boolean;
  settings: GenerationSettings;
  setSettings: (patch: Partial<GenerationSettings>) => void;
  /** POSTs an intent to the jobs route; `requestKey` names the press (same key → same request id). */
  submit: (fields: Record<string, string>, image?: File | null) => Promise<SubmitResponse>;
  cancel: (workflowId: string) => Promise<CancelResponse>;
  /** Renames a finished render's draft (its maker or a workspace owner). */
  renameDraft: (draftId: string, title: string) => Promise<RenameResponse>;
  /** Deletes a draft with its files; the render leaves the list. */
  deleteDraft: (draftId: string) => Promise<DeleteResponse>;
  /** The newest job of a storyboard shot (its own clip, or its part of a sequence). */
  shotJob: (shotId: string) => JobJson | null;
  /** Reads the jobs now (after a press elsewhere started one, e.g. Extend on a card). */
  refresh: () => Promise<void>;
}

/**
 * A fresh id per press of Generate (the server's idempotency key). `crypto.randomUUID` exists only
 * in secure contexts; a self-hosted server reached over plain http on a LAN address gets the same
 * 128 random bits from `getRandomValues`, which works everywhere.
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === "function" && globalThis.isSecureContext !== false)
    return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function postForm(url: string, body: FormData): Promise<SubmitResponse> {
  const res = await fetch(url, { method: "POST", body, headers: { accept: "application/json" } });
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("application/json")) return (await res.json()) as SubmitResponse;
  const text = (await res.text()).replace(/<[^>]+>/g, " ").trim();
  return {
    ok: false,
    code: `http_${res.status}`,
    error: text.slice(0, 300) || `The server answered ${res.status}.`,
  };
}

/**
 * The project's generation state: jobs polled from `/projects/:id/jobs` every second while one is
 * queued or running (every 10 s otherwise, so other people's jobs appear), the shared settings, and
 * submit/cancel. When a job finishes with a draft, the page's loader is revalidated (shot posters),
 * and `onDraft` is told about drafts of shots this browser asked for.
 */
export function useGeneration(opts: {
  projectId: string;
  onDraft?: (job: JobJson) => void;
}): Generation {
  const { projectId } = opts;
  const csrf = useCsrfToken();
  const revalidator = useRevalidator();
  const [jobs, setJobs] = useState<JobJson[]>([]);
  const [backends, setBackends] = useState<BackendJson[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [settings, set] = useState<GenerationSettings>({
    size: "720x1280",
    durationSeconds: 10,
    seed: 0,
    seedLocked: false,
    backend: "",
  });
  const seen = useRef(new Map<string, string>());
  const mine = useRef(new Set<string>());
  const onDraft = useRef(opts.onDraft);
  onDraft.current = opts.onDraft;
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const [tick, setTick] = useState(0);

  const absorb = useCallback((list: JobJson[]) => {
    let finished = false;
    for (const j of list) {
      const before = seen.current.get(j.workflowId);
      if (before !== undefined && before !== j.status && j.status === "succeeded") {
        finished = true;
        if (
          mine.current.has(j.workflowId) ||
          (j.parentWorkflowId && mine.current.has(j.parentWorkflowId))
        )
          onDraft.current?.(j);
      }
      seen.current.set(j.workflowId, j.status);
    }
    if (finished) void revalidate.current();
  }, []);

  const refresh = useCallback(async () => {
    const res = await fetch(`/projects/${projectId}/jobs`, {
      headers: { accept: "application/json" },
    });
    if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return;
    const d = (await res.json()) as JobsResponse;
    absorb(d.jobs);
    setJobs(d.jobs);
    setBackends(d.backends);
    set((s) => (s.backend ? s : { ...s, backend: d.defaultBackend }));
    setLoaded(true);
  }, [projectId, absorb]);

  const anyActive = jobs.some((j) => isActive(j.status));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` restarts polling after a submit
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      try {
        await refresh();
      } catch {
        // offline for a moment: try again on the next tick
      }
      if (!stopped) timer = setTimeout(loop, anyActive ? 1000 : 10_000);
    };
    timer = setTimeout(loop, loaded ? (anyActive ? 1000 : 10_000) : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [refresh, anyActive, loaded, tick]);

  const submit = useCallback(
    async (fields: Record<string, string>, image?: File | null) => {
      const body = new FormData();
      body.append("csrf", csrf); // first: the server checks multipart forms' first part
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      if (image) body.append("image", image);
      const r = await postForm(`/projects/${projectId}/jobs`, body);
      if (r.ok) {
        mine.current.add(r.job.workflowId);
        if (!seen.current.has(r.job.workflowId)) seen.current.set(r.job.workflowId, r.job.status);
        setJobs((list) =>
          list.some((j) => j.workflowId === r.job.workflowId) ? list : [r.job, ...list],
        );
        setTick((t) => t + 1);
      }
      return r;
    },
    [csrf, projectId],
  );

  const cancel = useCallback(
    async (workflowId: string) => {
      const body = new FormData();
      body.append("csrf", csrf);
      body.append("intent", "cancel");
      body.append("workflowId", workflowId);
      const r = (await postForm(`/projects/${projectId}/jobs`, body)) as CancelResponse;
      setTick((t) => t + 1);
      return r;
    },
    [csrf, projectId],
  );

  const renameDraft = useCallback(
    async (draftId: string, title: string) => {
      const body = new FormData();
      body.append("csrf", csrf);
      body.append("intent", "rename-draft");
      body.append("draftId", draftId);
      body.append("title", title);
      const r = (await postForm(`/projects/${projectId}/jobs`, body)) as unknown as RenameResponse;
      if (r.ok)
        setJobs((list) =>
          list.map((j) => (j.draft?.id === draftId ? { ...j, label: r.title, renamed: true } : j)),
        );
      return r;
    },
    [csrf, projectId],
  );

  const deleteDraft = useCallback(
    async (draftId: string) => {
      const body = new FormData();
      body.append("csrf", csrf);
      body.append("intent", "delete-draft");
      body.append("draftId", draftId);
      const r = (await postForm(`/projects/${projectId}/jobs`, body)) as unknown as DeleteResponse;
      if (r.ok) {
        setJobs((list) => {
          const gone = list.find((j) => j.draft?.id === draftId)?.workflowId;
          return list.filter(
            (j) => j.draft?.id !== draftId && (!gone || j.parentWorkflowId !== gone),
          );
        });
        setTick((t) => t + 1);
      }
      return r;
    },
    [csrf, projectId],
  );

  const shotJob = useCallback(
    (shotId: string) => jobs.find((j) => j.shotId === shotId) ?? null,
    [jobs],
  );

  const setSettings = useCallback(
    (patch: Partial<GenerationSettings>) => set((s) => ({ ...s, ...patch })),
    [],
  );

  return useMemo(
    () => ({
      projectId,
      jobs,
      backends,
      loaded,
      settings,
      setSettings,
      submit,
      cancel,
      renameDraft,
      deleteDraft,
      shotJob,
      refresh,
    }),
    [
      projectId,
      jobs,
      backends,
      loaded,
      settings,
      setSettings,
      submit,
      cancel,
      renameDraft,
      deleteDraft,
      shotJob,
      refresh,
    ],
  );
}
