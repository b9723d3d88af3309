import { readFileSync } from "node:fs";
import path from "node:path";
import { issueInvites } from "@reelhouse/shared/accounts/invites.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { periodicClipArgs } from "@reelhouse/shared/edit/fixtures";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { uniq } from "@reelhouse/shared/testing/db";
import sharp from "sharp";
import type { Client } from "./harness.ts";

export const GOOD_PASSWORD = "velvet-harbor-lantern-42";
export const ADULT_BIRTHDATE = "1990-04-12";

/**
 * A bright disc swinging: a valid 5 s 640×480 MP4 with no face in it, for routes that take a video
 * upload (a character made from it fails liveness). Written into `dir`; its bytes are returned.
 */
export async function facelessRecording(dir: string): Promise<Buffer> {
  const file = path.join(dir, "pattern.mp4");
  await runFfmpeg(
    periodicClipArgs({
      width: 640,
      height: 480,
      fps: 30,
      frames: 150,
      periodFrames: 30,
      output: file,
    }),
  );
  return readFileSync(file);
}

export async function systemInvite(pool: Pool): Promise<string> {
  const [code] = await issueInvites(pool, null, 1);
  return code!;
}

export async function pngPhoto(width = 300, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 90 } } })
    .png()
    .toBuffer();
}

/** Runs steps 1–2 of onboarding over HTTP; the client ends signed in, without a username. */
export async function signUpOverHttp(
  client: Client,
  pool: Pool,
  opts: { email?: string; code?: string } = {},
): Promise<{ email: string; code: string }> {
  const code = opts.code ?? (await systemInvite(pool));
  const email = opts.email ?? `${uniq("u")}@example.com`;
  await client.get("/join");
  const step1 = await client.post("/join", { code });
  if (step1.status !== 302) throw new Error(`invite step answered ${step1.status}`);
  await client.get(step1.headers.location!);
  const step2 = await client.post(`/join/account?code=${code}`, {
    inviteCode: code,
    email,
    password: GOOD_PASSWORD,
    birthdate: ADULT_BIRTHDATE,
  });
  if (step2.status !== 302 || step2.headers.location !== "/join/profile")
    throw new Error(`account step answered ${step2.status}: ${step2.body.slice(0, 300)}`);
  await client.get("/join/profile");
  return { email, code };
}

/** Steps 1–3: a complete member. */
export async function onboardOverHttp(
  client: Client,
  pool: Pool,
  username = uniq("m").slice(0, 20),
) {
  const out = await signUpOverHttp(client, pool);
  const res = await client.postMultipart("/join/profile", { username, bio: "" });
  if (res.status !== 302)
    throw new Error(`profile step answered ${res.status}: ${res.body.slice(0, 300)}`);
  await client.get("/");
  return { ...out, username };
}
