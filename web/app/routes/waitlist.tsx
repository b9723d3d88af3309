import { joinWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import { Form, Link, useNavigation } from "react-router";
import { CsrfInput, Field, FormError, Notice } from "../components/ui.tsx";
import { failureFromError, str } from "../utils/forms.server.ts";
import type { Route } from "./+types/waitlist";

export function meta() {
  return [{ title: "Request access · Reelhouse" }];
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const email = str(form, "email");
  try {
    await joinWaitlist(context.services.pool, email);
    return { ok: true as const, email: email.trim() };
  } catch (err) {
    return failureFromError(err, { email });
  }
}

export default function Waitlist({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  if (actionData?.ok) {
    return (
      <div className="center-card">
        <div className="card card-narrow">
          <h1 className="card-title">You're on the list</h1>
          <Notice tone="success">
            We'll email <strong>{actionData.email}</strong> an invite code as soon as a spot opens.
          </Notice>
          <Link to="/" className="btn btn-secondary btn-block">
            Back to Reelhouse
          </Link>
        </div>
      </div>
    );
  }
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <h1 className="card-title">Request access</h1>
        <p className="muted">
          No invite code yet? Join the waitlist and an administrator will let you in.
        </p>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <FormError message={errors.form} />
          <Field
            label="Email"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            defaultValue={actionData?.values?.email}
            error={errors.email}
            autoFocus
            required
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Joining…" : "Join the waitlist"}
          </button>
        </Form>
        <p className="muted small center">
          Have a code? <Link to="/join">Enter it here</Link>
        </p>
      </div>
    </div>
  );
}
