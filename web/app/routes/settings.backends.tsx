import {
  BackendSettingsRefusal,
  removeWorkspaceBackend,
  saveWorkspaceBackend,
  setDefaultBackend,
  workspaceBackendsFor,
} from "@reelhouse/shared/generation/backend-settings.server";
import { BACKEND_CATALOG, listSeconds } from "@reelhouse/shared/generation/capabilities";
import { backendRefusal, describeBackends } from "@reelhouse/shared/generation/registry.server";
import { listWorkspaces } from "@reelhouse/shared/workspaces/workspaces.server";
import { data, Form, Link, useActionData, useNavigation } from "react-router";
import { CsrfInput, FormError } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { timeAgo } from "../utils/time";
import type { Route } from "./+types/settings.backends";

/**
 * Settings → Model backends: per workspace, which real-model backends are set up (Veo, Runway,
 * fal, ComfyUI), their API key (write-only: sealed at rest, only the last 4 characters shown),
 * the ComfyUI URL, the model, and the default backend. Owners edit; other members see the state.
 */

export function meta() {
  return [{ title: "Model backends · Settings · Reelhouse" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const workspaces = await listWorkspaces(pool, user.id);
  const asked = new URL(request.url).searchParams.get("workspace");
  const current =
    workspaces.find((w) => w.id === asked) ??
    workspaces.find((w) => w.role === "owner") ??
    workspaces[0];
  if (!current)
    return { workspaces: [], current: null, configured: [], defaultBackend: null, available: [] };
  const state = await workspaceBackendsFor(pool, user.id, current.id);
  return {
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role })),
    current: { id: current.id, name: current.name, isOwner: current.role === "owner" },
    configured: state.configured.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
    defaultBackend: state.defaultBackend,
    available: describeBackends(state.configured.map((c) => c.backend))
      .filter((b) => b.available && !b.testOnly)
      .map((b) => ({ name: b.name, label: b.label })),
  };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string; field?: string };

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const workspaceId = String(form.get("workspaceId") ?? "");
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  try {
    if (intent === "save") {
      const saved = await saveWorkspaceBackend(pool, user.id, workspaceId, {
        backend: text("backend") ?? "",
        apiKey: text("apiKey"),
        baseUrl: text("baseUrl"),
        model: text("model"),
      });
      return data<ActionResult>({ ok: true, message: `Saved ${saved.backend}.` });
    }
    if (intent === "remove") {
      await removeWorkspaceBackend(pool, user.id, workspaceId, text("backend") ?? "");
      return data<ActionResult>({ ok: true, message: `Removed ${text("backend")}.` });
    }
    if (intent === "default") {
      await setDefaultBackend(
        pool,
        user.id,
        workspaceId,
        text("backend") ?? "",
        (name, configured) => backendRefusal(name, configured),
      );
      return data<ActionResult>({
        ok: true,
        message: `The default backend is now ${text("backend")}.`,
      });
    }
    return data<ActionResult>({ ok: false, error: `Unknown action "${intent}".` }, { status: 400 });
  } catch (err) {
    if (err instanceof BackendSettingsRefusal)
      return data<ActionResult>(
        { ok: false, error: err.message, ...(err.field ? { field: err.field } : {}) },
        { status: err.status },
      );
    throw err;
  }
}

export default function BackendSettings({ loaderData }: Route.ComponentProps) {
  const { workspaces, current, configured, defaultBackend, available } = loaderData;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === "submitting";
  const configurable = BACKEND_CATALOG.filter((b) => b.workspaceConfig);
  return (
    <main className="page api-settings">
      <header className="page-header">
        <p className="eyebrow">Settings</p>
        <h1>Model backends</h1>
        <p className="muted">
          Generate with real video models instead of the built-in animatic. Keys are encrypted at
          rest and never shown again: only their last four characters.{" "}
          <Link to="/settings/api">API keys</Link> · <Link to="/settings/webhooks">Webhooks</Link>
        </p>
      </header>
      {result?.ok ? (
        <div className="alert alert-success" role="status">
          {result.message}
        </div>
      ) : null}
      {result && !result.ok ? <FormError message={result.error} /> : null}
      {!current ? (
        <p className="muted">You are not in a workspace yet.</p>
      ) : (
        <>
          {workspaces.length > 1 ? (
            <Form method="get" className="api-form" data-testid="backend-workspace">
              <div className="field">
                <label htmlFor="backend-ws">Workspace</label>
                <select
                  id="backend-ws"
                  name="workspace"
                  defaultValue={current.id}
                  onChange={(e) => e.currentTarget.form?.requestSubmit()}
                >
                  {workspaces.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.name} ({w.role})
                    </option>
                  ))}
                </select>
              </div>
            </Form>
          ) : null}
          {!current.isOwner ? (
            <p className="muted" data-testid="backend-readonly">
              Only owners of {current.name} change its model backends.
            </p>
          ) : null}
          <section className="card">
            <h2 className="card-title">Default backend</h2>
            <p className="muted">
              The generate form's first choice, and what <code>sora-2</code> runs on in the Videos
              API.
            </p>
            <Form method="post" className="api-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="default" />
              <input type="hidden" name="workspaceId" value={current.id} />
              <div className="field">
                <label htmlFor="default-backend">Backend</label>
                <select
                  id="default-backend"
                  name="backend"
                  defaultValue={defaultBackend ?? "previz"}
                  disabled={!current.isOwner}
                >
                  {available.map((b) => (
                    <option key={b.name} value={b.name}>
                      {b.label}
                    </option>
                  ))}
                </select>
              </div>
              {current.isOwner ? (
                <button type="submit" className="btn" disabled={busy}>
                  Set default
                </button>
              ) : null}
            </Form>
          </section>
          {configurable.map((b) => {
            const saved = configured.find((c) => c.backend === b.name);
            const cfg = b.workspaceConfig!;
            const caps = b.capabilities;
            return (
              <section className="card" key={b.name} data-testid={`backend-${b.name}`}>
                <h2 className="card-title">
                  {b.label}{" "}
                  <span className={`badge ${saved ? "badge-ok" : "badge-wait"}`}>
                    {saved ? "set up" : "not set up"}
                  </span>
                </h2>
                <p className="muted">
                  {b.description} {caps.sizes.join(", ")} · {listSeconds(caps.durations)} ·{" "}
                  {caps.imageInput ? "text or image" : "text only"} ·{" "}
                  {caps.audio ? "with sound" : "silent"}
                  {b.contractTestedOnly
                    ? " · tested against a local server following its published API, not the live service"
                    : ""}
                </p>
                <Form method="post" className="api-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="save" />
                  <input type="hidden" name="workspaceId" value={current.id} />
                  <input type="hidden" name="backend" value={b.name} />
                  <fieldset disabled={!current.isOwner} className="backend-fields">
                    {cfg.apiKey ? (
                      <div className="field">
                        <label htmlFor={`${b.name}-key`}>API key</label>
                        <input
                          id={`${b.name}-key`}
                          name="apiKey"
                          type="password"
                          autoComplete="off"
                          placeholder={
                            saved?.keyLast4 ? `•••• ${saved.keyLast4} (leave empty to keep)` : ""
                          }
                        />
                      </div>
                    ) : null}
                    {cfg.baseUrl ? (
                      <div className="field">
                        <label htmlFor={`${b.name}-url`}>Server URL</label>
                        <input
                          id={`${b.name}-url`}
                          name="baseUrl"
                          type="url"
                          placeholder="http://gpu-box:8188"
                          defaultValue={saved?.baseUrl ?? ""}
                        />
                      </div>
                    ) : null}
                    {cfg.models.length > 0 ? (
                      <div className="field">
                        <label htmlFor={`${b.name}-model`}>Model</label>
                        <select
                          id={`${b.name}-model`}
                          name="model"
                          defaultValue={saved?.model ?? cfg.models[0]}
                        >
                          {cfg.models.map((m) => (
                            <option key={m} value={m}>
                              {m}
                            </option>
                          ))}
                        </select>
                      </div>
                    ) : null}
                  </fieldset>
                  {current.isOwner ? (
                    <button type="submit" className="btn btn-primary" disabled={busy}>
                      {saved ? "Save" : "Set up"}
                    </button>
                  ) : null}
                  {saved ? (
                    <span className="muted">
                      {saved.keyLast4 ? `Key ending ${saved.keyLast4} · ` : ""}updated{" "}
                      {timeAgo(saved.updatedAt)}
                    </span>
                  ) : null}
                </Form>
                {saved && current.isOwner ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="workspaceId" value={current.id} />
                    <input type="hidden" name="backend" value={b.name} />
                    <button type="submit" className="btn btn-danger btn-sm">
                      Remove
                    </button>
                  </Form>
                ) : null}
              </section>
            );
          })}
        </>
      )}
    </main>
  );
}
