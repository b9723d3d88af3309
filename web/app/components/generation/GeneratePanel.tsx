import { listSeconds } from "@reelhouse/shared/generation/capabilities";
import { useEffect, useRef, useState } from "react";
import { pressSeed } from "./requests";
import { type Generation, newRequestId, SIZES } from "./useGeneration";

const MAX_PROMPT = 4000;

function forUs(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.closest) return true;
  if (el.closest('[data-testid="prompt-editor"], .rh-gen-panel')) return true;
  return !(el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/**
 * Generate from the project's prompt: size, duration (4–20 s), seed and backend, an optional image
 * for image-to-video, the button and Ctrl/Cmd+Enter. Each press gets one request id; a second press
 * while the first is on its way re-sends the SAME id, so a double click makes one job. The server's
 * refusals (empty prompt, too long, bad size or duration, not an image, too big) show inline.
 * The chosen backend's capabilities decide what is offered: its sizes, its durations (a number
 * field for a range, a list otherwise), the image field only if it animates images.
 */
export function GeneratePanel(props: { gen: Generation; prompt: string; canEdit: boolean }) {
  const { gen, prompt, canEdit } = props;
  const { settings, setSettings } = gen;
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [image, setImage] = useState<File | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  /** The press on its way: a re-send keeps its request id AND its seed (same id, same body). */
  const inFlight = useRef<{ requestId: string; seed: number } | null>(null);

  const press = async () => {
    if (!canEdit) return;
    const current = inFlight.current ?? { requestId: newRequestId(), seed: pressSeed(settings) };
    inFlight.current = current;
    const { requestId, seed } = current;
    // The field shows the seed this render uses, so it can be locked and reused.
    if (seed !== settings.seed) setSettings({ seed });
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const r = await gen.submit(
        {
          intent: "generate",
          requestId,
          prompt,
          durationSeconds: String(settings.durationSeconds),
          size: settings.size,
          seed: String(seed),
          ...(settings.backend ? { backend: settings.backend } : {}),
        },
        image,
      );
      if (r.ok) {
        setNotice(r.duplicate ? "Already submitted: same job." : "Generating: see Renders below.");
        setImage(null);
        if (fileRef.current) fileRef.current.value = "";
      } else setError({ message: r.error, field: r.field });
    } catch {
      setError({ message: "Could not reach the server. Check your connection and try again." });
    } finally {
      if (inFlight.current?.requestId === requestId) inFlight.current = null;
      setBusy(false);
    }
  };
  const pressRef = useRef(press);
  pressRef.current = press;

  // Ctrl/Cmd+Enter in the prompt editor, in this panel, or outside any field generates (a comment
  // box's own Ctrl+Enter sends the comment: it prevents the default, and shot fields are left alone).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && !e.defaultPrevented && forUs(e.target)) {
        e.preventDefault();
        void pressRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const chosen = gen.backends.find((b) => b.name === settings.backend) ?? gen.backends[0];
  const caps = chosen?.capabilities;
  const sizes = caps ? SIZES.filter((s) => caps.sizes.includes(s.value)) : SIZES;
  const durations = caps ? [...caps.durations].sort((a, b) => a - b) : [];
  const contiguous =
    durations.length > 2 && durations.every((d, i) => i === 0 || d === durations[i - 1]! + 1);
  const imageAllowed = caps ? caps.imageInput : true;

  // A backend change keeps the form inside what the new backend can do.
  useEffect(() => {
    if (!caps) return;
    const patch: Partial<typeof settings> = {};
    if (!caps.sizes.includes(settings.size as (typeof caps.sizes)[number]))
      patch.size = caps.sizes[0]!;
    if (!caps.durations.includes(settings.durationSeconds)) {
      const want = Number.isFinite(settings.durationSeconds) ? settings.durationSeconds : 10;
      patch.durationSeconds = [...caps.durations].sort(
        (a, b) => Math.abs(a - want) - Math.abs(b - want),
      )[0]!;
    }
    if (Object.keys(patch).length > 0) setSettings(patch);
    if (!caps.imageInput && image) {
      setImage(null);
      if (fileRef.current) fileRef.current.value = "";
    }
  }, [caps, settings.size, settings.durationSeconds, setSettings, image]);

  if (!canEdit) return null;
  const length = prompt.length;
  const fieldError = (f: string) =>
    error?.field && (error.field === f || error.field.startsWith(`${f}.`)) ? error.message : null;
  const generalError =
    error && !["durationSeconds", "size", "seed", "image", "backend"].some((f) => fieldError(f))
      ? error.message
      : null;

  return (
    <section className="rh-card rh-gen-panel" aria-labelledby="gen-title">
      <header className="rh-section-head">
        <h2 id="gen-title">Generate</h2>
        <span className={length > MAX_PROMPT ? "rh-gen-count is-over" : "rh-gen-count"}>
          {length.toLocaleString("en-US")} / {MAX_PROMPT.toLocaleString("en-US")}
        </span>
      </header>
      <div className="rh-gen-controls">
        <label className="rh-field">
          <span>Size</span>
          <select
            name="size"
            value={settings.size}
            onChange={(e) => setSettings({ size: e.target.value })}
            aria-invalid={fieldError("size") ? true : undefined}
          >
            {sizes.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <div className="rh-field">
          <label htmlFor="gen-duration">Duration (s)</label>
          {caps && !contiguous ? (
            <select
              id="gen-duration"
              name="durationSeconds"
              value={settings.durationSeconds}
              onChange={(e) => setSettings({ durationSeconds: Number(e.target.value) })}
              aria-invalid={fieldError("durationSeconds") ? true : undefined}
            >
              {durations.map((d) => (
                <option key={d} value={d}>
                  {d} s
                </option>
              ))}
            </select>
          ) : (
            <input
              id="gen-duration"
              name="durationSeconds"
              type="number"
              min={durations[0] ?? 4}
              max={durations.at(-1) ?? 20}
              step={1}
              value={Number.isFinite(settings.durationSeconds) ? settings.durationSeconds : ""}
              onChange={(e) => setSettings({ durationSeconds: e.target.valueAsNumber })}
              aria-invalid={fieldError("durationSeconds") ? true : undefined}
            />
          )}
        </div>
        <div className="rh-field rh-gen-seed">
          <label htmlFor="gen-seed">Seed</label>
          <span className="rh-gen-seed-row">
            <input
              id="gen-seed"
              name="seed"
              type="number"
              min={0}
              step={1}
              value={Number.isFinite(settings.seed) ? settings.seed : ""}
              // Typing a seed means "this one": it locks.
              onChange={(e) => setSettings({ seed: e.target.valueAsNumber, seedLocked: true })}
              aria-invalid={fieldError("seed") ? true : undefined}
            />
            <button
              type="button"
              className={`rh-btn rh-btn-xs rh-gen-seed-lock${settings.seedLocked ? " is-locked" : ""}`}
              aria-pressed={settings.seedLocked}
              data-testid="seed-lock"
              title={
                settings.seedLocked
                  ? "Seed locked: Generate repeats this variation. Click to pick a new seed each time."
                  : "New seed on every Generate. Click to lock this seed."
              }
              onClick={() => setSettings({ seedLocked: !settings.seedLocked })}
            >
              {settings.seedLocked ? "Locked" : "New each time"}
            </button>
          </span>
        </div>
        <label className="rh-field">
          <span>Backend</span>
          <select
            name="backend"
            value={settings.backend}
            onChange={(e) => setSettings({ backend: e.target.value })}
          >
            {gen.backends.length === 0 && <option value="">Previz (default)</option>}
            {gen.backends.map((b) => (
              <option key={b.name} value={b.name}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        {imageAllowed ? (
          <label className="rh-field rh-gen-image">
            <span>Image to animate (optional)</span>
            <input
              ref={fileRef}
              name="image"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              onChange={(e) => setImage(e.target.files?.[0] ?? null)}
              aria-invalid={fieldError("image") ? true : undefined}
            />
          </label>
        ) : (
          <p className="rh-field rh-muted rh-small" data-testid="gen-no-image">
            {chosen?.label} makes video from text only.
          </p>
        )}
      </div>
      {caps ? (
        <p className="rh-muted rh-small" data-testid="gen-capabilities">
          {chosen?.label}: {caps.sizes.join(", ")} · {listSeconds(caps.durations)} ·{" "}
          {caps.audio ? "with sound" : "silent (no audio track from the model)"}
          {caps.extend ? " · can extend" : ""}
        </p>
      ) : null}
      {fieldError("size") || fieldError("durationSeconds") || fieldError("seed") ? (
        <p className="rh-form-error" role="alert">
          {fieldError("size") ?? fieldError("durationSeconds") ?? fieldError("seed")}
        </p>
      ) : null}
      {fieldError("image") || fieldError("backend") ? (
        <p className="rh-form-error" role="alert">
          {fieldError("image") ?? fieldError("backend")}
        </p>
      ) : null}
      {generalError ? (
        <p className="rh-form-error" role="alert" data-testid="generate-error">
          {generalError}
        </p>
      ) : null}
      <div className="rh-gen-actions">
        <button
          type="button"
          className="rh-btn rh-btn-primary"
          onClick={() => void press()}
          aria-busy={busy}
          title="Generate (Ctrl/⌘+Enter)"
        >
          {busy ? "Submitting…" : image ? "Generate from image" : "Generate"}
        </button>
        <span className="rh-muted rh-small">
          <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd>
        </span>
        {notice ? (
          <span className="rh-muted rh-small" role="status">
            {notice}
          </span>
        ) : null}
      </div>
    </section>
  );
}
