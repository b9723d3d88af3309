import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { useCsrfToken } from "../ui.tsx";

/**
 * "Upload new version": a tile at the end of the stack's version menu that takes a video file
 * (drop it on the tile, or click to pick one), uploads it with a progress bar to
 * `POST /review/:draftId/upload`, then follows the worker's transcode (`GET …/upload?job=`) and
 * opens the new version when it is stored. Refusals (not a video, a playlist, cut short, too
 * large, wrong role) are shown as the server words them.
 */

type Phase =
  | { at: "idle" }
  | { at: "uploading"; sent: number; name: string }
  | { at: "processing"; workflowId: string; stage: string; progress: number; name: string }
  | { at: "failed"; error: string };

const STAGE_TEXT: Record<string, string> = {
  queued: "Waiting for a worker…",
  transcoding: "Converting to the playback format…",
  probing: "Making the poster and filmstrip…",
  storing: "Adding it to the stack…",
  done: "Done",
};

const requestId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

export function UploadVersion(props: { draftId: string; maxBytes: number }) {
  const csrf = useCsrfToken();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ at: "idle" });
  const [over, setOver] = useState(false);
  const busy = phase.at === "uploading" || phase.at === "processing";

  function send(file: File) {
    if (busy) return;
    if (file.size > props.maxBytes)
      return setPhase({
        at: "failed",
        error: `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${props.maxBytes / 1048576} MB.`,
      });
    const form = new FormData();
    form.append("csrf", csrf);
    form.append("requestId", requestId());
    form.append("fileName", file.name);
    form.append("video", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/review/${props.draftId}/upload`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) =>
      e.lengthComputable &&
      setPhase({ at: "uploading", sent: e.loaded / e.total, name: file.name });
    xhr.onload = () => {
      let body: { ok?: boolean; error?: string; workflowId?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: `The upload failed (HTTP ${xhr.status}).` };
      }
      if (xhr.status === 200 && body.ok && body.workflowId)
        setPhase({
          at: "processing",
          workflowId: body.workflowId,
          stage: "queued",
          progress: 0,
          name: file.name,
        });
      else
        setPhase({ at: "failed", error: body.error ?? `The upload failed (HTTP ${xhr.status}).` });
    };
    xhr.onerror = () =>
      setPhase({
        at: "failed",
        error: "The upload was interrupted; check your connection and try again.",
      });
    setPhase({ at: "uploading", sent: 0, name: file.name });
    xhr.send(form);
  }

  const workflowId = phase.at === "processing" ? phase.workflowId : null;
  const name = phase.at === "processing" ? phase.name : "";
  useEffect(() => {
    if (!workflowId) return;
    let stop = false;
    const tick = async () => {
      if (stop) return;
      try {
        const res = await fetch(
          `/review/${props.draftId}/upload?job=${encodeURIComponent(workflowId)}`,
          { headers: { accept: "application/json" } },
        );
        const s = (await res.json()) as {
          status?: string;
          stage?: string;
          progress?: number;
          draftId?: string | null;
          error?: string | null;
        };
        if (stop) return;
        if (s.status === "succeeded" && s.draftId) return navigate(`/review/${s.draftId}`);
        if (s.status === "failed" || s.status === "cancelled" || !res.ok)
          return setPhase({ at: "failed", error: s.error ?? "Processing the video failed." });
        setPhase({
          at: "processing",
          workflowId,
          stage: s.stage ?? "queued",
          progress: s.progress ?? 0,
          name,
        });
      } catch {
        // A dropped poll: the next one tries again.
      }
      setTimeout(tick, 1000);
    };
    const first = setTimeout(tick, 500);
    return () => {
      stop = true;
      clearTimeout(first);
    };
  }, [workflowId, name, props.draftId, navigate]);

  return (
    <fieldset
      className={`review-version review-upload ${over ? "over" : ""}`}
      data-testid="upload-version"
      aria-label="Upload new version: drop a video file here"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) send(file);
      }}
    >
      <input
        ref={input}
        type="file"
        accept="video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov,.m4v"
        aria-label="Video file for the new version"
        hidden
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (file) send(file);
        }}
      />
      {phase.at === "uploading" ? (
        <span className="stack small">
          Uploading {phase.name}… {Math.round(phase.sent * 100)}%
          <progress max={1} value={phase.sent} aria-label="Uploading" />
        </span>
      ) : phase.at === "processing" ? (
        <span className="stack small" role="status">
          {STAGE_TEXT[phase.stage] ?? phase.stage} {phase.progress}%
          <progress max={100} value={phase.progress} aria-label="Processing" />
        </span>
      ) : (
        <button
          type="button"
          className="btn btn-sm btn-secondary"
          onClick={() => input.current?.click()}
          title="Or drop a video file here"
        >
          + Upload new version
        </button>
      )}
      {phase.at === "failed" ? (
        <p role="alert" className="small review-upload-error">
          {phase.error}{" "}
          <button type="button" className="btn-link" onClick={() => setPhase({ at: "idle" })}>
            Dismiss
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}
