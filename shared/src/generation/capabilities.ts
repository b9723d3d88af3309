import { MAX_CLIP_SECONDS, MIN_CLIP_SECONDS, type VideoSize, videoSizes } from "./request.ts";

/**
 * What each generation backend can do, and what it needs configured. Client-safe (no env, no
 * node:*): the generate form offers only these choices, and the service refuses anything else with
 * the same messages (`capabilityRefusal`), so the form and the server never disagree.
 */

export interface BackendCapabilities {
  sizes: readonly VideoSize[];
  /** Whole seconds the backend can make. */
  durations: readonly number[];
  /** Accepts a reference image (image-to-video). */
  imageInput: boolean;
  /** Makes a soundtrack (else the clip gets silence). */
  audio: boolean;
  /** Can continue an existing clip (the Videos API's extensions). */
  extend: boolean;
}

/** What a workspace enters in Settings → Model backends. */
export interface BackendConfigFields {
  apiKey: boolean;
  baseUrl: boolean;
  /** Model choices (the first is the default); empty when the backend has one model. */
  models: readonly string[];
}

export interface BackendCatalogEntry {
  name: string;
  label: string;
  /** How it runs, honest about where the pixels come from. */
  description: string;
  capabilities: BackendCapabilities;
  /** undefined: built in or configured by the operator's environment, not per workspace. */
  workspaceConfig?: BackendConfigFields;
  /** Only tested against a local server following the provider's published contract. */
  contractTestedOnly?: boolean;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const landscapePortrait: readonly VideoSize[] = ["1280x720", "720x1280"];

export const BACKEND_CATALOG: readonly BackendCatalogEntry[] = [
  {
    name: "previz",
    label: "Previz animatic (built in, CPU)",
    description: "A deterministic animatic drawn on this server's CPU: blocking, camera and sound.",
    capabilities: {
      sizes: videoSizes,
      durations: range(MIN_CLIP_SECONDS, MAX_CLIP_SECONDS),
      imageInput: true,
      audio: true,
      extend: true,
    },
  },
  {
    name: "openai-videos",
    label: "OpenAI Videos API compatible server",
    description: "Any server speaking the OpenAI Videos API (set by the operator's environment).",
    capabilities: {
      sizes: videoSizes,
      durations: [4, 8, 12],
      imageInput: true,
      audio: true,
      extend: false,
    },
  },
  {
    name: "veo",
    label: "Google Veo (Gemini API)",
    description: "Veo through the Gemini API's long-running predict operations.",
    capabilities: {
      sizes: landscapePortrait,
      durations: [4, 6, 8],
      imageInput: true,
      audio: true,
      extend: false,
    },
    workspaceConfig: {
      apiKey: true,
      baseUrl: false,
      models: ["veo-3.1-generate-preview", "veo-3.1-fast-generate-preview", "veo-3.0-generate-001"],
    },
    contractTestedOnly: true,
  },
  {
    name: "runway",
    label: "Runway",
    description: "Runway's tasks API (text_to_video, or image_to_video with a reference image).",
    capabilities: {
      sizes: landscapePortrait,
      durations: [4, 6, 8],
      imageInput: true,
      audio: true,
      extend: false,
    },
    workspaceConfig: { apiKey: true, baseUrl: false, models: ["veo3.1", "veo3.1_fast"] },
    contractTestedOnly: true,
  },
  {
    name: "fal",
    label: "fal (Wan 2.2, Kling 2.1)",
    description: "Hosted open and commercial models through fal's queue API.",
    capabilities: {
      sizes: landscapePortrait,
      durations: [5, 10],
      imageInput: true,
      audio: false,
      extend: false,
    },
    workspaceConfig: {
      apiKey: true,
      baseUrl: false,
      models: ["wan-2.2", "kling-2.1"],
    },
    contractTestedOnly: true,
  },
  {
    name: "comfyui",
    label: "ComfyUI (self-hosted GPU, Wan 2.2 5B)",
    description: "Your own ComfyUI server running the bundled Wan 2.2 text-to-video workflow.",
    capabilities: {
      sizes: landscapePortrait,
      durations: [4, 5],
      imageInput: false,
      audio: false,
      extend: false,
    },
    workspaceConfig: { apiKey: false, baseUrl: true, models: [] },
    contractTestedOnly: true,
  },
];

export function catalogEntry(name: string): BackendCatalogEntry | undefined {
  return BACKEND_CATALOG.find((b) => b.name === name);
}

export interface CapabilityRequest {
  size: string;
  durationSeconds: number;
  hasImage: boolean;
  extend?: boolean;
}

/** Why a backend cannot make this request (message and the field it is about), or undefined. */
export function capabilityRefusal(
  label: string,
  caps: BackendCapabilities,
  r: CapabilityRequest,
): { field: "size" | "durationSeconds" | "image" | "extend"; message: string } | undefined {
  if (!caps.sizes.includes(r.size as VideoSize))
    return {
      field: "size",
      message: `${label} cannot make ${r.size}: choose ${caps.sizes.join(" or ")}.`,
    };
  if (!caps.durations.includes(r.durationSeconds))
    return {
      field: "durationSeconds",
      message: `${label} makes clips of ${listSeconds(caps.durations)}, not ${r.durationSeconds} s.`,
    };
  if (r.hasImage && !caps.imageInput)
    return { field: "image", message: `${label} does not take a reference image.` };
  if (r.extend && !caps.extend)
    return { field: "extend", message: `${label} cannot extend a video.` };
  return undefined;
}

export function listSeconds(durations: readonly number[]): string {
  const sorted = [...durations].sort((a, b) => a - b);
  const contiguous = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (contiguous && sorted.length > 2) return `${sorted[0]}–${sorted.at(-1)} s`;
  return `${sorted.join(", ")} s`;
}
