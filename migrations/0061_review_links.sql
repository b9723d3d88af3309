-- Up Migration
-- Review (issue 14), part 2: guest review links. A link opens ONE version (draft_id) or a whole
-- stack (item_id: every version, the ones added later too) to people without an account. The
-- guest gives a name; with `comment` rights they comment and draw, with `can_approve` they may also
-- set a version's status. Optional passphrase (scrypt hash), optional expiry, revocable; whether
-- the original may be downloaded is the link's choice. Revoking or changing a link NOTIFYs the
-- collab server (channel collab_revocation, kind review_link), which closes its guests' sessions;
-- every page and media request re-checks the link too.

CREATE TABLE review_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  draft_id uuid REFERENCES review_versions(draft_id) ON DELETE CASCADE,
  item_id uuid REFERENCES review_items(id) ON DELETE CASCADE,
  rights text NOT NULL CHECK (rights IN ('view', 'comment')),
  can_approve boolean NOT NULL DEFAULT false,
  allow_download boolean NOT NULL DEFAULT false,
  token_hash text NOT NULL UNIQUE,
  passphrase_hash text,
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  CHECK ((draft_id IS NULL) <> (item_id IS NULL)),
  CHECK (NOT can_approve OR rights = 'comment')
);
CREATE INDEX review_links_project ON review_links (project_id);

-- A guest who opened a link: the name they gave, and the hash of the cookie that carries them.
CREATE TABLE review_guests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  link_id uuid NOT NULL REFERENCES review_links(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_guests_link ON review_guests (link_id);

CREATE FUNCTION collab_notify_review_link() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('collab_revocation', json_build_object('kind', 'review_link', 'id', OLD.id)::text);
  ELSIF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.rights <> OLD.rights
     OR NEW.passphrase_hash IS DISTINCT FROM OLD.passphrase_hash THEN
    PERFORM pg_notify('collab_revocation', json_build_object('kind', 'review_link', 'id', NEW.id)::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER review_links_revocation AFTER UPDATE OR DELETE ON review_links
  FOR EACH ROW EXECUTE FUNCTION collab_notify_review_link();

-- Down Migration
DROP TRIGGER review_links_revocation ON review_links;
DROP FUNCTION collab_notify_review_link();
DROP TABLE review_guests, review_links;
