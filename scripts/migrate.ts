/** `npm run migrate`: applies pending migrations to DATABASE_URL (production deploys, compose). */
import { migrate } from "@reelhouse/shared/db/migrate.server";
import { env } from "@reelhouse/shared/env.server";

const url = env().DATABASE_URL;
if (!url) {
  console.error(
    "DATABASE_URL is not set: `npm run migrate` is for an external Postgres (npm start migrates the embedded one).",
  );
  process.exit(1);
}
const applied = await migrate(url, (l) => console.log(l));
console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema is up to date");
