/**
 * The `edit` workflow's contract (shared by the web tier, which enqueues it by name, and the
 * worker): its input and its id. Pure.
 */
import { z } from "zod";
import { requestIdSchema } from "../generation/jobs.ts";
import { editSchema } from "./schema.ts";

/** One render per press of Render: `edit:<edit id>:<request id>`. */
export function editWorkflowId(editId: string, requestId: string): string {
  return `edit:${editId}:${requestId}`;
}

export const editRenderInputSchema = z.object({
  workflowId: z.string().min(1),
  editId: z.string().uuid(),
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
  /** The decision list as it was when Render was pressed (later edits don't change this render). */
  edl: editSchema,
  /** Source draft id → its video file, relative to DATA_DIR (resolved and access-checked at submit). */
  sources: z.record(z.string().uuid(), z.string().min(1)),
  /** The canonical `.cube` of the grade's LUT, relative to DATA_DIR. */
  lutPath: z.string().min(1).optional(),
  title: z.string().max(200).default(""),
});
export type EditRenderInput = z.infer<typeof editRenderInputSchema>;

export { requestIdSchema };

/** What the result draft carries in `drafts.metadata.edit` (the review stacks it as a version). */
export interface EditDraftMetadata {
  editId: string;
  sourceDraftIds: string[];
}
