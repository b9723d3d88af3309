import {
  ApiKeyRefusal,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "@reelhouse/shared/api/keys.server";
import { API_SCOPES } from "@reelhouse/shared/api/scopes";
import { listWorkspaces } from "@reelhouse/shared/workspaces/workspaces.server";
import { useEffect, useRef, useState } from "react";
import { data, Form, Link, useActionData, useNavigation } from "react-router";
import { CsrfInput, EmptyState, FormError } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { timeAgo } from "../utils/time";
import type { Route } from "./+types/settings.api";

export function meta() {
  return [{ title: "API keys · Settings · Reelhouse" }];
}

const SCOPE_LABELS: Record<(typeof API_SCOPES)[number], string> = {
  "videos:read": "Read videos",
  "videos:write": "Create and delete videos",
  "workspace:read": "Read projects and documents",
  "workspace:write": "Edit projects and documents",
  "posts:write": "Publish drafts to the feed",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const [keys, workspaces] = await Promise.all([
    listApiKeys(pool, user.id),
    listWorkspaces(pool, user.id),
  ]);
  return {
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role })),
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      workspaceName: k.workspaceName,
      scopes: k.scopes,
      rateLimitPerMinute: k.rateLimitPerMinute,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

type ActionResult =
  | { ok: true; intent: "create"; key: string; name: string }
  | { ok: true; intent: "revoke" }
  | { ok: false; error: string; field?: string };

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "create") {
      const rate = String(form.get("rateLimitPerMinute") ?? "").trim();
      const { key, view } = await createApiKey(
        pool,
        user.id,
        String(form.get("workspaceId") ?? ""),
        {
          name: String(form.get("name") ?? ""),
          scopes: form.getAll("scopes").map(String) as never,
          ...(rate ? { rateLimitPerMinute: Number(rate) } : {}),
        },
      );
      return data<ActionResult>(
        { ok: true, intent: "create", key, name: view.name },
        { status: 201 },
      );
    }
    if (intent === "revoke") {
      await revokeApiKey(pool, user.id, String(form.get("keyId") ?? ""));
      return data<ActionResult>({ ok: true, intent: "revoke" });
    }
    return data<ActionResult>({ ok: false, error: `Unknown action "${intent}".` }, { status: 400 });
  } catch (err) {
    if (err instanceof ApiKeyRefusal)
      return data<ActionResult>(
        { ok: false, error: err.message, field: err.field },
        { status: err.status },
      );
    throw err;
  }
}

function NewKey({ value, name }: { value: string; name: string }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.select(), []);
  return (
    <div className="alert alert-success api-new-key" role="status" data-testid="new-key">
      <p>
        <strong>“{name}” is ready.</strong> Copy it now: it is shown only this once, and Reelhouse
        keeps only a fingerprint of it.
      </p>
      <div className="api-key-row">
        <input
          ref={ref}
          readOnly
          value={value}
          aria-label="Your new API key"
          className="api-key-value"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => {},
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="muted">
        Use it with the OpenAI SDK:{" "}
        <code>
          new OpenAI({"{"} apiKey, baseURL: "{"<this site>"}/v1" {"}"})
        </code>
        . See the <a href="/v1/docs">API reference</a>.
      </p>
    </div>
  );
}

export default function ApiSettings({ loaderData }: Route.ComponentProps) {
  const { keys, workspaces } = loaderData;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const active = keys.filter((k) => !k.revokedAt);
  return (
    <main className="page api-settings">
      <header className="page-header">
        <p className="eyebrow">Settings</p>
        <h1>API keys</h1>
        <p className="muted">
          Keys let scripts and apps use Reelhouse's Videos API — compatible with OpenAI's — as you,
          inside one workspace. <a href="/v1/docs">API reference</a> ·{" "}
          <Link to="/settings/webhooks">Webhooks</Link>
        </p>
      </header>

      {result?.ok && result.intent === "create" ? (
        <NewKey value={result.key} name={result.name} />
      ) : null}
      {result && !result.ok ? <FormError message={result.error} /> : null}

      <section className="card">
        <h2 className="card-title">Create a key</h2>
        {workspaces.length === 0 ? (
          <p className="muted">
            Keys belong to a workspace. <Link to="/projects">Create a workspace</Link> first.
          </p>
        ) : (
          <Form method="post" className="api-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="key-name">Name</label>
              <input
                id="key-name"
                name="name"
                required
                maxLength={80}
                placeholder="e.g. Render farm CI"
              />
            </div>
            <div className="field">
              <label htmlFor="key-workspace">Workspace</label>
              <select id="key-workspace" name="workspaceId" defaultValue={workspaces[0]!.id}>
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name} ({w.role})
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field api-scopes">
              <legend>Scopes</legend>
              {API_SCOPES.map((s) => (
                <label key={s} className="api-scope">
                  <input
                    type="checkbox"
                    name="scopes"
                    value={s}
                    defaultChecked={s.startsWith("videos")}
                  />{" "}
                  {SCOPE_LABELS[s]} <code className="code-chip">{s}</code>
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="key-rate">Requests per minute</label>
              <input
                id="key-rate"
                name="rateLimitPerMinute"
                type="number"
                min={1}
                max={100000}
                defaultValue={60}
              />
              <p className="field-hint">
                Over the limit, requests are answered 429 with Retry-After.
              </p>
            </div>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Creating…" : "Create key"}
            </button>
          </Form>
        )}
      </section>

      <section className="card">
        <h2 className="card-title">
          Your keys <span className="badge">{active.length} active</span>
        </h2>
        {keys.length === 0 ? (
          <EmptyState title="No API keys yet">
            Create one above to call <code>/v1/videos</code> from a script or another app.
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="api-keys">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Workspace</th>
                  <th>Scopes</th>
                  <th>Limit</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} className={k.revokedAt ? "muted" : undefined}>
                    <td>{k.name}</td>
                    <td>
                      <code className="code-chip">{k.prefix}…</code>
                    </td>
                    <td>{k.workspaceName}</td>
                    <td>{k.scopes.join(", ")}</td>
                    <td>{k.rateLimitPerMinute}/min</td>
                    <td>{k.lastUsedAt ? timeAgo(k.lastUsedAt) : "never"}</td>
                    <td>
                      {k.revokedAt ? (
                        <span className="badge">revoked {timeAgo(k.revokedAt)}</span>
                      ) : (
                        <Form
                          method="post"
                          onSubmit={(e) =>
                            !window.confirm(
                              `Revoke “${k.name}”? Anything using it stops working at once.`,
                            ) && e.preventDefault()
                          }
                        >
                          <CsrfInput />
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="keyId" value={k.id} />
                          <button type="submit" className="btn btn-danger btn-sm">
                            Revoke
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
