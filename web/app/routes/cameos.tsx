import {
  decideRequest,
  grantsOf,
  myCameos,
  requestToCast,
  updateSettings,
} from "@reelhouse/shared/cameos/cameos.server";
import { findCameo, isMinorUser } from "@reelhouse/shared/cameos/consent.server";
import { CameoError } from "@reelhouse/shared/cameos/errors";
import { deleteDraftOfMe } from "@reelhouse/shared/cameos/removal.server";
import { draftsOfMe, reviewDraft } from "@reelhouse/shared/cameos/reviews.server";
import { allowedSettings, type WhoMayCast } from "@reelhouse/shared/cameos/rules";
import { useState } from "react";
import { data, Form, useNavigation, useRevalidator } from "react-router";
import { Processing } from "../components/cameos/Processing.tsx";
import { Recorder } from "../components/cameos/Recorder.tsx";
import "../components/social/social.css";
import { CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { cameoServiceFor } from "../utils/cameos.server.ts";
import { timeAgo } from "../utils/time.ts";
import type { Route } from "./+types/cameos";

/**
 * "Cameos": the owner's controls for each of their cameos (who may cast it, instructions shown to
 * everyone who casts it, requests to approve or decline, people to revoke, delete) and "Cameos of
 * me": every draft that casts one, to approve or decline before anyone can publish it. Recording
 * (and retaking) happens in the page's recorder, which uploads to /cameos/record.
 */

export function meta() {
  return [{ title: "Cameos · Reelhouse" }];
}

const LABEL: Record<WhoMayCast, string> = {
  only_me: "Only me",
  approved: "People I approve",
  mutuals: "Mutuals (we follow each other)",
  everyone: "Everyone",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const cameos = await myCameos(pool, user.id);
  const grants = Object.fromEntries(
    await Promise.all(
      cameos.map(async (c) => [c.id, await grantsOf(pool, user.id, c.id)] as const),
    ),
  );
  const minor = await isMinorUser(pool, user.id);
  return {
    cameos,
    grants,
    drafts: await draftsOfMe(pool, user.id),
    settings: allowedSettings(minor),
  };
}

/** One form per intent; every refusal is shown on the page and changes nothing. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  try {
    switch (get("intent")) {
      case "settings":
        await updateSettings(pool, user.id, get("cameoId"), {
          whoMayCast: get("whoMayCast"),
          instructions: get("instructions"),
        });
        return { ok: "Saved." };
      case "approve-request":
      case "decline-request":
        await decideRequest(
          pool,
          user.id,
          get("cameoId"),
          get("username"),
          get("intent") === "approve-request" ? "approved" : "declined",
        );
        return { ok: "Answered." };
      case "revoke": {
        const service = await cameoServiceFor(context);
        const out = await service.revoke(user.id, get("cameoId"), get("username"));
        return {
          ok: `Revoked @${get("username")}; ${out.cancelled.length} queued render(s) cancelled.`,
        };
      }
      case "approve-draft":
      case "decline-draft":
        await reviewDraft(
          pool,
          user.id,
          get("draftId"),
          get("intent") === "approve-draft" ? "approved" : "declined",
        );
        return { ok: get("intent") === "approve-draft" ? "Approved this version." : "Declined." };
      case "request-cast": {
        const name = get("username").trim().replace(/^@/, "");
        const found = name ? await findCameo(pool, { username: name }) : null;
        if (!found) return data({ error: `@${name || "?"} has no cameo.` }, { status: 404 });
        const status = await requestToCast(pool, user.id, found.id);
        return {
          ok:
            status === "approved"
              ? `You may cast @${found.name}.`
              : status === "pending"
                ? `Asked @${found.name}; you will be told when they answer.`
                : `@${found.name} has ${status} your request.`,
        };
      }
      case "delete-draft": {
        const out = await deleteDraftOfMe(pool, user.id, get("draftId"));
        return {
          ok: out.posts.length
            ? "Deleted the draft and its post."
            : "Deleted the draft; it can never be published.",
        };
      }
      case "delete":
        await (await cameoServiceFor(context)).remove(user.id, get("cameoId"));
        return { ok: "Your cameo and everything made from it are deleted." };
      default:
        return data({ error: "Unknown action." }, { status: 400 });
    }
  } catch (err) {
    if (err instanceof CameoError) return data({ error: err.message }, { status: err.status });
    throw err;
  }
}

export default function Cameos({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state !== "idle";
  const { cameos, grants, drafts, settings } = loaderData;
  const msg = actionData as { ok?: string; error?: string } | undefined;
  const { revalidate } = useRevalidator();
  // The recorder: closed, a new cameo ("new"), or a retake of one cameo (its id).
  const [recording, setRecording] = useState<string | null>(null);
  const hasPerson = cameos.some((c) => c.kind === "person");
  const retakeOf = cameos.find((c) => c.id === recording);
  const uploaded = () => {
    setRecording(null);
    void revalidate();
  };
  return (
    <div className="stack-lg narrow" data-testid="cameos-page">
      <div className="row spread">
        <h1>Cameos</h1>
        {recording === null ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => setRecording("new")}
            data-testid="cameo-new"
          >
            {hasPerson ? "Add a pet or object" : "Record your cameo"}
          </button>
        ) : null}
      </div>
      {msg?.error ? (
        <p className="form-error" role="alert">
          {msg.error}
        </p>
      ) : msg?.ok ? (
        <p className="muted" role="status">
          {msg.ok}
        </p>
      ) : null}
      {recording !== null ? (
        <Recorder
          key={recording}
          hasPerson={hasPerson}
          retake={
            retakeOf
              ? { cameoId: retakeOf.id, kind: retakeOf.kind, name: retakeOf.name }
              : undefined
          }
          onUploaded={uploaded}
          onCancel={() => setRecording(null)}
        />
      ) : null}
      {cameos.length === 0 && recording === null ? (
        <div className="card stack" data-testid="cameos-empty">
          <h2>Be in your own videos</h2>
          <p className="muted">
            Record about 5 seconds of yourself once. Reelhouse checks it is really you (a few head
            turns and four digits read aloud), makes a likeness kit and a voice, and lets the people
            you choose cast you in their scenes. You approve every draft with you in it, and can
            revoke or delete at any time.
          </p>
        </div>
      ) : (
        cameos.map((c) => (
          <section key={c.id} className="card stack" data-testid="cameo">
            <div className="row spread">
              <div className="cameo-head">
                {c.status === "ready" ? (
                  <img
                    className="cameo-face"
                    src={`/cameos/${c.id}/face.png`}
                    alt={`The face kit of @${c.name}`}
                    width={56}
                    height={56}
                    data-testid="cameo-face"
                  />
                ) : null}
                <h2>
                  @{c.name} <span className="muted small">({c.kind})</span>
                </h2>
              </div>
              <span className={`cameo-badge is-${c.status}`} data-testid="cameo-status">
                {c.status === "ready"
                  ? "Ready"
                  : c.status === "processing"
                    ? "Processing"
                    : c.status === "refused"
                      ? "Not accepted"
                      : "Failed"}
              </span>
            </div>
            {c.status === "refused" || c.status === "failed" ? (
              <div className="cameo-refused" role="alert" data-testid="cameo-refused">
                <strong>
                  {c.status === "refused"
                    ? "This recording was not accepted."
                    : "Processing failed."}
                </strong>{" "}
                {c.statusReason ?? ""} Retake it to try again.
              </div>
            ) : null}
            {c.status === "processing" ? (
              <Processing cameoId={c.id} stage={c.stage} progress={c.progress} />
            ) : null}
            {recording === null ? (
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() => setRecording(c.id)}
              >
                Retake
              </button>
            ) : null}
            <Form method="post" className="stack cameo-settings">
              <CsrfInput />
              <input type="hidden" name="intent" value="settings" />
              <input type="hidden" name="cameoId" value={c.id} />
              <fieldset>
                <legend>Who may cast this cameo</legend>
                {settings.map((s) => (
                  <label key={s} className="cameo-choice">
                    <input
                      type="radio"
                      name="whoMayCast"
                      value={s}
                      defaultChecked={c.whoMayCast === s}
                    />
                    {LABEL[s]}
                  </label>
                ))}
              </fieldset>
              <label className="field">
                Instructions for people who cast you
                <textarea
                  name="instructions"
                  maxLength={300}
                  defaultValue={c.instructions}
                  placeholder="e.g. no political content"
                />
              </label>
              <button type="submit" className="btn btn-secondary btn-sm" disabled={busy}>
                Save
              </button>
            </Form>
            <h3>People</h3>
            {(grants[c.id] ?? []).length === 0 ? (
              <p className="muted small">No requests yet.</p>
            ) : null}
            <ul className="stack">
              {(grants[c.id] ?? []).map((g) => (
                <li key={g.granteeId} className="row spread" data-testid="cameo-grant">
                  <span>
                    @{g.username} · {g.status}
                  </span>
                  <span className="row">
                    {g.status === "pending" ? (
                      <>
                        <Intent
                          intent="approve-request"
                          fields={{ cameoId: c.id, username: g.username }}
                          label="Approve"
                        />
                        <Intent
                          intent="decline-request"
                          fields={{ cameoId: c.id, username: g.username }}
                          label="Decline"
                        />
                      </>
                    ) : null}
                    {g.status !== "revoked" ? (
                      <Intent
                        intent="revoke"
                        fields={{ cameoId: c.id, username: g.username }}
                        label="Revoke"
                      />
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
            <Intent
              intent="delete"
              fields={{ cameoId: c.id }}
              label="Delete this cameo"
              confirm="Delete your cameo? The recording, likeness kit, voice and face data are removed, and drafts that use it can no longer be published."
            />
          </section>
        ))
      )}
      <section className="card stack" data-testid="cameo-ask">
        <h2>Cast someone</h2>
        <p className="muted small">
          Someone whose cameo is set to “People I approve” must say yes before you can cast them.
          Then write “@name as the role” in your prompt.
        </p>
        <Form method="post" className="row">
          <CsrfInput />
          <input type="hidden" name="intent" value="request-cast" />
          <input
            name="username"
            aria-label="Username to ask"
            placeholder="@username"
            required
            maxLength={31}
          />
          <button type="submit" className="btn btn-secondary" disabled={busy}>
            Ask to cast
          </button>
        </Form>
      </section>
      <section className="stack">
        <h2>Cameos of me</h2>
        {drafts.length === 0 ? <p className="muted">No drafts include your cameo.</p> : null}
        <ul className="stack">
          {drafts.map((d) => (
            <li
              key={`${d.draftId}:${d.cameoId}`}
              className="card row spread"
              data-testid="cameo-draft"
            >
              <div>
                <strong>@{d.createdByUsername}</strong> cast @{d.cameoName} · {timeAgo(d.createdAt)}
                <p className="small">{d.prompt}</p>
                <span className="muted small">
                  {d.state === "stale" ? "changed since you approved it" : d.state}
                </span>
              </div>
              <span className="row">
                <Intent intent="approve-draft" fields={{ draftId: d.draftId }} label="Approve" />
                <Intent intent="decline-draft" fields={{ draftId: d.draftId }} label="Decline" />
                <Intent
                  intent="delete-draft"
                  fields={{ draftId: d.draftId }}
                  label={d.postId ? "Delete post" : "Delete draft"}
                  confirm={`Delete this ${d.postId ? "post and its draft" : "draft"} by @${d.createdByUsername} for good? It cannot be undone.`}
                />
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Intent(props: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  confirm?: string;
}) {
  return (
    <Form
      method="post"
      onSubmit={(e) => {
        if (props.confirm && !window.confirm(props.confirm)) e.preventDefault();
      }}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value={props.intent} />
      {Object.entries(props.fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className="btn btn-secondary btn-sm">
        {props.label}
      </button>
    </Form>
  );
}
