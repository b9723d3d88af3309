/** What the editor page's loader hands the browser about each source draft (URLs, never paths). */
export interface SpriteLayout {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
  count: number;
}

export interface EditorSource {
  draftId: string;
  videoUrl: string;
  posterUrl: string;
  spriteUrl: string;
  peaksUrl: string;
  sprite: SpriteLayout | null;
  width: number;
  height: number;
  fps: number;
  frames: number;
  label: string;
  /** The generation backend that made it (`edit` for an edit render): Extend needs previz. */
  backend: string;
  /** The draft it extends, when it is an Extend result (it then is on offer to add, not yet used). */
  extendOf: string | null;
}

export interface Waveform {
  perSecond: number;
  peaks: number[];
}
