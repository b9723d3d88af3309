import type { PromptCheck, PromptIssue } from "@reelhouse/shared/prompt/checker";
import { countIssues } from "@reelhouse/shared/prompt/checker";

const VERDICT: Record<PromptCheck["verdict"], { label: string; tone: string }> = {
  empty: { label: "Empty", tone: "muted" },
  "too-long": { label: "Too long", tone: "error" },
  vague: { label: "Too vague", tone: "warning" },
  "needs-work": { label: "Needs work", tone: "warning" },
  good: { label: "Looks good", tone: "ok" },
};

const ICON: Record<PromptIssue["severity"], string> = { error: "⛔", warning: "⚠️", tip: "💡" };

/** The live prompt checker: verdict, coverage score, character count and issues with suggestions. */
export function CheckerPanel(props: {
  check: PromptCheck | null;
  onSelectRange?: (from: number, to: number) => void;
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
        <span>{c.words} words</span>
        <span>
          {counts.error + counts.warning} warnings · {counts.tip} tips
        </span>
      </p>
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
              <span className="rh-issue-icon" aria-hidden="true">
                {ICON[i.severity]}
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
