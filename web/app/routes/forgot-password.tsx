import { requestPasswordReset } from "@reelhouse/shared/accounts/password-reset.server";
import { Form, Link, useNavigation } from "react-router";
import { CsrfInput, Field, FormError, Notice } from "../components/ui.tsx";
import { failureFromError, str } from "../utils/forms.server.ts";
import { mailBaseUrl } from "../utils/mail-links.server.ts";
import type { Route } from "./+types/forgot-password";

export function meta() {
  return [{ title: "Forgot password · Reelhouse" }];
}

export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;
}

/**
 * Asks for a reset link. The answer is the same whether or not the address has an account, so the
 * page reveals nothing about who is a member.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const email = str(form, "email");
  try {
    await requestPasswordReset(
      context.services.pool,
      context.services.mailer,
      { email, ip: context.clientIp, baseUrl: mailBaseUrl(context, request) },
      context.services.rateLimits,
    );
    return { ok: true as const, email: email.trim() };
  } catch (err) {
    return failureFromError(err, { email });
  }
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const sent = actionData?.ok ? actionData.email : null;
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <h1 className="card-title">Reset your password</h1>
        {sent ? (
          <>
            <Notice tone="success">
              If an account uses <strong>{sent}</strong>, we sent it a link to choose a new
              password. The link works once, for an hour.
            </Notice>
            <p className="muted small">
              Nothing arrived? Check your spam folder, or ask your administrator: without a mail
              server configured, messages wait in the outbox on the admin page.
            </p>
          </>
        ) : (
          <>
            <p className="muted">Enter the email address of your account; we'll mail you a link.</p>
            <Form method="post" className="form" noValidate>
              <CsrfInput />
              <FormError message={errors.form} />
              <Field
                label="Email"
                name="email"
                type="email"
                autoComplete="email"
                inputMode="email"
                defaultValue={actionData && !actionData.ok ? actionData.values?.email : undefined}
                error={errors.email}
                autoFocus
                required
              />
              <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
                {busy ? "Sending…" : "Send reset link"}
              </button>
            </Form>
          </>
        )}
        <p className="muted small center">
          <Link to="/signin">Back to sign in</Link>
        </p>
      </div>
    </div>
  );
}
