/**
 * The prompt understanding lives in `@reelhouse/shared/understanding` (domain code shared by the
 * worker and the web app's prompt checker); this re-export keeps `./understand.ts` imports working.
 */
export * from "@reelhouse/shared/understanding/understand.server";
