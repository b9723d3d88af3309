import type { PlanSummary } from "@reelhouse/shared/understanding/describe";
import { useEffect, useState } from "react";

export type PlanState =
  | { status: "idle" }
  | { status: "loading"; summary: PlanSummary | null }
  | { status: "ready"; summary: PlanSummary }
  | { status: "error"; error: string };

/**
 * What the animatic will draw for the prompt, from GET /projects/:id/explain: asked half a
 * second after the typing stops, the previous answer kept on screen while the next one loads.
 */
export function usePlan(projectId: string, prompt: string): PlanState {
  const [state, setState] = useState<PlanState>({ status: "idle" });
  useEffect(() => {
    const text = prompt.trim();
    if (!text) {
      setState({ status: "idle" });
      return;
    }
    const ac = new AbortController();
    setState((s) => ({
      status: "loading",
      summary: s.status === "ready" ? s.summary : s.status === "loading" ? s.summary : null,
    }));
    const timer = setTimeout(() => {
      fetch(
        `/projects/${projectId}/explain?${new URLSearchParams({ prompt: text.slice(0, 4000) })}`,
        {
          signal: ac.signal,
          headers: { accept: "application/json" },
        },
      )
        .then(async (r) => {
          const body = (await r.json()) as { ok: boolean; summary?: PlanSummary; error?: string };
          if (body.ok && body.summary) setState({ status: "ready", summary: body.summary });
          else
            setState({
              status: "error",
              error: body.error ?? `The plan could not be made (${r.status}).`,
            });
        })
        .catch((err: unknown) => {
          if (!ac.signal.aborted)
            setState({ status: "error", error: `The plan could not be fetched: ${String(err)}` });
        });
    }, 500);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [projectId, prompt]);
  return state;
}
