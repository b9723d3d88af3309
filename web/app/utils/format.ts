/** "November 2026": join dates on profiles. */
export function joinedLabel(date: Date | string): string {
  return new Date(date).toLocaleDateString("en", {
    year: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

/** "25 Nov 2026": dates in lists (waitlist, redeemed invites). */
export function dayLabel(date: Date | string): string {
  return new Date(date).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function mediaUrl(id: string | null | undefined): string | null {
  return id ? `/media/${id}` : null;
}
