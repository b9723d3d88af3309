import { useEffect, useState } from "react";
import { useRevalidator } from "react-router";

/**
 * A processing cameo's live stage and progress: polls `/cameos/:id/status` every 1.5 s until it
 * is ready, refused or failed, then reloads the page's data so its final state shows.
 */

const STAGES: Record<string, string> = {
  uploaded: "Queued",
  analysing: "Finding your face",
  analyzing: "Finding your face",
  liveness: "Checking liveness",
  kit: "Making the likeness kit",
  voice: "Measuring your voice",
  finishing: "Finishing",
};

export function stageLabel(stage: string): string {
  return STAGES[stage] ?? stage.charAt(0).toUpperCase() + stage.slice(1);
}

export function Processing(props: { cameoId: string; stage: string; progress: number }) {
  const [state, setState] = useState({ stage: props.stage, progress: props.progress });
  const { revalidate } = useRevalidator();
  useEffect(() => {
    let stop = false;
    const id = window.setInterval(async () => {
      try {
        const res = await fetch(`/cameos/${props.cameoId}/status`, {
          headers: { accept: "application/json" },
        });
        if (!res.ok || stop) return;
        const s = (await res.json()) as { status: string; stage: string; progress: number };
        setState({ stage: s.stage, progress: s.progress });
        if (s.status !== "processing") {
          stop = true;
          window.clearInterval(id);
          void revalidate();
        }
      } catch {
        // A missed poll is retried on the next tick.
      }
    }, 1500);
    return () => {
      stop = true;
      window.clearInterval(id);
    };
  }, [props.cameoId, revalidate]);
  return (
    <div className="cameo-status" data-testid="cameo-processing">
      <div className="row spread small">
        <span>{stageLabel(state.stage)}…</span>
        <span className="muted">{state.progress}%</span>
      </div>
      <progress className="cameo-bar" max={100} value={state.progress} aria-label="Processing" />
    </div>
  );
}
