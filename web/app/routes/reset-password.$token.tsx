import { peekAccountToken } from "@reelhouse/shared/accounts/account-tokens.server";
import { resetPassword } from "@reelhouse/shared/accounts/password-reset.server";
import { MIN_PASSWORD_LENGTH } from "@reelhouse/shared/accounts/validation";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { CsrfInput, Field, FormError } from "../components/ui.tsx";
import { startSession } from "../utils/auth.server.ts";
import { failureFromError, formFailure, str } from "../utils/forms.server.ts";
import type { Route } from "./+types/reset-password.$token";

export function meta() {
  return [{ title: "Choose a new password · Reelhouse" }];
}

/** The form shows only for a live link; a used or expired one says so (410) with a way on. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const live = await peekAccountToken(context.services.pool, params.token, "password-reset");
  if (!live) return data({ valid: false as const }, { status: 410 });
  return { valid: true as const };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const password = str(form, "password");
  if (password !== str(form, "confirm"))
    return formFailure(400, { confirm: "The two passwords are not the same." });
  try {
    const { userId } = await resetPassword(context.services.pool, {
      token: params.token,
      password,
    });
    // Every old session was signed out; this browser proved it reads the mailbox.
    return redirect("/?passwordReset=1", {
      headers: { "Set-Cookie": await startSession(context, userId, request) },
    });
  } catch (err) {
    return failureFromError(err);
  }
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  if (!loaderData.valid || errors.form?.includes("expired"))
    return (
      <div className="center-card">
        <div className="card card-narrow">
          <h1 className="card-title">This link no longer works</h1>
          <p className="muted">
            Reset links work once, for an hour. Ask for a new one and use the newest mail.
          </p>
          <Link to="/forgot-password" className="btn btn-primary btn-block">
            Send a new link
          </Link>
        </div>
      </div>
    );
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <h1 className="card-title">Choose a new password</h1>
        <p className="muted">All your other sessions will be signed out.</p>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <FormError message={errors.form} />
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters; not a common password.`}
            error={errors.password}
            autoFocus
            required
          />
          <Field
            label="New password again"
            name="confirm"
            type="password"
            autoComplete="new-password"
            error={errors.confirm}
            required
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Saving…" : "Save and sign in"}
          </button>
        </Form>
      </div>
    </div>
  );
}
