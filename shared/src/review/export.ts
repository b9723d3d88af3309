import type { ReviewNote } from "../collab/review-doc.ts";

/**
 * The review of a version exported for editing tools (pure): comments with timecodes as CSV, and
 * as markers in a CMX3600 EDL (one event per note; `* LOC:` lines for Avid/Premiere and the
 * `|C: |M: |D:` marker line DaVinci Resolve reads). Timecodes are non-drop HH:MM:SS:FF at the
 * version's integer frame rate.
 */

export function timecode(frame: number, fps: number): string {
  const f = Math.max(0, Math.floor(frame));
  const r = Math.max(1, Math.round(fps));
  const ff = f % r;
  const total = Math.floor(f / r);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(total / 3600))}:${p(Math.floor(total / 60) % 60)}:${p(total % 60)}:${p(ff)}`;
}

export type ExportNote = ReviewNote & { visibility: "shared" | "team" };

const csvCell = (v: string | number) => {
  const s = String(v);
  // Cells a spreadsheet would run as a formula are quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const COLUMNS = [
  "note",
  "message",
  "in",
  "out",
  "frame_in",
  "frame_out",
  "author",
  "guest",
  "visibility",
  "resolved",
  "drawings",
  "created_at",
  "comment",
] as const;

/** One row per message (a note's first message, then its replies), in frame order. */
export function reviewCsv(notes: ExportNote[], fps: number): string {
  const rows: string[] = [COLUMNS.join(",")];
  notes.forEach((n, i) => {
    const out = n.anchor.endFrame ?? n.anchor.frame;
    n.messages.forEach((m, j) => {
      rows.push(
        [
          i + 1,
          j === 0 ? "comment" : "reply",
          timecode(n.anchor.frame, fps),
          timecode(out, fps),
          n.anchor.frame,
          out,
          m.author.name,
          m.author.guest ? "yes" : "no",
          n.visibility,
          n.resolved ? "yes" : "no",
          j === 0 ? n.shapes.length : 0,
          new Date(m.createdAt).toISOString(),
          m.body,
        ]
          .map(csvCell)
          .join(","),
      );
    });
  });
  return `${rows.join("\r\n")}\r\n`;
}

const oneLine = (s: string, max = 200) =>
  s
    .replace(/[\r\n|]+/g, " ")
    .trim()
    .slice(0, max);

/** A CMX3600 EDL with one marker event per note (replies follow as `*` comment lines). */
export function reviewEdl(notes: ExportNote[], fps: number, title: string): string {
  const lines = [`TITLE: ${oneLine(title, 70)}`, "FCM: NON-DROP FRAME", ""];
  notes.forEach((n, i) => {
    const inTc = timecode(n.anchor.frame, fps);
    const outFrame = (n.anchor.endFrame ?? n.anchor.frame) + 1;
    const outTc = timecode(outFrame, fps);
    const num = String(i + 1).padStart(3, "0");
    const first = n.messages[0]!;
    const color = n.resolved ? "Green" : n.visibility === "team" ? "Blue" : "Red";
    lines.push(`${num}  AX       V     C        ${inTc} ${outTc} ${inTc} ${outTc}`);
    lines.push(
      `* LOC: ${inTc} ${color.toUpperCase()} ${oneLine(`${first.author.name}: ${first.body}`)}`,
    );
    lines.push(
      ` |C:ResolveColor${color} |M:${oneLine(`${first.author.name}: ${first.body}`)} |D:${outFrame - n.anchor.frame}`,
    );
    for (const r of n.messages.slice(1)) lines.push(`* ${oneLine(`${r.author.name}: ${r.body}`)}`);
    lines.push("");
  });
  return `${lines.join("\r\n")}`;
}
