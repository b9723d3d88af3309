import { discardAvatar, storeAvatar } from "@reelhouse/shared/accounts/avatar.server";
import { updateProfile } from "@reelhouse/shared/accounts/users.server";
import { MAX_BIO_LENGTH } from "@reelhouse/shared/accounts/validation";
import type { MediaRecord } from "@reelhouse/shared/media/storage.server";
import { formatBytes } from "@reelhouse/shared/media/storage.server";
import { Form, redirect, useNavigation } from "react-router";
import { CsrfInput, Field, FormError, Steps } from "../components/ui.tsx";
import { requireSignedIn } from "../utils/auth.server.ts";
import { failureFromError, parseMultipart } from "../utils/forms.server.ts";
import type { Route } from "./+types/join.profile";

export function meta() {
  return [{ title: "Your profile · Reelhouse" }];
}

export function loader(args: Route.LoaderArgs) {
  const user = requireSignedIn(args);
  if (user.username) throw redirect("/");
  return { maxPhoto: formatBytes(args.context.services.maxPhotoBytes) };
}

/**
 * Step 3: username, bio, optional photo. The form is multipart; the photo streams into storage
 * under MAX_PHOTO_BYTES as it uploads. If the username is refused, the stored photo is discarded.
 */
export async function action(args: Route.ActionArgs) {
  const user = requireSignedIn(args);
  const { pool, storage, maxPhotoBytes } = args.context.services;
  if (user.username) return redirect("/");
  let values: Record<string, string> = {};
  let photo: MediaRecord | undefined;
  try {
    const { fields, files } = await parseMultipart(args.request, {
      files: ["photo"],
      maxFileBytes: maxPhotoBytes,
      onFile: (_field, stream) => storeAvatar(pool, storage, user.id, stream, maxPhotoBytes),
    });
    values = { username: fields.get("username") ?? "", bio: fields.get("bio") ?? "" };
    photo = files.get("photo");
    await updateProfile(pool, user.id, {
      username: values.username,
      bio: values.bio,
      photoMediaId: photo?.id,
    });
    return redirect("/");
  } catch (err) {
    if (photo) await discardAvatar(pool, storage, photo.id);
    return failureFromError(err, values);
  }
}

export default function JoinProfile({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  const v = actionData?.values ?? {};
  return (
    <div className="center-card">
      <div className="card card-narrow">
        <Steps current={3} />
        <h1 className="card-title">Set up your profile</h1>
        <p className="muted">This is how others will find and credit you.</p>
        <Form method="post" encType="multipart/form-data" className="form" noValidate>
          <CsrfInput />
          <FormError message={errors.form} />
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            defaultValue={v.username}
            error={errors.username}
            hint="3–30 characters: letters, digits, _ and ."
            maxLength={30}
            autoFocus
            required
          />
          <div className="field">
            <label htmlFor="f-bio">
              Bio <span className="optional">optional</span>
            </label>
            <textarea
              id="f-bio"
              name="bio"
              rows={3}
              maxLength={MAX_BIO_LENGTH}
              defaultValue={v.bio}
              aria-invalid={errors.bio ? true : undefined}
              placeholder="What do you like to make?"
            />
            {errors.bio ? (
              <p className="field-error" role="alert">
                {errors.bio}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="f-photo">
              Profile photo <span className="optional">optional</span>
            </label>
            <input
              id="f-photo"
              name="photo"
              type="file"
              accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
            />
            <p className="field-hint">
              JPEG, PNG, WebP, GIF or AVIF, up to {loaderData.maxPhoto}. We crop it to a square.
            </p>
            {errors.photo ? (
              <p className="field-error" role="alert">
                {errors.photo}
              </p>
            ) : null}
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Saving…" : "Finish"}
          </button>
        </Form>
      </div>
    </div>
  );
}
