import { z } from "zod";
import type { AnyDocKind } from "../collab/docs.ts";

/** Workspace roles, strongest first. docs/collab-spec.md [C2]. */
export const ROLES = ["owner", "editor", "commenter", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

const RANK: Record<Role, number> = { owner: 3, editor: 2, commenter: 1, viewer: 0 };

export function atLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export type ShareRights = "view" | "comment";

/** What a member or share-link guest may do with one project document. */
export type DocAccess = "none" | "read" | "write";

export function memberDocAccess(role: Role, kind: AnyDocKind): DocAccess {
  if (atLeast(role, "editor")) return "write";
  if (kind === "comments" && role === "commenter") return "write";
  return "read";
}

/** Guests see the storyboard and its comments; with comment rights they write comments only. */
export function guestDocAccess(rights: ShareRights, kind: AnyDocKind): DocAccess {
  // An edit's timeline is for the team only.
  if (kind === "edit") return "none";
  if (kind === "storyboard") return "read";
  if (kind === "comments") return rights === "comment" ? "write" : "read";
  return "none";
}
