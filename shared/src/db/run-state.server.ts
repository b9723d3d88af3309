import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a running launcher (`npm start`) tells other local commands, e.g. `npm run admin`. */
export interface RunState {
  pid: number;
  databaseUrl: string;
  webUrl: string;
  startedAt: string;
}

function file(dataDir: string): string {
  return path.join(dataDir, "run", "launcher.json");
}

export function writeRunState(dataDir: string, state: RunState): void {
  mkdirSync(path.dirname(file(dataDir)), { recursive: true });
  writeFileSync(file(dataDir), JSON.stringify(state, null, 2), { mode: 0o600 });
}

export function clearRunState(dataDir: string): void {
  rmSync(file(dataDir), { force: true });
}

/** The state of a launcher that is still alive, else undefined. */
export function readRunState(dataDir: string): RunState | undefined {
  if (!existsSync(file(dataDir))) return undefined;
  try {
    const state = JSON.parse(readFileSync(file(dataDir), "utf8")) as RunState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}
