import { formatInviteCode } from "@reelhouse/shared/accounts/invites.server";
import { isInviteOnly, SETTING_KEYS, setSetting } from "@reelhouse/shared/accounts/settings.server";
import { acceptWaitlist, listWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import { Form } from "react-router";
import { CsrfInput, FormError, Notice } from "../components/ui.tsx";
import { requireAdmin } from "../utils/auth.server.ts";
import { dayLabel } from "../utils/format.ts";
import { failureFromError, str } from "../utils/forms.server.ts";
import type { Route } from "./+types/admin";

export function meta() {
  return [{ title: "Admin · Reelhouse" }];
}

export async function loader(args: Route.LoaderArgs) {
  requireAdmin(args);
  const { pool, inviteOnlyDefault } = args.context.services;
  const [inviteOnly, waitlist] = await Promise.all([
    isInviteOnly(pool, inviteOnlyDefault),
    listWaitlist(pool),
  ]);
  return {
    inviteOnly,
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
      const code = await acceptWaitlist(pool, email, admin.id);
      return {
        ok: true as const,
        message: `Accepted ${email}. Send them invite code ${formatInviteCode(code)}.`,
      };
    }
    return { ok: false as const, status: 400, errors: { form: "Unknown action." } };
  } catch (err) {
    return failureFromError(err);
  }
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
        )}
      </section>
    </div>
  );
}
