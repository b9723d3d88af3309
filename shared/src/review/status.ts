import { z } from "zod";
import { atLeast, type Role } from "../workspaces/roles.ts";

/** Approval status of a version: needs review → in progress → changes requested / approved. */
export const REVIEW_STATUSES = [
  "needs_review",
  "in_progress",
  "changes_requested",
  "approved",
] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const reviewStatusSchema = z.enum(REVIEW_STATUSES, {
  message: `A status is one of ${REVIEW_STATUSES.join(", ")}.`,
});

export const STATUS_LABELS: Record<ReviewStatus, string> = {
  needs_review: "Needs review",
  in_progress: "In progress",
  changes_requested: "Changes requested",
  approved: "Approved",
};

/**
 * Who may set a version's status: owners and editors of the workspace, and guests whose review
 * link grants approval. Commenters and viewers comment or watch; they do not decide.
 */
export function memberMaySetStatus(role: Role): boolean {
  return atLeast(role, "editor");
}
