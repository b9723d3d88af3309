import { createHash } from "node:crypto";

/**
 * A draft's id, derived from the workflow that makes it (one draft per workflow): known before the
 * draft row exists, so the step that writes the draft's files can put the draft in their invisible
 * mark (its first 32 bits, invisible-mark.ts `payloadOf`) and C2PA manifest before the insert.
 * A UUID of version 8 (RFC 9562 "custom"): SHA-256 of the workflow id, version and variant set.
 */
export function draftIdFor(workflowId: string): string {
  const b = createHash("sha256").update(`reelhouse-draft:${workflowId}`).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x80;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
