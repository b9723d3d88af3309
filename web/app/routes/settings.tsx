import {
  accountStatus,
  changePassword,
  requestEmailChange,
  sendEmailVerification,
  setDigest,
  signOutEverywhere,
} from "@reelhouse/shared/accounts/account-settings.server";
import { discardAvatar, storeAvatar } from "@reelhouse/shared/accounts/avatar.server";
import { deleteAccount } from "@reelhouse/shared/accounts/delete-account.server";
import { updateProfile } from "@reelhouse/shared/accounts/users.server";
import {
  DELETE_CONFIRMATION,
  MAX_BIO_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "@reelhouse/shared/accounts/validation";
import type { MediaRecord } from "@reelhouse/shared/media/storage.server";
import { formatBytes } from "@reelhouse/shared/media/storage.server";
import { data, Form, redirect, useNavigation } from "react-router";
import { Avatar, CsrfInput, Field, FormError, Notice } from "../components/ui.tsx";
import { endSession, requireUser } from "../utils/auth.server.ts";
import { mediaUrl } from "../utils/format.ts";
import { failureFromError, parseMultipart, str } from "../utils/forms.server.ts";
import { mailBaseUrl } from "../utils/mail-links.server.ts";
import type { Route } from "./+types/settings";

export function meta() {
  return [{ title: "Settings · Reelhouse" }];
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const { pool, maxPhotoBytes } = args.context.services;
  const status = await accountStatus(pool, user.id);
  return {
    username: user.username,
    bio: user.bio,
    photo: mediaUrl(user.photoMediaId),
    maxPhoto: formatBytes(maxPhotoBytes),
    ...status,
  };
}

type Ok = { ok: true; section: string; message: string };

/** A refusal of one section's form, with its HTTP status, tagged with the section it belongs to. */
function sectionFailure(err: unknown, section: string, values?: Record<string, string>) {
  const f = failureFromError(err, values);
  return data({ ...f.data, section }, f.init ?? undefined);
}

function refuse(status: number, section: string, errors: Record<string, string>) {
  return data({ ok: false as const, status, errors, section }, { status });
}

/**
 * One page, one form per section. The profile form is multipart (the photo streams into storage
 * under MAX_PHOTO_BYTES); every other section posts a plain form with an `intent`.
 */
export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const { request, context } = args;
  const { pool, storage, maxPhotoBytes, mailer } = context.services;
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    let photo: MediaRecord | undefined;
    let values: Record<string, string> = {};
    try {
      const { fields, files } = await parseMultipart(request, {
        files: ["photo"],
        maxFileBytes: maxPhotoBytes,
        onFile: (_f, stream) => storeAvatar(pool, storage, user.id, stream, maxPhotoBytes),
      });
      values = { username: fields.get("username") ?? "", bio: fields.get("bio") ?? "" };
      photo = files.get("photo");
      const removePhoto = fields.get("removePhoto") === "1";
      const before = user.photoMediaId;
      await updateProfile(pool, user.id, {
        username: values.username,
        bio: values.bio,
        ...(photo ? { photoMediaId: photo.id } : removePhoto ? { photoMediaId: null } : {}),
      });
      // The replaced (or removed) photo's file and row go.
      if ((photo || removePhoto) && before) await discardAvatar(pool, storage, before);
      return { ok: true, section: "profile", message: "Profile saved." } satisfies Ok;
    } catch (err) {
      if (photo) await discardAvatar(pool, storage, photo.id);
      return sectionFailure(err, "profile", values);
    }
  }
  const form = await request.formData();
  const intent = str(form, "intent");
  try {
    switch (intent) {
      case "password": {
        if (str(form, "next") !== str(form, "confirm"))
          return refuse(400, intent, { confirm: "The two new passwords are not the same." });
        const { signedOut } = await changePassword(pool, user.id, {
          current: str(form, "current"),
          next: str(form, "next"),
          keepSessionToken: context.auth.sessionToken,
        });
        return {
          ok: true,
          section: intent,
          message: `Password changed. ${signedOut === 0 ? "No other session was signed in." : `${signedOut} other session${signedOut === 1 ? " was" : "s were"} signed out.`}`,
        } satisfies Ok;
      }
      case "email": {
        const email = await requestEmailChange(pool, mailer, user.id, {
          email: str(form, "email"),
          password: str(form, "password"),
          baseUrl: mailBaseUrl(context, request),
        });
        return {
          ok: true,
          section: intent,
          message: `We sent a confirmation link to ${email}. Your address changes when you use it.`,
        } satisfies Ok;
      }
      case "verify": {
        await sendEmailVerification(pool, mailer, user.id, mailBaseUrl(context, request));
        return {
          ok: true,
          section: intent,
          message: "Confirmation link sent. It works once, for 48 hours.",
        } satisfies Ok;
      }
      case "digest": {
        const on = str(form, "value") === "on";
        await setDigest(pool, user.id, on);
        return {
          ok: true,
          section: intent,
          message: on
            ? "You'll get a daily email of unread notifications."
            : "Notification digests are off.",
        } satisfies Ok;
      }
      case "delete-account": {
        const r = await deleteAccount(
          pool,
          user.id,
          { password: str(form, "password"), confirm: str(form, "confirm") },
          { media: storage },
        );
        const summary = new URLSearchParams({
          deleted: "1",
          posts: String(r.posts),
          kept: String(r.workspacesKept.length),
        });
        throw redirect(`/?${summary}`, { headers: { "Set-Cookie": await endSession(context) } });
      }
      case "signout-everywhere": {
        await signOutEverywhere(pool, user.id);
        throw redirect("/signin", { headers: { "Set-Cookie": await endSession(context) } });
      }
      default:
        return refuse(400, intent, { form: "Unknown action." });
    }
  } catch (err) {
    if (err instanceof Response) throw err;
    return sectionFailure(err, intent);
  }
}

function SectionStatus({
  section,
  actionData,
}: {
  section: string;
  actionData: Route.ComponentProps["actionData"];
}) {
  if (!actionData || actionData.section !== section) return null;
  if (actionData.ok) return <Notice tone="success">{actionData.message}</Notice>;
  const errors = actionData.errors as Record<string, string>;
  return errors.form ? <FormError message={errors.form} /> : null;
}

export default function Settings({ loaderData: d, actionData }: Route.ComponentProps) {
  const nav = useNavigation();
  const busy = (intent: string) =>
    nav.state === "submitting" && (nav.formData?.get("intent") ?? "profile") === intent;
  const errorsOf = (section: string): Record<string, string> =>
    actionData && !actionData.ok && actionData.section === section
      ? (actionData.errors as Record<string, string>)
      : {};
  const pe = errorsOf("profile");
  const pw = errorsOf("password");
  const em = errorsOf("email");
  const del = errorsOf("delete-account");
  return (
    <div className="stack-lg settings">
      <header className="page-header">
        <p className="eyebrow">Your account</p>
        <h1>Settings</h1>
      </header>

      <section className="card stack" aria-labelledby="s-profile">
        <h2 className="section-title" id="s-profile">
          Profile
        </h2>
        <SectionStatus section="profile" actionData={actionData} />
        <Form method="post" encType="multipart/form-data" className="form" noValidate>
          <CsrfInput />
          <div className="settings-photo">
            <Avatar src={d.photo} name={d.username} size={72} />
            <div className="field">
              <label htmlFor="f-photo">Profile photo</label>
              <input
                id="f-photo"
                name="photo"
                type="file"
                accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
              />
              <p className="field-hint">
                JPEG, PNG, WebP, GIF or AVIF, up to {d.maxPhoto}. We crop it to a square.
              </p>
              {pe.photo ? (
                <p className="field-error" role="alert">
                  {pe.photo}
                </p>
              ) : null}
              {d.photo ? (
                <label className="check">
                  <input type="checkbox" name="removePhoto" value="1" /> Remove my photo
                </label>
              ) : null}
            </div>
          </div>
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            defaultValue={d.username}
            error={pe.username}
            hint="3–30 characters: letters, digits, _ and ."
            maxLength={30}
            required
          />
          <div className="field">
            <label htmlFor="f-bio">Bio</label>
            <textarea
              id="f-bio"
              name="bio"
              rows={3}
              maxLength={MAX_BIO_LENGTH}
              defaultValue={d.bio}
              placeholder="What do you like to make?"
            />
            {pe.bio ? (
              <p className="field-error" role="alert">
                {pe.bio}
              </p>
            ) : null}
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy("profile")}>
            {busy("profile") ? "Saving…" : "Save profile"}
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="s-email">
        <h2 className="section-title" id="s-email">
          Email
        </h2>
        <SectionStatus section="email" actionData={actionData} />
        <SectionStatus section="verify" actionData={actionData} />
        <p>
          <strong>{d.email}</strong>{" "}
          {d.emailVerified ? (
            <span className="badge badge-success">confirmed</span>
          ) : (
            <span className="badge">not confirmed</span>
          )}
        </p>
        {d.pendingEmail ? (
          <p className="muted small">
            Waiting for you to confirm <strong>{d.pendingEmail}</strong> (check that mailbox).
          </p>
        ) : null}
        {!d.emailVerified ? (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="verify" />
            <button type="submit" className="btn btn-secondary btn-sm" disabled={busy("verify")}>
              Send a confirmation link
            </button>
          </Form>
        ) : null}
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="email" />
          <Field
            label="New email address"
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            error={em.email}
            required
          />
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={em.current}
            required
          />
          <button type="submit" className="btn btn-secondary" disabled={busy("email")}>
            Change email
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="s-password">
        <h2 className="section-title" id="s-password">
          Password
        </h2>
        <SectionStatus section="password" actionData={actionData} />
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="password" />
          <Field
            label="Current password"
            name="current"
            type="password"
            autoComplete="current-password"
            error={pw.current}
            required
          />
          <Field
            label="New password"
            name="next"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Your other sessions will be signed out.`}
            error={pw.next}
            required
          />
          <Field
            label="New password again"
            name="confirm"
            type="password"
            autoComplete="new-password"
            error={pw.confirm}
            required
          />
          <button type="submit" className="btn btn-secondary" disabled={busy("password")}>
            Change password
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="s-notify">
        <h2 className="section-title" id="s-notify">
          Email digest
        </h2>
        <SectionStatus section="digest" actionData={actionData} />
        <div className="row-between">
          <p className="muted small">
            {d.digest
              ? d.emailVerified
                ? "On: at most once a day, an email lists the notifications you have not read."
                : "On, but waiting: digests go only to a confirmed address. Confirm your email above."
              : "Off: notifications stay in the bell."}
          </p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="digest" />
            <input type="hidden" name="value" value={d.digest ? "off" : "on"} />
            <button type="submit" className="btn btn-secondary btn-sm" disabled={busy("digest")}>
              {d.digest ? "Turn off" : "Turn on"}
            </button>
          </Form>
        </div>
      </section>

      <section className="card stack danger-zone" aria-labelledby="s-delete">
        <h2 className="section-title" id="s-delete">
          Delete your account
        </h2>
        <SectionStatus section="delete-account" actionData={actionData} />
        <p className="small">What happens, at once and for good:</p>
        <ul className="small plain-list-dots" data-testid="delete-consequences">
          <li>Your posts are deleted with their videos; remixes others made of them stay.</li>
          <li>Your cameos are deleted with their recordings; nobody can cast you again.</li>
          <li>
            Workspaces where you are the only member are deleted with their projects and drafts.
          </li>
          <li>
            Workspaces you share stay with the team: if you are their only owner, the next member
            becomes owner, and your projects, drafts and edits there become theirs.
          </li>
          <li>
            Your comments (with their replies), likes, follows, notifications, API keys and sessions
            are removed.
          </li>
        </ul>
        <Form method="post" className="form" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="delete-account" />
          <Field
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={del.password}
            required
          />
          <Field
            label={`Type ${DELETE_CONFIRMATION} to confirm`}
            name="confirm"
            autoComplete="off"
            error={del.confirm}
            required
          />
          <button type="submit" className="btn btn-danger" disabled={busy("delete-account")}>
            Delete my account
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="s-sessions">
        <h2 className="section-title" id="s-sessions">
          Sessions
        </h2>
        <div className="row-between">
          <p className="muted small">
            Signed in on {d.sessions}{" "}
            {d.sessions === 1 ? "device or browser" : "devices or browsers"}.
          </p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="signout-everywhere" />
            <button type="submit" className="btn btn-secondary btn-sm">
              Sign out everywhere
            </button>
          </Form>
        </div>
      </section>
    </div>
  );
}
