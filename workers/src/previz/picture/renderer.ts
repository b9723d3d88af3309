import { type Canvas, createCanvas, type Image } from "@napi-rs/canvas";
import { placePainters } from "../places/index.ts";
import { rng } from "../prng.ts";
import { type LayerRole, type StyleRun, treatmentFor } from "../styles/index.ts";
import { drawLightSpill, lightColors } from "../styles/light.ts";
import type { Ctx as StyleCtx } from "../styles/types.ts";
import { type Cam, cameraPath } from "./camera.ts";
import { isPlanned } from "./cast.ts";
import type { Ctx, RGB } from "./color.ts";
import { type PersonLook, traitColor } from "./figures.ts";
import { drawGrade, grader, makeFinish } from "./grade.ts";
import {
  applyCam,
  drawLayer,
  type Layer,
  makeLayer,
  occludedFrom,
  screenBox,
  type World,
} from "./layers.ts";
import { drawCaption, drawClouds, drawFlashes, drawLightBehind, drawWeather } from "./overlays.ts";
import { palette } from "./palette.ts";
import { castBounds, drawCast, leadTravel, type PlannedCast, prepareCast } from "./planned.ts";
import type { PictureOptions, Scene } from "./scene.ts";
import { type Painter, scenePainters } from "./scenery.ts";
import { drawSubjects } from "./subjects.ts";

/**
 * Screen pixels (at 720 px wide) around the subjects' box that a subject filter may paint: the
 * outlines' offsets (comic's 3 px the widest), a blur's reach, bilinear footprints.
 */
const SUBJECT_FILTER_PAD = 12;

/**
 * The picture: a stylized 2D animatic drawn per frame with @napi-rs/canvas (Skia).
 *
 * Cost model (it must run at a few ms a frame): everything that does not move — sky, far and middle
 * scenery, ground, foreground, vignette, grain tiles — is painted ONCE into layer canvases (blurred
 * there for depth of field). Each frame then composites those layers under a per-layer camera
 * transform (parallax), and draws only what moves: subjects, particles, light, flashes, captions.
 */
export class PictureRenderer implements Scene {
  readonly canvas: Canvas;
  readonly ctx: Ctx;
  readonly P: Painter;
  readonly world: World;
  private readonly cams: Cam[];
  private readonly layers: { back: Layer[]; front: Layer[] };
  readonly finish: Canvas[];
  readonly rain: { x: number; y: number; z: number }[] = [];
  readonly clouds: { x: number; y: number; s: number; v: number }[] = [];
  readonly look: PersonLook[];
  private readonly imageLayers?: Layer[];
  readonly style: StyleRun;
  /** Where subjects are drawn when the style filters them (the scene seen through its ctx). */
  private readonly subjectLayer?: {
    canvas: Canvas;
    ctx: Ctx;
    scene: Scene;
    /** The box drawn last frame (the rest of the canvas is transparent). */
    box: { x: number; y: number; w: number; h: number };
  };
  private readonly lights: RGB[];
  /** The plan-driven cast, when understanding planned every subject (else the legacy rigs). */
  private readonly cast?: PlannedCast;

  constructor(readonly o: PictureOptions) {
    const { width: W, height: H, spec, timeline: tl } = o;
    this.canvas = createCanvas(W, H);
    this.ctx = this.canvas.getContext("2d");
    const pal = palette(spec);
    this.world = {
      W,
      H,
      horizon: spec.setting.interior ? -H * 0.05 : H * 0.02,
      ground: H * (spec.subjects[0]?.kind === "cup" ? 0.18 : 0.3),
      figure: H * (spec.subjects[0]?.kind === "cup" ? 0.3 : 0.34),
    };
    this.lights = lightColors(spec);

    this.style = treatmentFor(spec.style).setup({ W, H, r: rng(tl.seed, "style") });
    if (this.style.subjectFilter) {
      const canvas = createCanvas(W, H);
      const sctx = canvas.getContext("2d");
      // The same scene, drawing into the subject canvas (everything else read through `this`).
      const scene = Object.create(this, { ctx: { value: sctx } }) as Scene;
      this.subjectLayer = { canvas, ctx: sctx, scene, box: { x: 0, y: 0, w: W, h: H } };
    }
    this.P = {
      g: grader(this.style.grade),
      pal,
      spec,
      world: this.world,
      r: rng(tl.seed, "scenery"),
    };
    const planned = !o.image && isPlanned(spec) ? spec : undefined;
    this.cams = cameraPath(spec, tl, W, H, planned ? leadTravel(planned, tl, W) : undefined);
    const shallow = spec.depthOfField === "shallow";
    const wash = { rgb: pal.wash, alpha: pal.washAlpha };
    const blur = (k: number) => (W / 360) * k;
    const styleLayer = this.style.layer;
    const sunShown = pal.sun.show;
    const treatFor = (role: LayerRole) =>
      styleLayer
        ? (ctx: StyleCtx, _w: number, _h: number, _p: number, ox: number, oy: number) =>
            styleLayer(ctx.canvas, {
              role,
              W,
              H,
              ox,
              oy,
              horizon: this.world.horizon,
              sun:
                sunShown && role === "sky"
                  ? { x: ox + pal.sun.x * W, y: oy + pal.sun.y * H, radius: pal.sun.radius * H }
                  : undefined,
              night: pal.night,
              r: rng(tl.seed, `style-${role}`),
            })
        : undefined;
    // The places of issue 11 (`places/`) over the default painters of the older settings.
    const paint = { ...scenePainters(spec.setting.kind), ...placePainters[spec.setting.kind] };
    if (o.image) {
      this.imageLayers = this.buildImageLayers(o.image);
      this.layers = { back: [], front: [] };
    } else {
      const P = this.P;
      this.layers = {
        back: [
          makeLayer(
            this.world,
            this.cams,
            0.03,
            (c, w, h, ox, oy) => paint.sky(P, c, w, h, ox, oy),
            spec.weather === "fog" ? blur(3) : 0,
            wash,
            treatFor("sky"),
          ),
          makeLayer(
            this.world,
            this.cams,
            0.25,
            (c, w, h, ox, oy) => paint.far(P, c, w, h, ox, oy),
            blur(shallow ? 5 : 0.8),
            wash,
            treatFor("far"),
          ),
          makeLayer(
            this.world,
            this.cams,
            0.55,
            (c, w, h, ox, oy) => paint.mid(P, c, w, h, ox, oy),
            blur(shallow ? 3.5 : 0),
            wash,
            treatFor("mid"),
          ),
          makeLayer(
            this.world,
            this.cams,
            0.9,
            (c, w, h, ox, oy) => paint.ground(P, c, w, h, ox, oy),
            blur(shallow ? 1.2 : 0),
            wash,
            treatFor("ground"),
          ),
        ],
        front: [
          makeLayer(
            this.world,
            this.cams,
            1.35,
            (c, w, h, ox, oy) => paint.foreground(P, c, w, h, ox, oy),
            blur(4),
            undefined,
            treatFor("front"),
          ),
        ],
      };
    }
    // Vignette and grain are the style's; night deepens the vignette. Moving grain is costly to
    // encode (every frame is new noise): only the film looks that want it (noir, vintage) move it.
    const vignette = pal.night ? Math.max(0.55, this.style.vignette) : this.style.vignette;
    const grain = this.style.grain;
    const moving = this.style.movingGrain;
    const gr = rng(tl.seed, "grain");
    this.finish = (moving ? [0, 1, 2] : [0]).map(() => makeFinish(W, H, vignette, grain, gr));
    const r = rng(tl.seed, "particles");
    const count =
      spec.weather === "rain" || spec.weather === "storm" ? 220 : spec.weather === "snow" ? 160 : 0;
    for (let i = 0; i < count; i++)
      this.rain.push({ x: r.next(), y: r.next(), z: r.range(0.4, 1.3) });
    const cloudCount =
      spec.weather === "cloudy"
        ? 7
        : spec.weather === "clear" &&
            !pal.night &&
            !spec.setting.interior &&
            spec.setting.kind !== "underwater" &&
            spec.setting.kind !== "space"
          ? 3
          : 0;
    for (let i = 0; i < cloudCount; i++)
      this.clouds.push({
        x: r.range(-0.6, 0.6),
        y: r.range(-0.45, -0.15),
        s: r.range(0.6, 1.3),
        v: r.range(0.004, 0.012),
      });
    const lr = rng(tl.seed, "people");
    const cast = [...spec.subjects, ...spec.subjects, ...spec.subjects].slice(
      0,
      Math.max(3, spec.subjects.length),
    );
    // Coats go round the palette from a seeded start, so two people never share one.
    const coats: RGB[] = [
      [180, 60, 50],
      [50, 90, 160],
      [70, 120, 80],
      [200, 150, 60],
      [90, 60, 130],
    ];
    const firstCoat = lr.pick([0, 1, 2, 3, 4]);
    this.look = cast.map((s, i) => ({
      coat: traitColor(s.traits, coats[(firstCoat + i) % coats.length]!),
      pants: lr.pick([
        [40, 45, 60],
        [70, 60, 50],
        [30, 30, 35],
      ] as RGB[]),
      skin: lr.pick([
        [240, 200, 170],
        [200, 150, 110],
        [150, 100, 70],
        [110, 75, 55],
      ] as RGB[]),
      hair: lr.pick([
        [40, 30, 25],
        [90, 60, 30],
        [200, 170, 100],
        [20, 20, 20],
      ] as RGB[]),
      hood: s.traits.includes("hooded") || (i === 0 && /hood/i.test(s.label)),
      longHair: s.sex === "female",
    }));
    if (planned)
      this.cast = prepareCast(
        planned,
        tl,
        this.world,
        this.cams,
        this.look,
        (rgb) => this.P.g(rgb),
        // The grading's fingerprint keys the sprite cache: shots graded alike share sprites.
        (
          [
            [0, 0, 0],
            [255, 255, 255],
            [220, 40, 40],
            [40, 180, 60],
            [40, 80, 220],
            [128, 128, 128],
            [230, 190, 120],
          ] as RGB[]
        )
          .map((c) => this.P.g(c))
          .join(""),
        o.cameos,
      );
  }

  private buildImageLayers(img: Image): Layer[] {
    // Depth by a simple heuristic: the top of a photo is usually far (sky, background), the bottom
    // near (ground, foreground). Three feathered horizontal bands move with different parallax.
    const { W, H } = this.world;
    const scale = Math.max(W / img.width, H / img.height) * 1.25;
    const iw = img.width * scale;
    const ih = img.height * scale;
    const bands = [
      { from: 0, to: 0.45, p: 0.55 },
      { from: 0.3, to: 0.8, p: 0.75 },
      { from: 0.6, to: 1, p: 0.95 },
    ];
    return bands.map((b, i) =>
      makeLayer(this.world, this.cams, b.p, (ctx, w, h, ox, oy) => {
        ctx.drawImage(img, ox - iw / 2, oy - ih / 2 - this.world.ground * 0.0, iw, ih);
        if (i > 0) {
          // Feather the top edge of the band so bands blend.
          ctx.globalCompositeOperation = "destination-in";
          const grad = ctx.createLinearGradient(
            0,
            oy - ih / 2 + ih * b.from,
            0,
            oy - ih / 2 + ih * (b.from + 0.3),
          );
          grad.addColorStop(0, "rgba(0,0,0,0)");
          grad.addColorStop(1, "rgba(0,0,0,1)");
          ctx.fillStyle = grad;
          ctx.fillRect(0, 0, w, h);
          ctx.globalCompositeOperation = "source-over";
        }
      }),
    );
  }

  /**
   * Where the subjects are drawn at `frame`, in whole screen pixels, padded by the subject
   * filter's reach (outlines, blur): the planned cast's box, or the whole frame for the legacy
   * rigs. Empty when there is nothing to draw.
   */
  subjectBox(cam: Cam, frame: number): { x: number; y: number; w: number; h: number } {
    const { W, H } = this.world;
    if (!this.cast) return { x: 0, y: 0, w: W, h: H };
    if (this.cast.members.length === 0) return { x: 0, y: 0, w: 0, h: 0 };
    return screenBox(
      cam,
      1,
      this.world,
      castBounds(this, this.cast, frame),
      Math.ceil((SUBJECT_FILTER_PAD * W) / 720) + 2,
    );
  }

  private drawTheSubjects(sc: Scene, ctx: Ctx, cam: Cam, frame: number) {
    if (this.cast) {
      ctx.save();
      applyCam(ctx, cam, 1, this.world);
      drawCast(sc, this.cast, cam, frame);
      ctx.restore();
    } else drawSubjects(sc, cam, frame);
  }

  /** Draw `frame` into `this.canvas`. */
  draw(frame: number): Canvas {
    const { ctx, world, o } = this;
    const cam = this.cams[frame]!;
    const sec = frame / o.timeline.fps;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = "source-over";
    ctx.fillStyle = "#000";

    if (this.imageLayers) {
      ctx.fillRect(0, 0, world.W, world.H);
      for (const l of this.imageLayers) drawLayer(ctx, l, cam, world, frame);
    } else {
      // Occlusion: a later layer's opaque floor (hills, ground) hides what is drawn before it
      // below some screen row, so the earlier layers (and the black under them) are clipped above
      // that row: the same bytes, for a fraction of the pixels (`occludedFrom`).
      const back = this.layers.back;
      const hidden: number[] = new Array(back.length).fill(world.H);
      for (let i = back.length - 1; i > 0; i--)
        hidden[i - 1] = Math.min(hidden[i]!, occludedFrom(back[i]!, cam, world) ?? world.H);
      const clipped = (rows: number, paint: () => void) => {
        if (rows >= world.H) return paint();
        ctx.save();
        ctx.beginPath();
        ctx.rect(0, 0, world.W, rows);
        ctx.clip();
        paint();
        ctx.restore();
      };
      // An opaque sky hides the black too (then nothing is cleared: every pixel is overwritten).
      ctx.fillRect(
        0,
        0,
        world.W,
        Math.min(hidden[0]!, occludedFrom(back[0]!, cam, world) ?? world.H),
      );
      clipped(hidden[0]!, () => {
        drawLayer(ctx, back[0]!, cam, world, frame);
        drawClouds(this, cam, sec);
      });
      for (let i = 1; i < back.length; i++)
        clipped(hidden[i]!, () => drawLayer(ctx, back[i]!, cam, world, frame));
      drawLightBehind(this, cam, frame);
      if (this.subjectLayer) {
        // The style's subject filter (outlines, hue drift) is applied ONCE to all the subjects:
        // they are drawn into their own canvas, then composited through the filter. (A filter on
        // the main context would run per path — many full-frame passes a frame.)
        // Only the box the subjects are in is cleared, drawn (clipped to it, so nothing is ever
        // left outside) and filtered: the rest of the canvas stays transparent, so the frame is
        // the same bytes as a whole-frame pass (`picture/subject-box.test.ts`).
        const sl = this.subjectLayer;
        const box = this.subjectBox(cam, frame);
        const last = sl.box;
        sl.ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (last.w > 0) sl.ctx.clearRect(last.x, last.y, last.w, last.h);
        sl.box = box;
        if (box.w > 0) {
          sl.ctx.save();
          sl.ctx.beginPath();
          sl.ctx.rect(box.x, box.y, box.w, box.h);
          sl.ctx.clip();
          this.drawTheSubjects(sl.scene, sl.ctx, cam, frame);
          sl.ctx.restore();
          ctx.save();
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.filter = this.style.subjectFilter!;
          const { x, y, w, h } = box;
          ctx.drawImage(sl.canvas, x, y, w, h, x, y, w, h);
          ctx.restore();
          ctx.filter = "none";
        }
      } else this.drawTheSubjects(this, ctx, cam, frame);
      for (const l of this.layers.front) drawLayer(ctx, l, cam, world, frame);
    }
    drawWeather(this, cam, frame);
    drawFlashes(this, cam, frame);
    drawGrade(this, frame);
    drawLightSpill(ctx, world.W, world.H, this.lights, frame);
    this.style.frame?.(ctx, this.canvas, frame);
    drawCaption(this, frame);
    return this.canvas;
  }
}
