/**
 * Notifications as a person reads them: many of the same thing about the same item become one
 * line ("Ana and 3 others liked your video", "12 of your videos are ready"). Pure; the page groups
 * what it loaded, newest group first, and marking a group read marks every notification in it.
 */
export interface GroupableNotification {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  actorUsername: string | null;
  actorPhotoMediaId?: string | null;
  read: boolean;
  createdAt: Date;
}

export interface NotificationGroup<N extends GroupableNotification = GroupableNotification> {
  key: string;
  kind: string;
  /** The newest notification of the group (its payload names the item). */
  latest: N;
  ids: string[];
  count: number;
  /** Distinct actors, newest first. */
  actors: { username: string; photoMediaId: string | null }[];
  read: boolean;
}

/** Which notifications fold together: same kind about the same item (or, for some, any item). */
export function groupKey(n: GroupableNotification): string {
  const p = n.payload as Record<string, string | undefined>;
  switch (n.kind) {
    case "like":
    case "comment":
    case "remix":
      return `${n.kind}:${p.postId ?? ""}`;
    case "follow":
      return "follow";
    case "generation.ready":
      return "generation.ready";
    default:
      // Mentions, replies, moderation outcomes and the like are each their own line.
      return `${n.kind}:${n.id}`;
  }
}

export function groupNotifications<N extends GroupableNotification>(
  items: readonly N[],
): NotificationGroup<N>[] {
  const groups = new Map<string, NotificationGroup<N>>();
  const newestFirst = [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  for (const n of newestFirst) {
    const key = groupKey(n);
    let g = groups.get(key);
    if (!g) {
      g = { key, kind: n.kind, latest: n, ids: [], count: 0, actors: [], read: true };
      groups.set(key, g);
    }
    g.ids.push(n.id);
    g.count++;
    if (!n.read) g.read = false;
    if (n.actorUsername && !g.actors.some((a) => a.username === n.actorUsername))
      g.actors.push({ username: n.actorUsername, photoMediaId: n.actorPhotoMediaId ?? null });
  }
  return [...groups.values()];
}

/** "@ana", "@ana and @ben", "@ana and 3 others". */
export function actorsPhrase(actors: readonly { username: string }[]): string {
  if (actors.length === 0) return "Someone";
  const first = `@${actors[0]!.username}`;
  if (actors.length === 1) return first;
  if (actors.length === 2) return `${first} and @${actors[1]!.username}`;
  return `${first} and ${actors.length - 1} others`;
}
