import type { Cam } from "./camera.ts";
import { drawCup, drawDog, drawInstrument, drawPerson, limb, traitColor } from "./figures.ts";
import { applyCam } from "./layers.ts";
import type { Scene } from "./scene.ts";

/** The subjects of a shot, drawn each frame in the subject's plane (parallax 1). */

export function personPose(sc: Scene, subject: number, frame: number) {
  const tl = sc.o.timeline;
  const spec = sc.o.spec;
  const sec = frame / tl.fps;
  const act = sec * tl.speed;
  if (tl.stepFrames && subject === 0 && ["walk", "run", "talk"].includes(spec.action.kind)) {
    const ph = (frame - tl.firstStepFrame!) / tl.stepFrames;
    const amp = spec.action.kind === "run" ? 0.65 : 0.42;
    // Legs are widest apart exactly on a step frame: that is when the heel hits (and the sound plays).
    const legA = amp * Math.cos(Math.PI * ph);
    return {
      legA,
      armA: -legA * 0.9,
      bob: Math.abs(Math.sin(Math.PI * ph)) * sc.world.figure * 0.03,
    };
  }
  if (spec.action.kind === "dance") {
    const b = tl.beatFrames ? frame / tl.beatFrames : act * 2;
    return {
      legA: 0.25 * Math.sin(Math.PI * b),
      armA: 1.2 + 0.8 * Math.sin(Math.PI * b),
      bob: Math.abs(Math.sin(Math.PI * b)) * sc.world.figure * 0.05,
    };
  }
  if (spec.action.kind === "jump") {
    const hop = Math.round((tl.fps * 1.2) / tl.speed);
    const ph = ((frame - Math.round(hop * 0.8)) / hop + 10) % 1;
    const h = Math.max(0, Math.sin(Math.PI * ph)) * sc.world.figure * 0.35;
    return { legA: 0.2, armA: 1.5 * Math.sin(Math.PI * ph), bob: h };
  }
  const talking = sc.o.mouth(subject, frame) > 0.05;
  return {
    legA: 0.08,
    armA: talking ? 0.5 + 0.3 * Math.sin(sec * 3) : 0.12 + 0.04 * Math.sin(act * 1.5),
    bob: Math.sin(act * 2) * sc.world.figure * 0.005,
  };
}

export function drawSubjects(sc: Scene, cam: Cam, frame: number) {
  const { ctx, world, o, P } = sc;
  const { spec, timeline: tl } = o;
  const sec = frame / tl.fps;
  ctx.save();
  applyCam(ctx, cam, 1, world);
  const subjects = spec.subjects.slice(0, 3);
  const band = subjects[0]!.kind === "musician" && subjects[0]!.count >= 3;
  const facing = spec.camera.direction === "left" ? -1 : 1;
  const slots = band
    ? [0, -0.3, 0.3]
    : subjects.map((_, i) => (i === 0 ? 0 : i === 1 ? 0.32 : -0.32));
  const drawOne = (s: (typeof subjects)[number], i: number, x: number, instrument?: string) => {
    const baseX = x + (i === 0 ? cam.subjectX : 0);
    const mouth = o.mouth(i, frame);
    if (s.kind === "dog" || s.kind === "cat") {
      const S = world.figure * (s.kind === "cat" ? 0.4 : 0.5);
      let lift = 0;
      let runPhase = tl.stepFrames
        ? (frame - (tl.firstStepFrame ?? 0)) / tl.stepFrames
        : sec * tl.speed * 3;
      const dogX = baseX;
      let open = mouth;
      if (tl.catchFrame !== undefined && tl.throwFrame !== undefined) {
        // Run in, leap at the catch, land: jump arc centred on the catch frame.
        const up = Math.round((tl.fps * 0.45) / tl.speed);
        const down = Math.round((tl.fps * 0.35) / tl.speed);
        const d = frame - tl.catchFrame;
        if (d > -up && d < down) {
          const u = d < 0 ? 1 - (-d / up) ** 2 : 1 - (d / down) ** 2;
          lift = Math.max(0, u) * S * 0.75;
        }
        runPhase = frame < tl.catchFrame + down ? sec * tl.speed * 4 : 0.5;
        open = frame >= tl.catchFrame - up && frame < tl.catchFrame ? 1 : mouth;
        drawFrisbee(sc, frame, dogX + S * 0.6 * facing, world.ground - lift - S * 0.75, facing);
      }
      const barking = tl.events.some(
        (e) => e.kind === "bark" && frame >= e.frame && frame < e.frame + 8,
      );
      // Centre the whole animal (body and head) on its path.
      drawDog(
        ctx,
        P,
        dogX - S * 0.12 * facing,
        world.ground,
        S,
        traitColor(s.traits, s.kind === "cat" ? [90, 90, 95] : [205, 150, 70]),
        runPhase,
        lift,
        barking ? 0.9 : open,
        facing,
        sec,
      );
      return;
    }
    if (s.kind === "cup") {
      drawCup(ctx, P, baseX, world.ground, world.figure * 1.1, cam.orbit, sec, tl.speed);
      return;
    }
    if (s.kind === "car") {
      const cx = baseX + (((sec * tl.speed * 0.12) % 1.4) - 0.7) * world.W * facing;
      ctx.fillStyle = P.g(traitColor(s.traits, [200, 50, 50]));
      ctx.beginPath();
      ctx.roundRect(
        cx - world.W * 0.2,
        world.ground - world.H * 0.09,
        world.W * 0.4,
        world.H * 0.06,
        world.W * 0.03,
      );
      ctx.roundRect(
        cx - world.W * 0.11,
        world.ground - world.H * 0.13,
        world.W * 0.22,
        world.H * 0.05,
        world.W * 0.03,
      );
      ctx.fill();
      ctx.fillStyle = P.g([170, 210, 235]);
      ctx.beginPath();
      ctx.roundRect(
        cx - world.W * 0.09,
        world.ground - world.H * 0.12,
        world.W * 0.08,
        world.H * 0.032,
        world.W * 0.01,
      );
      ctx.roundRect(
        cx + world.W * 0.01,
        world.ground - world.H * 0.12,
        world.W * 0.08,
        world.H * 0.032,
        world.W * 0.01,
      );
      ctx.fill();
      ctx.fillStyle = P.g([255, 240, 180]);
      ctx.fillRect(
        cx + world.W * 0.185 * facing - world.W * 0.01,
        world.ground - world.H * 0.08,
        world.W * 0.02,
        world.H * 0.015,
      );
      ctx.fillStyle = P.g([20, 20, 25]);
      for (const wx of [-0.12, 0.12]) {
        ctx.beginPath();
        ctx.arc(cx + wx * world.W, world.ground - world.H * 0.025, world.H * 0.028, 0, Math.PI * 2);
        ctx.fill();
      }
      return;
    }
    if (s.kind === "bird") {
      ctx.strokeStyle = P.g([30, 30, 40]);
      ctx.lineWidth = world.W * 0.008;
      for (let k = 0; k < Math.min(5, s.count); k++) {
        const bx = baseX + (((sec * tl.speed * 0.08 + k * 0.17) % 1.2) - 0.6) * world.W;
        const by = -world.H * (0.25 + 0.05 * Math.sin(k * 2.3 + sec));
        const flap = Math.sin(sec * tl.speed * 9 + k) * world.W * 0.02;
        ctx.beginPath();
        ctx.moveTo(bx - world.W * 0.04, by - flap);
        ctx.quadraticCurveTo(bx - world.W * 0.01, by, bx, by + world.W * 0.005);
        ctx.quadraticCurveTo(bx + world.W * 0.01, by, bx + world.W * 0.04, by - flap);
        ctx.stroke();
      }
      return;
    }
    if (s.kind === "object") {
      ctx.fillStyle = P.g([240, 200, 90]);
      ctx.beginPath();
      ctx.arc(baseX, world.ground - world.figure * 0.4, world.figure * 0.2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    // People and musicians
    const look = sc.look[i] ?? sc.look[0]!;
    const pose = personPose(sc, i, frame);
    const inst = instrument ?? (s.kind === "musician" ? s.instrument : undefined);
    if (inst) {
      const beat = tl.beatFrames ? frame / tl.beatFrames : sec * 2;
      const sway = Math.sin(Math.PI * beat) * 0.06;
      const hit = hitLevel(sc, frame, i);
      ctx.save();
      ctx.translate(baseX, world.ground);
      ctx.rotate(sway * 0.3);
      ctx.translate(-baseX, -world.ground);
      if (inst === "drums") {
        // Drummer behind the kit: sticks rise between beats and come down on the hit frame.
        const lift = tl.beatFrames ? ((frame - (tl.beats[0] ?? 0)) / tl.beatFrames) % 1 : 0.5;
        const stick = -2.4 + Math.sin(Math.PI * Math.max(0, lift)) * 1.2;
        drawPerson(
          ctx,
          P,
          baseX,
          world.ground,
          world.figure * 0.95,
          look,
          0.1,
          0,
          0,
          mouth,
          facing,
          (shx, shy) => {
            const [ex, ey] = limb(
              ctx,
              shx,
              shy,
              world.figure * 0.3,
              stick,
              world.figure * 0.06,
              P.g(look.coat),
            );
            ctx.strokeStyle = P.g([230, 210, 170]);
            ctx.lineWidth = world.figure * 0.015;
            ctx.beginPath();
            ctx.moveTo(ex, ey);
            ctx.lineTo(ex + world.figure * 0.15, ey + world.figure * 0.08);
            ctx.stroke();
          },
        );
        drawInstrument(
          ctx,
          P,
          "drums",
          baseX,
          world.ground - world.figure * 0.62,
          world.figure,
          hit,
        );
      } else {
        drawPerson(
          ctx,
          P,
          baseX,
          world.ground,
          world.figure,
          look,
          0.08,
          0,
          0,
          inst === "microphone" ? mouth : 0,
          facing,
          (shx, shy) => {
            limb(
              ctx,
              shx,
              shy,
              world.figure * 0.28,
              -0.6 + sway,
              world.figure * 0.07,
              P.g(look.coat),
            );
            drawInstrument(
              ctx,
              P,
              inst,
              shx - world.figure * 0.02,
              shy + world.figure * 0.02,
              world.figure,
              hit,
            );
          },
        );
      }
      ctx.restore();
      return;
    }
    drawPerson(
      ctx,
      P,
      baseX,
      world.ground,
      world.figure,
      look,
      pose.legA,
      pose.armA,
      pose.bob,
      mouth,
      facing,
    );
  };
  if (band) {
    const lead = subjects[0]!;
    const leadInst = lead.instrument ?? "saxophone";
    const others = ["bass", "drums"].filter((x) => x !== leadInst);
    drawOne(lead, 1, slots[1]! * world.W, others[0]);
    drawOne(lead, 2, slots[2]! * world.W, others[1] ?? "piano");
    drawOne(lead, 0, 0, leadInst);
  } else {
    subjects.forEach((s, i) => {
      if (i > 0) drawOne(s, i, slots[i]! * world.W);
    });
    drawOne(subjects[0]!, 0, 0);
  }
  ctx.restore();
}

/** 1 on a drum hit's frame, decaying over the next frames. */
export function hitLevel(sc: Scene, frame: number, subject: number): number {
  let level = 0;
  for (const e of sc.o.timeline.events) {
    if (e.kind !== "drum" && e.kind !== "impact") continue;
    if (
      e.subject !== undefined &&
      e.subject !== subject &&
      e.kind === "drum" &&
      subject !== 2 &&
      subject !== 0
    )
      continue;
    const d = frame - e.frame;
    if (d >= 0 && d < 4) level = Math.max(level, 1 - d / 4);
  }
  return level;
}

export function drawFrisbee(
  sc: Scene,
  frame: number,
  catchX: number,
  catchY: number,
  facing: number,
) {
  const tl = sc.o.timeline;
  const { ctx, P, world } = sc;
  if (tl.throwFrame === undefined || tl.catchFrame === undefined || frame < tl.throwFrame) return;
  let x = catchX;
  let y = catchY;
  if (frame < tl.catchFrame) {
    const u = (frame - tl.throwFrame) / (tl.catchFrame - tl.throwFrame);
    x = catchX + (1 - u) * world.W * 0.9 * facing;
    y = catchY - Math.sin(Math.PI * (0.3 + 0.7 * u)) * world.H * 0.12 + (1 - u) * world.H * 0.05;
  }
  ctx.fillStyle = P.g([230, 50, 60]);
  ctx.beginPath();
  ctx.ellipse(
    x,
    y,
    world.figure * 0.13,
    world.figure * 0.04,
    frame < tl.catchFrame ? -0.2 : 0.4,
    0,
    Math.PI * 2,
  );
  ctx.fill();
}
