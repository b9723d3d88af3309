import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every environment variable Reelhouse reads, parsed once at boot. docs/deploy.md documents each;
 * keep the two in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** External Postgres. Unset: the launcher starts the embedded one and sets it for the children. */
  DATABASE_URL: z.string().url().optional(),
  /** Where data lives (embedded Postgres cluster, media, secrets). */
  DATA_DIR: z.string().optional(),
  PORT: port.default(3000),
  HOST: z.string().default("0.0.0.0"),
  COLLAB_PORT: port.default(3001),
  PG_PORT: port.default(54329),
  /** Browser-facing URL of the web app: origin for CSRF checks; https here turns on Secure cookies. */
  PUBLIC_URL: z.string().url().optional(),
  /** Browser-facing URL of the collab server's WebSocket. Default: same host, COLLAB_PORT. */
  PUBLIC_COLLAB_URL: z.string().optional(),
  /** HMAC secret for sessions and collab tokens. The launcher generates one into DATA_DIR. */
  AUTH_SECRET: z.string().min(32).optional(),
  /** C2PA signing chain (PEM, signing certificate first) and its PKCS#8 key; unset: created in DATA_DIR/c2pa. */
  C2PA_SIGN_CERT_PEM: z.string().optional(),
  C2PA_SIGN_KEY_PEM: z.string().optional(),
  INVITE_ONLY: bool.default(true),
  /** Trust X-Forwarded-For / -Proto from this many proxy hops (0: never). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  MAX_PHOTO_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  /** Slow clients (web): whole request incl. body, headers, and uploads at once per address. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  MAX_UPLOADS_PER_IP: z.coerce.number().int().min(1).max(1000).default(4),
  /** Outgoing mail server, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS). Unset: mail stays in the outbox that administrators read. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
    .optional(),
  /** The From of outgoing mail. */
  MAIL_FROM: z.string().min(3).default("Reelhouse <no-reply@localhost>"),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** The worker prints one `step.timing` JSON line per workflow step run (workflows/src/steps/timing.ts). */
  STEP_TIMINGS: bool.default(false),
  /** A server speaking the OpenAI Videos API (e.g. https://api.openai.com); unset: backend off. */
  OPENAI_VIDEOS_BASE_URL: z.string().url().optional(),
  OPENAI_VIDEOS_API_KEY: z.string().min(1).optional(),
  OPENAI_VIDEOS_MODEL: z.string().min(1).default("sora-2"),
  /** First retry delay of a failed webhook delivery; later ones grow 4× (webhook-signature.ts). */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  /** How long one webhook delivery attempt may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Stable id of this worker (DBOS executor id): a restarted worker recovers its own jobs. */
  WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parses process.env once; a bad value stops the process with a message naming the variable. */
export function env(): Env {
  if (cached) return cached;
  // An empty variable (FOO= in a shell or compose file) means "unset", as most tools treat it.
  const set = Object.fromEntries(
    Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
