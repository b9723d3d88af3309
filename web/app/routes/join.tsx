import { checkInviteCode } from "@reelhouse/shared/accounts/invites.server";
import { isInviteOnly } from "@reelhouse/shared/accounts/settings.server";
import { Form, Link, redirect, useNavigation } from "react-router";
import { CsrfInput, Field, FormError, Steps } from "../components/ui.tsx";
import { failureFromError, str } from "../utils/forms.server.ts";
import type { Route } from "./+types/join";

export function meta() {
  return [{ title: "Join · Reelhouse" }];
}

export async function loader({ context }: Route.LoaderArgs) {
  if (context.auth.user) throw redirect(context.auth.user.username ? "/" : "/join/profile");
  const inviteOnly = await isInviteOnly(context.services.pool, context.services.inviteOnlyDefault);
  if (!inviteOnly) throw redirect("/join/account");
  return null;
}

/** Step 1: check the code (read-only); it is redeemed when the account is created. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const code = str(form, "code");
  try {
    const normalised = await checkInviteCode(context.services.pool, code);
    return redirect(`/join/account?code=${encodeURIComponent(normalised)}`);
  } catch (err) {
    const failure = failureFromError(err, { code });
    // The field is "code" on this form.
    if (failure.data.errors.inviteCode) failure.data.errors.code = failure.data.errors.inviteCode;
    return failure;
  }
}

export default function Join({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <Steps current={1} />
        <h1 className="card-title">Enter your invite code</h1>
        <p className="muted">
          Reelhouse is invite-only for now. Every member can invite four friends.
        </p>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <FormError message={errors.form} />
          <Field
            label="Invite code"
            name="code"
            placeholder="XXXXX-XXXXX"
            autoComplete="off"
            defaultValue={actionData?.values?.code}
            error={errors.code}
            autoFocus
            required
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Checking…" : "Continue"}
          </button>
        </Form>
        <div className="divider">
          <span>No code?</span>
        </div>
        <Link to="/waitlist" className="btn btn-secondary btn-block">
          Request access
        </Link>
        <p className="muted small center">
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
