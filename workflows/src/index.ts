/**
 * Importing this module registers every workflow with DBOS (call before DBOS.launch). Only the
 * worker imports it; the web tier enqueues by name (shared/src/generation/service.server.ts).
 */

export { cameoWorkflow } from "./cameo.workflow.ts";
export {
  notificationDigestWorkflow,
  scheduleNotificationDigests,
} from "./digest.workflow.ts";
export { draftExportWorkflow, enqueueExportBackfill } from "./draftExport.workflow.ts";
export { type EditResult, editWorkflow } from "./edit.workflow.ts";
export { type ExtendResult, extendWorkflow } from "./extend.workflow.ts";
export { type GenerateResult, generateWorkflow, type ProgressEvent } from "./generate.workflow.ts";
export { type PublishResult, publishWorkflow } from "./publish.workflow.ts";
export { renderStoryboardWorkflow } from "./renderStoryboard.workflow.ts";
export { type ReviewUploadResult, reviewUploadWorkflow } from "./reviewUpload.workflow.ts";
export { closeStepPool } from "./steps/context.ts";
export { deliverWebhookWorkflow } from "./webhooks.workflow.ts";
