import {
  removeSpeedKey,
  setAudioMode,
  setGrade,
  setLoop,
  setSpeedKey,
  setStabilize,
  setTransition,
  trimClip,
} from "@reelhouse/shared/edit/doc";
import {
  curvePresets,
  type Edit,
  easings,
  gradePresets,
  gradeSchema,
  type SpeedKey,
  transitionKinds,
} from "@reelhouse/shared/edit/schema";
import { speedAt } from "@reelhouse/shared/edit/speed";
import { useState } from "react";
import { IntField, SelectField, Slider, type SliderSpec, Sliders } from "./fields";
import type { PlacedClip } from "./timeline";
import type { EditorSource } from "./types";
import type { EditSession } from "./useEditSession";

export type Tab = "clip" | "speed" | "loop" | "stabilize" | "color";
const TABS: { id: Tab; label: string }[] = [
  { id: "clip", label: "Clip" },
  { id: "speed", label: "Speed" },
  { id: "loop", label: "Loop" },
  { id: "stabilize", label: "Stabilize" },
  { id: "color", label: "Color" },
];

const TRANSITION_LABELS: Record<(typeof transitionKinds)[number], string> = {
  cut: "Cut",
  crossfade: "Crossfade",
  dipblack: "Dip to black",
  wipeleft: "Wipe left",
  wiperight: "Wipe right",
  wipeup: "Wipe up",
  wipedown: "Wipe down",
};

const label = (s: string) => s.replace(/[-_]/g, " ").replace(/^./, (c) => c.toUpperCase());

/**
 * The panel beside the viewer: the selected clip (in/out, transition), speed keys and sound,
 * the loop (find the best point, move it), stabilize and the colour grade with its LUT. Every
 * control writes to the shared timeline at once; refusals show next to the control.
 */
export function Inspector(props: {
  session: EditSession;
  tab: Tab;
  onTab: (t: Tab) => void;
  selected: PlacedClip | null;
  sources: Record<string, EditorSource>;
  frame: number;
  /** The playhead on the output axis (for the loop points). */
  outputFrame: number;
  outputLength: number;
  canEdit: boolean;
  onFindLoop: () => Promise<string | null>;
  onUploadLut: (f: File) => Promise<string | null>;
  onSplit: () => void;
  onDelete: () => void;
}) {
  return (
    <section className="rh-card rh-ed-inspector" aria-label="Inspector">
      <div className="rh-ed-tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`ed-tab-${t.id}`}
            aria-selected={props.tab === t.id}
            aria-controls={`ed-panel-${t.id}`}
            className={props.tab === t.id ? "is-on" : ""}
            onClick={() => props.onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        className="rh-ed-panel"
        role="tabpanel"
        id={`ed-panel-${props.tab}`}
        aria-labelledby={`ed-tab-${props.tab}`}
      >
        {props.tab === "clip" ? <ClipPanel {...props} /> : null}
        {props.tab === "speed" ? <SpeedPanel {...props} /> : null}
        {props.tab === "loop" ? <LoopPanel {...props} /> : null}
        {props.tab === "stabilize" ? <StabilizePanel {...props} /> : null}
        {props.tab === "color" ? <ColorPanel {...props} /> : null}
      </div>
    </section>
  );
}

type P = Parameters<typeof Inspector>[0];

function ClipPanel(props: P) {
  const { session, selected: c } = props;
  if (!c)
    return (
      <p className="rh-muted">Select a clip on the timeline to trim it or set its transition.</p>
    );
  const src = props.sources[c.draftId];
  const srcFrames = src?.frames ?? c.outFrame;
  const first = c.index === 0;
  return (
    <div className="rh-ed-stack" data-testid="clip-panel">
      <p className="rh-ed-panel-title">
        Clip {c.index + 1} <span className="rh-muted rh-small">· {src?.label ?? "draft"}</span>
      </p>
      <div className="rh-ed-row">
        <IntField
          label="In frame"
          value={c.inFrame}
          disabled={!props.canEdit}
          hint="first frame shown"
          check={(v) =>
            v < 0 ? "0 or more" : v >= c.outFrame ? `before the out frame (${c.outFrame})` : null
          }
          onCommit={(v) => trimClip(session.doc, c.id, { inFrame: v }, session.origin)}
        />
        <IntField
          label="Out frame"
          value={c.outFrame}
          disabled={!props.canEdit}
          hint={`exclusive · draft has ${srcFrames}`}
          check={(v) =>
            v <= c.inFrame
              ? `after the in frame (${c.inFrame})`
              : v > srcFrames
                ? `at most ${srcFrames}`
                : null
          }
          onCommit={(v) => trimClip(session.doc, c.id, { outFrame: v }, session.origin)}
        />
      </div>
      <p className="rh-muted rh-small">
        {c.length} frames · {(c.length / session.edit.fps).toFixed(2)} s
      </p>
      <div className="rh-ed-row">
        <button
          type="button"
          className="rh-btn rh-btn-sm"
          disabled={!props.canEdit}
          onClick={props.onSplit}
          title="Split at the playhead (S)"
        >
          Split at playhead
        </button>
        <button
          type="button"
          className="rh-btn rh-btn-sm rh-btn-ghost rh-danger"
          disabled={!props.canEdit || session.edit.clips.length <= 1}
          onClick={props.onDelete}
          title="Delete the clip (Delete)"
        >
          Delete clip
        </button>
      </div>
      <fieldset className="rh-ed-fieldset" disabled={!props.canEdit || first}>
        <legend>Transition in</legend>
        {first ? <p className="rh-muted rh-small">The first clip has nothing before it.</p> : null}
        <div className="rh-ed-row">
          <label className="rh-ed-select">
            Kind
            <select
              value={c.transition.kind}
              onChange={(e) =>
                setTransition(
                  session.doc,
                  c.id,
                  {
                    kind: e.target.value as (typeof transitionKinds)[number],
                    frames: e.target.value === "cut" ? 0 : c.transition.frames || 12,
                  },
                  session.origin,
                )
              }
            >
              {transitionKinds.map((k) => (
                <option key={k} value={k}>
                  {TRANSITION_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <IntField
            label="Frames"
            value={c.transition.frames}
            disabled={!props.canEdit || first || c.transition.kind === "cut"}
            check={(v) => (v < 1 || v > 120 ? "1 to 120" : null)}
            onCommit={(v) =>
              setTransition(
                session.doc,
                c.id,
                { kind: c.transition.kind, frames: v },
                session.origin,
              )
            }
          />
        </div>
      </fieldset>
    </div>
  );
}

function speedEntries(session: EditSession): [string, SpeedKey][] {
  return ([...session.doc.getMap("speed").entries()] as [string, SpeedKey][]).sort(
    (a, b) => a[1].frame - b[1].frame,
  );
}

function SpeedPanel(props: P) {
  const { session } = props;
  const [error, setError] = useState<string | null>(null);
  const entries = speedEntries(session);
  const add = () => {
    if (entries.some(([, k]) => k.frame === props.frame))
      return setError("There is already a key at this frame.");
    if (entries.length >= 64) return setError("At most 64 speed keys.");
    setError(null);
    const speed = Math.round(speedAt(session.edit.speed, props.frame) * 100) / 100;
    setSpeedKey(
      session.doc,
      `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      { frame: props.frame, speed, ease: "ease" },
      session.origin,
    );
  };
  return (
    <div className="rh-ed-stack" data-testid="speed-panel">
      <p className="rh-muted rh-small">
        Keys set the speed at a frame (0.25× to 4×); between keys it ramps — eased, straight, or
        held. The preview plays at that rate.
      </p>
      <button type="button" className="rh-btn rh-btn-sm" disabled={!props.canEdit} onClick={add}>
        Add key at playhead (frame {props.frame})
      </button>
      {error ? (
        <p className="rh-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="rh-muted">No speed keys: everything plays at 1×.</p>
      ) : null}
      <ul className="rh-ed-keys">
        {entries.map(([id, k]) => (
          <li key={id} className="rh-ed-key">
            <span className="rh-ed-key-frame">f {k.frame}</span>
            <Slider
              label="Speed"
              value={k.speed}
              min={0.25}
              max={4}
              step={0.05}
              disabled={!props.canEdit}
              onChange={(v) => setSpeedKey(session.doc, id, { ...k, speed: v }, session.origin)}
            />
            <select
              aria-label="Ramp to the next key"
              value={k.ease}
              disabled={!props.canEdit}
              onChange={(e) =>
                setSpeedKey(
                  session.doc,
                  id,
                  { ...k, ease: e.target.value as SpeedKey["ease"] },
                  session.origin,
                )
              }
            >
              {easings.map((e) => (
                <option key={e} value={e}>
                  {e === "ease" ? "Eased" : e === "linear" ? "Straight" : "Hold"}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="rh-btn rh-btn-xs rh-btn-ghost"
              aria-label={`Remove the key at frame ${k.frame}`}
              disabled={!props.canEdit}
              onClick={() => removeSpeedKey(session.doc, id, session.origin)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <fieldset className="rh-ed-fieldset" disabled={!props.canEdit}>
        <legend>Sound when the speed changes</legend>
        <label className="rh-ed-radio">
          <input
            type="radio"
            name="audio"
            checked={session.edit.audio.mode === "pitch"}
            onChange={() => setAudioMode(session.doc, "pitch", session.origin)}
          />
          Follow the speed, pitch kept
        </label>
        <label className="rh-ed-radio">
          <input
            type="radio"
            name="audio"
            checked={session.edit.audio.mode === "mute"}
            onChange={() => setAudioMode(session.doc, "mute", session.origin)}
          />
          Mute
        </label>
      </fieldset>
    </div>
  );
}

function LoopPanel(props: P) {
  const { session } = props;
  const loop = session.edit.loop;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const len = props.outputLength;
  const xf = loop?.crossfadeFrames ?? 8;
  const put = (
    patch: Partial<{
      enabled: boolean;
      startFrame: number;
      endFrame: number;
      crossfadeFrames: number;
    }>,
  ) => {
    const next = {
      enabled: true,
      startFrame: 0,
      endFrame: len,
      crossfadeFrames: 8,
      ...(loop ?? {}),
      ...patch,
    };
    if (next.endFrame - next.startFrame < 2 * next.crossfadeFrames + 2) {
      setError(
        `A loop must be longer than twice its crossfade (${2 * next.crossfadeFrames + 2} frames at least).`,
      );
      return;
    }
    setError(null);
    setLoop(session.doc, next, session.origin);
  };
  return (
    <div className="rh-ed-stack" data-testid="loop-panel">
      <label className="rh-ed-check">
        <input
          type="checkbox"
          checked={!!loop?.enabled}
          disabled={!props.canEdit}
          onChange={(e) =>
            loop
              ? put({ enabled: e.target.checked })
              : put({ enabled: true, startFrame: 0, endFrame: len })
          }
        />
        Loop (the seam is crossfaded; the preview repeats it)
      </label>
      <button
        type="button"
        className="rh-btn rh-btn-sm"
        disabled={!props.canEdit || busy}
        onClick={async () => {
          setBusy(true);
          setError(await props.onFindLoop());
          setBusy(false);
        }}
      >
        {busy ? "Searching the frames…" : "Find loop point"}
      </button>
      {error ? (
        <p className="rh-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {loop ? (
        <>
          <div className="rh-ed-row">
            <IntField
              label="Loop start"
              value={loop.startFrame}
              disabled={!props.canEdit}
              check={(v) => (v < 0 || v >= loop.endFrame ? `0 to ${loop.endFrame - 1}` : null)}
              onCommit={(v) => put({ startFrame: v })}
            />
            <IntField
              label="Loop end"
              value={loop.endFrame}
              disabled={!props.canEdit}
              hint={`output frames · ${len} in all`}
              check={(v) =>
                v <= loop.startFrame || v > len ? `${loop.startFrame + 1} to ${len}` : null
              }
              onCommit={(v) => put({ endFrame: v })}
            />
          </div>
          <div className="rh-ed-row">
            <button
              type="button"
              className="rh-btn rh-btn-xs"
              disabled={!props.canEdit}
              onClick={() => put({ startFrame: Math.round(props.outputFrame) })}
            >
              Start at playhead
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-xs"
              disabled={!props.canEdit}
              onClick={() => put({ endFrame: Math.round(props.outputFrame) + 1 })}
            >
              End at playhead
            </button>
          </div>
          <IntField
            label="Crossfade frames"
            value={xf}
            disabled={!props.canEdit}
            check={(v) => (v < 0 || v > 60 ? "0 to 60" : null)}
            onCommit={(v) => put({ crossfadeFrames: v })}
          />
          <button
            type="button"
            className="rh-btn rh-btn-xs rh-btn-ghost"
            disabled={!props.canEdit}
            onClick={() => setLoop(session.doc, null, session.origin)}
          >
            Remove loop
          </button>
        </>
      ) : (
        <p className="rh-muted">No loop. Find the best point, or switch it on and move its ends.</p>
      )}
    </div>
  );
}

const STABILIZE_SLIDERS: readonly SliderSpec<"strength" | "zoomPercent">[] = [
  { key: "strength", label: "Strength", min: 0, max: 1, step: 0.05 },
  { key: "zoomPercent", label: "Extra zoom %", min: 0, max: 20, step: 1 },
];
const EDGE_LABELS = {
  zoom: "Zoom in until no border shows",
  black: "Keep the size, black borders",
} as const;

function StabilizePanel(props: P) {
  const { session } = props;
  const s = session.edit.stabilize;
  const set = (patch: Partial<typeof s>) => setStabilize(session.doc, patch, session.origin);
  return (
    <div className="rh-ed-stack" data-testid="stabilize-panel">
      <p className="rh-muted rh-small">
        Two-pass stabilization runs at render. The preview shows the crop it will take.
      </p>
      <Sliders
        specs={STABILIZE_SLIDERS.slice(0, 1)}
        values={s}
        disabled={!props.canEdit}
        onChange={(k, v) => set({ [k]: v })}
      />
      <SelectField
        label="Edges"
        value={s.crop}
        options={["zoom", "black"] as const}
        optionLabel={(v) => EDGE_LABELS[v]}
        disabled={!props.canEdit}
        onChange={(v) => set({ crop: v })}
      />
      <Sliders
        specs={STABILIZE_SLIDERS.slice(1)}
        values={s}
        disabled={!props.canEdit}
        onChange={(k, v) => set({ [k]: v })}
      />
    </div>
  );
}

type GradeSlider = "exposure" | "contrast" | "saturation" | "temperature" | "tint";
const GRADE_SLIDERS: readonly SliderSpec<GradeSlider>[] = [
  { key: "exposure", label: "Exposure", min: -2, max: 2, step: 0.05 },
  { key: "contrast", label: "Contrast", min: 0.5, max: 2, step: 0.05 },
  { key: "saturation", label: "Saturation", min: 0, max: 2, step: 0.05 },
  { key: "temperature", label: "Temperature", min: -1, max: 1, step: 0.05 },
  { key: "tint", label: "Tint", min: -1, max: 1, step: 0.05 },
];
const LUT_SLIDER: readonly SliderSpec<"lutMix">[] = [
  { key: "lutMix", label: "LUT mix", min: 0, max: 1, step: 0.05 },
];
const presetLabel = (p: string) => (p === "none" ? "None" : label(p));

function ColorPanel(props: P) {
  const { session } = props;
  const g = session.edit.grade;
  const [lutError, setLutError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const set = (patch: Partial<typeof g>) => setGrade(session.doc, patch, session.origin);
  const d = !props.canEdit;
  return (
    <div className="rh-ed-stack" data-testid="color-panel">
      <SelectField
        label="Look"
        value={g.preset}
        options={gradePresets}
        optionLabel={presetLabel}
        disabled={d}
        onChange={(v) => set({ preset: v })}
      />
      <Sliders specs={GRADE_SLIDERS} values={g} disabled={d} onChange={(k, v) => set({ [k]: v })} />
      <SelectField
        label="Curves"
        value={g.curves}
        options={curvePresets}
        optionLabel={presetLabel}
        disabled={d}
        onChange={(v) => set({ curves: v })}
      />
      <fieldset className="rh-ed-fieldset" disabled={d}>
        <legend>LUT (.cube)</legend>
        {g.lutMediaId ? (
          <>
            <p className="rh-small" data-testid="lut-on">
              A LUT is applied at render.{" "}
              <button
                type="button"
                className="rh-btn rh-btn-xs rh-btn-ghost"
                onClick={() => set({ lutMediaId: null })}
              >
                Remove
              </button>
            </p>
            <Sliders
              specs={LUT_SLIDER}
              values={g}
              disabled={d}
              onChange={(k, v) => set({ [k]: v })}
            />
          </>
        ) : null}
        <label className="rh-btn rh-btn-sm rh-ed-file">
          {uploading ? "Checking the LUT…" : "Upload a .cube LUT"}
          <input
            type="file"
            accept=".cube,text/plain"
            aria-label="Upload a .cube LUT"
            disabled={d || uploading}
            onChange={async (e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (!f) return;
              setUploading(true);
              setLutError(await props.onUploadLut(f));
              setUploading(false);
            }}
          />
        </label>
        {lutError ? (
          <p className="rh-form-error" role="alert" data-testid="lut-error">
            {lutError}
          </p>
        ) : null}
      </fieldset>
      <button
        type="button"
        className="rh-btn rh-btn-xs rh-btn-ghost"
        disabled={d}
        onClick={() => set(gradeSchema.parse({}))}
      >
        Reset the grade
      </button>
    </div>
  );
}

export type { Edit };
