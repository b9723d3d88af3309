import type { PromptCheck, PromptIssue } from "@reelhouse/shared/prompt/checker";
import { countIssues } from "@reelhouse/shared/prompt/checker";
import type { PlanState } from "./usePlan";

const VERDICT: Record<PromptCheck["verdict"], { label: string; tone: string }> = {
  empty: { label: "Empty", tone: "muted" },
  "too-long": { label: "Too long", tone: "error" },
  vague: { label: "Too vague", tone: "warning" },
  "needs-work": { label: "Needs work", tone: "warning" },
  good: { label: "Looks good", tone: "ok" },
};

const ICON: Record<PromptIssue["severity"], { glyph: string; label: string }> = {
  error: { glyph: "×", label: "Error" },
  warning: { glyph: "!", label: "Warning" },
  tip: { glyph: "i", label: "Tip" },
};

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

/** The live prompt checker: verdict, coverage score, character count and issues with suggestions. */
export function CheckerPanel(props: {
  check: PromptCheck | null;
  onSelectRange?: (from: number, to: number) => void;
  /** What the animatic will draw (GET /projects/:id/explain). */
  plan?: PlanState;
}) {
  const c = props.check;
  if (!c) return null;
  const v = VERDICT[c.verdict];
  const counts = countIssues(c);
  return (
    <aside className="rh-card rh-checker" aria-labelledby="checker-title" data-testid="checker">
      <header className="rh-checker-head">
        <h2 id="checker-title">Prompt check</h2>
        <span className={`rh-pill rh-tone-${v.tone}`} data-testid="checker-verdict">
          {v.label}
        </span>
      </header>
      <div className="rh-meter" aria-hidden="true" title={`Coverage ${c.score}/100`}>
        <div className={`rh-meter-fill rh-tone-${v.tone}`} style={{ width: `${c.score}%` }} />
      </div>
      <p className="rh-checker-stats">
        <span className={c.chars > c.limit ? "rh-text-error" : ""}>
          {c.chars.toLocaleString("en-US")} / {c.limit.toLocaleString("en-US")} characters
        </span>
        <span>{plural(c.words, "word")}</span>
        <span>
          {plural(counts.error + counts.warning, "warning")} · {plural(counts.tip, "tip")}
        </span>
      </p>
      {props.plan ? <PlanView plan={props.plan} /> : null}
      {c.issues.length === 0 ? (
        <p className="rh-checker-ok">
          Every part of the formula is there: subject, action, setting, camera, lighting, audio and
          style.
        </p>
      ) : (
        <ul className="rh-issues">
          {c.issues.map((i) => (
            <li
              key={`${i.code}-${i.section ?? ""}-${i.from ?? ""}-${i.message}`}
              className={`rh-issue rh-sev-${i.severity}`}
            >
              <span className="rh-issue-icon" title={ICON[i.severity].label}>
                <span aria-hidden="true">{ICON[i.severity].glyph}</span>
                <span className="rh-sr-only">{ICON[i.severity].label}:</span>
              </span>
              <div>
                {i.from !== undefined && i.to !== undefined && props.onSelectRange ? (
                  <button
                    type="button"
                    className="rh-linklike"
                    onClick={() => props.onSelectRange?.(i.from!, i.to!)}
                  >
                    {i.message}
                  </button>
                ) : (
                  <p className="rh-issue-msg">{i.message}</p>
                )}
                <p className="rh-issue-tip">{i.suggestion}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

/** "Subjects: horse (galloping), field · Style: Van Gogh", and what nothing could draw. */
function PlanView({ plan }: { plan: PlanState }) {
  if (plan.status === "idle") return null;
  if (plan.status === "error")
    return (
      <p className="rh-plan rh-text-error" data-testid="checker-plan" role="status">
        {plan.error}
      </p>
    );
  const summary = plan.status === "ready" ? plan.summary : plan.summary;
  return (
    <section
      className={`rh-plan${plan.status === "loading" ? " is-loading" : ""}`}
      data-testid="checker-plan"
      aria-busy={plan.status === "loading"}
      aria-label="What the animatic will draw"
    >
      {summary ? (
        <>
          <p className="rh-plan-line">
            <strong>Will draw:</strong> {summary.line}
          </p>
          {summary.unplaced.length > 0 ? (
            <p className="rh-plan-unplaced" data-testid="checker-unplaced">
              No drawing for {summary.unplaced.map((n) => `“${n}”`).join(", ")}: it will be a plain
              shape. Try a more common word for it.
            </p>
          ) : null}
        </>
      ) : (
        <p className="rh-plan-line">Reading the prompt…</p>
      )}
    </section>
  );
}
