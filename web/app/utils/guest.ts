/** A guest's display name: trimmed, 1–40 characters, no control characters; "Guest" if none. */
export function guestName(raw: string | null | undefined): string {
  const clean = (raw ?? "")
    .replace(/[\p{C}]/gu, "")
    .trim()
    .slice(0, 40);
  return clean || "Guest";
}
