import { useEffect, useId, useState } from "react";

/**
 * A slider with its exact value beside it: dragging writes as it goes (co-editors see it move),
 * the number field writes on Enter or when it loses focus, and an out-of-range number is refused
 * with the range, never clamped silently.
 */
export function Slider(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  disabled?: boolean;
  format?: (v: number) => string;
  onChange: (v: number) => void;
}) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(props.value)), [props.value]);
  const commit = () => {
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v) || v < props.min || v > props.max) {
      setError(`${props.min} to ${props.max}`);
      return;
    }
    setError(null);
    if (v !== props.value) props.onChange(v);
  };
  return (
    <div className="rh-ed-slider">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
      <input
        type="number"
        className="rh-ed-num"
        aria-label={`${props.label} value`}
        min={props.min}
        max={props.max}
        step={props.step}
        value={text}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") {
            setText(String(props.value));
            setError(null);
          }
        }}
      />
      {error ? (
        <span className="rh-ed-field-error" role="alert">
          {props.label}: {error}
        </span>
      ) : null}
    </div>
  );
}

/** An integer field (frames) that writes on Enter / blur, with the refusal shown beside it. */
export function IntField(props: {
  label: string;
  value: number;
  disabled?: boolean;
  check: (v: number) => string | null;
  onCommit: (v: number) => void;
  hint?: string;
}) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(props.value)), [props.value]);
  const commit = () => {
    const v = Number(text);
    const problem = !/^-?\d+$/.test(text.trim()) ? "a whole number of frames" : props.check(v);
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    if (v !== props.value) props.onCommit(v);
  };
  return (
    <div className="rh-ed-int">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        className="rh-ed-num"
        value={text}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
      {props.hint ? <span className="rh-muted rh-small">{props.hint}</span> : null}
      {error ? (
        <span className="rh-ed-field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** One slider of a panel, described by data: the field it writes and its range. */
export interface SliderSpec<K extends string> {
  key: K;
  label: string;
  min: number;
  max: number;
  step: number;
}

/** Several sliders over one record (a grade, the stabilize settings): each writes its own field. */
export function Sliders<K extends string>(props: {
  specs: readonly SliderSpec<K>[];
  values: Record<K, number>;
  disabled?: boolean;
  onChange: (key: K, v: number) => void;
}) {
  return (
    <>
      {props.specs.map((s) => (
        <Slider
          key={s.key}
          label={s.label}
          value={props.values[s.key]}
          min={s.min}
          max={s.max}
          step={s.step}
          disabled={props.disabled}
          onChange={(v) => props.onChange(s.key, v)}
        />
      ))}
    </>
  );
}

/** A labelled choice among fixed values (a look, the curves, the edges). */
export function SelectField<V extends string>(props: {
  label: string;
  value: V;
  options: readonly V[];
  optionLabel: (v: V) => string;
  disabled?: boolean;
  onChange: (v: V) => void;
}) {
  return (
    <label className="rh-ed-select">
      {props.label}
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value as V)}
      >
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.optionLabel(o)}
          </option>
        ))}
      </select>
    </label>
  );
}
