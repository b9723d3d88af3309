/**
 * Export an edit for other editors: CSV (one row per clip) and CMX3600 EDL (the interchange every
 * NLE imports). Times are SMPTE non-drop timecode at the edit's integer frame rate. Pure.
 */
import { type EditSource, layoutClips } from "./compile.ts";
import type { Edit } from "./schema.ts";

/** Frames → HH:MM:SS:FF at `fps` (non-drop), offset by `hours` (records traditionally start at 01:00:00:00). */
export function timecode(frames: number, fps: number, hours = 0): string {
  const total = frames + hours * 3600 * fps;
  const ff = total % fps;
  const s = Math.floor(total / fps);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}:${p(ff)}`;
}

type Sources = Readonly<Record<string, Pick<EditSource, "fps" | "frames">>>;

function csvCell(v: string | number): string {
  const s = String(v);
  // Quote everything textual and defuse spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return typeof v === "number" ? s : `"${safe.replace(/"/g, '""')}"`;
}

/** One row per clip: its source, in/out in source frames and timecode, and its place on the record. */
export function editToCsv(
  edit: Edit,
  sources: Sources,
  names: Readonly<Record<string, string>> = {},
): string {
  const layout = layoutClips(edit, sources);
  const header = [
    "index",
    "clip_id",
    "draft_id",
    "name",
    "source_in_frame",
    "source_out_frame",
    "source_in",
    "source_out",
    "record_in",
    "record_out",
    "transition",
    "transition_frames",
  ];
  const rows = edit.clips.map((c, i) => {
    const l = layout[i]!;
    return [
      i + 1,
      c.id,
      c.draftId,
      names[c.draftId] ?? "",
      c.inFrame,
      c.outFrame,
      timecode(c.inFrame, edit.fps),
      timecode(c.outFrame, edit.fps),
      timecode(l.start, edit.fps),
      timecode(l.start + l.length, edit.fps),
      i === 0 ? "cut" : c.transition.kind,
      l.overlap,
    ].map(csvCell);
  });
  return `${[header.map((h) => h), ...rows].map((r) => r.join(",")).join("\n")}\n`;
}

/** Reel names are at most 8 characters, letters and digits. */
function reel(draftId: string): string {
  return draftId
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 8)
    .toUpperCase();
}

/** CMX3600: one event per clip (C = cut, D = dissolve, W = wipe), record from 01:00:00:00. */
export function editToEdl(
  edit: Edit,
  sources: Sources,
  title: string,
  names: Readonly<Record<string, string>> = {},
): string {
  const fps = edit.fps;
  const layout = layoutClips(edit, sources);
  const lines: string[] = [
    `TITLE: ${title.replace(/[\r\n]/g, " ").slice(0, 70)}`,
    "FCM: NON-DROP FRAME",
    "",
  ];
  const ev = (n: number) => String(n).padStart(3, "0");
  const row = (
    n: number,
    r: string,
    kind: string,
    si: number,
    so: number,
    ri: number,
    ro: number,
  ) =>
    `${ev(n)}  ${r.padEnd(8)} AA/V  ${kind.padEnd(8)} ${timecode(si, fps)} ${timecode(so, fps)} ${timecode(ri, fps, 1)} ${timecode(ro, fps, 1)}`;
  edit.clips.forEach((c, i) => {
    const l = layout[i]!;
    const n = i + 1;
    const srcIn = c.inFrame;
    const srcOut = c.inFrame + l.length;
    const kind = c.transition.kind;
    if (i === 0 || kind === "cut" || l.overlap === 0) {
      lines.push(row(n, reel(c.draftId), "C", srcIn, srcOut, l.start, l.start + l.length));
    } else {
      // The outgoing clip's last frame held for zero length, then the transition into this clip.
      const prev = edit.clips[i - 1]!;
      const pl = layout[i - 1]!;
      const prevFrame = prev.inFrame + pl.length - l.overlap;
      lines.push(row(n, reel(prev.draftId), "C", prevFrame, prevFrame, l.start, l.start));
      const code = kind === "crossfade" || kind === "dipblack" ? "D" : "W001";
      lines.push(
        `${row(n, reel(c.draftId), `${code} ${String(l.overlap).padStart(3, "0")}`, srcIn, srcOut, l.start, l.start + l.length)}`,
      );
    }
    lines.push(
      `* FROM CLIP NAME: ${(names[c.draftId] ?? c.draftId).replace(/[\r\n]/g, " ").slice(0, 60)}`,
    );
    lines.push(`* REELHOUSE DRAFT: ${c.draftId}`);
    lines.push("");
  });
  if (edit.speed.length > 0) {
    lines.push(
      `* SPEED KEYS: ${edit.speed.map((k) => `${timecode(k.frame, fps, 1)}=${k.speed}x(${k.ease})`).join(" ")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
