/**
 * `.cube` 3D LUT uploads: parse and validate a hostile file into a checked table, then write it
 * back out in one canonical form — ffmpeg's `lut3d` only ever reads a file this module wrote, never
 * the upload itself. Pure (no I/O): the web tier hands over the bytes, the stored media is the
 * canonical text.
 */

/** Largest accepted upload (a 65³ LUT with generous number formatting is about 8 MB). */
export const LUT_MAX_BYTES = 12 * 1024 * 1024;
export const LUT_MAX_SIZE = 65;
export const LUT_MIN_SIZE = 2;
/** Output values outside this range are not a colour transform anyone meant. */
export const LUT_VALUE_LIMIT = 16;

export type LutErrorCode =
  | "too_large"
  | "empty"
  | "binary"
  | "not_3d"
  | "bad_size"
  | "bad_domain"
  | "bad_number"
  | "wrong_count"
  | "bad_line";

export class LutError extends Error {
  constructor(
    readonly code: LutErrorCode,
    message: string,
    /** 1-based line of the problem, when there is one. */
    readonly line?: number,
  ) {
    super(line ? `${message} (line ${line})` : message);
    this.name = "LutError";
  }
}

export interface Lut3d {
  title: string;
  /** Grid points per axis. */
  size: number;
  domainMin: [number, number, number];
  domainMax: [number, number, number];
  /** size³ × 3 values, red changing fastest (the .cube order). */
  table: Float32Array;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(s: string, line: number): number {
  if (!NUMBER.test(s))
    throw new LutError("bad_number", `"${s.slice(0, 20)}" is not a number`, line);
  const n = Number(s);
  if (!Number.isFinite(n)) throw new LutError("bad_number", "numbers must be finite", line);
  return n;
}

/** Parse and validate a `.cube` file. Throws `LutError` with a message a person can act on. */
export function parseCube(bytes: Uint8Array | string): Lut3d {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > LUT_MAX_BYTES) {
    throw new LutError("too_large", `the LUT is larger than ${LUT_MAX_BYTES / 1024 / 1024} MB`);
  }
  const text =
    typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.includes("\u0000") || text.includes("\uFFFD")) {
    throw new LutError("binary", "this is not a text .cube file");
  }
  let title = "";
  let gridSize = 0;
  let domainMin: [number, number, number] = [0, 0, 0];
  let domainMax: [number, number, number] = [1, 1, 1];
  let table: Float32Array | undefined;
  let count = 0;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const parts = line.split(/\s+/);
    const key = parts[0]!;
    if (
      /^[+\-.\d]/.test(key) ||
      (table && !/^(TITLE|DOMAIN_MIN|DOMAIN_MAX|LUT_[A-Z0-9_]+)$/.test(key))
    ) {
      if (!table) throw new LutError("bad_size", "LUT_3D_SIZE must come before the table", lineNo);
      if (parts.length !== 3)
        throw new LutError("bad_line", "a table row has three numbers", lineNo);
      if (count >= gridSize ** 3) {
        throw new LutError("wrong_count", `more than ${gridSize ** 3} table rows`, lineNo);
      }
      for (let c = 0; c < 3; c++) {
        const v = parseNumber(parts[c]!, lineNo);
        if (Math.abs(v) > LUT_VALUE_LIMIT) {
          throw new LutError("bad_number", `value ${v} is outside ±${LUT_VALUE_LIMIT}`, lineNo);
        }
        table[count * 3 + c] = v;
      }
      count++;
      continue;
    }
    if (count > 0)
      throw new LutError("bad_line", `unexpected "${key.slice(0, 20)}" inside the table`, lineNo);
    switch (key) {
      case "TITLE":
        title = line
          .slice(5)
          .trim()
          .replace(/^"|"$/g, "")
          .replace(/[^\x20-\x7e]/g, "")
          .slice(0, 120);
        break;
      case "LUT_1D_SIZE":
        throw new LutError("not_3d", "1D LUTs are not supported: export a 3D .cube", lineNo);
      case "LUT_3D_SIZE": {
        if (parts.length !== 2 || !/^\d{1,3}$/.test(parts[1]!)) {
          throw new LutError("bad_size", "LUT_3D_SIZE takes one whole number", lineNo);
        }
        gridSize = Number(parts[1]);
        if (gridSize < LUT_MIN_SIZE || gridSize > LUT_MAX_SIZE) {
          throw new LutError(
            "bad_size",
            `LUT_3D_SIZE ${gridSize} is outside ${LUT_MIN_SIZE}…${LUT_MAX_SIZE}`,
            lineNo,
          );
        }
        table = new Float32Array(gridSize ** 3 * 3);
        break;
      }
      case "DOMAIN_MIN":
      case "DOMAIN_MAX": {
        if (parts.length !== 4)
          throw new LutError("bad_domain", `${key} takes three numbers`, lineNo);
        const v = parts.slice(1).map((p) => parseNumber(p, lineNo)) as [number, number, number];
        if (key === "DOMAIN_MIN") domainMin = v;
        else domainMax = v;
        break;
      }
      default:
        // Vendor keywords (LUT_IN_VIDEO_RANGE …) are skipped only when they look like keywords.
        if (!/^[A-Z][A-Z0-9_]{0,40}$/.test(key)) {
          throw new LutError("bad_line", `unexpected "${key.slice(0, 20)}"`, lineNo);
        }
    }
  }
  if (!table) throw new LutError(gridSize ? "empty" : "not_3d", "no LUT_3D_SIZE in the file");
  if (count !== gridSize ** 3) {
    throw new LutError(
      "wrong_count",
      `the table has ${count} rows, LUT_3D_SIZE ${gridSize} needs ${gridSize ** 3}`,
    );
  }
  for (let c = 0; c < 3; c++) {
    if (!(domainMax[c]! > domainMin[c]!))
      throw new LutError("bad_domain", "DOMAIN_MAX must exceed DOMAIN_MIN");
  }
  return { title, size: gridSize, domainMin, domainMax, table };
}

/** The canonical `.cube` text of a validated LUT (what is stored and what ffmpeg reads). */
export function formatCube(lut: Lut3d): string {
  const out: string[] = [];
  if (lut.title) out.push(`TITLE "${lut.title.replace(/"/g, "")}"`);
  out.push(`LUT_3D_SIZE ${lut.size}`);
  out.push(`DOMAIN_MIN ${lut.domainMin.map(num).join(" ")}`);
  out.push(`DOMAIN_MAX ${lut.domainMax.map(num).join(" ")}`);
  for (let i = 0; i < lut.table.length; i += 3) {
    out.push(`${num(lut.table[i]!)} ${num(lut.table[i + 1]!)} ${num(lut.table[i + 2]!)}`);
  }
  return `${out.join("\n")}\n`;
}

function num(n: number): string {
  return Number(n.toFixed(6)).toString();
}

/**
 * Apply the LUT to one colour (0…1 per channel) by trilinear interpolation — the browser preview
 * and the tests use it to know what the render must show.
 */
export function applyLut(
  lut: Lut3d,
  rgb: readonly [number, number, number],
): [number, number, number] {
  const n = lut.size;
  const pos = rgb.map((v, c) => {
    const t = (v - lut.domainMin[c]!) / (lut.domainMax[c]! - lut.domainMin[c]!);
    return Math.min(1, Math.max(0, t)) * (n - 1);
  }) as [number, number, number];
  const i0 = pos.map((p) => Math.min(n - 2, Math.floor(p)));
  const f = pos.map((p, c) => p - i0[c]!);
  const at = (r: number, g: number, b: number, c: number) =>
    lut.table[((b * n + g) * n + r) * 3 + c]!;
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let dr = 0; dr < 2; dr++)
      for (let dg = 0; dg < 2; dg++)
        for (let db = 0; db < 2; db++) {
          const w = (dr ? f[0]! : 1 - f[0]!) * (dg ? f[1]! : 1 - f[1]!) * (db ? f[2]! : 1 - f[2]!);
          v += w * at(i0[0]! + dr, i0[1]! + dg, i0[2]! + db, c);
        }
    out[c] = v;
  }
  return out;
}

/** A LUT built from a function of (r, g, b) in 0…1 — for presets and tests. */
export function lutFromFunction(
  size: number,
  fn: (r: number, g: number, b: number) => [number, number, number],
  title = "",
): Lut3d {
  const table = new Float32Array(size ** 3 * 3);
  let k = 0;
  for (let b = 0; b < size; b++)
    for (let g = 0; g < size; g++)
      for (let r = 0; r < size; r++) {
        const v = fn(r / (size - 1), g / (size - 1), b / (size - 1));
        table[k++] = v[0];
        table[k++] = v[1];
        table[k++] = v[2];
      }
  return { title, size, domainMin: [0, 0, 0], domainMax: [1, 1, 1], table };
}
