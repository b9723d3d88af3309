import { copyFile, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { explain } from "@reelhouse/shared/understanding/explain.server";

/**
 * `npm run -s previz -- COMMAND …`: the previz pipeline without the server.
 *   explain                       prompts on stdin, one per line → one JSON plan per line on stdout
 *   render "PROMPT" out.mp4 [--seconds N] [--size WxH] [--seed N]
 *   sheet [out.png] [--size WxH] [--columns N]   the contact sheet of a fixed list of prompts
 * Add a subcommand by adding an entry to `commands`.
 */

type Command = { usage: string; run: (args: string[]) => Promise<number> };

export class UsageError extends Error {}

/** `--name value` options after the positional arguments; unknown names are refused. */
export function parseOptions(
  args: string[],
  names: readonly string[],
): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--")) {
      const name = a.slice(2);
      if (!names.includes(name))
        throw new UsageError(
          `unknown option --${name} (known: ${names.map((n) => `--${n}`).join(", ")})`,
        );
      const v = args[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      options[name] = v;
    } else positional.push(a);
  }
  return { positional, options };
}

async function explainCommand(): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let failures = 0;
  for await (const line of rl) {
    const prompt = line.trim();
    if (!prompt) continue;
    try {
      process.stdout.write(`${JSON.stringify(explain(prompt.slice(0, 4000)))}\n`);
    } catch (err) {
      failures++;
      process.stdout.write(
        `${JSON.stringify({ prompt, error: err instanceof Error ? err.message : String(err) })}\n`,
      );
    }
  }
  return failures > 0 ? 1 : 0;
}

async function renderCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ["seconds", "size", "seed"]);
  const [prompt, out] = positional;
  if (!prompt || !out || positional.length > 2) throw new UsageError(commands.render!.usage);
  const parsed = generationRequestSchema.safeParse({
    prompt: { text: prompt },
    durationSeconds: options.seconds === undefined ? undefined : Number(options.seconds),
    size: options.size,
    seed: options.seed === undefined ? undefined : Number(options.seed),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  // Loaded only to render: explain and the refusals need no canvas, ffmpeg or speech.
  const { renderPreviz } = await import("./render.server.ts");
  const workDir = await mkdtemp(path.join(tmpdir(), "previz-cli-"));
  try {
    const ac = new AbortController();
    process.once("SIGINT", () => ac.abort());
    const result = await renderPreviz(parsed.data, {
      workDir,
      signal: ac.signal,
      onProgress: (fraction, stage) =>
        process.stderr.write(`\r${stage} ${Math.round(fraction * 100)}%   `),
    });
    process.stderr.write("\n");
    await copyFile(result.videoPath, `${out}.part`);
    await rename(`${out}.part`, out);
    process.stderr.write(`wrote ${out}\n`);
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function sheetCommand(args: string[]): Promise<number> {
  const { parseSheetArgs, writeSheet } = await import("./sheet.ts");
  let o: ReturnType<typeof parseSheetArgs>;
  try {
    o = parseSheetArgs(args);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  process.stdout.write(`${await writeSheet(o)}\n`);
  return 0;
}

export const commands: Record<string, Command> = {
  explain: { usage: "previz explain < prompts.txt", run: () => explainCommand() },
  render: {
    usage: 'previz render "PROMPT" out.mp4 [--seconds N] [--size WxH] [--seed N]',
    run: renderCommand,
  },
  sheet: { usage: "previz sheet [out.png] [--size WxH] [--columns N]", run: sheetCommand },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(
      `usage:\n${Object.values(commands)
        .map((c) => `  ${c.usage}`)
        .join("\n")}\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`previz ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
