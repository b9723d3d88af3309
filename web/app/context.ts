import type { RateLimits } from "@reelhouse/shared/accounts/rate-limit.server";
import type { User } from "@reelhouse/shared/accounts/users.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import type { Mailer } from "@reelhouse/shared/mail/mailer.server";
import type { MediaStorage } from "@reelhouse/shared/media/storage.server";
import type { NotificationFeed } from "@reelhouse/shared/social/notification-feed.server";
import type { PostCardCache } from "@reelhouse/shared/social/post-cards.server";

/** Long-lived things the server creates once (web/server.ts createApp) and hands every request. */
export interface AppServices {
  pool: Pool;
  storage: MediaStorage;
  authSecret: string;
  /** INVITE_ONLY; an admin setting in the settings table overrides it. */
  inviteOnlyDefault: boolean;
  maxPhotoBytes: number;
  rateLimits: RateLimits;
  /** The one LISTEN connection for live unread counts (/notifications/stream). */
  notificationFeed: NotificationFeed;
  /** The feeds' cache of post cards, kept exact by its own LISTEN connection (post-cards.server.ts). */
  postCards: PostCardCache;
  /** Outgoing mail: recorded in mail_outbox, delivered over SMTP when SMTP_URL is set. */
  mailer: Mailer;
  /** PUBLIC_URL's origin, for links in mail; unset: the request's own origin. */
  publicOrigin?: string;
}

/** Who is asking, resolved once per HTTP request by the server's auth middleware. */
export interface RequestAuth {
  user: User | null;
  /** The session cookie's token when it named a live session. */
  sessionToken: string | null;
  /** The token forms must echo in their `csrf` field (session-bound, or bound to the anon cookie). */
  csrfToken: string;
}

declare module "react-router" {
  interface AppLoadContext {
    services: AppServices;
    auth: RequestAuth;
    /** Socket address, or X-Forwarded-For's trusted hop when TRUST_PROXY_HOPS > 0. */
    clientIp: string;
    /** Whether cookies get the Secure flag (PUBLIC_URL is https, or https behind a trusted proxy). */
    secure: boolean;
    cspNonce: string;
  }
}
