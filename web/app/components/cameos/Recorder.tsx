import type { LivenessPlan } from "@reelhouse/shared/cameos/liveness";
import { useEffect, useRef, useState } from "react";
import { useCsrfToken } from "../ui.tsx";
import { cueAt, lightHint, PET_SECONDS, pickMime, takeSeconds } from "./timeline.ts";
import "./cameos.css";

/**
 * The in-browser cameo recorder: camera preview with a face oval and a light hint, a take of
 * about 5 s (MediaRecorder) with the liveness prompts in their signed random order (a person) or
 * a 3-10 s clip (a pet or object), playback with retake, then the upload with a progress bar.
 * `onUploaded` gets the cameo's id; the page then shows its processing live.
 */

type Kind = "person" | "pet" | "object";
type Phase = "idle" | "preview" | "recording" | "review" | "uploading";

export function Recorder(props: {
  /** A retake of this cameo (its kind is fixed); otherwise a new cameo. */
  retake?: { cameoId: string; kind: Kind; name: string };
  /** Whether the owner already has a person cameo (then "Me" is a retake, not offered here). */
  hasPerson: boolean;
  onUploaded: (cameoId: string) => void;
  onCancel?: () => void;
}) {
  const csrf = useCsrfToken();
  const [kind, setKind] = useState<Kind>(
    props.retake?.kind ?? (props.hasPerson ? "pet" : "person"),
  );
  const [name, setName] = useState("");
  const [petSeconds, setPetSeconds] = useState<number>(PET_SECONDS.default);
  const [consent, setConsent] = useState(false);
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [light, setLight] = useState<{ ok: boolean; text: string } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [plan, setPlan] = useState<{ plan: LivenessPlan; token: string } | null>(null);
  const [take, setTake] = useState<{ blob: Blob; url: string; mime: string } | null>(null);
  const [sent, setSent] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);

  const isPerson = kind === "person";
  const total = takeSeconds(isPerson ? (plan?.plan ?? null) : null, petSeconds);

  const stopCamera = () => {
    for (const t of stream.current?.getTracks() ?? []) t.stop();
    stream.current = null;
  };
  // The camera goes off when the recorder closes.
  useEffect(
    () => () => {
      for (const t of stream.current?.getTracks() ?? []) t.stop();
    },
    [],
  );
  useEffect(() => () => void (take && URL.revokeObjectURL(take.url)), [take]);

  // The live preview: the camera's stream goes to the element once it is rendered.
  useEffect(() => {
    const v = video.current;
    if ((phase !== "preview" && phase !== "recording") || !v || !stream.current) return;
    if (v.srcObject !== stream.current) {
      v.srcObject = stream.current;
      void v.play().catch(() => {});
    }
  }, [phase]);

  // Light hint: the mean luma of the oval's area, twice a second while the camera is on.
  useEffect(() => {
    if (phase !== "preview" && phase !== "recording") return;
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 32;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const id = window.setInterval(() => {
      const v = video.current;
      if (!ctx || !v || v.videoWidth === 0) return;
      const w = v.videoWidth;
      const h = v.videoHeight;
      ctx.drawImage(v, w * 0.3, h * 0.15, w * 0.4, h * 0.7, 0, 0, 32, 32);
      const px = ctx.getImageData(0, 0, 32, 32).data;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4)
        sum += 0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!;
      setLight(lightHint(sum / (px.length / 4)));
    }, 500);
    return () => window.clearInterval(id);
  }, [phase]);

  async function startCamera() {
    setError(null);
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" },
        audio: true,
      });
      stream.current = s;
      setPhase("preview");
    } catch (err) {
      setError(
        `The camera or microphone could not be opened (${(err as Error).name}). Allow both for this site and try again.`,
      );
    }
  }

  async function record() {
    setError(null);
    const s = stream.current;
    if (!s) return;
    const mime = pickMime((t) => MediaRecorder.isTypeSupported(t));
    if (!mime) return setError("This browser cannot record video (no MediaRecorder format).");
    let signed: { plan: LivenessPlan; token: string } | null = null;
    if (isPerson) {
      const res = await fetch("/cameos/record", { headers: { accept: "application/json" } });
      if (!res.ok) return setError("Could not get the recording prompts; reload the page.");
      signed = (await res.json()) as { plan: LivenessPlan; token: string };
    }
    setPlan(signed);
    const seconds = takeSeconds(signed?.plan ?? null, petSeconds);
    const chunks: Blob[] = [];
    const rec = new MediaRecorder(s, { mimeType: mime, videoBitsPerSecond: 2_500_000 });
    recorder.current = rec;
    rec.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    rec.onstop = () => {
      const blob = new Blob(chunks, { type: mime.split(";")[0] });
      setTake({ blob, url: URL.createObjectURL(blob), mime });
      setPhase("review");
    };
    const started = performance.now();
    rec.start(250);
    setPhase("recording");
    setElapsed(0);
    // A timer, not animation frames: the take must end on time even in a background tab.
    const id = window.setInterval(() => {
      if (recorder.current !== rec || rec.state !== "recording") return window.clearInterval(id);
      const t = (performance.now() - started) / 1000;
      setElapsed(t);
      if (t >= seconds) {
        window.clearInterval(id);
        rec.stop();
      }
    }, 100);
  }

  function retake() {
    setTake(null);
    setPlan(null);
    setSent(0);
    setError(null);
    setPhase(stream.current ? "preview" : "idle");
  }

  function upload() {
    if (!take) return;
    if (!consent) return setError("Tick the consent box first.");
    const form = new FormData();
    form.append("csrf", csrf);
    form.append("consent", "yes");
    if (props.retake) form.append("cameoId", props.retake.cameoId);
    else {
      form.append("kind", kind);
      if (!isPerson) form.append("name", name);
    }
    if (isPerson && plan) form.append("planToken", plan.token);
    form.append(
      "recording",
      take.blob,
      take.mime.startsWith("video/mp4") ? "take.mp4" : "take.webm",
    );
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/cameos/record");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && setSent(e.loaded / e.total);
    xhr.onload = () => {
      let body: { ok?: boolean; error?: string; cameo?: { id: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: xhr.responseText || `The upload failed (HTTP ${xhr.status}).` };
      }
      if (xhr.status === 200 && body.ok && body.cameo) {
        stopCamera();
        props.onUploaded(body.cameo.id);
      } else {
        setError(body.error ?? `The upload failed (HTTP ${xhr.status}).`);
        setPhase("review");
      }
    };
    xhr.onerror = () => {
      setError("The upload was interrupted; check your connection and try again.");
      setPhase("review");
    };
    setSent(0);
    setPhase("uploading");
    xhr.send(form);
  }

  const cue = cueAt(isPerson ? (plan?.plan ?? null) : null, elapsed);
  const live = phase === "preview" || phase === "recording";
  return (
    <section className="card stack cameo-recorder" data-testid="cameo-recorder">
      <div className="row spread">
        <h2>{props.retake ? `Retake @${props.retake.name}` : "Record a cameo"}</h2>
        {props.onCancel ? (
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => {
              stopCamera();
              props.onCancel?.();
            }}
          >
            Cancel
          </button>
        ) : null}
      </div>
      {props.retake ? null : (
        <fieldset className="cameo-kinds" disabled={phase === "recording" || phase === "uploading"}>
          <legend>Who or what is it?</legend>
          {(["person", "pet", "object"] as const).map((k) => (
            <label key={k} className={`cameo-kind${kind === k ? " is-on" : ""}`}>
              <input
                type="radio"
                name="cameo-kind"
                value={k}
                checked={kind === k}
                disabled={k === "person" && props.hasPerson}
                onChange={() => setKind(k)}
              />
              {k === "person" ? "Me" : k === "pet" ? "A pet" : "An object"}
            </label>
          ))}
        </fieldset>
      )}
      {!isPerson && !props.retake ? (
        <label>
          Name (how people cast it, e.g. @biscuit)
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={30}
            placeholder="biscuit"
          />
        </label>
      ) : null}
      <div className={`cameo-stage${phase === "recording" ? " is-recording" : ""}`}>
        {phase === "review" || phase === "uploading" ? (
          // biome-ignore lint/a11y/useMediaCaption: the person's own recording, played back to them
          <video
            className="cameo-video"
            src={take?.url}
            controls
            preload="auto"
            playsInline
            data-testid="cameo-take"
          />
        ) : live ? (
          <>
            <video
              className="cameo-video is-mirrored"
              ref={video}
              muted
              playsInline
              data-testid="cameo-preview"
            />
            {isPerson ? <div className="cameo-oval" aria-hidden="true" /> : null}
            <div
              className="cameo-cue"
              role="status"
              data-testid="cameo-cue"
              data-index={cue.index ?? ""}
            >
              {phase === "recording"
                ? cue.text
                : isPerson
                  ? "Centre your face in the oval"
                  : "Frame your pet or object in the middle"}
            </div>
            {light ? (
              <div className={`cameo-light${light.ok ? " is-ok" : ""}`} data-testid="cameo-light">
                {light.text}
              </div>
            ) : null}
          </>
        ) : (
          <div className="cameo-placeholder">
            <p>
              {isPerson
                ? "About 5 seconds: look at the camera, then follow the prompts (turn left, right, up, and read four digits aloud) in the order shown."
                : "A 3–10 second clip of your pet or object. No prompts to follow."}
            </p>
            <button type="button" className="btn btn-primary" onClick={startCamera}>
              Turn on camera
            </button>
          </div>
        )}
      </div>
      {phase === "recording" ? (
        <progress
          className="cameo-bar"
          max={total}
          value={Math.min(elapsed, total)}
          aria-label="Recording"
        />
      ) : null}
      {phase === "recording" && isPerson && plan ? (
        <ol className="cameo-prompts" aria-label="Prompts">
          {plan.plan.prompts.map((p, i) => (
            <li
              key={p.kind}
              className={cue.index === i ? "is-on" : elapsed >= p.endS ? "is-done" : ""}
            >
              {p.kind === "digits"
                ? "Read the digits"
                : p.kind === "up"
                  ? "Look up"
                  : `Turn ${p.kind}`}
            </li>
          ))}
        </ol>
      ) : null}
      {phase === "preview" ? (
        <div className="row">
          {!isPerson ? (
            <label className="row small">
              Length
              <input
                type="range"
                min={PET_SECONDS.min}
                max={PET_SECONDS.max}
                value={petSeconds}
                onChange={(e) => setPetSeconds(Number(e.target.value))}
              />
              {petSeconds} s
            </label>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={record}
            data-testid="cameo-record"
          >
            Record
          </button>
        </div>
      ) : null}
      {phase === "recording" && !isPerson && elapsed >= PET_SECONDS.min ? (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => recorder.current?.stop()}
        >
          Stop
        </button>
      ) : null}
      {phase === "review" || phase === "uploading" ? (
        <>
          <label className="cameo-consent">
            <input
              type="checkbox"
              checked={consent}
              onChange={(e) => setConsent(e.target.checked)}
              data-testid="cameo-consent"
            />
            <span>
              {isPerson
                ? "This is me. I agree that a likeness kit, a voice and face data are made from this recording, used only as my cameo settings allow, and deleted when I delete the cameo."
                : "This pet or object is mine to share, and I agree that a likeness kit is made from this clip."}
            </span>
          </label>
          {phase === "uploading" ? (
            <div className="stack">
              <progress className="cameo-bar" max={1} value={sent} aria-label="Uploading" />
              <span className="muted small">Uploading… {Math.round(sent * 100)}%</span>
            </div>
          ) : (
            <div className="row">
              <button type="button" className="btn btn-secondary" onClick={retake}>
                Retake
              </button>
              <button
                type="button"
                className="btn btn-primary"
                onClick={upload}
                disabled={!consent}
                data-testid="cameo-upload"
              >
                Use this recording
              </button>
            </div>
          )}
        </>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
