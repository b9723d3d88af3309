/** Stable names shared by the web tier (which enqueues by name) and the workers (which run them). */
export const QUEUES = {
  /** Generation renders; per-worker concurrency from RENDER_CONCURRENCY. */
  render: "render",
  /** ffmpeg post-processing: posters, spritesheets, stitching, renditions. */
  media: "media",
} as const;

export const WORKFLOWS = {
  generate: "generate",
  renderStoryboard: "renderStoryboard",
  publish: "publish",
  /** Render an edit decision list into a new draft (workflows/src/edit.workflow.ts). */
  edit: "edit",
  /** Continue a previz draft by N seconds into a new draft (workflows/src/extend.workflow.ts). */
  extend: "extend",
  /** One webhook delivery, retried with backoff until acknowledged (workflows/src/webhooks.workflow.ts). */
  deliverWebhook: "deliverWebhook",
  /** Processes a cameo recording (shared/src/cameos, workflows/src/cameo.workflow.ts). */
  cameo: "cameo",
  /** An uploaded video → the next version of a review stack (workflows/src/reviewUpload.workflow.ts). */
  reviewUpload: "reviewUpload",
  /** The hourly notification digest (workflows/src/digest.workflow.ts), a DBOS schedule. */
  notificationDigest: "notificationDigest",
  /** A draft's marked, signed export where it has none (workflows/src/draftExport.workflow.ts). */
  draftExport: "draftExport",
} as const;

/** DBOS application name; its system database is `<database>_dbos_sys` on the same server. */
export const DBOS_APP_NAME = "reelhouse";

/** WebSocket close codes used by the collab server (Hocuspocus convention: 4xxx). */
export const CLOSE_CODES = {
  unauthorized: 4401,
  forbidden: 4403,
  tooLarge: 4413,
  malformed: 4400,
  linkRevoked: 4410,
  rateLimited: 4429,
} as const;
