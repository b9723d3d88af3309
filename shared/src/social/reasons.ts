/** Report reasons (also the CHECK in 0030_social.sql); importable by browser code. */
export const REPORT_REASONS = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual",
  "self_harm",
  "minor_safety",
  "impersonation",
  "copyright",
  "other",
] as const;
