-- Up Migration
-- Accounts, sessions, invites, waitlist, media. Usernames and emails are unique case-insensitively.

CREATE TABLE media (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid,
  kind text NOT NULL,                -- 'avatar', 'upload-image', 'video', 'poster', ...
  content_type text NOT NULL,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  width int,
  height int,
  duration_ms int,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.]{3,30}$'),
  password_hash text NOT NULL,
  birthdate date NOT NULL,
  is_minor boolean NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  is_moderator boolean NOT NULL DEFAULT false,
  display_name text NOT NULL DEFAULT '',
  bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 500),
  photo_media_id uuid REFERENCES media(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
ALTER TABLE media ADD CONSTRAINT media_owner_fk FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE;

CREATE TABLE sessions (
  -- sha256 of the cookie token: a leaked table does not yield usable cookies.
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invite_codes (
  code text PRIMARY KEY,
  owner_id uuid REFERENCES users(id) ON DELETE CASCADE,   -- null: issued by the system (admin command)
  redeemed_by uuid UNIQUE REFERENCES users(id) ON DELETE SET NULL,
  redeemed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invite_codes_owner ON invite_codes (owner_id);

CREATE TABLE waitlist (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'accepted')),
  invite_code text REFERENCES invite_codes(code) ON DELETE SET NULL,
  accepted_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz
);
CREATE UNIQUE INDEX waitlist_email_lower ON waitlist (lower(email));

-- Failed and successful auth attempts, for per-IP and per-account rate limits.
CREATE TABLE auth_attempts (
  id bigserial PRIMARY KEY,
  scope text NOT NULL,               -- 'ip:<addr>' or 'account:<lower email or username>'
  action text NOT NULL,              -- 'sign-in', 'sign-up'
  succeeded boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_attempts_scope_at ON auth_attempts (scope, action, at DESC);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE settings, auth_attempts, waitlist, invite_codes, sessions;
ALTER TABLE media DROP CONSTRAINT media_owner_fk;
DROP TABLE users, media;
