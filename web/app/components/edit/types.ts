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
}

export interface Waveform {
  perSecond: number;
  peaks: number[];
}
