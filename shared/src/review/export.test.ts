import { describe, expect, it } from "vitest";
import { type ExportNote, reviewCsv, reviewEdl, timecode } from "./export.ts";

const note = (o: Partial<ExportNote>): ExportNote => ({
  id: "n",
  anchor: { frame: 42 },
  shapes: [],
  resolved: false,
  createdAt: 0,
  visibility: "shared",
  messages: [
    {
      id: "m1",
      author: { id: "g", name: "Client Carla", guest: true },
      body: "Move the fox, here",
      mentions: [],
      createdAt: Date.UTC(2026, 11, 4, 21, 0, 0),
    },
  ],
  ...o,
});

describe("review export", () => {
  it("timecodes are non-drop HH:MM:SS:FF at the frame rate", () => {
    expect(timecode(0, 30)).toBe("00:00:00:00");
    expect(timecode(42, 30)).toBe("00:00:01:12");
    expect(timecode(30 * 3661 + 29, 30)).toBe("01:01:01:29");
    expect(timecode(25, 24)).toBe("00:00:01:01");
  });

  it("CSV has one row per message with in/out timecodes, the author marked guest, and quoting", () => {
    const csv = reviewCsv(
      [
        note({
          shapes: [
            {
              tool: "arrow",
              color: "#ff3b30",
              width: 0.01,
              points: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        }),
        note({
          id: "r",
          anchor: { frame: 60, endFrame: 90 },
          visibility: "team",
          resolved: true,
          messages: [
            {
              id: "m2",
              author: { id: "u", name: "Ann", guest: false },
              body: '=cmd "x"',
              mentions: [],
              createdAt: 0,
            },
            {
              id: "m3",
              author: { id: "u2", name: "Bo", guest: false },
              body: "ok",
              mentions: [],
              createdAt: 0,
            },
          ],
        }),
      ],
      30,
    );
    const rows = csv.trim().split("\r\n");
    expect(rows[0]).toBe(
      "note,message,in,out,frame_in,frame_out,author,guest,visibility,resolved,drawings,created_at,comment",
    );
    expect(rows[1]).toBe(
      '1,comment,00:00:01:12,00:00:01:12,42,42,Client Carla,yes,shared,no,1,2026-12-04T21:00:00.000Z,"Move the fox, here"',
    );
    expect(rows[2]).toBe(
      `2,comment,00:00:02:00,00:00:03:00,60,90,Ann,no,team,yes,0,1970-01-01T00:00:00.000Z,"'=cmd ""x"""`,
    );
    expect(rows[3]).toMatch(/^2,reply,.*,Bo,no,team,yes,0,.*,ok$/);
  });

  it("EDL has one marker event per note at its timecode, with a duration for ranges", () => {
    const edl = reviewEdl(
      [
        note({}),
        note({
          anchor: { frame: 60, endFrame: 89 },
          messages: [
            {
              id: "x",
              author: { id: "u", name: "Ann", guest: false },
              body: "line one\nline two",
              mentions: [],
              createdAt: 0,
            },
          ],
        }),
      ],
      30,
      "Shot s1 v2",
    );
    const lines = edl.split("\r\n");
    expect(lines.slice(0, 2)).toEqual(["TITLE: Shot s1 v2", "FCM: NON-DROP FRAME"]);
    expect(lines).toContain(
      "001  AX       V     C        00:00:01:12 00:00:01:13 00:00:01:12 00:00:01:13",
    );
    expect(lines).toContain("* LOC: 00:00:01:12 RED Client Carla: Move the fox, here");
    expect(lines).toContain(
      "002  AX       V     C        00:00:02:00 00:00:03:00 00:00:02:00 00:00:03:00",
    );
    expect(lines).toContain(" |C:ResolveColorRed |M:Ann: line one line two |D:30");
  });
});
