import type { AppLoadContext } from "react-router";

/**
 * The origin links in mail point at: PUBLIC_URL's when set (set it in production: behind a proxy
 * the request's Host is whatever the client sent), else the request's own origin.
 */
export function mailBaseUrl(context: AppLoadContext, request: Request): string {
  return context.services.publicOrigin ?? new URL(request.url).origin;
}
