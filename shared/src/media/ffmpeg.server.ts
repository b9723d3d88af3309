import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { ffmpegPath } from "./ffmpeg-path.server.ts";

/**
 * The one place ffmpeg is spawned: always with an argument array (never a shell), stderr kept for
 * error messages, progress parsed, an AbortSignal honoured (ffmpeg is killed), and file outputs
 * written under a temporary name that is renamed into place only when ffmpeg exits 0 — so no
 * half-written file is ever visible at the final path.
 */

export type FfmpegErrorCode = "failed" | "aborted" | "spawn_failed" | "stdin_closed";

export class FfmpegError extends Error {
  constructor(
    readonly code: FfmpegErrorCode,
    message: string,
    /** Last lines ffmpeg wrote to stderr (the useful part of its error). */
    readonly stderrTail = "",
    readonly exitCode: number | null = null,
  ) {
    super(message);
    this.name = "FfmpegError";
  }
}

const STDERR_TAIL_BYTES = 4_000;

export interface FfmpegRunOptions {
  /** Aborting kills ffmpeg (SIGKILL), removes the temporary output and rejects with code "aborted". */
  signal?: AbortSignal;
  /** Called with seconds of output written so far (from `-progress` or the `time=` stats line). */
  onProgress?: (outSeconds: number) => void;
  /** Collect stdout (e.g. decoded PCM); otherwise stdout is only parsed for progress. */
  captureStdout?: boolean;
  /** Binary to run; default ffmpegPath(). */
  binary?: string;
}

export interface FfmpegRunResult {
  stdout: Buffer;
  stderr: string;
}

/** Parses `out_time_us=` / `out_time_ms=` (both microseconds) and `time=HH:MM:SS.xx` into seconds. */
export function parseProgressSeconds(line: string): number | undefined {
  const us = /^out_time_(?:us|ms)=(\d+)/.exec(line.trim());
  if (us) return Number(us[1]) / 1_000_000;
  const t = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (t) {
    if (t[1] === "-") return 0;
    return Number(t[2]) * 3600 + Number(t[3]) * 60 + Number(t[4]);
  }
  return undefined;
}

/** A running ffmpeg process: write to its stdin with backpressure, then `done()` for the result. */
export interface FfmpegProcess {
  /** Write a chunk to ffmpeg's stdin; resolves when ffmpeg is ready for more. */
  write(chunk: Uint8Array): Promise<void>;
  /** Close stdin and wait for ffmpeg to exit. */
  end(): Promise<FfmpegRunResult>;
  /** Resolves/rejects when ffmpeg exits (without closing stdin). */
  readonly exited: Promise<FfmpegRunResult>;
  readonly pid: number | undefined;
  /** Kill ffmpeg now (SIGKILL) if it is still running. */
  kill(): void;
}

/** Start ffmpeg with `args`; stdin is a pipe (use `write`/`end`), or call `end()` right away. */
export function startFfmpeg(args: readonly string[], opts: FfmpegRunOptions = {}): FfmpegProcess {
  const child = spawn(opts.binary ?? ffmpegPath(), args as string[], {
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true,
  });
  let stderrTail = "";
  const stdoutChunks: Buffer[] = [];
  let progressBuf = "";
  let aborted = false;

  const report = (text: string) => {
    if (!opts.onProgress) return;
    for (const line of text.split(/[\r\n]+/)) {
      const s = parseProgressSeconds(line);
      if (s !== undefined && Number.isFinite(s)) opts.onProgress(s);
    }
  };

  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    stderrTail = (stderrTail + d).slice(-STDERR_TAIL_BYTES);
    report(d);
  });
  child.stdout.on("data", (d: Buffer) => {
    if (opts.captureStdout) {
      stdoutChunks.push(d);
      return;
    }
    progressBuf += d.toString("utf8");
    const cut = progressBuf.lastIndexOf("\n");
    if (cut >= 0) {
      report(progressBuf.slice(0, cut));
      progressBuf = progressBuf.slice(cut + 1);
    }
  });
  // A closed stdin (ffmpeg exited early) surfaces through `exited`; don't crash on EPIPE.
  child.stdin.on("error", () => {});

  const onAbort = () => {
    aborted = true;
    child.kill("SIGKILL");
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });

  const exited = new Promise<FfmpegRunResult>((resolve, reject) => {
    child.once("error", (err) => {
      opts.signal?.removeEventListener("abort", onAbort);
      reject(new FfmpegError("spawn_failed", `Could not start ffmpeg: ${err.message}`));
    });
    child.once("close", (code, sig) => {
      opts.signal?.removeEventListener("abort", onAbort);
      if (aborted) {
        reject(new FfmpegError("aborted", "ffmpeg was cancelled", stderrTail.trim(), code));
      } else if (code === 0) {
        resolve({ stdout: Buffer.concat(stdoutChunks), stderr: stderrTail });
      } else {
        const tail = stderrTail.trim().split("\n").slice(-8).join("\n");
        reject(
          new FfmpegError(
            "failed",
            `ffmpeg exited with ${code ?? sig}${tail ? `: ${tail}` : ""}`,
            stderrTail.trim(),
            code,
          ),
        );
      }
    });
  });
  // Avoid an unhandled rejection when the caller is still writing and only awaits `end()` later.
  exited.catch(() => {});

  return {
    pid: child.pid,
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    write(chunk) {
      if (aborted) return Promise.reject(new FfmpegError("aborted", "ffmpeg was cancelled"));
      if (child.stdin.destroyed || child.exitCode !== null) {
        return exited.then(() => {
          throw new FfmpegError("stdin_closed", "ffmpeg stopped reading its input", stderrTail);
        });
      }
      return new Promise<void>((resolve, reject) => {
        const ok = child.stdin.write(chunk);
        if (ok) return resolve();
        const cleanup = () => {
          child.stdin.off("drain", onDrain);
          child.off("close", onClose);
        };
        const onDrain = () => {
          cleanup();
          resolve();
        };
        const onClose = () => {
          cleanup();
          exited.then(
            () => reject(new FfmpegError("stdin_closed", "ffmpeg stopped reading its input")),
            reject,
          );
        };
        child.stdin.once("drain", onDrain);
        child.once("close", onClose);
      });
    },
    end() {
      if (!child.stdin.destroyed) child.stdin.end();
      return exited;
    },
  };
}

/** Run ffmpeg to completion (no stdin). */
export function runFfmpeg(
  args: readonly string[],
  opts: FfmpegRunOptions = {},
): Promise<FfmpegRunResult> {
  return startFfmpeg(args, opts).end();
}

/** A temporary sibling of `finalPath` with the same extension (so ffmpeg picks the same muxer). */
export function tempPathFor(finalPath: string): string {
  const dir = path.dirname(finalPath);
  const ext = path.extname(finalPath);
  const base = path.basename(finalPath, ext);
  return path.join(dir, `.${base}.part-${process.pid}-${randomBytes(4).toString("hex")}${ext}`);
}

/**
 * Produce `finalPath` atomically: `build(tmp)` returns the args writing to `tmp`; on success `tmp`
 * is renamed to `finalPath`, on any failure (or abort) it is deleted and the error rethrown.
 */
export async function ffmpegToFile(
  finalPath: string,
  build: (tmpPath: string) => readonly string[],
  opts: FfmpegRunOptions = {},
): Promise<FfmpegRunResult> {
  const tmp = tempPathFor(finalPath);
  try {
    const res = await runFfmpeg(build(tmp), opts);
    await rename(tmp, finalPath);
    return res;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Like `ffmpegToFile`, for a process fed through stdin: `feed(proc)` writes the input; the file is
 * renamed into place only after ffmpeg exits 0.
 */
export async function ffmpegPipeToFile(
  finalPath: string,
  build: (tmpPath: string) => readonly string[],
  feed: (proc: FfmpegProcess) => Promise<void>,
  opts: FfmpegRunOptions = {},
): Promise<FfmpegRunResult> {
  const tmp = tempPathFor(finalPath);
  const proc = startFfmpeg(build(tmp), opts);
  try {
    await feed(proc);
    const res = await proc.end();
    await rename(tmp, finalPath);
    return res;
  } catch (err) {
    // If feeding failed, ffmpeg may still be alive waiting for input: make sure it is gone.
    proc.kill();
    await proc.exited.catch(() => {});
    await rm(tmp, { force: true });
    // Prefer ffmpeg's own error (it carries stderr) over a generic "stdin closed".
    if (err instanceof FfmpegError && err.code === "stdin_closed") {
      const real = await proc.exited.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (real) throw real;
    }
    throw err;
  }
}
