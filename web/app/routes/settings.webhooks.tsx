import { ApiKeyRefusal } from "@reelhouse/shared/api/keys.server";
import { WEBHOOK_EVENTS } from "@reelhouse/shared/api/scopes";
import {
  createEndpoint,
  disableEndpoint,
  listDeliveries,
  listEndpoints,
} from "@reelhouse/shared/api/webhooks.server";
import { listWorkspaces } from "@reelhouse/shared/workspaces/workspaces.server";
import { data, Form, Link, useActionData, useNavigation } from "react-router";
import { CsrfInput, EmptyState, FormError } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { timeAgo } from "../utils/time";
import type { Route } from "./+types/settings.webhooks";

export function meta() {
  return [{ title: "Webhooks · Settings · Reelhouse" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const [endpoints, deliveries, workspaces] = await Promise.all([
    listEndpoints(pool, user.id),
    listDeliveries(pool, user.id),
    listWorkspaces(pool, user.id),
  ]);
  return {
    workspaces: workspaces
      .filter((w) => w.role === "owner" || w.role === "editor")
      .map((w) => ({ id: w.id, name: w.name })),
    endpoints: endpoints.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    deliveries: deliveries.map((d) => ({
      ...d,
      createdAt: d.createdAt.toISOString(),
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
    })),
  };
}

type ActionResult =
  | { ok: true; intent: "create"; secret: string; url: string }
  | { ok: true; intent: "disable" }
  | { ok: false; error: string };

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "create") {
      const { endpoint, secret } = await createEndpoint(
        pool,
        user.id,
        String(form.get("workspaceId") ?? ""),
        { url: String(form.get("url") ?? ""), events: form.getAll("events").map(String) },
      );
      return data<ActionResult>(
        { ok: true, intent: "create", secret, url: endpoint.url },
        { status: 201 },
      );
    }
    if (intent === "disable") {
      await disableEndpoint(pool, user.id, String(form.get("endpointId") ?? ""));
      return data<ActionResult>({ ok: true, intent: "disable" });
    }
    return data<ActionResult>({ ok: false, error: `Unknown action "${intent}".` }, { status: 400 });
  } catch (err) {
    if (err instanceof ApiKeyRefusal)
      return data<ActionResult>({ ok: false, error: err.message }, { status: err.status });
    throw err;
  }
}

const STATUS_CLASS = { delivered: "badge-ok", pending: "badge-wait", failed: "badge-bad" };

export default function WebhookSettings({ loaderData }: Route.ComponentProps) {
  const { endpoints, deliveries, workspaces } = loaderData;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <main className="page api-settings">
      <header className="page-header">
        <p className="eyebrow">Settings</p>
        <h1>Webhooks</h1>
        <p className="muted">
          Reelhouse POSTs <code>video.completed</code> and <code>video.failed</code> for videos made
          through the API, signed per{" "}
          <a href="https://www.standardwebhooks.com" rel="noreferrer">
            Standard Webhooks
          </a>
          , retrying with backoff until your endpoint answers 2xx.{" "}
          <Link to="/settings/api">API keys</Link> · <a href="/v1/docs">API reference</a>
        </p>
      </header>

      {result?.ok && result.intent === "create" ? (
        <div className="alert alert-success api-new-key" role="status" data-testid="new-secret">
          <p>
            <strong>Endpoint added.</strong> Verify deliveries to {result.url} with this signing
            secret:
          </p>
          <div className="api-key-row">
            <input
              readOnly
              value={result.secret}
              aria-label="Signing secret"
              className="api-key-value"
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
        </div>
      ) : null}
      {result && !result.ok ? <FormError message={result.error} /> : null}

      <section className="card">
        <h2 className="card-title">Add an endpoint</h2>
        {workspaces.length === 0 ? (
          <p className="muted">Only editors and owners of a workspace can add webhooks.</p>
        ) : (
          <Form method="post" className="api-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="hook-url">Endpoint URL</label>
              <input
                id="hook-url"
                name="url"
                type="url"
                required
                placeholder="https://example.com/hooks/reelhouse"
              />
            </div>
            <div className="field">
              <label htmlFor="hook-workspace">Workspace</label>
              <select id="hook-workspace" name="workspaceId" defaultValue={workspaces[0]!.id}>
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="field api-scopes">
              <legend>Events</legend>
              {WEBHOOK_EVENTS.map((e) => (
                <label key={e} className="api-scope">
                  <input type="checkbox" name="events" value={e} defaultChecked />{" "}
                  <code className="code-chip">{e}</code>
                </label>
              ))}
            </fieldset>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Adding…" : "Add endpoint"}
            </button>
          </Form>
        )}
      </section>

      <section className="card">
        <h2 className="card-title">Endpoints</h2>
        {endpoints.length === 0 ? (
          <p className="muted">No endpoints yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="endpoints">
              <thead>
                <tr>
                  <th>URL</th>
                  <th>Workspace</th>
                  <th>Events</th>
                  <th>Added</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <code className="code-chip">{e.url}</code>
                    </td>
                    <td>{e.workspaceName}</td>
                    <td>{e.events.join(", ")}</td>
                    <td>{timeAgo(e.createdAt)}</td>
                    <td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="disable" />
                        <input type="hidden" name="endpointId" value={e.id} />
                        <button type="submit" className="btn btn-danger btn-sm">
                          Remove
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card">
        <h2 className="card-title">Delivery log</h2>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">
            When a video made through the API finishes, its event shows up here with every attempt's
            outcome.
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="deliveries">
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Video</th>
                  <th>Endpoint</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Last answer</th>
                  <th>When</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <code className="code-chip">{d.eventType}</code>
                    </td>
                    <td>
                      <code>{d.videoId}</code>
                    </td>
                    <td>{d.endpointUrl}</td>
                    <td>
                      <span className={`badge ${STATUS_CLASS[d.status]}`}>{d.status}</span>
                    </td>
                    <td>{d.attempts}</td>
                    <td>{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—")}</td>
                    <td>{timeAgo(d.lastAttemptAt ?? d.createdAt)}</td>
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
