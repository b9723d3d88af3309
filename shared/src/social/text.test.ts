import { describe, expect, it } from "vitest";
import { captionParts, parseHashtags, parseMentions } from "./text.ts";

describe("caption parsing", () => {
  it("finds hashtags lower-cased and de-duplicated, ignoring #s inside words and URLs' fragments", () => {
    expect(parseHashtags("Fox at dawn #Snow #snow #golden_hour a#b x&#123;")).toEqual([
      "snow",
      "golden_hour",
    ]);
  });
  it("keeps only ascii tags (stored tags match the table's check)", () => {
    expect(parseHashtags("#café #ok")).toEqual(["ok"]);
  });
  it("finds @mentions of valid usernames, without trailing punctuation or emails", () => {
    expect(parseMentions("with @Ana.B. and @bob_1, mail me@example.com, @xy too short")).toEqual([
      "ana.b",
      "bob_1",
    ]);
  });
  it("splits a caption into text, hashtag and mention parts for links", () => {
    expect(captionParts("hi @ana. see #Fox")).toEqual([
      { kind: "text", text: "hi " },
      { kind: "mention", text: "@ana", username: "ana" },
      { kind: "text", text: "." },
      { kind: "text", text: " see " },
      { kind: "hashtag", text: "#Fox", tag: "fox" },
    ]);
  });
});
