/** "just now", "5m", "3h", "2d", or the date: for feeds, comments and notifications. */
export function timeAgo(d: Date | string): string {
  const s = Math.max(0, (Date.now() - new Date(d).getTime()) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 86400 * 30) return `${Math.floor(s / 86400)}d`;
  return new Date(d).toISOString().slice(0, 10);
}
