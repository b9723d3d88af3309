/**
 * Where the visible watermark sits in a marked video `width` × `height` (watermark.server.ts draws
 * the pill for the video's width, placed `round(width / 30)` px in from the bottom-left corner by
 * publish-args.ts), as the inner part of the pill that is always covered (text and backdrop), for
 * tests that check a file carries it: compare that box with the unmarked master.
 */
export function visibleMarkBox(width: number, height: number) {
  const s = Math.max(0.5, width / 720);
  const margin = Math.round(width / 30);
  return {
    x0: Math.round(margin + 8 * s),
    x1: Math.round(margin + 150 * s),
    y0: Math.round(height - margin - 78 * s),
    y1: Math.round(height - margin - 8 * s),
  };
}

/**
 * How much a marked frame differs from its master inside the visible mark's box, against outside
 * it (both w × h luma): a marked file scores tens of levels, an unmarked one about 0.
 */
export function visibleMarkScore(
  marked: Uint8Array,
  master: Uint8Array,
  w: number,
  h: number,
): { inside: number; outside: number } {
  const b = visibleMarkBox(w, h);
  let si = 0;
  let ni = 0;
  let so = 0;
  let no = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = Math.abs((marked[y * w + x] as number) - (master[y * w + x] as number));
      if (x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1) {
        si += d;
        ni++;
      } else {
        so += d;
        no++;
      }
    }
  return { inside: si / (ni || 1), outside: so / (no || 1) };
}
