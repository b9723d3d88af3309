import { env } from "../env.server.ts";
import type { GenerationBackend } from "./backend.ts";
import type { BackendSecrets } from "./backend-settings.server.ts";
import { BACKEND_CATALOG, type BackendCapabilities } from "./capabilities.ts";

/**
 * Generation backends by name. The web tier lists them (`describeBackends`) to offer a choice and to
 * refuse unknown or unconfigured names; the worker registers the implementations at boot
 * (`registerBackend`, all in workers/src/backends/) and the workflows resolve them by name with the
 * job's workspace configuration (`resolveBackend`). This module imports none of them.
 */

export interface BackendDescriptor {
  name: string;
  label: string;
  /** False when the backend needs configuration this deployment or workspace lacks. */
  available: boolean;
  capabilities: BackendCapabilities;
  /** Only registered when NODE_ENV=test (fast real-ffmpeg test patterns). */
  testOnly?: boolean;
}

export const DEFAULT_BACKEND = "previz";

const testCapabilities: BackendCapabilities = {
  ...BACKEND_CATALOG[0]!.capabilities,
};

/**
 * Every backend with its availability. `configured`: the backends the workspace has set up in
 * Settings → Model backends (omit it where no workspace is known: those then show unavailable).
 */
export function describeBackends(configured: readonly string[] = []): BackendDescriptor[] {
  const e = env();
  const list: BackendDescriptor[] = BACKEND_CATALOG.map((b) => ({
    name: b.name,
    label: b.label,
    capabilities: b.capabilities,
    available:
      b.name === "openai-videos"
        ? Boolean(e.OPENAI_VIDEOS_BASE_URL && e.OPENAI_VIDEOS_API_KEY)
        : b.workspaceConfig
          ? configured.includes(b.name)
          : true,
  }));
  if (e.NODE_ENV === "test") {
    list.push(
      {
        name: "test-pattern",
        label: "Test pattern (tests only)",
        available: true,
        testOnly: true,
        capabilities: testCapabilities,
      },
      {
        name: "test-pattern-realtime",
        label: "Test pattern at real-time speed (tests only)",
        available: true,
        testOnly: true,
        capabilities: testCapabilities,
      },
    );
  }
  return list;
}

/** The error message for a backend name the workspace cannot run, or undefined when it can. */
export function backendRefusal(
  name: string,
  configured: readonly string[] = [],
): string | undefined {
  const all = describeBackends(configured);
  const found = all.find((b) => b.name === name);
  if (!found) {
    return `Unknown generation backend "${name}". Choose one of ${all.map((b) => b.name).join(", ")}.`;
  }
  if (!found.available) {
    const entry = BACKEND_CATALOG.find((b) => b.name === name);
    return entry?.workspaceConfig
      ? `The ${found.label} backend is not set up in this workspace: an owner adds it in Settings → Model backends.`
      : `The ${found.label} backend is not configured on this server.`;
  }
  return undefined;
}

/** What a backend factory gets for one job: its workspace and that workspace's configuration. */
export interface BackendContext {
  workspaceId: string | null;
  /** Settings → Model backends for this backend (the key opened), if the workspace set it up. */
  settings?: BackendSecrets;
}

type Factory = (ctx: BackendContext) => GenerationBackend | Promise<GenerationBackend>;
const registered = new Map<string, Factory>();

/** Called by the worker at boot. A factory, so an unconfigured backend costs nothing until used. */
export function registerBackend(name: string, factory: Factory): void {
  registered.set(name, factory);
}

export function registeredBackendNames(): string[] {
  return [...registered.keys()];
}

export async function resolveBackend(
  name: string,
  ctx: BackendContext = { workspaceId: null },
): Promise<GenerationBackend> {
  const factory = registered.get(name);
  if (!factory) {
    throw new Error(
      `Generation backend "${name}" is not registered in this worker (have: ${registeredBackendNames().join(", ")}).`,
    );
  }
  return factory(ctx);
}
