import { sendEmailVerification } from "@reelhouse/shared/accounts/account-settings.server";
import { signUp } from "@reelhouse/shared/accounts/auth.server";
import { AccountError } from "@reelhouse/shared/accounts/errors";
import { formatInviteCode } from "@reelhouse/shared/accounts/invites.server";
import { isInviteOnly } from "@reelhouse/shared/accounts/settings.server";
import { MIN_PASSWORD_LENGTH } from "@reelhouse/shared/accounts/validation";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import { CsrfInput, Field, FormError, Steps } from "../components/ui.tsx";
import { startSession } from "../utils/auth.server.ts";
import {
  AGE_GATE_COOKIE,
  cookieName,
  parseCookies,
  serializeCookie,
} from "../utils/cookies.server.ts";
import { failureFromError, str } from "../utils/forms.server.ts";
import { mailBaseUrl } from "../utils/mail-links.server.ts";
import type { Route } from "./+types/join.account";

/** Forward the action's headers (Retry-After on 429) to the document response. */
export function headers({ actionHeaders, loaderHeaders }: Route.HeadersArgs) {
  return actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;
}

export function meta() {
  return [{ title: "Create your account · Reelhouse" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  if (context.auth.user) throw redirect(context.auth.user.username ? "/" : "/join/profile");
  const inviteOnly = await isInviteOnly(context.services.pool, context.services.inviteOnlyDefault);
  const code = new URL(request.url).searchParams.get("code") ?? "";
  if (inviteOnly && !code) throw redirect("/join");
  return { inviteOnly, code, display: code ? formatInviteCode(code) : "" };
}

/** Step 2: create the account (redeeming the code atomically) and sign in. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const values = {
    email: str(form, "email"),
    birthdate: str(form, "birthdate"),
    inviteCode: str(form, "inviteCode"),
  };
  try {
    const inviteRequired = await isInviteOnly(
      context.services.pool,
      context.services.inviteOnlyDefault,
    );
    const ageGateHeld =
      parseCookies(request.headers.get("cookie")).get(
        cookieName(AGE_GATE_COOKIE, context.secure),
      ) === "1";
    const { user } = await signUp(
      context.services.pool,
      { ...values, password: str(form, "password"), ip: context.clientIp },
      { inviteRequired, limits: context.services.rateLimits, ageGateHeld },
    );
    // The confirmation mail (issue 17): a single-use link, valid 48 h. A mail failure never undoes
    // the sign-up; the row is in the outbox and Settings offers "Send a confirmation link" again.
    await sendEmailVerification(
      context.services.pool,
      context.services.mailer,
      user.id,
      mailBaseUrl(context, request),
    ).catch((err) => console.error("[join] confirmation mail:", err));
    return redirect("/join/profile", {
      headers: { "Set-Cookie": await startSession(context, user.id, request) },
    });
  } catch (err) {
    const failure = failureFromError(err, values);
    if (err instanceof AccountError && err.code === "too_young") {
      // This browser keeps the refusal for a day, whatever email or code it tries next.
      const headers = new Headers(failure.init?.headers);
      headers.append(
        "Set-Cookie",
        serializeCookie(AGE_GATE_COOKIE, "1", { secure: context.secure, maxAge: 24 * 60 * 60 }),
      );
      return data(failure.data, { status: failure.init?.status ?? 403, headers });
    }
    return failure;
  }
}

export default function JoinAccount({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const v = actionData?.values ?? {};
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <Steps current={2} />
        <h1 className="card-title">Create your account</h1>
        {loaderData.display ? (
          <p className="muted">
            Invite <span className="code-chip">{loaderData.display}</span> is valid.{" "}
            <Link to="/join" className="small">
              Use another
            </Link>
          </p>
        ) : (
          <p className="muted">Sign-up is open. Tell us who you are.</p>
        )}
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="inviteCode" value={loaderData.code} />
          <FormError message={errors.form ?? errors.inviteCode} />
          <Field
            label="Email"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            defaultValue={v.email}
            error={errors.email}
            autoFocus
            required
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            error={errors.password}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Avoid common passwords and your email.`}
            required
          />
          <Field
            label="Birthdate"
            name="birthdate"
            type="date"
            defaultValue={v.birthdate}
            error={errors.birthdate}
            hint="You must be 13 or older. We use this for age-appropriate content protections."
            required
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Creating account…" : "Create account"}
          </button>
        </Form>
        <p className="muted small center">
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
