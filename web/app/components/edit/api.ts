/** The editor's POSTs: a form (CSRF first), answered `{ ok, … }` or a refusal `{ ok: false, error }`. */
export type Answer =
  | ({ ok: true } & Record<string, unknown>)
  | { ok: false; error: string; code?: string; field?: string };

export async function postForm(
  url: string,
  fields: Record<string, string | Blob>,
): Promise<Answer> {
  // Files go multipart (the server reads the CSRF token from its first part); the rest is a plain
  // urlencoded form, which the edit route reads as fields.
  const hasFile = Object.values(fields).some((v) => typeof v !== "string");
  let body: FormData | URLSearchParams;
  if (hasFile) {
    const fd = new FormData();
    if (typeof fields.csrf === "string") fd.append("csrf", fields.csrf);
    for (const [k, v] of Object.entries(fields)) if (k !== "csrf") fd.append(k, v);
    body = fd;
  } else {
    body = new URLSearchParams(fields as Record<string, string>);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers: { accept: "application/json" } });
  } catch {
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
  if ((res.headers.get("content-type") ?? "").includes("json")) return (await res.json()) as Answer;
  return { ok: false, error: `The server answered ${res.status}.` };
}

/**
 * One press of Extend (`POST /projects/:projectId/drafts/:draftId/extend`): `requestId` is the
 * press's idempotency key (a retry with it is the same job), `seconds` a whole number.
 */
export function requestExtend(o: {
  projectId: string;
  draftId: string;
  csrf: string;
  requestId: string;
  seconds: number;
}): Promise<Answer> {
  return postForm(`/projects/${o.projectId}/drafts/${o.draftId}/extend`, {
    csrf: o.csrf,
    requestId: o.requestId,
    seconds: String(o.seconds),
  });
}
