import { env } from "../env.server.ts";
import type { GenerationBackend } from "./backend.ts";

/**
 * Generation backends by name. The web tier lists them (`describeBackends`) to offer a choice and to
 * refuse unknown names; the worker registers the implementations at boot (`registerBackend`) and
 * the workflows resolve them by name (`resolveBackend`). Implementations live where their
 * dependencies do (previz in workers/src/previz/, openai-videos here), so this module imports none.
 */

export interface BackendDescriptor {
  name: string;
  label: string;
  /** False when the backend needs configuration this deployment lacks. */
  available: boolean;
  /** Only registered when NODE_ENV=test (fast real-ffmpeg test patterns). */
  testOnly?: boolean;
}

export const DEFAULT_BACKEND = "previz";

export function describeBackends(): BackendDescriptor[] {
  const e = env();
  const list: BackendDescriptor[] = [
    { name: "previz", label: "Previz animatic (built in, CPU)", available: true },
    {
      name: "openai-videos",
      label: "OpenAI Videos API compatible server",
      available: Boolean(e.OPENAI_VIDEOS_BASE_URL && e.OPENAI_VIDEOS_API_KEY),
    },
  ];
  if (e.NODE_ENV === "test") {
    list.push(
      { name: "test-pattern", label: "Test pattern (tests only)", available: true, testOnly: true },
      {
        name: "test-pattern-realtime",
        label: "Test pattern at real-time speed (tests only)",
        available: true,
        testOnly: true,
      },
    );
  }
  return list;
}

/** The error message for a backend name the deployment cannot run, or undefined when it can. */
export function backendRefusal(name: string): string | undefined {
  const found = describeBackends().find((b) => b.name === name);
  if (!found) {
    const names = describeBackends().map((b) => b.name);
    return `Unknown generation backend "${name}". Choose one of ${names.join(", ")}.`;
  }
  if (!found.available) return `The ${found.label} backend is not configured on this server.`;
  return undefined;
}

const registered = new Map<string, () => GenerationBackend | Promise<GenerationBackend>>();

/** Called by the worker at boot. A factory, so an unconfigured backend costs nothing until used. */
export function registerBackend(
  name: string,
  factory: () => GenerationBackend | Promise<GenerationBackend>,
): void {
  registered.set(name, factory);
}

export function registeredBackendNames(): string[] {
  return [...registered.keys()];
}

export async function resolveBackend(name: string): Promise<GenerationBackend> {
  const factory = registered.get(name);
  if (!factory) {
    throw new Error(
      `Generation backend "${name}" is not registered in this worker (have: ${registeredBackendNames().join(", ")}).`,
    );
  }
  return factory();
}
