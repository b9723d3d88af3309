import type { AnyDocKind } from "@reelhouse/shared/collab/docs";
import type { ReviewAuthor, ReviewDocKind } from "@reelhouse/shared/collab/review-doc";
import type { DocAccess, Role, ShareRights } from "@reelhouse/shared/workspaces/roles";

/** What the auth extension attaches to every authenticated connection (Hocuspocus `context`). */
export type CollabContext = {
  /** User id, or `guest:<link id>:<random>`. */
  userId: string;
  name: string;
  projectId: string;
  workspaceId: string;
  /** A project or edit document's kind, or "review" for a version's review documents (see `review`). */
  docKind: AnyDocKind | "review";
  access: Exclude<DocAccess, "none">;
  role: Role | null;
  shareLinkId: string | null;
  shareRights: ShareRights | null;
  /** Expiry of the latest token this connection presented (seconds since epoch); see [C18]. */
  tokenExp: number;
  /** When the server last asked the client for a fresh token (ms), 0 if never. */
  tokenRequestedAt: number;
  /** Set on connections to `review.<draftId>.shared|team` (extensions/review-auth.ts). */
  review?: {
    draftId: string;
    doc: ReviewDocKind;
    /** The review link of a guest; null for members. */
    linkId: string | null;
    /** The author every message this connection writes must carry. */
    author: ReviewAuthor;
    /** Owners and editors may delete notes. */
    moderator: boolean;
  };
};

export function isCollabContext(c: unknown): c is CollabContext {
  return typeof c === "object" && c !== null && "access" in c && "projectId" in c;
}

/**
 * A refusal carried through Hocuspocus hooks. Hocuspocus sends only `reason` to the client (as the
 * permission-denied or close message), so the reason starts with the close code from
 * shared/src/names.ts, e.g. "4410 share link revoked".
 */
export class CollabRefusal extends Error {
  readonly reason: string;
  constructor(
    readonly code: number,
    text: string,
  ) {
    super(`${code} ${text}`);
    this.name = "CollabRefusal";
    this.reason = this.message;
  }
}
