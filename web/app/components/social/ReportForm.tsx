import { REPORT_REASONS } from "@reelhouse/shared/social/reasons";
import { useFetcher } from "react-router";
import { CsrfInput } from "../ui.tsx";

const LABELS: Record<(typeof REPORT_REASONS)[number], string> = {
  spam: "Spam or scam",
  harassment: "Harassment or bullying",
  hate: "Hate speech",
  violence: "Violence or gore",
  sexual: "Sexual content",
  self_harm: "Self-harm",
  minor_safety: "Child safety",
  impersonation: "Impersonation or deepfake",
  copyright: "Copyright",
  other: "Something else",
};

/** "Report" for a post, comment or profile: a reason and optional details, sent to moderators. */
export function ReportForm({
  targetKind,
  targetId,
  label = "Report",
  variant = "button",
}: {
  targetKind: "post" | "comment" | "user";
  targetId: string;
  label?: string;
  /** "link": a text button like its neighbours in a comment's actions (Reply, Edit, Delete). */
  variant?: "button" | "link";
}) {
  const f = useFetcher<{ ok: boolean; error?: string }>();
  if (f.data?.ok)
    return (
      <p className="muted small" role="status">
        Thanks — a moderator will review it and tell you the outcome.
      </p>
    );
  return (
    <details className={`report report-${variant}`}>
      <summary className={variant === "link" ? "link-btn" : "btn btn-secondary btn-sm"}>
        {label}
      </summary>
      <f.Form method="post" action="/report" className="report-form">
        <CsrfInput />
        <input type="hidden" name="targetKind" value={targetKind} />
        <input type="hidden" name="targetId" value={targetId} />
        <label className="small">
          Reason
          <select name="reason" required defaultValue="">
            <option value="" disabled>
              Choose a reason
            </option>
            {REPORT_REASONS.map((r) => (
              <option key={r} value={r}>
                {LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <textarea
          name="details"
          maxLength={1000}
          rows={2}
          placeholder="Anything the moderators should know (optional)"
        />
        <button type="submit" className="btn btn-secondary btn-sm">
          Send report
        </button>
        {f.data && !f.data.ok ? <p className="field-error">{f.data.error}</p> : null}
      </f.Form>
    </details>
  );
}
