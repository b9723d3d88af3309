/**
 * The picture: the animatic's frames, drawn with Skia. The parts live in `picture/` (see the README
 * there); this module re-exports what the renderer and the tests use.
 */
export { type Cam, cameraPath } from "./picture/camera.ts";
export { PictureRenderer } from "./picture/renderer.ts";
export type { PictureOptions } from "./picture/scene.ts";
export { type LayerPainter, type ScenePainters, settingPainters } from "./picture/scenery.ts";
export { ThumbnailSheet } from "./picture/thumbnails.ts";
