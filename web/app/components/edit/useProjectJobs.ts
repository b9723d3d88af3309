import { useCallback, useEffect, useState } from "react";
import { isActive, type JobJson, type JobsResponse } from "../generation/types";

/**
 * The project's generation jobs (`GET /projects/:projectId/jobs`), polled every second while one
 * of those `watched` is queued or running (or `hurry` is set: a press is on its way), else every
 * 8 s. One poller for the editor's render and Extend panels.
 */
export function useProjectJobs(
  projectId: string,
  watched: (j: JobJson) => boolean,
  hurry: boolean,
): { jobs: JobJson[]; refresh: () => Promise<void> } {
  const [jobs, setJobs] = useState<JobJson[]>([]);
  const refresh = useCallback(async () => {
    const res = await fetch(`/projects/${projectId}/jobs`, {
      headers: { accept: "application/json" },
    }).catch(() => null);
    if (!res?.ok) return;
    setJobs(((await res.json()) as JobsResponse).jobs);
  }, [projectId]);
  const active = jobs.some((j) => watched(j) && isActive(j.status));
  useEffect(() => {
    let stop = false;
    let t: ReturnType<typeof setTimeout>;
    const loop = async () => {
      await refresh().catch(() => undefined);
      if (!stop) t = setTimeout(loop, active || hurry ? 1000 : 8000);
    };
    void loop();
    return () => {
      stop = true;
      clearTimeout(t);
    };
  }, [refresh, active, hurry]);
  return { jobs, refresh };
}
