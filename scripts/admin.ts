/**
 * Administration from the command line (docs: web/README.md, "Administration").
 *
 *   npm run admin -- create --email E --username U --password P --birthdate YYYY-MM-DD
 *   npm run admin -- invites --username U
 *   npm run admin -- waitlist
 *   npm run admin -- waitlist accept EMAIL
 *   npm run admin -- invite-only on|off
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
import { SETTING_KEYS, setSetting } from "@reelhouse/shared/accounts/settings.server";
import { createAccount, getUserByUsername } from "@reelhouse/shared/accounts/users.server";
import { acceptWaitlist, listWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";

const USAGE = `Usage:
  npm run admin -- create --email E --username U --password P --birthdate YYYY-MM-DD
  npm run admin -- invites --username U
  npm run admin -- waitlist
  npm run admin -- waitlist accept EMAIL
  npm run admin -- invite-only on|off`;

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
        const code = await acceptWaitlist(pool, arg, null);
        return `Accepted ${arg}. Send them invite code ${formatInviteCode(code)}`;
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
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : "No command given.");
  }
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
      else if (err instanceof AccountError) console.error(`Refused: ${err.message}`);
      else if (err instanceof Error && err.name === "ZodError")
        console.error(`Refused: ${err.message}`);
      else console.error(`admin: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
