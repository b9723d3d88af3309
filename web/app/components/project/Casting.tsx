import {
  addRole,
  type CastingRole,
  listRoles,
  removeRole,
  type TxOrigin,
  updateRole,
} from "@reelhouse/shared/collab/schema";
import { useState } from "react";
import type * as Y from "yjs";
import { useY } from "./hooks";

export interface MemberOption {
  userId: string;
  username: string;
  displayName: string;
}

/** Casting: roles (name, description), each assigned to a workspace member. */
export function Casting(props: {
  doc: Y.Doc | undefined;
  canEdit: boolean;
  origin: TxOrigin;
  members: MemberOption[];
}) {
  const { doc, canEdit, origin, members } = props;
  const roles = useY(doc, "roles", listRoles, [] as CastingRole[]);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (!doc) return null;

  const add = () => {
    const n = name.trim();
    if (!n) {
      setError("Give the role a name, e.g. “The detective”.");
      return;
    }
    if (n.length > 80) {
      setError("A role name can be at most 80 characters.");
      return;
    }
    addRole(doc, { name: n, description: description.trim() }, origin);
    setName("");
    setDescription("");
    setError(null);
  };

  return (
    <div className="rh-casting" data-testid="casting">
      {roles.length === 0 ? (
        <div className="rh-empty rh-empty-sm">
          <p className="rh-empty-title">No roles yet</p>
          <p className="rh-muted">
            List the characters of your story and who plays each one. When cameos arrive, the person
            you assign lends their cameo to the role.
          </p>
        </div>
      ) : (
        <ul className="rh-roles">
          {roles.map((r) => (
            <li key={r.id} className="rh-role">
              <div className="rh-role-main">
                <input
                  className="rh-role-name"
                  value={r.name}
                  readOnly={!canEdit}
                  aria-label="Role name"
                  maxLength={80}
                  onChange={(e) =>
                    e.target.value.trim() && updateRole(doc, r.id, { name: e.target.value }, origin)
                  }
                />
                <textarea
                  rows={2}
                  value={r.description}
                  readOnly={!canEdit}
                  aria-label={`Description of ${r.name}`}
                  placeholder={canEdit ? "Who is this character?" : ""}
                  maxLength={1000}
                  onChange={(e) => updateRole(doc, r.id, { description: e.target.value }, origin)}
                />
              </div>
              <div className="rh-role-side">
                <label className="rh-field">
                  <span>Played by</span>
                  <select
                    value={r.assigneeUserId ?? ""}
                    disabled={!canEdit}
                    onChange={(e) =>
                      updateRole(doc, r.id, { assigneeUserId: e.target.value || null }, origin)
                    }
                  >
                    <option value="">Unassigned</option>
                    {members.map((m) => (
                      <option key={m.userId} value={m.userId}>
                        {m.displayName} (@{m.username})
                      </option>
                    ))}
                    {r.assigneeUserId && !members.some((m) => m.userId === r.assigneeUserId) && (
                      <option value={r.assigneeUserId}>Former member</option>
                    )}
                  </select>
                </label>
                {canEdit && (
                  <button
                    type="button"
                    className="rh-btn rh-btn-ghost rh-btn-xs rh-danger"
                    onClick={() =>
                      window.confirm(`Remove the role “${r.name}”?`) &&
                      removeRole(doc, r.id, origin)
                    }
                  >
                    Remove
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          className="rh-role-form"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="New role, e.g. The detective"
            aria-label="New role name"
            maxLength={80}
          />
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="Short description (optional)"
            aria-label="New role description"
            maxLength={1000}
          />
          <button type="submit" className="rh-btn rh-btn-sm">
            Add role
          </button>
          {error && (
            <p className="rh-form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
