-- Up Migration
-- Outgoing mail, password reset, email verification and the log of role changes (issue 17).

-- Every message the product sends, whether or not SMTP is configured: with SMTP it records the
-- delivery; without, this table IS the outbox, read by administrators (admin page, `npm run admin
-- -- outbox`). Nothing is silently dropped.
CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,                -- 'waitlist-accepted', 'workspace-invite', 'password-reset', ...
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  status text NOT NULL DEFAULT 'outbox' CHECK (status IN ('outbox', 'sending', 'sent', 'failed')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC);
CREATE INDEX mail_outbox_to ON mail_outbox (lower(to_address), created_at DESC);

-- Single-use tokens mailed for a password reset or an email confirmation. Only the sha256 of the
-- token is stored; `used_at` makes a token single-use, `expires_at` bounds it.
CREATE TABLE account_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('password-reset', 'verify-email')),
  -- For 'verify-email': the address being confirmed (a new one when the email is changed).
  email text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
ALTER TABLE users ADD COLUMN digest_opt_in boolean NOT NULL DEFAULT false;

-- Who granted or removed the moderator or administrator role, and when.
CREATE TABLE role_changes (
  id bigserial PRIMARY KEY,
  -- Null: the admin command line.
  actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
  target_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('moderator', 'admin')),
  granted boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX role_changes_at ON role_changes (at DESC);

-- Down Migration
DROP TABLE role_changes;
ALTER TABLE users DROP COLUMN digest_opt_in;
ALTER TABLE users DROP COLUMN email_verified_at;
DROP TABLE account_tokens;
DROP TABLE mail_outbox;
