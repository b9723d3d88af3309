/**
 * The one consent rule of cameos: "may this person cast that cameo now?". Pure: the caller loads
 * the facts (shared/src/cameos/consent.server.ts) at casting, when a render starts and inside the
 * publish transaction, and every one of those asks this function.
 */

export const whoMayCastValues = ["only_me", "approved", "mutuals", "everyone"] as const;
export type WhoMayCast = (typeof whoMayCastValues)[number];
export type GrantStatus = "pending" | "approved" | "declined" | "revoked";
export type CameoStatus = "processing" | "ready" | "refused" | "failed";

/** Sora limits the cameos in one video; so do we, per shot. */
export const MAX_CAMEOS_PER_SHOT = 3;

export interface CastFacts {
  casterId: string;
  casterIsMinor: boolean;
  ownerId: string;
  ownerIsMinor: boolean;
  cameoName: string;
  cameoStatus: CameoStatus;
  whoMayCast: WhoMayCast;
  /** The owner's decision about this caster, if any. */
  grant: GrantStatus | null;
  /** Caster and owner follow each other. */
  mutual: boolean;
  /** A block in either direction. */
  blocked: boolean;
}

export type CastRefusalCode =
  | "cameo_not_ready"
  | "cameo_blocked"
  | "cameo_revoked"
  | "cameo_only_owner"
  | "cameo_needs_approval"
  | "cameo_pending"
  | "cameo_declined"
  | "cameo_needs_mutual"
  | "cameo_minor_needs_mutual";

export type CastVerdict = { ok: true } | { ok: false; code: CastRefusalCode; reason: string };

/** A minor's cameo is never open to everyone: "everyone" counts as "mutuals". */
export function effectiveSetting(setting: WhoMayCast, ownerIsMinor: boolean): WhoMayCast {
  return ownerIsMinor && setting === "everyone" ? "mutuals" : setting;
}

/** The settings an owner may choose (a minor cannot choose "everyone"). */
export function allowedSettings(ownerIsMinor: boolean): readonly WhoMayCast[] {
  return ownerIsMinor ? whoMayCastValues.filter((s) => s !== "everyone") : whoMayCastValues;
}

export function mayCast(f: CastFacts): CastVerdict {
  const who = `@${f.cameoName}`;
  const no = (code: CastRefusalCode, reason: string): CastVerdict => ({ ok: false, code, reason });
  if (f.cameoStatus !== "ready")
    return no("cameo_not_ready", `The cameo ${who} is not ready to be cast.`);
  if (f.casterId === f.ownerId) return { ok: true };
  if (f.blocked) return no("cameo_blocked", `You cannot cast ${who}.`);
  if (f.grant === "revoked")
    return no("cameo_revoked", `${who} has revoked your permission to cast their cameo.`);
  const setting = effectiveSetting(f.whoMayCast, f.ownerIsMinor);
  if (setting === "only_me") return no("cameo_only_owner", `Only ${who} can use their cameo.`);
  // An adult casts a minor's cameo only when they follow each other, whatever else is allowed.
  if (f.ownerIsMinor && !f.casterIsMinor && !f.mutual)
    return no(
      "cameo_minor_needs_mutual",
      `${who} can be cast by an adult only when you follow each other.`,
    );
  if (setting === "approved") {
    if (f.grant === "approved") return { ok: true };
    if (f.grant === "pending")
      return no("cameo_pending", `Your request to cast ${who} is waiting for their answer.`);
    if (f.grant === "declined")
      return no("cameo_declined", `${who} declined your request to cast their cameo.`);
    return no("cameo_needs_approval", `Ask ${who} for permission to cast their cameo first.`);
  }
  if (setting === "mutuals") {
    return f.mutual
      ? { ok: true }
      : no(
          "cameo_needs_mutual",
          `${who} can be cast only by people who follow each other with them.`,
        );
  }
  return { ok: true };
}
