import type { Readable } from "node:stream";

const COLORS = [36, 35, 33, 32, 34, 31];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

/** Pipes a child's output to ours line by line, each line prefixed with `[name]`. */
export function prefixLines(
  name: string,
  index: number,
  stream: Readable,
  out: NodeJS.WriteStream,
): void {
  const label = `[${name}]`.padEnd(10);
  const prefix = useColor ? `\x1b[${COLORS[index % COLORS.length]}m${label}\x1b[0m ` : `${label} `;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
  stream.on("end", () => {
    if (buffered) out.write(`${prefix}${buffered}\n`);
  });
}

export function launcherLog(message: string): void {
  const label = "[reelhouse]".padEnd(10);
  process.stdout.write(`${useColor ? `\x1b[1m${label}\x1b[0m` : label} ${message}\n`);
}
