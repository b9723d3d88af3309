import {
  isReadable,
  objectOf,
  reads,
  SCENE_TILES,
  SEAT_HEIGHT,
  SURFACES,
  seatOf,
  sitsBy,
} from "@reelhouse/shared/understanding/drawings";
import { type CameoFace, drawCameoFace, headTurn } from "../cameo-face.ts";
import type { Timeline } from "../timeline.ts";
import type { ShotSpec } from "../understand.ts";
import { type ArtGrade, artSprite, hasArt, type Sprite } from "./art.ts";
import { artFacing } from "./art-facing.ts";
import type { Cam } from "./camera.ts";
import { type CastMember, castOf, type PlannedSubject } from "./cast.ts";
import type { Ctx, RGB } from "./color.ts";
import { drawInstrument, drawPerson, limb, type PersonLook } from "./figures.ts";
import { isKickable, KICK_REACH, kickedBall, kickPose, kicks } from "./kick.ts";
import { layerZoom, screenToWorld, type World } from "./layers.ts";
import { midFrameOf, motionPose, travelSpeed } from "./motion.ts";
import type { Scene } from "./scene.ts";
import { personPose } from "./subjects.ts";
import { colorRGB } from "./tint.ts";

/**
 * The plan-driven subjects (issue 11): every subject of the plan is drawn at its place, from its
 * art (tinted to its colour) or, for people, the hand-made rig with a mouth that moves with their
 * speech; each moves by its motion and faces its direction of travel. Prepared once per shot
 * (world positions, cached sprites); a frame only transforms and draws them.
 */

/** Art ids that are just "a person": the rig (with a mouth and gestures) reads better. */
const PLAIN_PEOPLE = new Set([
  "person",
  "person-standing",
  "person-walking",
  "person-running",
  "man",
  "woman",
  "boy",
  "girl",
  "old-man",
  "old-woman",
  "child",
  "people-holding-hands",
  "man-standing",
  "woman-standing",
  "man-walking",
  "woman-walking",
  "man-running",
  "woman-running",
]);

interface Member {
  m: CastMember;
  s: PlannedSubject;
  /** World position and height at mid-shot. */
  wx: number;
  wy: number;
  wsize: number;
  /** Art drawing (undefined for the person rig and for the generic shape). */
  sprite?: Sprite;
  /** The art's own heading (radians) and whether to mirror it to face the subject's way. */
  mirror: 1 | -1;
  heading: number;
  rig: boolean;
  /** The way this instance faces (two people at a table face each other). */
  facing: 1 | -1;
  /** The member it rides, whose movement it shares. */
  mount?: Member;
  /** What this person holds (drawn at their hand, which reaches for it). */
  held?: Member;
  /** Who holds this: it moves with them, at their hand, and casts no shadow of its own. */
  holder?: Member;
  /** The kicker whose kicks keep this ball up (`kickerOf`), found once when the cast is made. */
  kicker?: Member;
  /** The chair or bench this person sits on. */
  seat?: Member;
  /** Sitting at a table (no seat drawn: the table hides it). */
  seatedAt?: boolean;
  /** The vase it stands in: a stem is drawn down into its neck. */
  vase?: Member;
  look?: PersonLook;
  /** The cameo cast on this figure: its face is drawn on the rig's head. */
  face?: CameoFace;
}

export interface PlannedCast {
  members: Member[];
  midFrame: number;
  half: number;
}

function actionSeconds(tl: Timeline, frame: number): number {
  return ((frame - midFrameOf(tl.planFrames)) / tl.fps) * tl.speed;
}

/** The lead subject's travel from its place, world pixels, per frame (the camera follows it). */
export function leadTravel(spec: { subjects: PlannedSubject[] }, tl: Timeline, W: number) {
  const lead = spec.subjects[0]!;
  const half = actionSeconds(tl, tl.planFrames - 1);
  const v = travelSpeed({ motion: lead.motion, half, frameW: W, facing: lead.facing });
  return (frame: number) => v * actionSeconds(tl, frame);
}

function speaks(tl: Timeline, subject: number) {
  return tl.dialogue.some((d) => d.subject === subject);
}

/** Whether `subject`'s own line is being spoken at `frame`. */
function speaksAt(tl: Timeline, subject: number, frame: number) {
  return tl.dialogue.some(
    (d) => d.subject === subject && frame >= d.startFrame && frame < d.endFrame,
  );
}

export function prepareCast(
  spec: ShotSpec & { subjects: PlannedSubject[] },
  tl: Timeline,
  world: World,
  cams: Cam[],
  looks: PersonLook[],
  grader: (rgb: RGB) => string,
  gradeKey: string,
  cameos: ReadonlyMap<number, CameoFace> = new Map(),
): PlannedCast {
  const midFrame = midFrameOf(tl.planFrames);
  const mid = cams[Math.min(cams.length - 1, midFrame)]!;
  const maxZoom = Math.max(...cams.map((c) => layerZoom(c.zoom, 1)));
  // The drawings take the style's grading, as the scenery's colours do (noir is grey throughout).
  const grade: ArtGrade = { key: gradeKey, color: (rgb) => grader(rgb) };
  const members = castOf(spec, world.W / world.H).map((m) => {
    const s = spec.subjects[m.subject]!;
    const at = screenToWorld(mid, 1, world, m.x * world.W, m.y * world.H);
    const wsize = (m.size * world.H) / at.zoom;
    const person = s.kind === "person" || s.kind === "musician";
    // A scene tile (an emoji with its own sky or frame) is never a subject's drawing.
    const art = s.art && hasArt(s.art) && !SCENE_TILES.has(s.art) ? s.art : null;
    const face = m.instance === 0 ? cameos.get(m.subject) : undefined;
    const rig =
      Boolean(face) || (person && (!art || PLAIN_PEOPLE.has(art) || speaks(tl, m.subject)));
    const facing = m.facing ?? s.facing;
    const member: Member = { m, s, wx: at.x, wy: at.y, wsize, mirror: 1, heading: 0, rig, facing };
    if (rig) {
      const base = looks[(m.subject + m.instance) % looks.length]!;
      const coat = s.color ? colorRGB(s.color) : undefined;
      member.look = {
        ...base,
        coat: coat ?? base.coat,
        skin: face?.skin ?? base.skin,
        hair: face?.hair ?? base.hair,
        hood: face ? false : base.hood,
      };
      if (face) member.face = face;
    } else if (art) {
      member.sprite = artSprite(art, Math.min(2048, wsize * maxZoom), s.color, grade);
      const own = artFacing(art);
      member.heading = own.heading;
      member.mirror = own.facing === facing ? 1 : -1;
    }
    return member;
  });
  // A rider moves with its mount: the same instance of the subject it rides.
  const readers: Member[] = [];
  for (const mb of members) {
    const rel = mb.s.relation;
    if (rel?.kind === "inside" && spec.subjects[rel.to]?.art === "vase")
      mb.vase = members.find((o) => o.m.subject === rel.to);
    if (rel?.kind === "holding" && mb.rig) holdAtHand(mb, members, rel.to);
    if (mb.rig && rel?.kind === "on-top-of" && seatOf(spec.subjects[rel.to]?.art))
      mb.seat =
        members.find((o) => o.m.subject === rel.to && o.m.instance === mb.m.instance) ??
        members.find((o) => o.m.subject === rel.to);
    if (mb.rig && rel?.kind === "at" && SURFACES[spec.subjects[rel.to]?.art ?? ""])
      mb.seatedAt = sitsBy(mb.s.verb);
    // A reader holds what they read ("a woman on a chair reading a book"), whatever else they do.
    if (mb.rig && !mb.held && reads(mb.s.verb)) {
      const j = objectOf(spec.subjects, mb.m.subject, isReadable);
      if (j >= 0) holdAtHand(mb, members, j);
      if (mb.held) readers.push(mb);
    }
    if (rel?.kind !== "riding") continue;
    mb.mount =
      members.find((o) => o.m.subject === rel.to && o.m.instance === mb.m.instance) ??
      members.find((o) => o.m.subject === rel.to);
  }
  // What a reader holds is drawn just after them, in their hands (not behind the bench they sit on).
  for (const r of readers) {
    const held = r.held!;
    members.splice(members.indexOf(held), 1);
    members.splice(members.indexOf(r) + 1, 0, held);
  }
  for (const mb of members) mb.kicker = kickerOf(members, mb);
  return { members, midFrame, half: actionSeconds(tl, tl.planFrames - 1) };
}

/**
 * A person holding a thing ("a woman with a camera"): the thing is carried at their hand, in
 * front of them at chest height, its lower part in the grip; their front arm reaches for it.
 */
function holdAtHand(holder: Member, members: Member[], subject: number) {
  const held =
    members.find((o) => o.m.subject === subject && o.m.instance === holder.m.instance) ??
    members.find((o) => o.m.subject === subject);
  if (!held || held.rig || held.holder) return;
  const H = holder.wsize;
  holder.held = held;
  held.holder = holder;
  const overhead = OVERHEAD.has(held.s.art ?? "");
  // An umbrella is opened over the head, wide enough to shelter it.
  held.wsize = overhead ? H * 0.5 : Math.min(held.wsize, H * 0.45);
  const hand = handOf(holder);
  held.wx = hand.x;
  // A balloon floats above the hand on its string; an umbrella's handle is in the raised hand;
  // other things sit in the grip.
  held.wy = ON_A_STRING.has(held.s.art ?? "")
    ? hand.y - H * 0.3 - held.wsize / 2
    : overhead
      ? hand.y - held.wsize * 0.42
      : hand.y - held.wsize * 0.2;
}

/** Held things that float above the hand on a string. */
const ON_A_STRING = new Set(["balloon"]);
/** Held things raised over the head. */
const OVERHEAD = new Set(["umbrella"]);

/** Where a holding figure's hand is (world units, at the figure's planned place). */
function handOf(holder: Member): { x: number; y: number } {
  const H = holder.wsize;
  const seat = holder.seat;
  if (seat) {
    // Seated: the hands in front of the chest, a little above the lap.
    const hip = seat.wy - seat.wsize / 2 + seatOf(seat.s.art)!.seat * seat.wsize;
    return { x: seat.wx + holder.facing * H * 0.24, y: hip - H * 0.16 };
  }
  if (OVERHEAD.has(holder.held?.s.art ?? ""))
    return { x: holder.wx + holder.facing * H * 0.12, y: holder.wy - H * 0.36 };
  return { x: holder.wx + holder.facing * H * 0.3, y: holder.wy - H * 0.06 };
}

/** A box in world units of the subject plane. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * A box (world units of the subject plane) that holds everything `drawCast` draws at `frame`,
 * a drawing's whole raster where drawCast puts it; generously, a rig's reach (arms,
 * instruments, a cameo's face, a rider astride its mount) within 0.8 of its height from its
 * centre; a lighthouse's beams; the contact shadow. Poses are drawCast's own (memberPose). The
 * style's subject filter then runs on this box instead of the whole frame.
 */
export function castBounds(sc: Scene, pc: PlannedCast, frame: number): Box {
  const t = actionSeconds(sc.o.timeline, frame);
  const box: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const add = (x: number, y: number, rx: number, ry: number) => {
    box.x0 = Math.min(box.x0, x - rx);
    box.y0 = Math.min(box.y0, y - ry);
    box.x1 = Math.max(box.x1, x + rx);
    box.y1 = Math.max(box.y1, y + ry);
  };
  for (const mb of pc.members) {
    const pose = memberPose(sc, pc, mb, t);
    const x = mb.wx + pose.dx;
    const y = mb.wy + pose.dy;
    // A lighthouse's beams (drawBeam) reach 0.9 of the world's width from its lamp room.
    if (mb.s.art === "lighthouse") add(x, y, sc.world.W * 0.95, sc.world.W * 0.95);
    const stretch = Math.max(1, Math.abs(pose.sx), Math.abs(pose.sy));
    if (!mb.rig && mb.sprite) {
      // The raster's corners through drawCast's transform: translate, turn, mirror and squash,
      // the drawing's own heading; its drawing's centre is at (x, y).
      const { canvas, box: d } = mb.sprite;
      const k = mb.wsize / d.h;
      const cx = (d.x + d.w / 2) * k;
      const cy = (d.y + d.h / 2) * k;
      const h0 = Math.cos(-mb.heading);
      const h1 = Math.sin(-mb.heading);
      const r0 = Math.cos(pose.rot);
      const r1 = Math.sin(pose.rot);
      for (const u of [-cx, canvas.width * k - cx])
        for (const v of [-cy, canvas.height * k - cy]) {
          const a = (u * h0 - v * h1) * mb.mirror * pose.sx;
          const b = (u * h1 + v * h0) * pose.sy;
          add(x + a * r0 - b * r1, y + a * r1 + b * r0, 0, 0);
        }
    } else {
      const r = mb.wsize * 0.8 * stretch;
      add(x, y, r, r);
    }
    // The contact shadow, at the planned place's foot.
    const w = mb.sprite ? (mb.sprite.box.w / mb.sprite.box.h) * mb.wsize : mb.wsize * 0.4;
    add(x, mb.wy + mb.wsize / 2, w * 0.5, mb.wsize * 0.1);
  }
  return box;
}

/** The kicker whose front foot `mb` (a ball) rests at, if any ("a child kicking a ball"). */
function kickerOf(members: Member[], mb: Member): Member | undefined {
  if (!isKickable(mb.s.art) || mb.holder || mb.mount) return undefined;
  // As the layout pairs them: the first ball after the kicker in the prompt, in the same instance.
  if (mb.s.relation) return undefined;
  return members.find(
    (k) =>
      k.rig &&
      !k.mount &&
      !k.s.relation &&
      kicks(k.s.verb) &&
      k.m.subject < mb.m.subject &&
      k.m.instance === mb.m.instance &&
      !members.some(
        (o) =>
          o !== mb &&
          isKickable(o.s.art) &&
          o.m.instance === mb.m.instance &&
          o.m.subject > k.m.subject &&
          o.m.subject < mb.m.subject,
      ),
  );
}

function memberPose(sc: Scene, pc: PlannedCast, mb: Member, t: number) {
  const kicker = mb.kicker;
  if (kicker) {
    // Kept up by the kicker's kicks: at their front foot, rising from each kick and back down.
    const k = ownPose(sc, pc, kicker, t);
    const ball = kickedBall(t);
    const footX = kicker.wx + k.dx + kicker.facing * (kicker.wsize * KICK_REACH + mb.wsize * 0.5);
    return {
      dx: footX - mb.wx,
      dy: kicker.wy + kicker.wsize / 2 - mb.wsize / 2 - mb.wy - ball.lift * kicker.wsize,
      rot: ball.spin * kicker.facing,
      sx: 1,
      sy: 1,
    };
  }
  return ownPose(sc, pc, mb, t);
}

/** A member's pose at `t`: its own gait, or, for a rider, its mount's travel and bob. */
function ownPose(sc: Scene, pc: PlannedCast, mb: Member, t: number) {
  const poseOf = (m: Member) =>
    motionPose({
      motion: m.s.motion,
      t,
      half: pc.half,
      size: m.wsize,
      frameW: sc.world.W,
      facing: m.facing,
      phase: m.m.phase,
    });
  const carrier = mb.mount ?? mb.holder;
  return carrier ? { ...poseOf(carrier), rot: 0, sx: 1, sy: 1 } : poseOf(mb);
}

/** Draw the cast at `frame`; `ctx` is already in the subject plane's camera transform. */
export function drawCast(sc: Scene, pc: PlannedCast, cam: Cam, frame: number) {
  const { ctx, P, o } = sc;
  const tl = o.timeline;
  const t = actionSeconds(tl, frame);
  for (const mb of pc.members) {
    const { s } = mb;
    const pose = memberPose(sc, pc, mb, t);
    const x = mb.wx + pose.dx;
    const y = mb.wy + pose.dy;
    if (s.art === "lighthouse") drawBeam(sc, mb, x, y, frame);
    if (mb.vase) {
      // Flowers in a vase stand on stems that go down into its neck (its front hides the ends).
      ctx.strokeStyle = P.g([70, 130, 60]);
      ctx.lineWidth = Math.max(1, mb.wsize * 0.06);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.quadraticCurveTo(
        (x + mb.vase.wx) / 2,
        y + mb.wsize * 0.6,
        mb.vase.wx,
        mb.vase.wy - mb.vase.wsize * 0.3,
      );
      ctx.stroke();
    }
    const grounded = s.motion !== "fly" && s.motion !== "float" && s.motion !== "fall";
    const carried = s.relation?.kind === "riding" || s.relation?.kind === "on-top-of" || mb.holder;
    if (grounded && !carried) {
      // A contact shadow under the planned place (not under the bob), so hops read as hops.
      const w = mb.sprite ? (mb.sprite.box.w / mb.sprite.box.h) * mb.wsize : mb.wsize * 0.4;
      ctx.fillStyle = P.g([0, 0, 0], P.pal.shadow * 0.8);
      ctx.beginPath();
      ctx.ellipse(x, mb.wy + mb.wsize / 2, w * 0.42, mb.wsize * 0.045, 0, 0, Math.PI * 2);
      ctx.fill();
    }
    if (mb.rig) {
      const moving = s.motion !== "still" && !mb.mount;
      // The held thing's place now, for the arm that reaches for it.
      const heldPose = mb.held ? memberPose(sc, pc, mb.held, t) : undefined;
      const hand = mb.held && heldPose ? handOf(mb) : undefined;
      if (hand && heldPose) {
        hand.x += heldPose.dx;
        hand.y += heldPose.dy;
      }
      if (hand && mb.held && ON_A_STRING.has(mb.held.s.art ?? "")) {
        ctx.strokeStyle = P.g([235, 235, 235], 0.9);
        ctx.lineWidth = Math.max(1, mb.wsize * 0.006);
        ctx.beginPath();
        ctx.moveTo(hand.x, hand.y);
        ctx.quadraticCurveTo(
          hand.x - mb.facing * mb.wsize * 0.04,
          hand.y - mb.wsize * 0.15,
          mb.held.wx + heldPose!.dx,
          mb.held.wy + heldPose!.dy + mb.held.wsize * 0.45,
        );
        ctx.stroke();
      }
      drawRig(sc, mb, x, y, frame, cam, { moving, t }, hand);
      continue;
    }
    ctx.save();
    ctx.translate(x, y);
    ctx.rotate(pose.rot);
    ctx.scale(mb.mirror * pose.sx, pose.sy);
    if (mb.heading) ctx.rotate(-mb.heading);
    if (mb.sprite) {
      const { canvas, box } = mb.sprite;
      const k = mb.wsize / box.h;
      ctx.drawImage(
        canvas,
        -(box.x + box.w / 2) * k,
        -(box.y + box.h / 2) * k,
        canvas.width * k,
        canvas.height * k,
      );
    } else drawGeneric(ctx, sc, s, mb.wsize, mb.mirror);
    ctx.restore();
  }
}

/** A subject with no drawing: a labelled shape of its colour, honest about what it stands for. */
function drawGeneric(ctx: Ctx, sc: Scene, s: PlannedSubject, size: number, mirror: number) {
  const rgb: RGB = (s.color && colorRGB(s.color)) || [150, 160, 175];
  const w = size * 0.8;
  ctx.fillStyle = sc.P.g(rgb);
  ctx.beginPath();
  ctx.roundRect(-w / 2, -size / 2, w, size, size * 0.18);
  ctx.fill();
  ctx.fillStyle = sc.P.g([255, 255, 255], 0.25);
  ctx.beginPath();
  ctx.roundRect(-w / 2 + size * 0.06, -size / 2 + size * 0.06, w * 0.35, size * 0.3, size * 0.1);
  ctx.fill();
  const px = Math.max(8, Math.round(size * 0.16));
  ctx.save();
  ctx.scale(mirror, 1);
  ctx.font = `bold ${px}px DejaVu Sans`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillStyle = "rgba(0,0,0,0.7)";
  ctx.fillText(s.noun, 0, size * 0.22, w * 0.92);
  ctx.restore();
}

/** The hand-made person (and musician): legs, gestures and a mouth that moves with their line. */
function drawRig(
  sc: Scene,
  mb: Member,
  x: number,
  y: number,
  frame: number,
  _cam: Cam,
  motion: { moving: boolean; t: number },
  /** Where the hand holding a thing is (the front arm reaches there). */
  hand?: { x: number; y: number },
) {
  const { ctx, P, o } = sc;
  const look = mb.look!;
  const H = mb.wsize;
  const ground = y + H / 2;
  const mouth = mb.m.instance === 0 ? o.mouth(mb.m.subject, frame) : 0;
  const face = mb.face;
  // A cast cameo's face replaces the drawn head: its kit's cutout, turning with the figure, the
  // mouth sprite open while this figure's own line is loud.
  const head = face
    ? (hx: number, hy: number, hr: number) => {
        const speaking = speaksAt(o.timeline, mb.m.subject, frame);
        const turn = headTurn({
          facing: mb.facing,
          speaking,
          moving: motion.moving,
          t: motion.t,
        });
        drawCameoFace(ctx, face.kit, { x: hx, y: hy, size: hr * 2.5, turn, speech: mouth });
      }
    : undefined;
  const pose = personPose(sc, mb.m.subject, frame);
  const scale = H / sc.world.figure;
  const inst = mb.s.kind === "musician" ? mb.s.instrument : undefined;
  if (inst && inst !== "drums") {
    const tl = o.timeline;
    const beat = tl.beatFrames ? frame / tl.beatFrames : (frame / tl.fps) * 2;
    const sway = Math.sin(Math.PI * beat) * 0.06;
    drawPerson(
      ctx,
      P,
      x,
      ground,
      H,
      look,
      0.08,
      0,
      0,
      inst === "microphone" ? mouth : 0,
      mb.facing,
      (shx, shy) => {
        limb(ctx, shx, shy, H * 0.28, -0.6 + sway, H * 0.07, P.g(look.coat));
        drawInstrument(ctx, P, inst, shx - H * 0.02, shy + H * 0.02, H, 0);
      },
      head,
    );
    return;
  }
  // A rider straddles the mount (legs apart, hands forward to the reins or bars); on a board,
  // feet a little apart and arms out for balance.
  const riding = mb.mount
    ? mountPose(mb.mount.s.art)
    : { legA: pose.legA, armA: pose.armA, bob: pose.bob * scale };
  const reach = hand
    ? (shx: number, shy: number) => {
        const len = Math.min(Math.hypot(hand.x - shx, hand.y - shy), H * 0.4);
        const [ex, ey] = limb(
          ctx,
          shx,
          shy,
          len,
          Math.atan2(hand.x - shx, hand.y - shy),
          H * 0.068,
          P.g(look.coat),
        );
        ctx.fillStyle = P.g(look.skin);
        ctx.beginPath();
        ctx.arc(ex, ey, H * 0.03, 0, Math.PI * 2);
        ctx.fill();
      }
    : undefined;
  // Seated on a chair or bench: the hips at its seat, the feet on its floor; at a table, on a
  // chair the table hides.
  const seat = mb.seat;
  const sit = seat
    ? { hipY: seat.wy - seat.wsize / 2 + seatOf(seat.s.art)!.seat * seat.wsize }
    : mb.seatedAt
      ? { hipY: ground - H * SEAT_HEIGHT }
      : undefined;
  const floor = seat ? seat.wy + seat.wsize / 2 : ground;
  const kick = !sit && !mb.mount && kicks(mb.s.verb) ? kickPose(motion.t) : undefined;
  drawPerson(
    ctx,
    P,
    seat ? seat.wx : x,
    floor,
    H,
    look,
    sit ? 0 : riding.legA,
    sit ? 0.25 : (kick?.armA ?? riding.armA),
    sit || kick ? 0 : riding.bob,
    mouth,
    mb.facing,
    reach,
    head,
    sit,
    kick,
  );
  if (inst === "drums") drawInstrument(ctx, P, "drums", x, ground - H * 0.62, H, 0);
}

function mountPose(art: string | null): { legA: number; armA: number; bob: number } {
  if (art === "surfboard" || art === "skateboard-side" || art === "kick-scooter")
    return { legA: 0.22, armA: 1.1, bob: 0 };
  return { legA: 0.55, armA: 0.9, bob: 0 };
}

/**
 * A lighthouse's lamp at dusk and night: a soft beam sweeping slowly from the lamp room, and a
 * glow around it. By day only the lamp's glass shows.
 */
function drawBeam(sc: Scene, mb: Member, x: number, y: number, frame: number) {
  const tod = sc.o.spec.timeOfDay;
  if (!["dusk", "night", "golden-hour", "dawn"].includes(tod)) return;
  const { ctx, P } = sc;
  const H = mb.wsize;
  // The lamp room is 18% of the drawing's height from its top.
  const lx = x;
  const ly = y - H / 2 + H * 0.18;
  const sweep = Math.sin((frame / sc.o.timeline.fps) * 0.9) * 0.35;
  const strength = tod === "night" ? 0.5 : 0.32;
  for (const side of [-1, 1]) {
    const a = side === 1 ? sweep : Math.PI + sweep;
    const len = sc.world.W * 0.9;
    const spread = 0.09;
    const g = ctx.createLinearGradient(lx, ly, lx + Math.cos(a) * len, ly + Math.sin(a) * len);
    g.addColorStop(0, P.g([255, 244, 200], strength));
    g.addColorStop(1, P.g([255, 244, 200], 0));
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.moveTo(lx, ly);
    ctx.lineTo(lx + Math.cos(a - spread) * len, ly + Math.sin(a - spread) * len);
    ctx.lineTo(lx + Math.cos(a + spread) * len, ly + Math.sin(a + spread) * len);
    ctx.closePath();
    ctx.fill();
  }
  const glow = ctx.createRadialGradient(lx, ly, 0, lx, ly, H * 0.25);
  glow.addColorStop(0, P.g([255, 240, 180], 0.8));
  glow.addColorStop(1, P.g([255, 240, 180], 0));
  ctx.fillStyle = glow;
  ctx.fillRect(lx - H * 0.25, ly - H * 0.25, H * 0.5, H * 0.5);
}
