import { signIn } from "@reelhouse/shared/accounts/auth.server";
import { Form, Link, redirect, useNavigation, useSearchParams } from "react-router";
import { CsrfInput, Field, FormError } from "../components/ui.tsx";
import { safeRedirect, startSession } from "../utils/auth.server.ts";
import { failureFromError, str } from "../utils/forms.server.ts";
import type { Route } from "./+types/signin";

/** Forward the action's headers (Retry-After on 429) to the document response. */
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;
}

export function meta() {
  return [{ title: "Sign in · Reelhouse" }];
}

export function loader({ context }: Route.LoaderArgs) {
  if (context.auth.user) throw redirect("/");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const values = { login: str(form, "login") };
  // Decided before any session exists, so a bad target can never leave a session half-made.
  const to = safeRedirect(form.get("redirectTo"));
  try {
    const { userId } = await signIn(
      context.services.pool,
      { login: values.login, password: str(form, "password"), ip: context.clientIp },
      context.services.rateLimits,
    );
    return redirect(to, {
      headers: { "Set-Cookie": await startSession(context, userId, request) },
    });
  } catch (err) {
    return failureFromError(err, values);
  }
}

export default function SignIn({ actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const limited = actionData && !actionData.ok && actionData.status === 429;
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <h1 className="card-title">Welcome back</h1>
        <p className="muted">Sign in with your email or username.</p>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <FormError message={errors.form} />
          <Field
            label="Email or username"
            name="login"
            autoComplete="username"
            defaultValue={actionData?.values?.login}
            error={errors.login}
            autoFocus
            required
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={errors.password}
            required
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || limited}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </Form>
        <p className="muted small center">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p className="muted small center">
          New here? <Link to="/join">Join with an invite code</Link>
        </p>
      </div>
    </div>
  );
}
