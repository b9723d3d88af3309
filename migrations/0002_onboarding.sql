-- Up Migration
-- Onboarding creates the account (email, password, birthdate, invite redeemed) first and asks for
-- the username on the next step, so a user exists briefly without one. Unique-index semantics on
-- lower(username) already allow several NULLs. The app treats a user without a username as
-- "onboarding incomplete" and sends them to the profile step.
ALTER TABLE users ALTER COLUMN username DROP NOT NULL;
CREATE INDEX invite_codes_redeemed_by ON invite_codes (redeemed_by);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Down Migration
DROP INDEX IF EXISTS sessions_expires;
DROP INDEX IF EXISTS invite_codes_redeemed_by;
DELETE FROM users WHERE username IS NULL;
ALTER TABLE users ALTER COLUMN username SET NOT NULL;
