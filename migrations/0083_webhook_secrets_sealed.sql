-- Up Migration
-- Webhook signing secrets encrypted at rest (issue 15): sealed with AES-256-GCM under a key
-- derived from AUTH_SECRET (shared/src/crypto/sealed.server.ts). SQL cannot derive that key, so
-- this adds the column and relaxes `secret`; the rows that exist are sealed right after the
-- migrations run (shared/src/db/data-migrations.server.ts, called by `migrate()`), which clears
-- their plaintext. Until then the sender reads either column.

ALTER TABLE webhook_endpoints ADD COLUMN secret_sealed text;
ALTER TABLE webhook_endpoints ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_secret_present
  CHECK (secret IS NOT NULL OR secret_sealed IS NOT NULL);
COMMENT ON COLUMN webhook_endpoints.secret IS
  'Legacy plaintext signing secret; NULL once sealed into secret_sealed.';

-- Down Migration
-- Sealed secrets cannot be opened in SQL: endpoints without a plaintext secret are removed.
DELETE FROM webhook_endpoints WHERE secret IS NULL;
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_secret_present;
ALTER TABLE webhook_endpoints ALTER COLUMN secret SET NOT NULL;
ALTER TABLE webhook_endpoints DROP COLUMN secret_sealed;
