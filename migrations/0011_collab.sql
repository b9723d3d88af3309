-- Up Migration
-- Workspace invites, share links for review, collaborative (Yjs) documents and version history.
-- The rules these tables serve are written down in docs/collab-spec.md.

-- Invites: either addressed to one existing user (invitee_id) or a link anyone signed in can redeem
-- (token_hash set). Links expire; both kinds can be revoked.
CREATE TABLE workspace_invites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'commenter', 'viewer')),
  invitee_id uuid REFERENCES users(id) ON DELETE CASCADE,
  -- sha256 (hex) of the link token: a leaked table does not yield usable links.
  token_hash text UNIQUE,
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  accepted_at timestamptz,
  revoked_at timestamptz,
  CHECK ((invitee_id IS NULL) <> (token_hash IS NULL))
);
CREATE INDEX workspace_invites_workspace ON workspace_invites (workspace_id);
CREATE UNIQUE INDEX workspace_invites_pending_user ON workspace_invites (workspace_id, invitee_id)
  WHERE invitee_id IS NOT NULL AND accepted_at IS NULL AND revoked_at IS NULL;

-- Share links: a guest without an account opens a project's storyboard with view or comment rights.
CREATE TABLE share_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  rights text NOT NULL CHECK (rights IN ('view', 'comment')),
  token_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX share_links_project ON share_links (project_id);

-- Yjs documents. `state` is a compacted snapshot (Y.encodeStateAsUpdate); every update the collab
-- server acknowledges is first appended to yjs_updates, and compaction folds those into `state`.
-- The durable content of a document is state + all its remaining updates.
CREATE TABLE yjs_documents (
  name text PRIMARY KEY,
  state bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE yjs_updates (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  update bytea NOT NULL,
  -- 'client' (acknowledged edit), 'restore' (version restore), 'server'.
  source text NOT NULL DEFAULT 'client',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX yjs_updates_name ON yjs_updates (name, id);

-- Version history: named snapshots of all documents of a project.
CREATE TABLE project_snapshots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('manual', 'auto', 'pre-restore')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_snapshots_project ON project_snapshots (project_id, created_at DESC);
CREATE TABLE project_snapshot_docs (
  snapshot_id uuid NOT NULL REFERENCES project_snapshots(id) ON DELETE CASCADE,
  doc text NOT NULL CHECK (doc IN ('prompt', 'storyboard', 'casting', 'comments')),
  state bytea NOT NULL,
  PRIMARY KEY (snapshot_id, doc)
);

-- Revocation: the collab server LISTENs on this channel and closes matching open sessions.
CREATE FUNCTION collab_notify_share_link() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('collab_revocation', json_build_object('kind', 'share_link', 'id', OLD.id)::text);
  ELSIF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.rights <> OLD.rights THEN
    PERFORM pg_notify('collab_revocation', json_build_object('kind', 'share_link', 'id', NEW.id)::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER share_links_revocation AFTER UPDATE OR DELETE ON share_links
  FOR EACH ROW EXECUTE FUNCTION collab_notify_share_link();

CREATE FUNCTION collab_notify_member() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('collab_revocation',
      json_build_object('kind', 'member', 'workspaceId', OLD.workspace_id, 'userId', OLD.user_id)::text);
  ELSIF NEW.role <> OLD.role THEN
    PERFORM pg_notify('collab_revocation',
      json_build_object('kind', 'member', 'workspaceId', NEW.workspace_id, 'userId', NEW.user_id)::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workspace_members_revocation AFTER UPDATE OR DELETE ON workspace_members
  FOR EACH ROW EXECUTE FUNCTION collab_notify_member();

CREATE FUNCTION collab_notify_project() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('collab_revocation', json_build_object('kind', 'project', 'id', OLD.id)::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_revocation AFTER DELETE ON projects
  FOR EACH ROW EXECUTE FUNCTION collab_notify_project();

-- Down Migration
DROP TRIGGER projects_revocation ON projects;
DROP FUNCTION collab_notify_project();
DROP TRIGGER workspace_members_revocation ON workspace_members;
DROP FUNCTION collab_notify_member();
DROP TABLE project_snapshot_docs, project_snapshots, yjs_updates, yjs_documents, share_links, workspace_invites;
DROP FUNCTION collab_notify_share_link();
