import type { ReactNode } from "react";
import { useRouteLoaderData } from "react-router";
import type { loader as rootLoader } from "../root.tsx";
import { initialsOf } from "./project/colors.ts";

/** The CSRF token of this session (or of the signed-out browser), from the root loader. */
export function useCsrfToken(): string {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return data?.csrfToken ?? "";
}

/** Must be the FIRST field of every form that POSTs (the server checks multipart forms' first part). */
export function CsrfInput() {
  return <input type="hidden" name="csrf" value={useCsrfToken()} />;
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  autoComplete?: string;
  required?: boolean;
  autoFocus?: boolean;
  placeholder?: string;
  maxLength?: number;
  inputMode?: "text" | "email" | "numeric";
}) {
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        autoFocus={props.autoFocus}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {props.hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

export function Notice({
  children,
  tone = "info",
}: {
  children: ReactNode;
  tone?: "info" | "success" | "error";
}) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}

export function Avatar({
  src,
  name,
  size = 40,
}: {
  src: string | null;
  name: string;
  size?: number;
}) {
  // The same initials as presence, carets and member lists ("UX" everywhere, not "U" here).
  const initial = initialsOf(name);
  return src ? (
    <img
      className="avatar"
      src={src}
      alt=""
      width={size}
      height={size}
      style={{ width: size, height: size }}
    />
  ) : (
    <span
      className="avatar avatar-fallback"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * (initial.length > 1 ? 0.36 : 0.42) }}
    >
      {initial}
    </span>
  );
}

/** Onboarding progress: 1 invite, 2 account, 3 profile. */
export function Steps({ current }: { current: 1 | 2 | 3 }) {
  const labels = ["Invite", "Account", "Profile"];
  return (
    <ol className="steps" aria-label="Sign-up progress">
      {labels.map((label, i) => {
        const n = i + 1;
        const state = n < current ? "done" : n === current ? "current" : "todo";
        return (
          <li
            key={label}
            className={`step step-${state}`}
            aria-current={state === "current" ? "step" : undefined}
          >
            <span className="step-dot">{n < current ? "✓" : n}</span>
            <span className="step-label">{label}</span>
          </li>
        );
      })}
    </ol>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <section className="empty">
      <div className="empty-art" aria-hidden="true">
        <svg
          viewBox="0 0 64 64"
          width="56"
          height="56"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.5"
        >
          <title>Video</title>
          <rect x="8" y="14" width="48" height="36" rx="6" />
          <path d="M28 25v14l12-7z" fill="currentColor" stroke="none" />
        </svg>
      </div>
      <h2>{title}</h2>
      <div className="empty-body">{children}</div>
      {action ? <div className="empty-action">{action}</div> : null}
    </section>
  );
}
