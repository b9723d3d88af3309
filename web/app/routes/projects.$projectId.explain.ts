import { MAX_PROMPT_CHARS } from "@reelhouse/shared/generation/request";
import { describePlan } from "@reelhouse/shared/understanding/describe";
import { explain } from "@reelhouse/shared/understanding/explain.server";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { requireProjectRole } from "@reelhouse/shared/workspaces/projects.server";
import { z } from "zod";
import { requireUser } from "../utils/auth.server";
import { friendly } from "../utils/collab.server";
import type { Route } from "./+types/projects.$projectId.explain";

/**
 * GET /projects/:projectId/explain?prompt=TEXT — the plan the animatic renderer will draw for a
 * prompt, for the prompt checker: `{ ok: true, plan, summary }` where `plan` is what
 * `npm run previz -- explain` prints ({prompt, subjects: [{noun, art, color, count, x, y,
 * motion, verb}], setting, style, defaulted}) and `summary` the same in words with the nouns it
 * could not draw (`unplaced`). Read-only; anyone who may see the project may ask. Refusals:
 * 400 with `{ ok: false, error }` for a missing or too long prompt, 404 for a project the user
 * cannot see.
 */

const querySchema = z.object({
  prompt: z
    .string({ message: "Give the prompt to explain." })
    .trim()
    .min(1, "Give the prompt to explain.")
    .max(MAX_PROMPT_CHARS, `A prompt can be at most ${MAX_PROMPT_CHARS} characters.`),
});

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  try {
    await requireProjectRole(context.services.pool, user.id, params.projectId, "viewer");
  } catch (err) {
    if (err instanceof WorkspaceError)
      return Response.json({ ok: false, error: friendly(err) }, { status: err.status });
    throw err;
  }
  const url = new URL(request.url);
  const parsed = querySchema.safeParse({ prompt: url.searchParams.get("prompt") ?? undefined });
  if (!parsed.success)
    return Response.json({ ok: false, error: parsed.error.issues[0]!.message }, { status: 400 });
  const plan = explain(parsed.data.prompt);
  return Response.json(
    { ok: true, plan, summary: describePlan(plan) },
    { headers: { "Cache-Control": "private, max-age=60" } },
  );
}
