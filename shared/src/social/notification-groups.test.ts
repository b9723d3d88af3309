import { describe, expect, it } from "vitest";
import { actorsPhrase, groupNotifications } from "./notification-groups.ts";

const at = (m: number) => new Date(Date.UTC(2026, 11, 4, 12, m));
const n = (
  id: string,
  kind: string,
  payload: Record<string, unknown>,
  actor: string | null,
  m: number,
  read = false,
) => ({
  id,
  kind,
  payload,
  actorUsername: actor,
  actorPhotoMediaId: actor ? `photo-${actor}` : null,
  read,
  createdAt: at(m),
});

describe("notification groups", () => {
  it("folds likes of one video into one line with its actors, newest first; another video stays apart", () => {
    const groups = groupNotifications([
      n("1", "like", { postId: "p1" }, "ana", 1),
      n("2", "like", { postId: "p1" }, "ben", 2),
      n("3", "like", { postId: "p1" }, "cy", 3, true),
      n("4", "like", { postId: "p1" }, "ben", 4),
      n("5", "like", { postId: "p2" }, "dee", 5),
    ]);
    expect(groups.map((g) => [g.key, g.count, g.ids])).toEqual([
      ["like:p2", 1, ["5"]],
      ["like:p1", 4, ["4", "3", "2", "1"]],
    ]);
    const p1 = groups[1]!;
    expect(p1.actors.map((a) => a.username)).toEqual(["ben", "cy", "ana"]);
    expect(p1.actors[0]!.photoMediaId).toBe("photo-ben");
    expect(p1.read).toBe(false);
    expect(actorsPhrase(p1.actors)).toBe("@ben and 2 others");
  });

  it("folds ready videos into one line, keeps mentions and replies separate, and a group is read only when all its items are", () => {
    const groups = groupNotifications([
      ...Array.from({ length: 12 }, (_, i) =>
        n(`g${i}`, "generation.ready", { draftId: `d${i}` }, null, i, true),
      ),
      n("m1", "mention", { postId: "p" }, "ana", 20),
      n("m2", "mention", { postId: "p" }, "ana", 21),
      n("f1", "follow", {}, "ana", 22, true),
      n("f2", "follow", {}, "ben", 23),
    ]);
    const ready = groups.find((g) => g.kind === "generation.ready")!;
    expect(ready.count).toBe(12);
    expect(ready.read).toBe(true);
    expect(ready.latest.id).toBe("g11");
    expect(groups.filter((g) => g.kind === "mention")).toHaveLength(2);
    const follows = groups.find((g) => g.kind === "follow")!;
    expect(follows.read).toBe(false);
    expect(actorsPhrase(follows.actors)).toBe("@ben and @ana");
  });

  it("names nobody it does not know", () => {
    expect(actorsPhrase([])).toBe("Someone");
    expect(actorsPhrase([{ username: "ana" }])).toBe("@ana");
  });
});
