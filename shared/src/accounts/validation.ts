import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

/**
 * The account rules, parsed at the edge (forms, admin command) with these schemas. Every message
 * is written for the person filling the form.
 */
export const USERNAME_RE = /^[A-Za-z0-9_.]{3,30}$/;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
export const MAX_BIO_LENGTH = 500;
export const MIN_AGE = 13;
export const ADULT_AGE = 18;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }))
  .transform((e) => e.toLowerCase());

export const usernameSchema = z
  .string({ error: "Choose a username." })
  .trim()
  .min(3, "Usernames are 3 to 30 characters.")
  .max(30, "Usernames are 3 to 30 characters.")
  .regex(USERNAME_RE, "Use only letters, digits, underscores (_) and dots (.).");

export const bioSchema = z
  .string()
  .trim()
  .max(MAX_BIO_LENGTH, `Keep your bio to ${MAX_BIO_LENGTH} characters.`)
  .default("");

export const inviteCodeSchema = z
  .string({ error: "Enter your invite code." })
  .trim()
  .toUpperCase()
  .min(1, "Enter your invite code.")
  .max(40, "That is not an invite code.")
  .transform((c) => c.replace(/[\s-]/g, ""));

/** Returns why a password is too weak, or null if it is acceptable. */
export function passwordProblem(
  password: string,
  context: { email?: string; username?: string } = {},
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower))
    return "That password is one of the most commonly used; choose another.";
  if (new Set(lower).size <= 2) return "That password repeats too few characters; choose another.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local))
    return "Your password must not contain your email address.";
  const user = context.username?.toLowerCase();
  if (user && user.length >= 3 && lower.includes(user))
    return "Your password must not contain your username.";
  return null;
}

/** Whole years between `birthdate` (YYYY-MM-DD) and `today` (UTC). */
export function ageOn(birthdate: string, today: Date = new Date()): number {
  const [y, m, d] = birthdate.split("-").map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - y;
  const beforeBirthday =
    today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** A real calendar date in the past, not absurdly old. */
export const birthdateSchema = z
  .string({ error: "Enter your birthdate." })
  .trim()
  .min(1, "Enter your birthdate.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter your birthdate as YYYY-MM-DD.")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "That date does not exist.")
  .refine(
    (s) => new Date(`${s}T00:00:00Z`).getTime() <= Date.now(),
    "Your birthdate can't be in the future.",
  )
  .refine((s) => ageOn(s) <= 130, "Check the year of your birthdate.");

export const signUpSchema = z
  .object({
    email: emailSchema,
    password: z.string({ error: "Choose a password." }),
    birthdate: birthdateSchema,
    inviteCode: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email });
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type SignUpInput = z.input<typeof signUpSchema>;

export const profileSchema = z.object({
  username: usernameSchema,
  bio: bioSchema,
});

export const signInSchema = z.object({
  login: z
    .string({ error: "Enter your email or username." })
    .trim()
    .min(1, "Enter your email or username.")
    .max(254),
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(MAX_PASSWORD_LENGTH),
});

/** Field → first message, for showing next to form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** What a person types to confirm deleting their account (Settings). */
export const DELETE_CONFIRMATION = "DELETE";
