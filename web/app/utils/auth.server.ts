import { createSession, deleteSession } from "@reelhouse/shared/accounts/sessions.server";
import type { User } from "@reelhouse/shared/accounts/users.server";
import { type AppLoadContext, redirect } from "react-router";
import { SESSION_COOKIE, serializeCookie } from "./cookies.server.ts";

/** A user who finished onboarding (has a username). What most pages want. */
export type OnboardedUser = User & { username: string };

interface Args {
  request: Request;
  context: AppLoadContext;
}

/** The signed-in user (onboarded or not), or null. */
export function getOptionalUser({ context }: { context: AppLoadContext }): User | null {
  return context.auth.user;
}

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(back === "/" ? "/signin" : `/signin?redirectTo=${encodeURIComponent(back)}`);
}

/** Signed in, even if onboarding is unfinished (the profile step itself). Else → /signin. */
export function requireSignedIn({ request, context }: Args): User {
  const user = context.auth.user;
  if (!user) throw signInRedirect(request);
  return user;
}

/**
 * A signed-in user who finished onboarding. Signed out → /signin?redirectTo=…; no username yet →
 * the profile step. Use in every loader/action that needs a user:
 *   const user = requireUser({ request, context });
 */
export function requireUser(args: Args): OnboardedUser {
  const user = requireSignedIn(args);
  if (!user.username) throw redirect("/join/profile");
  return user as OnboardedUser;
}

export function requireAdmin(args: Args): OnboardedUser {
  const user = requireUser(args);
  if (!user.isAdmin) throw new Response("Only administrators can open this page.", { status: 403 });
  return user;
}

/** Creates a session and returns the Set-Cookie header value for it. */
export async function startSession(
  context: AppLoadContext,
  userId: string,
  request: Request,
): Promise<string> {
  const { token, session } = await createSession(
    context.services.pool,
    userId,
    request.headers.get("user-agent") ?? "",
  );
  const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  return serializeCookie(SESSION_COOKIE, token, { secure: context.secure, maxAge });
}

/** Deletes the current session (if any) and returns the Set-Cookie header that clears it. */
export async function endSession(context: AppLoadContext): Promise<string> {
  if (context.auth.sessionToken)
    await deleteSession(context.services.pool, context.auth.sessionToken);
  return serializeCookie(SESSION_COOKIE, "", { secure: context.secure, maxAge: 0 });
}

/**
 * Only same-site paths: `/…` that browsers resolve on this origin. Refused (→ `fallback`): absolute
 * and protocol-relative URLs, backslashes (`/\\evil` is `//evil` to browsers), and any control or
 * whitespace character: browsers strip tab, CR and LF from URLs, so `/\t/evil.example/` becomes
 * `//evil.example/` (issue 16 B1), and CR/LF cannot go into a Location header at all (B2).
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/",
): string {
  if (typeof to !== "string" || to.length > 2048) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u0020\u007f-\u00a0\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  const base = "http://reelhouse.invalid";
  const url = new URL(to, base);
  if (url.origin !== base) return fallback;
  // The parsed form: non-ASCII is percent-encoded, so the Location header is always valid.
  return `${url.pathname}${url.search}${url.hash}`;
}
