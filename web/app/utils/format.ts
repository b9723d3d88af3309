export function joinedLabel(date: Date | string): string {
  return new Date(date).toLocaleDateString("en", {
    year: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

export function mediaUrl(id: string | null | undefined): string | null {
  return id ? `/media/${id}` : null;
}
