import { renderPreviz } from "./src/previz/render.server.ts";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { mkdirSync } from "node:fs";
mkdirSync("/tmp/cam/r", { recursive: true });
const d = "/tmp/cam/rec/kit/";
const r = await renderPreviz(generationRequestSchema.parse({ prompt: { text: '@mia as the barista says "Hello, your coffee is ready, enjoy it" in a cafe' }, durationSeconds: 4, seed: 7 }),
 { workDir: "/tmp/cam/r", signal: new AbortController().signal, onProgress: () => {}, cameos: [{ cameoId: "00000000-0000-4000-8000-000000000000", name: "mia", role: "the barista", files: { face: d+"face.png", mouthOpen: d+"mouth-open.png", mouthClosed: d+"mouth-closed.png", poses: { left: d+"pose-left.png", right: d+"pose-right.png", up: d+"pose-up.png" } }, colors: { skin: "#c08a70", hair: "#202020" }, voice: { pitchHz: 120, variant: "en-us+m3", pitch: 52 } }] });
console.log(JSON.stringify(r.metadata.dialogue), r.videoPath);
