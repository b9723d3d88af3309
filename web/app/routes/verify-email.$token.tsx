import { confirmEmail } from "@reelhouse/shared/accounts/account-settings.server";
import { peekAccountToken } from "@reelhouse/shared/accounts/account-tokens.server";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { CsrfInput, FormError, Notice } from "../components/ui.tsx";
import { failureFromError } from "../utils/forms.server.ts";
import type { Route } from "./+types/verify-email.$token";

export function meta() {
  return [{ title: "Confirm your email · Reelhouse" }];
}

/**
 * GET only shows the address and a button (mail scanners open links; they must not confirm);
 * the POST uses the single-use token.
 */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  // After the POST below: the token is used now, which is the success this page reports.
  if (new URL(request.url).searchParams.get("confirmed") === "1")
    return { email: null, confirmed: true };
  const live = await peekAccountToken(context.services.pool, params.token, "verify-email");
  if (!live) return data({ email: null, confirmed: false }, { status: 410 });
  return { email: live.email, confirmed: false };
}

export async function action({ params, context }: Route.ActionArgs) {
  try {
    await confirmEmail(context.services.pool, params.token);
    return redirect(`/verify-email/${params.token}?confirmed=1`);
  } catch (err) {
    return failureFromError(err);
  }
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <h1 className="card-title">Confirm your email</h1>
        {loaderData.confirmed ? (
          <>
            <Notice tone="success">Your email address is confirmed.</Notice>
            <Link to="/settings" className="btn btn-primary btn-block">
              Back to settings
            </Link>
          </>
        ) : !loaderData.email ? (
          <>
            <p className="muted">
              This link has expired or was already used. Send a new one from your settings.
            </p>
            <Link to="/settings" className="btn btn-secondary btn-block">
              Settings
            </Link>
          </>
        ) : (
          <Form method="post" className="form">
            <CsrfInput />
            <FormError message={Object.values(errors)[0]} />
            <p>
              Use <strong>{loaderData.email}</strong> for your Reelhouse account?
            </p>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? "Confirming…" : "Confirm this address"}
            </button>
          </Form>
        )}
      </div>
    </div>
  );
}
