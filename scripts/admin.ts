/**
 * Administration from the command line (docs: web/README.md, "Administration").
 *
 *   npm run admin -- create --email E --username U --password P --birthdate YYYY-MM-DD
 *   npm run admin -- invites --username U
 *   npm run admin -- waitlist
 *   npm run admin -- waitlist accept EMAIL
 *   npm run admin -- invite-only on|off
 *   npm run admin -- role grant|revoke moderator|admin --username U
 *   npm run admin -- outbox [--to EMAIL] [--limit N]
 *   npm run admin -- api-key create --username U [--workspace W] [--name N] [--scopes a,b] [--rate-limit N]
 *   npm run admin -- api-key list --username U
 *   npm run admin -- api-key revoke KEY_ID --username U
 *
 * Reaches the database of a running `npm start` (or DATABASE_URL), else starts the embedded one
 * for the duration of the command. Exits non-zero with a message on any refusal.
 */
import { parseArgs } from "node:util";
import { AccountError } from "@reelhouse/shared/accounts/errors";
import {
  formatInviteCode,
  issueInvites,
  listInvites,
} from "@reelhouse/shared/accounts/invites.server";
import { setPlatformRole } from "@reelhouse/shared/accounts/roles.server";
import { SETTING_KEYS, setSetting } from "@reelhouse/shared/accounts/settings.server";
import { createAccount, getUserByUsername } from "@reelhouse/shared/accounts/users.server";
import { acceptWaitlist, listWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import {
  ApiKeyRefusal,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "@reelhouse/shared/api/keys.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import { listOutbox, Mailer } from "@reelhouse/shared/mail/mailer.server";

const USAGE = `Usage:
  npm run admin -- create --email E --username U --password P --birthdate YYYY-MM-DD
  npm run admin -- invites --username U
  npm run admin -- waitlist
  npm run admin -- waitlist accept EMAIL
  npm run admin -- invite-only on|off
  npm run admin -- role grant|revoke moderator|admin --username U
  npm run admin -- outbox [--to EMAIL] [--limit N]
  npm run admin -- api-key create --username U [--workspace ID_OR_NAME] [--name N] [--scopes videos:read,videos:write] [--rate-limit PER_MINUTE]
  npm run admin -- api-key list --username U
  npm run admin -- api-key revoke KEY_ID --username U`;

class UsageError extends Error {}

async function run(pool: Pool, argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      birthdate: { type: "string" },
      to: { type: "string" },
      limit: { type: "string" },
      workspace: { type: "string" },
      name: { type: "string" },
      scopes: { type: "string" },
      "rate-limit": { type: "string" },
    },
  });
  const [command, sub, arg] = positionals;
  switch (command) {
    case "create": {
      for (const k of ["email", "username", "password", "birthdate"] as const)
        if (!values[k]) throw new UsageError(`create needs --${k}.`);
      const { user, invites } = await createAccount(
        pool,
        {
          email: values.email,
          username: values.username,
          password: values.password,
          birthdate: values.birthdate,
          isAdmin: true,
        },
        { inviteRequired: false },
      );
      return [
        `Created administrator @${user.username} (${user.email}).`,
        "Invite codes (each lets one person join):",
        ...invites.map((c) => `  ${formatInviteCode(c)}`),
      ].join("\n");
    }
    case "invites": {
      if (!values.username) throw new UsageError("invites needs --username.");
      const user = await getUserByUsername(pool, values.username);
      if (!user) throw new AccountError("not_found", `No user @${values.username}.`);
      let invites = await listInvites(pool, user.id);
      if (invites.length === 0) {
        await issueInvites(pool, user.id);
        invites = await listInvites(pool, user.id);
      }
      return [
        `Invite codes of @${user.username}:`,
        ...invites.map(
          (i) =>
            `  ${i.display}  ${i.redeemedBy ? `redeemed by @${i.redeemedBy.username ?? "(onboarding)"}` : "available"}`,
        ),
      ].join("\n");
    }
    case "waitlist": {
      if (sub === "accept") {
        if (!arg) throw new UsageError("waitlist accept needs an EMAIL.");
        const mailer = cliMailer(pool);
        try {
          const code = await acceptWaitlist(pool, arg, null, { mailer, baseUrl: baseUrl() });
          return mailer.delivers
            ? `Accepted ${arg}. We emailed them invite code ${formatInviteCode(code)}.`
            : `Accepted ${arg}. Their invite code ${formatInviteCode(code)} is in the outbox: no mail server is configured (npm run admin -- outbox shows the mail).`;
        } finally {
          mailer.close();
        }
      }
      if (sub) throw new UsageError(`Unknown waitlist command "${sub}".`);
      const entries = await listWaitlist(pool);
      if (entries.length === 0) return "The waitlist is empty.";
      return entries
        .map(
          (e) =>
            `${e.status === "accepted" ? "accepted" : "waiting "}  ${e.email}${e.inviteCode ? `  ${formatInviteCode(e.inviteCode)}` : ""}`,
        )
        .join("\n");
    }
    case "invite-only": {
      if (sub !== "on" && sub !== "off") throw new UsageError("invite-only needs on or off.");
      await setSetting(pool, SETTING_KEYS.inviteOnly, sub === "on");
      return sub === "on"
        ? "Invite-only mode is on."
        : "Sign-up is open to everyone (invite-only off).";
    }
    case "role": {
      if (sub !== "grant" && sub !== "revoke") throw new UsageError("role needs grant or revoke.");
      if (arg !== "moderator" && arg !== "admin")
        throw new UsageError("role grant|revoke needs moderator or admin.");
      if (!values.username) throw new UsageError("role needs --username.");
      const { username, changed } = await setPlatformRole(pool, null, {
        username: values.username,
        role: arg,
        granted: sub === "grant",
      });
      const name = arg === "admin" ? "an administrator" : "a moderator";
      if (!changed) return `@${username} ${sub === "grant" ? "already is" : "is not"} ${name}.`;
      return sub === "grant"
        ? `@${username} is now ${name}.`
        : `@${username} is no longer ${name}.`;
    }
    case "outbox": {
      const limit = values.limit ? Number(values.limit) : 20;
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError("--limit takes a whole number.");
      const mail = await listOutbox(pool, { to: values.to, limit });
      if (mail.length === 0) return values.to ? `No mail to ${values.to}.` : "The outbox is empty.";
      return mail
        .map(
          (m) =>
            `— ${m.createdAt.toISOString()}  ${m.status === "outbox" ? "not sent" : m.status}${m.error ? ` (${m.error})` : ""}\nTo: ${m.to}\nSubject: ${m.subject}\n\n${m.text}\n`,
        )
        .join("\n");
    }
    case "api-key": {
      if (!values.username) throw new UsageError("api-key needs --username.");
      const user = await getUserByUsername(pool, values.username);
      if (!user) throw new AccountError("not_found", `No user @${values.username}.`);
      if (sub === "create") {
        const workspaceId = await pickWorkspace(pool, user.id, values.workspace);
        const rate = values["rate-limit"];
        const { key, view } = await createApiKey(pool, user.id, workspaceId, {
          name:
            values.name ?? `Created by npm run admin on ${new Date().toISOString().slice(0, 10)}`,
          ...(values.scopes
            ? { scopes: values.scopes.split(",").map((s) => s.trim()) as never }
            : {}),
          ...(rate !== undefined ? { rateLimitPerMinute: Number(rate) } : {}),
        });
        return [
          `Created API key "${view.name}" for @${user.username} in workspace "${view.workspaceName}" (${view.scopes.join(", ")}; ${view.rateLimitPerMinute} requests/minute).`,
          "It is shown only this once; store it now:",
          `  ${key}`,
        ].join("\n");
      }
      if (sub === "list") {
        const keys = await listApiKeys(pool, user.id);
        if (keys.length === 0) return `@${user.username} has no API keys.`;
        return keys
          .map(
            (k) =>
              `${k.id}  ${k.prefix}…  ${k.revokedAt ? "revoked" : "active "}  ${k.workspaceName}  "${k.name}"  last used ${k.lastUsedAt?.toISOString() ?? "never"}`,
          )
          .join("\n");
      }
      if (sub === "revoke") {
        if (!arg) throw new UsageError("api-key revoke needs a KEY_ID.");
        await revokeApiKey(pool, user.id, arg);
        return `Revoked API key ${arg}.`;
      }
      throw new UsageError(
        sub ? `Unknown api-key command "${sub}".` : "api-key needs create, list or revoke.",
      );
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : "No command given.");
  }
}

/** The same mail settings as the web app (SMTP_URL, MAIL_FROM). */
function cliMailer(pool: Pool): Mailer {
  const e = env();
  return new Mailer(pool, { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM });
}

/** Where links in mail sent from the command line point: PUBLIC_URL, else the default port. */
function baseUrl(): string {
  const e = env();
  return e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : `http://localhost:${e.PORT}`;
}

/** The workspace an API key is for: by id or name among the person's, or their only one. */
async function pickWorkspace(
  pool: Pool,
  userId: string,
  wanted: string | undefined,
): Promise<string> {
  const r = await pool.query<{ id: string; name: string }>(
    `SELECT w.id, w.name FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id
      WHERE m.user_id = $1 ORDER BY w.created_at`,
    [userId],
  );
  if (r.rows.length === 0)
    throw new ApiKeyRefusal(
      404,
      "This person is not a member of any workspace; create one in the app first.",
    );
  if (wanted) {
    const found = r.rows.filter((w) => w.id === wanted || w.name === wanted);
    if (found.length === 1) return found[0]!.id;
    throw new ApiKeyRefusal(
      404,
      `${found.length === 0 ? "No workspace" : "More than one workspace"} "${wanted}" among theirs: ${r.rows.map((w) => `${w.name} (${w.id})`).join(", ")}.`,
    );
  }
  if (r.rows.length === 1) return r.rows[0]!.id;
  throw new UsageError(
    `This person has ${r.rows.length} workspaces; choose one with --workspace: ${r.rows.map((w) => `${w.name} (${w.id})`).join(", ")}.`,
  );
}

/** Runs one admin command against `databaseUrl`; exported for tests. */
export async function runAdmin(databaseUrl: string, argv: string[]): Promise<string> {
  const pool = createPool(databaseUrl, 2);
  try {
    return await run(pool, argv);
  } finally {
    await pool.end();
  }
}

const isMain =
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isMain) {
  const argv = process.argv.slice(2);
  withDatabase((url) => runAdmin(url, argv))
    .then((out) => {
      console.log(out);
      process.exit(0);
    })
    .catch((err: unknown) => {
      if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
      else if (err instanceof AccountError || err instanceof ApiKeyRefusal)
        console.error(`Refused: ${err.message}`);
      else if (err instanceof Error && err.name === "ZodError")
        console.error(`Refused: ${err.message}`);
      else console.error(`admin: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
