import { useState } from "react";
import { useFetcher } from "react-router";
import { CsrfInput } from "../ui";
import { ModalDialog } from "./ModalDialog";

export interface ShareLinkView {
  id: string;
  rights: "view" | "comment";
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

type ActionAnswer = { ok: true; value?: { token?: string } } | { ok: false; error: string };

function linkState(l: ShareLinkView): { label: string; tone: string } {
  if (l.revokedAt) return { label: "Revoked", tone: "muted" };
  if (l.expiresAt && new Date(l.expiresAt).getTime() < Date.now())
    return { label: "Expired", tone: "muted" };
  return { label: "Active", tone: "ok" };
}

/** Share links for review: create (view/comment, optional expiry), copy, revoke. */
export function ShareDialog(props: {
  open: boolean;
  onClose: () => void;
  links: ShareLinkView[];
  canManage: boolean;
}) {
  const create = useFetcher<ActionAnswer>();
  const [copied, setCopied] = useState(false);

  const created = create.data?.ok ? create.data.value?.token : undefined;
  const url =
    created && typeof window !== "undefined" ? `${window.location.origin}/s/${created}` : null;

  return (
    <ModalDialog
      open={props.open}
      onClose={props.onClose}
      title="Share for review"
      titleId="share-title"
      wide
    >
      <p className="rh-muted">
        Guests open the link without an account. They see the storyboard and its latest renders, and
        with comment rights they can comment under a display name. Revoking a link cuts off open
        sessions too.
      </p>
      {props.canManage ? (
        <create.Form method="post" className="rh-share-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="createShare" />
          <label className="rh-field">
            <span>Guests can</span>
            <select name="rights" defaultValue="comment">
              <option value="view">View</option>
              <option value="comment">View and comment</option>
            </select>
          </label>
          <label className="rh-field">
            <span>Expires</span>
            <select name="ttl" defaultValue="604800">
              <option value="">Never</option>
              <option value="3600">In 1 hour</option>
              <option value="86400">In 1 day</option>
              <option value="604800">In 7 days</option>
              <option value="2592000">In 30 days</option>
            </select>
          </label>
          <button
            type="submit"
            className="rh-btn rh-btn-primary"
            disabled={create.state !== "idle"}
          >
            Create link
          </button>
        </create.Form>
      ) : (
        <p className="rh-muted">Only owners and editors can create share links.</p>
      )}
      {create.data && !create.data.ok && (
        <p className="rh-form-error" role="alert">
          {create.data.error}
        </p>
      )}
      {url && (
        <div className="rh-share-new" data-testid="share-url">
          <p>New link (copy it now — it is shown only once):</p>
          <div className="rh-row">
            <input
              readOnly
              value={url}
              aria-label="Share link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              className="rh-btn rh-btn-sm"
              onClick={() => {
                void navigator.clipboard?.writeText(url).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <h3 className="rh-h3">Links</h3>
      {props.links.length === 0 ? (
        <p className="rh-muted">No share links yet.</p>
      ) : (
        <table className="rh-table">
          <thead>
            <tr>
              <th>Rights</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.links.map((l) => (
              <ShareRow key={l.id} link={l} canManage={props.canManage} />
            ))}
          </tbody>
        </table>
      )}
    </ModalDialog>
  );
}

function ShareRow({ link, canManage }: { link: ShareLinkView; canManage: boolean }) {
  const revoke = useFetcher();
  const st = linkState(link);
  return (
    <tr>
      <td>{link.rights === "comment" ? "View + comment" : "View"}</td>
      <td>{new Date(link.createdAt).toLocaleString()}</td>
      <td>{link.expiresAt ? new Date(link.expiresAt).toLocaleString() : "Never"}</td>
      <td>
        <span className={`rh-pill rh-tone-${st.tone}`}>{st.label}</span>
      </td>
      <td>
        {canManage && st.label === "Active" && (
          <revoke.Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="revokeShare" />
            <input type="hidden" name="linkId" value={link.id} />
            <button
              type="submit"
              className="rh-btn rh-btn-ghost rh-btn-xs rh-danger"
              disabled={revoke.state !== "idle"}
            >
              Revoke
            </button>
          </revoke.Form>
        )}
      </td>
    </tr>
  );
}
