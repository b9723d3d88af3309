import type { Cam } from "./camera.ts";
import { applyCam } from "./layers.ts";
import type { Scene } from "./scene.ts";

/** What moves over the static layers but is not a subject: clouds, light, weather, flashes, captions. */

export function drawClouds(sc: Scene, cam: Cam, sec: number) {
  if (sc.clouds.length === 0) return;
  const { ctx, world } = sc;
  ctx.save();
  applyCam(ctx, cam, 0.08, world);
  const speed = sc.o.timeline.speed;
  ctx.fillStyle = sc.P.g(
    sc.P.pal.night ? [60, 70, 90] : [255, 255, 255],
    sc.P.spec.weather === "cloudy" ? 0.75 : 0.6,
  );
  for (const c of sc.clouds) {
    const x = ((c.x + c.v * sec * speed * 3 + 1) % 2) - 1;
    const cx = x * world.W;
    const cy = c.y * world.H;
    const s = c.s * world.W * 0.08;
    ctx.beginPath();
    ctx.ellipse(cx, cy, s * 1.8, s * 0.55, 0, 0, Math.PI * 2);
    ctx.ellipse(cx - s * 0.6, cy - s * 0.3, s * 0.8, s * 0.6, 0, 0, Math.PI * 2);
    ctx.ellipse(cx + s * 0.5, cy - s * 0.4, s, s * 0.7, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}

export function drawLightBehind(sc: Scene, cam: Cam, frame: number) {
  const { ctx, world, P } = sc;
  const k = P.spec.lighting.kind;
  const sec = frame / sc.o.timeline.fps;
  if (k === "spotlight" || P.spec.setting.kind === "club" || P.spec.setting.kind === "stage") {
    ctx.save();
    applyCam(ctx, cam, 0.95, world);
    ctx.globalCompositeOperation = "lighter";
    const sx = cam.subjectX + Math.sin(sec * 0.5) * world.W * 0.03;
    const cone = ctx.createLinearGradient(0, -world.H * 0.6, 0, world.ground);
    cone.addColorStop(0, P.g([255, 230, 170], 0.35));
    cone.addColorStop(1, P.g([255, 210, 140], 0.12));
    ctx.fillStyle = cone;
    ctx.beginPath();
    ctx.moveTo(sx - world.W * 0.04, -world.H * 0.6);
    ctx.lineTo(sx + world.W * 0.04, -world.H * 0.6);
    ctx.lineTo(sx + world.W * 0.24, world.ground + world.H * 0.02);
    ctx.lineTo(sx - world.W * 0.24, world.ground + world.H * 0.02);
    ctx.fill();
    ctx.fillStyle = P.g([255, 220, 150], 0.2);
    ctx.beginPath();
    ctx.ellipse(sx, world.ground, world.W * 0.25, world.H * 0.03, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.restore();
  }
  if ((k === "sunlit" || k === "golden") && P.pal.sun.show !== undefined) {
    // Light shafts from the sun (or the window indoors), slowly breathing.
    ctx.save();
    applyCam(ctx, cam, 0.3, world);
    ctx.globalCompositeOperation = "lighter";
    const sx = (P.spec.setting.interior ? -0.12 : P.pal.sun.x) * world.W;
    const sy = (P.spec.setting.interior ? -0.2 : P.pal.sun.y) * world.H;
    for (let i = 0; i < 5; i++) {
      const a = 0.5 + i * 0.22 + Math.sin(sec * 0.3 + i) * 0.03;
      ctx.fillStyle = P.g(P.pal.key, 0.05 + 0.02 * Math.sin(sec * 0.7 + i * 1.3));
      ctx.beginPath();
      ctx.moveTo(sx, sy);
      ctx.lineTo(
        sx + Math.cos(a) * world.H * 1.5 - world.W * 0.03,
        sy + Math.sin(a) * world.H * 1.5,
      );
      ctx.lineTo(
        sx + Math.cos(a) * world.H * 1.5 + world.W * 0.05,
        sy + Math.sin(a) * world.H * 1.5,
      );
      ctx.fill();
    }
    ctx.restore();
  }
}

export function drawWeather(sc: Scene, cam: Cam, frame: number) {
  if (sc.rain.length === 0) return;
  const { ctx, world, P, o } = sc;
  const sec = frame / o.timeline.fps;
  const sp = o.timeline.speed;
  const snow = P.spec.weather === "snow";
  ctx.save();
  // Snow is white in every grade (a tinted flake reads as dust): only its alpha is the style's.
  if (snow) ctx.fillStyle = "rgba(250,252,255,0.92)";
  else {
    ctx.strokeStyle = P.g([200, 215, 240], 0.45);
    ctx.lineWidth = Math.max(1, world.W / 400);
    ctx.beginPath();
  }
  for (const d of sc.rain) {
    const fall = snow ? 0.08 : 1.6;
    const y = (((d.y + sec * fall * d.z * sp) % 1) + 1) % 1;
    const drift = snow ? Math.sin(sec * 1.3 + d.x * 20) * 0.02 : 0;
    const x = ((((d.x - (cam.x * d.z) / world.W / 2 + drift) % 1) + 1) % 1) * world.W;
    const yy = y * world.H;
    if (snow) {
      ctx.beginPath();
      ctx.arc(x, yy, Math.max(1.2, d.z * world.W * 0.006), 0, Math.PI * 2);
      ctx.fill();
    } else {
      const len = world.H * 0.035 * d.z * (sp < 1 ? 0.5 : 1);
      ctx.moveTo(x, yy);
      ctx.lineTo(x - len * 0.12, yy + len);
    }
  }
  if (!snow) ctx.stroke();
  ctx.restore();
}

/** Visual events on their exact frame: impact bursts, splashes, lightning. */
export function drawFlashes(sc: Scene, cam: Cam, frame: number) {
  const { ctx, world, P, o } = sc;
  for (const e of o.timeline.events) {
    const d = frame - e.frame;
    if (d < 0 || d > 5) continue;
    const fade = 1 - d / 6;
    if (e.kind === "thunder") {
      ctx.fillStyle = `rgba(230,235,255,${(0.7 * fade * (d < 2 ? 1 : 0.4)).toFixed(3)})`;
      ctx.fillRect(0, 0, world.W, world.H);
      continue;
    }
    ctx.save();
    applyCam(ctx, cam, 1, world);
    if (e.kind === "impact" || e.kind === "drum") {
      // An animatic "hit" mark: a bright burst with rays where the contact happens.
      const s = o.spec.subjects[e.subject ?? 0];
      const isDrum = e.kind === "drum";
      const band = s?.kind === "musician" && s.count >= 3;
      // Where the contact is: the drum skin, an animal's mouth at the catch, else the figure's hands.
      const animal = s?.kind === "dog" || s?.kind === "cat";
      const facing = o.spec.camera.direction === "left" ? -1 : 1;
      const x = isDrum
        ? band
          ? 0.3 * world.W
          : 0
        : cam.subjectX + (animal ? world.figure * 0.26 * facing : 0);
      const y = isDrum
        ? world.ground - world.figure * 0.2
        : world.ground - world.figure * (animal ? 0.72 : 0.9);
      const R = world.figure * (0.25 + 0.25 * (d / 5)) * e.strength * (animal ? 0.6 : 1);
      if (d === 0) {
        // The contact frame itself: a white core, the animatic's "hit" marker.
        ctx.fillStyle = "rgba(255,255,245,0.75)";
        ctx.beginPath();
        ctx.arc(x, y, R * 0.4, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.globalCompositeOperation = "lighter";
      const burst = ctx.createRadialGradient(x, y, 0, x, y, R);
      burst.addColorStop(0, `rgba(255,250,220,${(0.95 * fade).toFixed(3)})`);
      burst.addColorStop(1, "rgba(255,200,120,0)");
      ctx.fillStyle = burst;
      ctx.fillRect(x - R, y - R, R * 2, R * 2);
      ctx.strokeStyle = `rgba(255,255,230,${(0.9 * fade).toFixed(3)})`;
      ctx.lineWidth = world.W * 0.006;
      ctx.beginPath();
      for (let k = 0; k < 8; k++) {
        const a = (k / 8) * Math.PI * 2 + 0.2;
        ctx.moveTo(x + Math.cos(a) * R * 0.55, y + Math.sin(a) * R * 0.55);
        ctx.lineTo(x + Math.cos(a) * R * 1.1, y + Math.sin(a) * R * 1.1);
      }
      ctx.stroke();
    } else if (e.kind === "splash" || (e.kind === "footstep" && d < 3)) {
      const x = cam.subjectX + (e.side ?? 0) * world.figure * 0.08;
      const y = world.ground;
      ctx.strokeStyle =
        e.kind === "splash" ? P.g([210, 225, 255], 0.7 * fade) : P.g([200, 190, 170], 0.5 * fade);
      ctx.lineWidth = world.W * 0.004;
      ctx.beginPath();
      ctx.ellipse(
        x,
        y,
        world.figure * (0.06 + d * 0.03),
        world.figure * (0.015 + d * 0.006),
        0,
        0,
        Math.PI * 2,
      );
      ctx.stroke();
    }
    ctx.restore();
  }
}

export function drawCaption(sc: Scene, frame: number) {
  const { ctx, world } = sc;
  const line = sc.o.timeline.dialogue.find((d) => frame >= d.startFrame && frame < d.endFrame + 6);
  if (!line) return;
  const size = Math.round(world.W * (world.W > world.H ? 0.032 : 0.05));
  ctx.font = `bold ${size}px DejaVu Sans`;
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  const words = `${line.speaker.toUpperCase()}: ${line.text}`.split(/\s+/);
  const lines: string[] = [];
  let cur = "";
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (ctx.measureText(next).width > world.W * 0.84 && cur) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  const shown = lines.slice(0, 3);
  const y0 = world.H * 0.86 - (shown.length - 1) * size * 1.25;
  ctx.fillStyle = "rgba(0,0,0,0.55)";
  const boxW = Math.max(...shown.map((l) => ctx.measureText(l).width)) + size;
  ctx.fillRect(
    world.W / 2 - boxW / 2,
    y0 - size * 1.1,
    boxW,
    shown.length * size * 1.25 + size * 0.5,
  );
  ctx.fillStyle = "#fff";
  shown.forEach((l, i) => {
    ctx.fillText(l, world.W / 2, y0 + i * size * 1.25);
  });
}
