import type { Ctx, RGB } from "./color.ts";
import { mixRGB } from "./color.ts";
import type { Painter } from "./scenery.ts";

/** The hand-made figures: people (with mouths), dogs and cats, the cup, instruments. */

export function limb(
  ctx: Ctx,
  x: number,
  y: number,
  len: number,
  angle: number,
  width: number,
  color: string,
): [number, number] {
  const ex = x + Math.sin(angle) * len;
  const ey = y + Math.cos(angle) * len;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(ex, ey);
  ctx.stroke();
  return [ex, ey];
}

export function traitColor(traits: string[], fallback: RGB): RGB {
  const map: Record<string, RGB> = {
    red: [200, 50, 50],
    blue: [50, 90, 190],
    green: [60, 140, 70],
    yellow: [230, 200, 60],
    black: [30, 30, 35],
    white: [235, 235, 235],
    purple: [120, 60, 160],
    pink: [230, 120, 170],
    orange: [230, 130, 40],
    brown: [120, 80, 50],
    grey: [120, 120, 125],
    gray: [120, 120, 125],
    golden: [214, 160, 70],
    silver: [190, 195, 205],
  };
  for (const t of traits) if (map[t]) return map[t]!;
  return fallback;
}

export interface PersonLook {
  coat: RGB;
  pants: RGB;
  skin: RGB;
  hair: RGB;
  hood: boolean;
  /** Hair down to the shoulders (a woman or a girl, when the prompt says so). */
  longHair?: boolean;
}

export function drawPerson(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  H: number,
  look: PersonLook,
  legA: number,
  armA: number,
  bob: number,
  mouth: number,
  facing: number,
  extraArm?: (shoulderX: number, shoulderY: number) => void,
  /** Draws the head instead of the drawn one (a cast cameo's face): centre and radius. */
  head?: (hx: number, hy: number, hr: number) => void,
  /** Seated: the hips rest at `hipY`, thighs forward, shins down to `ground`. */
  sit?: { hipY: number },
  /** Each leg's own angle, forward positive (a kick: `kick.ts`), instead of the stride `legA`. */
  legs?: { front: number; back: number },
) {
  const { g } = P;
  const y0 = ground - bob;
  const hip = sit ? sit.hipY : y0 - H * 0.47;
  const shoulder = hip - H * 0.31;
  const lw = H * 0.085;
  // shadow
  ctx.fillStyle = g([0, 0, 0], P.pal.shadow);
  ctx.beginPath();
  ctx.ellipse(x, ground, H * 0.16, H * 0.03, 0, 0, Math.PI * 2);
  ctx.fill();
  const pants = g(look.pants);
  const coat = g(look.coat);
  const coatDark = g(mixRGB(look.coat, [0, 0, 0], 0.3));
  const pantsDark = g(mixRGB(look.pants, [0, 0, 0], 0.25));
  // A seated leg: the thigh forward along the seat, the shin down to the floor.
  const seatedLeg = (dx: number, color: string) => {
    const [kx, ky] = limb(ctx, x + dx, hip, H * 0.22, facing * (Math.PI / 2), lw, color);
    limb(ctx, kx, ky, Math.max(0, ground - ky - lw * 0.3), 0, lw, color);
  };
  // back leg / arm
  if (sit) seatedLeg(-facing * H * 0.02, pantsDark);
  else limb(ctx, x, hip, H * 0.47, legs ? facing * legs.back : -legA, lw, pantsDark);
  if (!extraArm) limb(ctx, x, shoulder + H * 0.03, H * 0.36, armA, lw * 0.8, coatDark);
  // torso
  ctx.fillStyle = coat;
  ctx.beginPath();
  ctx.moveTo(x - H * 0.1, shoulder);
  ctx.quadraticCurveTo(x - H * 0.13, hip, x - H * 0.09, hip + H * 0.04);
  ctx.lineTo(x + H * 0.09, hip + H * 0.04);
  ctx.quadraticCurveTo(x + H * 0.13, hip, x + H * 0.1, shoulder);
  ctx.quadraticCurveTo(x, shoulder - H * 0.04, x - H * 0.1, shoulder);
  ctx.fill();
  if (sit) seatedLeg(0, pants);
  else limb(ctx, x, hip, H * 0.47, legs ? facing * legs.front : legA, lw, pants);
  // head
  const hx = x + facing * H * 0.01;
  const hy = shoulder - H * 0.11;
  const hr = H * 0.085;
  if (head) head(hx, hy, hr);
  else drawHead(ctx, P, hx, hy, hr, look, mouth, facing, coatDark);
  // front arm
  if (extraArm) extraArm(x + H * 0.06, shoulder + H * 0.03);
  else limb(ctx, x, shoulder + H * 0.03, H * 0.36, -armA, lw * 0.8, coat);
}

function drawHead(
  ctx: Ctx,
  P: Painter,
  hx: number,
  hy: number,
  hr: number,
  look: PersonLook,
  mouth: number,
  facing: number,
  coatDark: string,
) {
  const { g } = P;
  if (look.hood) {
    ctx.fillStyle = coatDark;
    ctx.beginPath();
    ctx.arc(hx, hy - hr * 0.1, hr * 1.35, 0, Math.PI * 2);
    ctx.fill();
  }
  if (look.longHair && !look.hood) {
    // Behind the head: falling past the jaw to the shoulders, longer at the back.
    ctx.fillStyle = g(look.hair);
    ctx.beginPath();
    ctx.roundRect(hx - hr * 1.08 - facing * hr * 0.12, hy - hr * 0.55, hr * 2.16, hr * 2.05, [
      hr,
      hr,
      hr * 0.35,
      hr * 0.35,
    ]);
    ctx.fill();
  }
  ctx.fillStyle = g(look.skin);
  ctx.beginPath();
  ctx.arc(hx, hy, hr, 0, Math.PI * 2);
  ctx.fill();
  if (!look.hood) {
    ctx.fillStyle = g(look.hair);
    ctx.beginPath();
    ctx.arc(hx, hy - hr * 0.25, hr * 1.02, Math.PI, 0);
    ctx.fill();
  }
  // face: eyes and a mouth that opens with the voice
  ctx.fillStyle = g([25, 20, 20]);
  ctx.beginPath();
  ctx.arc(hx + facing * hr * 0.35 - hr * 0.28, hy - hr * 0.05, hr * 0.1, 0, Math.PI * 2);
  ctx.arc(hx + facing * hr * 0.35 + hr * 0.28, hy - hr * 0.05, hr * 0.1, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([120, 30, 40]);
  ctx.beginPath();
  ctx.ellipse(
    hx + facing * hr * 0.35,
    hy + hr * 0.45,
    hr * 0.25,
    hr * (0.05 + 0.3 * mouth),
    0,
    0,
    Math.PI * 2,
  );
  ctx.fill();
}

export function drawDog(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  S: number,
  color: RGB,
  phase: number,
  lift: number,
  mouth: number,
  facing: number,
  sec: number,
) {
  const { g } = P;
  const y = ground - lift;
  ctx.fillStyle = g([0, 0, 0], P.pal.shadow * Math.max(0.3, 1 - lift / (S * 2)));
  ctx.beginPath();
  ctx.ellipse(x, ground, S * 0.55, S * 0.08, 0, 0, Math.PI * 2);
  ctx.fill();
  const body = g(color);
  const dark = g(mixRGB(color, [60, 30, 10], 0.35));
  const legLen = S * 0.38;
  const bodyY = y - legLen - S * 0.12;
  const swing = Math.sin(phase * Math.PI) * 0.6;
  // legs (far pair darker)
  limb(ctx, x - S * 0.3 * facing, bodyY, legLen, swing, S * 0.09, dark);
  limb(ctx, x + S * 0.25 * facing, bodyY, legLen, -swing, S * 0.09, dark);
  // tail
  ctx.strokeStyle = body;
  ctx.lineWidth = S * 0.08;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(x - S * 0.42 * facing, bodyY - S * 0.05);
  ctx.quadraticCurveTo(
    x - S * 0.6 * facing,
    bodyY - S * 0.3,
    x - S * (0.55 + 0.1 * Math.sin(sec * 14)) * facing,
    bodyY - S * 0.42,
  );
  ctx.stroke();
  // body
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.ellipse(x, bodyY, S * 0.48, S * 0.19, 0, 0, Math.PI * 2);
  ctx.fill();
  limb(ctx, x - S * 0.3 * facing, bodyY, legLen, -swing, S * 0.1, body);
  limb(ctx, x + S * 0.25 * facing, bodyY, legLen, swing, S * 0.1, body);
  // head
  const hx = x + S * 0.5 * facing;
  const hy = bodyY - S * 0.28;
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.arc(hx, hy, S * 0.2, 0, Math.PI * 2);
  ctx.fill();
  // snout + mouth
  ctx.beginPath();
  ctx.ellipse(hx + S * 0.2 * facing, hy + S * 0.06, S * 0.14, S * 0.09, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([40, 20, 20]);
  ctx.beginPath();
  ctx.arc(hx + S * 0.33 * facing, hy + S * 0.02, S * 0.04, 0, Math.PI * 2);
  ctx.fill();
  if (mouth > 0.05) {
    ctx.fillStyle = g([150, 40, 50]);
    ctx.beginPath();
    ctx.ellipse(
      hx + S * 0.22 * facing,
      hy + S * 0.14,
      S * 0.09,
      S * 0.06 * mouth,
      0,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
  // ear + eye
  ctx.fillStyle = dark;
  ctx.beginPath();
  ctx.ellipse(
    hx - S * 0.06 * facing,
    hy + S * 0.02,
    S * 0.07,
    S * 0.15,
    0.3 * facing,
    0,
    Math.PI * 2,
  );
  ctx.fill();
  ctx.fillStyle = g([20, 15, 10]);
  ctx.beginPath();
  ctx.arc(hx + S * 0.08 * facing, hy - S * 0.06, S * 0.03, 0, Math.PI * 2);
  ctx.fill();
}

export function drawCup(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  S: number,
  orbit: number,
  sec: number,
  speed: number,
) {
  const { g } = P;
  const cupW = S * 0.55;
  const cupH = S * 0.45;
  const top = ground - cupH;
  // saucer
  ctx.fillStyle = g([0, 0, 0], 0.25);
  ctx.beginPath();
  ctx.ellipse(x + S * 0.05, ground + S * 0.03, S * 0.55, S * 0.1, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([235, 232, 225]);
  ctx.beginPath();
  ctx.ellipse(x, ground, S * 0.5, S * 0.09, 0, 0, Math.PI * 2);
  ctx.fill();
  // handle: moves around the cup as the camera orbits
  const ang = 0.9 + orbit * 1.6;
  const hxOff = Math.cos(ang) * cupW * 0.55;
  const behind = Math.sin(ang) < 0;
  const handle = () => {
    ctx.strokeStyle = g([225, 222, 215]);
    ctx.lineWidth = S * 0.05;
    ctx.beginPath();
    ctx.ellipse(
      x + hxOff,
      top + cupH * 0.45,
      Math.abs(Math.cos(ang)) * S * 0.12 + S * 0.02,
      S * 0.12,
      0,
      0,
      Math.PI * 2,
    );
    ctx.stroke();
  };
  if (behind) handle();
  const body = ctx.createLinearGradient(x - cupW / 2, 0, x + cupW / 2, 0);
  const hl = 0.3 + 0.4 * (0.5 + 0.5 * Math.sin(orbit * 2));
  body.addColorStop(0, g([200, 196, 190]));
  body.addColorStop(hl, g([252, 250, 246]));
  body.addColorStop(1, g([180, 176, 170]));
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.moveTo(x - cupW / 2, top);
  ctx.lineTo(x + cupW / 2, top);
  ctx.quadraticCurveTo(x + cupW * 0.48, ground - S * 0.02, x + cupW * 0.3, ground - S * 0.01);
  ctx.lineTo(x - cupW * 0.3, ground - S * 0.01);
  ctx.quadraticCurveTo(x - cupW * 0.48, ground - S * 0.02, x - cupW / 2, top);
  ctx.fill();
  if (!behind) handle();
  // rim + coffee
  ctx.fillStyle = g([245, 243, 238]);
  ctx.beginPath();
  ctx.ellipse(x, top, cupW / 2, S * 0.07, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([92, 52, 28]);
  ctx.beginPath();
  ctx.ellipse(x, top + S * 0.01, cupW * 0.44, S * 0.055, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([200, 150, 100], 0.6);
  ctx.beginPath();
  ctx.ellipse(x - cupW * 0.08, top + S * 0.005, cupW * 0.15, S * 0.02, 0.2, 0, Math.PI * 2);
  ctx.fill();
  // steam: soft wisps rising and swaying
  ctx.lineCap = "round";
  for (let k = 0; k < 3; k++) {
    const t0 = sec * speed * 0.5 + k * 0.33;
    const ph = t0 - Math.floor(t0);
    ctx.strokeStyle = g([255, 255, 255], 0.35 * Math.sin(ph * Math.PI));
    ctx.lineWidth = S * 0.05;
    ctx.beginPath();
    const sx = x + (k - 1) * cupW * 0.22;
    ctx.moveTo(sx, top - S * 0.05);
    for (let j = 1; j <= 8; j++) {
      const yy = top - S * 0.05 - (j / 8) * S * (0.5 + ph * 0.6);
      ctx.lineTo(sx + Math.sin(j * 0.8 + sec * speed * 2 + k * 2) * S * 0.07 * (j / 8), yy);
    }
    ctx.stroke();
  }
}

export function drawInstrument(
  ctx: Ctx,
  P: Painter,
  kind: string,
  sx: number,
  sy: number,
  H: number,
  hit: number,
) {
  const { g } = P;
  const brass = g([225, 170, 60]);
  ctx.lineCap = "round";
  if (kind === "saxophone" || kind === "trumpet") {
    ctx.strokeStyle = brass;
    ctx.lineWidth = H * 0.045;
    ctx.beginPath();
    ctx.moveTo(sx - H * 0.02, sy - H * 0.06);
    ctx.quadraticCurveTo(sx + H * 0.02, sy + H * 0.25, sx + H * 0.1, sy + H * 0.2);
    ctx.stroke();
    ctx.fillStyle = brass;
    ctx.beginPath();
    ctx.ellipse(sx + H * 0.11, sy + H * 0.17, H * 0.05, H * 0.035, -0.6, 0, Math.PI * 2);
    ctx.fill();
    // glint
    ctx.fillStyle = g([255, 245, 200], 0.8);
    ctx.fillRect(sx + H * 0.01, sy + H * 0.05, H * 0.01, H * 0.06);
  } else if (kind === "bass" || kind === "violin" || kind === "guitar") {
    const big = kind === "bass" ? 1 : 0.55;
    ctx.fillStyle = g([130, 70, 35]);
    ctx.beginPath();
    ctx.ellipse(sx, sy + H * 0.22 * big, H * 0.12 * big, H * 0.2 * big, 0.15, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = g([50, 30, 20]);
    ctx.lineWidth = H * 0.02;
    ctx.beginPath();
    ctx.moveTo(sx, sy + H * 0.2 * big);
    ctx.lineTo(sx - H * 0.08, sy - H * 0.3 * big);
    ctx.stroke();
  } else if (kind === "microphone") {
    ctx.strokeStyle = g([40, 40, 45]);
    ctx.lineWidth = H * 0.015;
    ctx.beginPath();
    ctx.moveTo(sx, sy - H * 0.1);
    ctx.lineTo(sx, sy + H * 0.75);
    ctx.stroke();
    ctx.fillStyle = g([150, 150, 160]);
    ctx.beginPath();
    ctx.arc(sx, sy - H * 0.12, H * 0.03, 0, Math.PI * 2);
    ctx.fill();
  } else if (kind === "drums") {
    // A bass drum facing us and a snare; the skin flashes on each hit.
    const skin = mixRGB([235, 225, 205], [255, 255, 255], hit);
    ctx.fillStyle = g([150, 30, 40]);
    ctx.beginPath();
    ctx.arc(sx, sy + H * 0.42, H * 0.22, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = g(skin);
    ctx.beginPath();
    ctx.arc(sx, sy + H * 0.42, H * 0.18, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = g([200, 200, 210]);
    ctx.beginPath();
    ctx.ellipse(sx + H * 0.28, sy + H * 0.22, H * 0.13, H * 0.04, 0, 0, Math.PI * 2);
    ctx.fill();
    // cymbal
    ctx.fillStyle = g([220, 180, 70]);
    ctx.beginPath();
    ctx.ellipse(
      sx - H * 0.3,
      sy + H * 0.02 - hit * H * 0.02,
      H * 0.14,
      H * 0.025,
      -0.2 + hit * 0.2,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  } else if (kind === "piano") {
    ctx.fillStyle = g([20, 20, 25]);
    ctx.fillRect(sx - H * 0.3, sy + H * 0.15, H * 0.6, H * 0.3);
    ctx.fillStyle = g([240, 240, 235]);
    ctx.fillRect(sx - H * 0.28, sy + H * 0.15, H * 0.56, H * 0.05);
  }
}
