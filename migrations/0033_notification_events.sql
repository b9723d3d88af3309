-- Up Migration
-- The live unread badge: every insert, read-state change or delete of a notification row tells
-- listeners whose count changed. The payload is only the user id (the web process re-counts), so
-- a batch of inserts for one user (followers of a post) costs one count per delivered event and
-- Postgres folds identical notifications within a transaction into one.
CREATE FUNCTION notifications_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('notifications_changed', COALESCE(NEW.user_id, OLD.user_id)::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER notifications_changed
  AFTER INSERT OR DELETE OR UPDATE OF read_at ON notifications
  FOR EACH ROW EXECUTE FUNCTION notifications_changed();

-- Down Migration
DROP TRIGGER notifications_changed ON notifications;
DROP FUNCTION notifications_changed();
