import { describe, expect, it } from "vitest";
import { isUuid } from "../workspaces/db.server.ts";
import { draftIdFor } from "./draft-id.ts";
import { payloadOf } from "./invisible-mark.ts";

describe("draftIdFor", () => {
  it("is a stable UUID per workflow, so a retried store step names the same draft", () => {
    const a = draftIdFor("generate:abc");
    expect(a).toBe(draftIdFor("generate:abc"));
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe("8");
    expect("89ab").toContain(a[19] as string);
  });

  it("differs between workflows, down to the 32 bits the invisible mark carries", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => draftIdFor(`generate:${i}`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map(payloadOf)).size).toBe(ids.length);
  });
});
