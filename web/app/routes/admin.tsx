import { formatInviteCode } from "@reelhouse/shared/accounts/invites.server";
import {
  listRoleChanges,
  listRoleHolders,
  setPlatformRole,
} from "@reelhouse/shared/accounts/roles.server";
import { isInviteOnly, SETTING_KEYS, setSetting } from "@reelhouse/shared/accounts/settings.server";
import { acceptWaitlist, listWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import { listOutbox } from "@reelhouse/shared/mail/mailer.server";
import { Form } from "react-router";
import { CsrfInput, FormError, Notice } from "../components/ui.tsx";
import { requireAdmin } from "../utils/auth.server.ts";
import { dayLabel } from "../utils/format.ts";
import { failureFromError, str } from "../utils/forms.server.ts";
import { mailBaseUrl } from "../utils/mail-links.server.ts";
import type { Route } from "./+types/admin";

export function meta() {
  return [{ title: "Admin · Reelhouse" }];
}

export async function loader(args: Route.LoaderArgs) {
  requireAdmin(args);
  const { pool, inviteOnlyDefault, mailer } = args.context.services;
  const [inviteOnly, waitlist, holders, changes, outbox] = await Promise.all([
    isInviteOnly(pool, inviteOnlyDefault),
    listWaitlist(pool),
    listRoleHolders(pool),
    listRoleChanges(pool, 20),
    listOutbox(pool, { limit: 30 }),
  ]);
  return {
    inviteOnly,
    mailDelivers: mailer.delivers,
    holders,
    changes: changes.map((c) => ({ ...c, at: dayLabel(c.at) })),
    outbox: outbox.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      text: m.text,
      status: m.status,
      error: m.error,
      at: m.createdAt.toISOString(),
    })),
    waitlist: waitlist.map((w) => ({
      email: w.email,
      status: w.status,
      code: w.inviteCode ? formatInviteCode(w.inviteCode) : null,
      since: dayLabel(w.createdAt),
    })),
  };
}

export async function action(args: Route.ActionArgs) {
  const admin = requireAdmin(args);
  const { pool } = args.context.services;
  const form = await args.request.formData();
  const intent = str(form, "intent");
  try {
    if (intent === "invite-only") {
      const on = str(form, "value") === "on";
      await setSetting(pool, SETTING_KEYS.inviteOnly, on);
      return {
        ok: true as const,
        message: on ? "Invite-only mode is on." : "Sign-up is open to everyone.",
      };
    }
    if (intent === "accept") {
      const email = str(form, "email");
      const { mailer } = args.context.services;
      const code = await acceptWaitlist(pool, email, admin.id, {
        mailer,
        baseUrl: mailBaseUrl(args.context, args.request),
      });
      return {
        ok: true as const,
        message: mailer.delivers
          ? `Accepted ${email}. We emailed them invite code ${formatInviteCode(code)}.`
          : `Accepted ${email}. Their invite code ${formatInviteCode(code)} is in the outbox below (no mail server is configured).`,
      };
    }
    if (intent === "grant" || intent === "revoke") {
      const { username, changed } = await setPlatformRole(pool, admin.id, {
        username: str(form, "username"),
        role: str(form, "role"),
        granted: intent === "grant",
      });
      const role = str(form, "role") === "admin" ? "administrator" : "moderator";
      return {
        ok: true as const,
        message: !changed
          ? `@${username} ${intent === "grant" ? "already is" : "is not"} a ${role}.`
          : intent === "grant"
            ? `@${username} is now a ${role}.`
            : `@${username} is no longer a ${role}.`,
      };
    }
    return { ok: false as const, status: 400, errors: { form: "Unknown action." } };
  } catch (err) {
    return failureFromError(err);
  }
}

function Roles({
  holders,
  changes,
}: Pick<Route.ComponentProps["loaderData"], "holders" | "changes">) {
  return (
    <section className="card stack" aria-labelledby="a-roles">
      <h2 className="section-title" id="a-roles">
        Moderators and administrators
      </h2>
      <p className="muted small">
        Moderators decide reports in the <a href="/moderation">moderation queue</a>; administrators
        also manage access, roles and the outbox. Every change is logged below.
      </p>
      <Form method="post" className="form-inline" aria-label="Grant a role">
        <CsrfInput />
        <input type="hidden" name="intent" value="grant" />
        <div className="field">
          <label htmlFor="f-role-username">Username</label>
          <input id="f-role-username" name="username" placeholder="@username" required />
        </div>
        <div className="field">
          <label htmlFor="f-role">Role</label>
          <select id="f-role" name="role" defaultValue="moderator">
            <option value="moderator">Moderator</option>
            <option value="admin">Administrator</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary">
          Grant
        </button>
      </Form>
      {holders.length === 0 ? (
        <p className="muted">Nobody holds a role yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Role holders">
            <thead>
              <tr>
                <th>User</th>
                <th>Roles</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {holders.map((h) => (
                <tr key={h.username}>
                  <td>
                    <a href={`/u/${h.username}`}>@{h.username}</a>
                  </td>
                  <td>
                    {h.isAdmin ? <span className="badge">administrator</span> : null}{" "}
                    {h.isModerator ? <span className="badge">moderator</span> : null}
                  </td>
                  <td className="right">
                    {(["moderator", "admin"] as const)
                      .filter((r) => (r === "admin" ? h.isAdmin : h.isModerator))
                      .map((r) => (
                        <Form method="post" key={r} className="inline">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="username" value={h.username} />
                          <input type="hidden" name="role" value={r} />
                          <button type="submit" className="btn btn-ghost btn-sm">
                            Remove {r === "admin" ? "administrator" : "moderator"}
                          </button>
                        </Form>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {changes.length > 0 ? (
        <details>
          <summary>Role log ({changes.length} latest)</summary>
          <ul className="plain-list small">
            {changes.map((c) => (
              <li key={c.id}>
                {c.at}: {c.actor ? `@${c.actor}` : "the admin command"}{" "}
                {c.granted ? "granted" : "removed"}{" "}
                {c.role === "admin" ? "administrator" : "moderator"} {c.granted ? "to" : "from"} @
                {c.target}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function Outbox({
  outbox,
  mailDelivers,
}: Pick<Route.ComponentProps["loaderData"], "outbox" | "mailDelivers">) {
  return (
    <section className="card stack" aria-labelledby="a-outbox">
      <h2 className="section-title" id="a-outbox">
        Outbox
      </h2>
      <p className="muted small">
        {mailDelivers
          ? "Mail is delivered over SMTP; this is the log of what was sent."
          : "No mail server is configured (SMTP_URL), so mail is not delivered: it waits here. Pass codes and links on by hand, or configure SMTP."}
      </p>
      {outbox.length === 0 ? (
        <p className="muted">No mail yet.</p>
      ) : (
        <ul className="outbox">
          {outbox.map((m) => (
            <li key={m.id}>
              <details>
                <summary>
                  <span className={`badge ${m.status === "failed" ? "badge-danger" : ""}`}>
                    {m.status === "outbox" ? "not sent" : m.status}
                  </span>{" "}
                  <strong>{m.subject}</strong> <span className="muted">to {m.to}</span>{" "}
                  <time className="muted small" dateTime={m.at}>
                    {new Date(m.at).toLocaleString()}
                  </time>
                </summary>
                {m.error ? <p className="field-error">{m.error}</p> : null}
                <pre className="outbox-body">{m.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function Admin({ loaderData, actionData }: Route.ComponentProps) {
  const { inviteOnly, waitlist } = loaderData;
  const waiting = waitlist.filter((w) => w.status === "waiting");
  return (
    <div className="stack-lg">
      <header className="page-header">
        <p className="eyebrow">Administration</p>
        <h1>Access</h1>
      </header>
      {actionData?.ok ? <Notice tone="success">{actionData.message}</Notice> : null}
      {actionData && !actionData.ok ? (
        <FormError message={Object.values(actionData.errors)[0]} />
      ) : null}
      <section className="card row-between">
        <div>
          <h2 className="section-title">Invite-only mode</h2>
          <p className="muted small">
            {inviteOnly ? "New members need an invite code." : "Anyone can sign up without a code."}
          </p>
        </div>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="invite-only" />
          <input type="hidden" name="value" value={inviteOnly ? "off" : "on"} />
          <button type="submit" className={`btn ${inviteOnly ? "btn-secondary" : "btn-primary"}`}>
            {inviteOnly ? "Open sign-up" : "Require invites"}
          </button>
        </Form>
      </section>
      <section className="card">
        <h2 className="section-title">
          Waitlist <span className="badge">{waiting.length} waiting</span>
        </h2>
        {waitlist.length === 0 ? (
          <p className="muted">Nobody is waiting.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Since</th>
                  <th>Status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {waitlist.map((w) => (
                  <tr key={w.email}>
                    <td>{w.email}</td>
                    <td className="muted">{w.since}</td>
                    <td>
                      {w.status === "accepted" ? (
                        <span className="code-chip">{w.code}</span>
                      ) : (
                        "Waiting"
                      )}
                    </td>
                    <td className="right">
                      {w.status === "waiting" ? (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="accept" />
                          <input type="hidden" name="email" value={w.email} />
                          <button type="submit" className="btn btn-primary btn-sm">
                            Accept
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Roles holders={loaderData.holders} changes={loaderData.changes} />
      <Outbox outbox={loaderData.outbox} mailDelivers={loaderData.mailDelivers} />
    </div>
  );
}
