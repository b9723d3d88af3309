-- Up Migration
-- Cameos (issue 12): a person's (or a pet's, an object's) recorded likeness, who may cast it, the
-- owner's per-person decisions (requests, approvals, revocations) and the owner's review of every
-- draft that includes it. The one rule that decides "may X cast Y's cameo now" is
-- shared/src/cameos/rules.ts; these tables are its facts. Deleting a cameo cascades to every row
-- here; its files (recording, kit, voice) are removed by shared/src/cameos/delete.server.ts.

CREATE TABLE cameos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('person', 'pet', 'object')),
  -- The handle people cast it by: a person's cameo is their username; a pet's or object's is its
  -- own name, unique per owner.
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.]{2,30}$'),
  status text NOT NULL DEFAULT 'processing'
    CHECK (status IN ('processing', 'ready', 'refused', 'failed')),
  -- Why processing refused or failed (a clear sentence for the owner).
  status_reason text,
  who_may_cast text NOT NULL DEFAULT 'only_me'
    CHECK (who_may_cast IN ('only_me', 'approved', 'mutuals', 'everyone')),
  -- Shown to everyone who casts it and read by the safety check against their prompt.
  instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 300),
  -- Files relative to DATA_DIR, all under cameos/<id>/ (recording, kit/, voice.json).
  dir text NOT NULL,
  recording_path text,
  -- {pitchHz, speed, ...}: the espeak-ng setting made from the recording.
  voice jsonb,
  -- The face embedding, used only by the likeness guard.
  embedding real[],
  -- The liveness prompts given for this recording (random order, with their times) and the verdict.
  liveness jsonb,
  -- The likeness kit's manifest: files under kit/ and the face's colours.
  kit jsonb,
  -- The workflow that processes the recording (cameo:<id>:<n>), its stage and progress.
  workflow_id text,
  stage text NOT NULL DEFAULT 'uploaded',
  progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cameos_one_person ON cameos (owner_id) WHERE kind = 'person';
CREATE UNIQUE INDEX cameos_owner_name ON cameos (owner_id, lower(name));
CREATE INDEX cameos_name ON cameos (lower(name));
CREATE TRIGGER cameos_touch BEFORE UPDATE ON cameos FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The owner's decision about one person: a request (pending) they approve or decline, or a
-- revocation (which blocks that person under every setting, even "everyone").
CREATE TABLE cameo_grants (
  cameo_id uuid NOT NULL REFERENCES cameos(id) ON DELETE CASCADE,
  grantee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'revoked')),
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  PRIMARY KEY (cameo_id, grantee_id)
);
CREATE INDEX cameo_grants_grantee ON cameo_grants (grantee_id);

-- The owner's review of a draft that includes their cameo, bound to that exact version: a sha256
-- of the draft's video bytes, prompt and cast. Any change to those voids it.
CREATE TABLE cameo_draft_reviews (
  draft_id uuid NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  cameo_id uuid NOT NULL REFERENCES cameos(id) ON DELETE CASCADE,
  decision text NOT NULL CHECK (decision IN ('approved', 'declined')),
  version_hash text NOT NULL CHECK (version_hash ~ '^[0-9a-f]{64}$'),
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (draft_id, cameo_id)
);
CREATE INDEX cameo_draft_reviews_cameo ON cameo_draft_reviews (cameo_id);

-- Down Migration
DROP TABLE cameo_draft_reviews, cameo_grants, cameos;
