import { describe, expect, it } from "vitest";
import { compileEdit, EditCompileError, type EditSource, layoutClips } from "./compile.ts";
import { editToCsv, editToEdl, timecode } from "./export.ts";
import {
  extendConcatList,
  extendJoinArgs,
  extendRangeProblem,
  extendRequestSchema,
  extendSourceVideoArgs,
  extendTailArgs,
} from "./extend.ts";
import { applyGrade, gradeFilters, gradeStages } from "./grade.ts";
import { findLoopPoint } from "./loop.ts";
import { applyLut, formatCube, LutError, lutFromFunction, parseCube } from "./lut.ts";
import { type Edit, type EditInput, editSchema } from "./schema.ts";
import { atempoChain, setptsExpression, speedOutputFrames, speedSegments } from "./speed.ts";
import { detectPlan, scaleTransforms } from "./stabilize.ts";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const src = (draftId: string, over: Partial<EditSource> = {}): EditSource => ({
  draftId,
  path: `/media/${draftId}.mp4`,
  width: 320,
  height: 240,
  fps: 30,
  frames: 300,
  hasAudio: true,
  keyframes: [0, 60, 120, 180, 240],
  ...over,
});
const sources = { [A]: src(A), [B]: src(B) };
const edit = (e: Partial<EditInput> = {}): Edit =>
  editSchema.parse({
    version: 1,
    fps: 30,
    width: 320,
    height: 240,
    clips: [{ id: "c1", draftId: A, inFrame: 0, outFrame: 300 }],
    ...e,
  });
const graphOf = (args: string[]) => args[args.indexOf("-filter_complex") + 1]!;

describe("edit schema refuses what cannot be an edit", () => {
  it.each([
    [
      "an out frame before the in frame",
      { clips: [{ id: "c", draftId: A, inFrame: 50, outFrame: 50 }] },
    ],
    ["a fractional frame", { clips: [{ id: "c", draftId: A, inFrame: 1.5, outFrame: 50 }] }],
    ["a speed above 4×", { speed: [{ frame: 0, speed: 5 }] }],
    ["a speed below 0.25×", { speed: [{ frame: 0, speed: 0.2 }] }],
    [
      "speed keys out of order",
      {
        speed: [
          { frame: 10, speed: 2 },
          { frame: 5, speed: 1 },
        ],
      },
    ],
    ["exposure past ±2 stops", { grade: { exposure: 3 } }],
    ["saturation past 2", { grade: { saturation: 2.5 } }],
    ["an odd width", { width: 321 }],
    ["no clips", { clips: [] }],
    [
      "duplicate clip ids",
      {
        clips: [
          { id: "c", draftId: A, inFrame: 0, outFrame: 5 },
          { id: "c", draftId: A, inFrame: 5, outFrame: 9 },
        ],
      },
    ],
    [
      "a loop shorter than its crossfade",
      { loop: { enabled: true, startFrame: 0, endFrame: 10, crossfadeFrames: 8 } },
    ],
    [
      "a draft id that is not a uuid",
      { clips: [{ id: "c", draftId: "../../etc", inFrame: 0, outFrame: 5 }] },
    ],
  ])("refuses %s", (_name, over) => {
    const r = editSchema.safeParse({
      version: 1,
      fps: 30,
      width: 320,
      height: 240,
      clips: [{ id: "c1", draftId: A, inFrame: 0, outFrame: 30 }],
      ...over,
    });
    expect(r.success).toBe(false);
  });
});

describe("compileEdit", () => {
  it("trims by stream copy when the in frame is a keyframe and nothing else changes", () => {
    const c = compileEdit(edit({ clips: [{ id: "c", draftId: A, inFrame: 60, outFrame: 150 }] }), {
      sources,
      output: "/o.mp4",
    });
    expect(c.mode).toBe("copy");
    expect(c.renderArgs).toContain("copy");
    expect(
      c.renderArgs.slice(c.renderArgs.indexOf("-ss"), c.renderArgs.indexOf("-ss") + 2),
    ).toEqual(["-ss", "2"]);
    expect(c.outputFrames).toBe(90);
  });

  it("re-encodes a trim that starts between keyframes, with trim by frame number", () => {
    const c = compileEdit(edit({ clips: [{ id: "c", draftId: A, inFrame: 37, outFrame: 150 }] }), {
      sources,
      output: "/o.mp4",
    });
    expect(c.mode).toBe("encode");
    expect(graphOf(c.renderArgs)).toContain("trim=start_frame=37:end_frame=150");
    expect(c.outputFrames).toBe(113);
  });

  it("refuses a clip past its draft's last frame and a missing source", () => {
    expect(() =>
      compileEdit(edit({ clips: [{ id: "c", draftId: A, inFrame: 0, outFrame: 301 }] }), {
        sources,
        output: "/o",
      }),
    ).toThrow(EditCompileError);
    expect(() =>
      compileEdit(edit({ clips: [{ id: "c", draftId: B, inFrame: 0, outFrame: 10 }] }), {
        sources: { [A]: src(A) },
        output: "/o",
      }),
    ).toThrow(/no source/);
  });

  it("refuses a LUT grade without its file and paths that would need filter escaping", () => {
    const e = edit({ grade: { lutMediaId: B } });
    expect(() => compileEdit(e, { sources, output: "/o" })).toThrow(/LUT/);
    expect(() => compileEdit(e, { sources, output: "/o", lutPath: "/tmp/a:b'.cube" })).toThrow(
      /path/,
    );
  });

  it("stitches with xfade and acrossfade at the right offsets and subtracts the overlap", () => {
    const e = edit({
      clips: [
        { id: "c1", draftId: A, inFrame: 0, outFrame: 90 },
        {
          id: "c2",
          draftId: B,
          inFrame: 30,
          outFrame: 120,
          transition: { kind: "crossfade", frames: 15 },
        },
        {
          id: "c3",
          draftId: A,
          inFrame: 0,
          outFrame: 60,
          transition: { kind: "wipeleft", frames: 10 },
        },
      ],
    });
    const c = compileEdit(e, { sources, output: "/o.mp4" });
    const g = graphOf(c.renderArgs);
    expect(g).toContain("[p1t]trim=start_frame=75,setpts=PTS-STARTPTS[p1b]");
    expect(g).toContain("[n1h]trim=end_frame=15[n1a]");
    expect(g).toContain("[p1b][n1a]blend=all_expr='A+(B-A)*((N+1)/16)'[m1]");
    expect(g).toContain("acrossfade=d=0.5");
    expect(g).toContain("[p2t]trim=start_frame=155");
    expect(g).toContain("blend=all_expr='if(gte(X,W*(1-((N+1)/11))),B,A)'");
    expect(c.outputFrames).toBe(90 + 90 + 60 - 15 - 10);
    expect(layoutClips(e, sources).map((l) => l.start)).toEqual([0, 75, 155]);
  });

  it("applies a speed ramp with setpts + fps and atempo chains, and the output is shorter", () => {
    const e = edit({
      speed: [
        { frame: 60, speed: 1, ease: "hold" },
        { frame: 120, speed: 2, ease: "hold" },
        { frame: 180, speed: 1, ease: "hold" },
      ],
    });
    const c = compileEdit(e, { sources, output: "/o.mp4" });
    const g = graphOf(c.renderArgs);
    expect(g).toMatch(/setpts='\(if\(lt\(T,4\)/);
    expect(g).toContain("atempo=2");
    expect(c.outputFrames).toBe(300 - 30);
  });

  it("mutes by replacing the sound with silence of the output's length", () => {
    const c = compileEdit(edit({ audio: { mode: "mute" }, speed: [{ frame: 0, speed: 2 }] }), {
      sources,
      output: "/o.mp4",
    });
    const g = graphOf(c.renderArgs);
    expect(g).not.toContain("atempo");
    expect(g).toContain("anullsrc");
    expect(g).toContain("atrim=end=5[aout]");
  });

  it("stabilizes in two passes over the same picture", () => {
    const c = compileEdit(edit({ stabilize: { strength: 0.5 } }), {
      sources,
      output: "/o.mp4",
      transformsPath: "/tmp/x/m.trf",
    });
    expect(graphOf(c.detectArgs!)).toContain(
      "vidstabdetect=shakiness=7:accuracy=15:result=/tmp/x/m.trf",
    );
    expect(graphOf(c.detectArgs!)).not.toContain("atrim");
    expect(graphOf(c.renderArgs)).toContain(
      "vidstabtransform=input=/tmp/x/m.trf:smoothing=22:optzoom=1",
    );
  });

  it("loops by trimming and crossfading the seam; output frames are the loop minus its crossfade", () => {
    const c = compileEdit(
      edit({ loop: { enabled: true, startFrame: 30, endFrame: 120, crossfadeFrames: 6 } }),
      { sources, output: "/o.mp4" },
    );
    const g = graphOf(c.renderArgs);
    expect(g).toContain(
      "[vg]trim=start_frame=30:end_frame=120,setpts=PTS-STARTPTS,split=3[lm][lt][lh]",
    );
    expect(g).toContain("[lm]trim=start_frame=6:end_frame=84");
    expect(g).toContain("[lt]trim=start_frame=84");
    expect(g).toContain("[ltail][lhead]blend=all_expr='A+(B-A)*((N+1)/6)'[lmix]");
    expect(c.outputFrames).toBe(84);
    expect(() =>
      compileEdit(
        edit({ loop: { enabled: true, startFrame: 200, endFrame: 400, crossfadeFrames: 6 } }),
        { sources, output: "/o" },
      ),
    ).toThrow(/past/);
  });

  it("grades with the LUT last, mixed by blend when partial", () => {
    const full = compileEdit(edit({ grade: { exposure: 1, lutMediaId: B } }), {
      sources,
      output: "/o.mp4",
      lutPath: "/l/x.cube",
    });
    // One trip to packed RGB: the exposure as a 1-D table, then the LUT, then back to yuv420p.
    expect(graphOf(full.renderArgs)).toContain(
      "format=bgr24,lutrgb=r='clip((val*2-127.5)*1+128,0,255)':g='clip((val*2-127.5)*1+128,0,255)':b='clip((val*2-127.5)*1+128,0,255)',lut3d=file=/l/x.cube:interp=tetrahedral,format=yuv420p[vg]",
    );
    const half = compileEdit(edit({ grade: { lutMediaId: B, lutMix: 0.5 } }), {
      sources,
      output: "/o.mp4",
      lutPath: "/l/x.cube",
    });
    expect(graphOf(half.renderArgs)).toContain("blend=all_mode=normal:all_opacity=0.5");
  });
});

describe("speed", () => {
  it("splits eased ramps into steps and keeps holds whole", () => {
    const segs = speedSegments(
      [
        { frame: 0, speed: 1, ease: "ease" },
        { frame: 40, speed: 4, ease: "hold" },
      ],
      100,
    );
    expect(segs[0]!.start).toBe(0);
    expect(segs.at(-1)).toEqual({ start: 40, end: 100, speed: 4 });
    expect(segs.length).toBe(11);
    for (let i = 1; i < 10; i++) expect(segs[i]!.speed).toBeGreaterThan(segs[i - 1]!.speed);
    expect(speedOutputFrames([{ start: 0, end: 60, speed: 2 }])).toBe(30);
  });
  it("chains atempo within 0.5…2 for 0.25× and 4×", () => {
    expect(atempoChain(4)).toEqual(["atempo=2", "atempo=2"]);
    expect(atempoChain(0.25)).toEqual(["atempo=0.5", "atempo=0.5"]);
    expect(atempoChain(3)).toEqual(["atempo=2", "atempo=1.5"]);
    expect(atempoChain(1)).toEqual(["atempo=1"]);
  });
  it("maps sequence time to output time piecewise", () => {
    const e = setptsExpression(
      [
        { start: 0, end: 30, speed: 1 },
        { start: 30, end: 90, speed: 2 },
      ],
      30,
    );
    expect(e).toBe("(if(lt(T,1),(0+(T-0)/1),(1+(T-1)/2)))/TB");
  });
});

describe(".cube LUTs", () => {
  const identity = formatCube(lutFromFunction(3, (r, g, b) => [r, g, b], "id"));
  it("round-trips a valid LUT and interpolates it", () => {
    const lut = parseCube(identity);
    expect(lut.size).toBe(3);
    expect(applyLut(lut, [0.2, 0.5, 0.9]).map((v) => Number(v.toFixed(4)))).toEqual([
      0.2, 0.5, 0.9,
    ]);
    const swap = parseCube(formatCube(lutFromFunction(5, (r, g, b) => [b, g, r])));
    expect(applyLut(swap, [1, 0, 0])).toEqual([0, 0, 1]);
  });
  it.each([
    ["grid larger than 65", "LUT_3D_SIZE 66\n", "bad_size"],
    ["grid of 1", "LUT_3D_SIZE 1\n0 0 0\n", "bad_size"],
    ["NaN in the table", identity.replace(/\n0 0 0\n/, "\nNaN 0 0\n"), "bad_number"],
    ["Infinity in the table", identity.replace(/\n0 0 0\n/, "\nInfinity 0 0\n"), "bad_number"],
    ["a huge exponent", identity.replace(/\n0 0 0\n/, "\n1e400 0 0\n"), "bad_number"],
    ["too few rows", identity.split("\n").slice(0, -3).join("\n"), "wrong_count"],
    ["too many rows", `${identity}0 0 0\n`, "wrong_count"],
    ["a 1D LUT", "LUT_1D_SIZE 4\n0 0 0\n", "not_3d"],
    ["no size", 'TITLE "x"\n', "not_3d"],
    ["binary bytes", new Uint8Array([0, 1, 2, 255, 254]), "binary"],
    ["a row with two numbers", identity.replace(/\n0 0 0\n/, "\n0 0\n"), "bad_line"],
    ["an inverted domain", identity.replace("DOMAIN_MAX 1 1 1", "DOMAIN_MAX 0 0 0"), "bad_domain"],
    ["a shell line", "$(rm -rf /)\nLUT_3D_SIZE 2\n", "bad_line"],
  ])("refuses %s with a coded error", (_n, input, code) => {
    try {
      parseCube(input as string);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LutError);
      expect((e as LutError).code).toBe(code);
    }
  });
  it("refuses a file over the size limit before reading it", () => {
    expect(() => parseCube(new Uint8Array(13 * 1024 * 1024))).toThrow(/larger than/);
  });
});

describe("grade", () => {
  it("exposure doubles light per stop and temperature warms", () => {
    const one = applyGrade(
      editSchema.parse({
        version: 1,
        fps: 30,
        width: 16,
        height: 16,
        clips: [{ id: "c", draftId: A, inFrame: 0, outFrame: 1 }],
        grade: { exposure: 1 },
      }).grade,
      [0.2, 0.2, 0.2],
    );
    expect(one.map((v) => Number(v.toFixed(3)))).toEqual([0.4, 0.4, 0.4]);
    const warm = edit({ grade: { temperature: 1 } }).grade;
    const [r, , b] = applyGrade(warm, [0.5, 0.5, 0.5]);
    expect(r).toBeGreaterThan(0.5);
    expect(b).toBeLessThan(0.5);
    expect(gradeFilters(edit({ grade: { preset: "noir" } }).grade).join(",")).toContain(
      "saturation=0",
    );
  });
});

describe("render speed choices", () => {
  it("a grade without channel mixing is one 1-D table in packed RGB and the saturation in YUV", () => {
    const g = edit({
      grade: { exposure: 0.4, temperature: 0.3, contrast: 1.1, saturation: 1.2 },
    }).grade;
    const { rgb, yuv } = gradeStages(g);
    expect(rgb).toHaveLength(1);
    expect(rgb[0]).toMatch(/^lutrgb=r='clip\(\(val\*1\.3\d+-127\.5\)\*1\.1\+128,0,255\)'/);
    expect(yuv).toEqual(["eq=saturation=1.2"]);
    // Mixing presets keep the mixer; with a LUT after it the saturation moves into the matrix.
    expect(gradeStages(edit({ grade: { preset: "noir" } }).grade).rgb[0]).toMatch(
      /^colorchannelmixer=/,
    );
    const withLut = gradeStages(edit({ grade: { saturation: 0.5 } }).grade, { lutLast: true });
    expect(withLut.yuv).toEqual([]);
    expect(withLut.rgb[0]).toContain("colorchannelmixer=rr=0.6495:rg=0.2935:rb=0.057");
    // The whole chain leaves YUV once.
    expect(gradeFilters(g).filter((f) => f.startsWith("format=")).length).toBe(2);
  });

  it("a whole clip's product sound is copied, not re-encoded, when the edit leaves it alone", () => {
    const copyable = { [A]: src(A, { audioCopyable: true }) };
    const graded = compileEdit(edit({ grade: { exposure: 1 } }), {
      sources: copyable,
      output: "/o.mp4",
    }).renderArgs;
    expect(graded[graded.indexOf("-c:a") + 1]).toBe("copy");
    expect(graded[graded.lastIndexOf("-map") + 1]).toBe("0:a:0");
    expect(graphOf(graded)).not.toContain("atrim");
    // Trimmed, sped up, looped, muted or not the product's sound: the sound is rebuilt and encoded.
    const encoded = (e: Edit, s = copyable) =>
      compileEdit(e, { sources: s, output: "/o.mp4" }).renderArgs;
    for (const args of [
      encoded(edit({ clips: [{ id: "c1", draftId: A, inFrame: 37, outFrame: 300 }] })),
      encoded(edit({ speed: [{ frame: 0, speed: 2 }] })),
      encoded(edit({ loop: { enabled: true, startFrame: 0, endFrame: 200, crossfadeFrames: 4 } })),
      encoded(edit({ audio: { mode: "mute" }, grade: { exposure: 1 } })),
      encoded(edit({ grade: { exposure: 1 } }), sources),
    ]) {
      expect(args[args.indexOf("-c:a") + 1]).toBe("aac");
    }
  });

  it("edit renders encode with x264 ultrafast at the product CRF", () => {
    const c = compileEdit(edit({ grade: { exposure: 1 } }), { sources, output: "/o.mp4" });
    const args = c.renderArgs;
    expect(args[args.indexOf("-preset") + 1]).toBe("ultrafast");
    expect(args[args.indexOf("-crf") + 1]).toBe("23");
  });

  it("stabilize measures motion at a short side of ~360 px and never upscales", () => {
    const st = { strength: 0.5, crop: "zoom" as const, zoomPercent: 0 };
    const big = detectPlan(st, 720, 1280, "/t/m.trf");
    expect(big.filters[0]).toBe("scale=360:640:flags=area");
    expect([big.scaleX, big.scaleY]).toEqual([2, 2]);
    const small = detectPlan(st, 320, 240, "/t/m.trf");
    expect(small.filters).toHaveLength(1);
    expect([small.scaleX, small.scaleY]).toEqual([1, 1]);
    const c = compileEdit(edit({ width: 720, height: 1280, stabilize: st }), {
      sources,
      output: "/o.mp4",
      transformsPath: "/t/m.trf",
    });
    expect(c.detectScale).toEqual({ x: 2, y: 2 });
    expect(graphOf(c.detectArgs!)).toContain("scale=360:640:flags=area,vidstabdetect=");
    expect(graphOf(c.renderArgs)).not.toContain("scale=360:640");
  });

  it("rescales a transforms file's vectors, field centres and sizes, and keeps the ratios", () => {
    const trf =
      "VID.STAB 1\n#      accuracy = 15\nFrame 1 (List 0 [])\n" +
      "Frame 2 (List 2 [(LM -3 0 213 81 48 0.426157 2.190538),(LM 0 -10 81 81 48 0.373108 0.931424)])\n";
    expect(scaleTransforms(trf, 2, 2)).toBe(
      "VID.STAB 1\n#      accuracy = 15\nFrame 1 (List 0 [])\n" +
        "Frame 2 (List 2 [(LM -6 0 426 162 96 0.426157 2.190538),(LM 0 -20 162 162 96 0.373108 0.931424)])\n",
    );
    expect(scaleTransforms(trf, 1, 1)).toBe(trf);
    expect(() => scaleTransforms("garbage", 2, 2)).toThrow(/vid\.stab/);
  });
});

describe("extend", () => {
  it("allows whole seconds up to a 20 s result and says how much room is left", () => {
    expect(extendRangeProblem(10, 4)).toBeNull();
    expect(extendRangeProblem(10, 10)).toBeNull();
    expect(extendRangeProblem(10, 11)).toMatch(/at most 10 s/);
    expect(extendRangeProblem(20, 1)).toMatch(/already 20 s/);
    expect(extendRangeProblem(10, 0)).toMatch(/at least 1/);
    expect(extendRangeProblem(10, 1.5)).toMatch(/whole/);
    expect(extendRequestSchema.safeParse({ requestId: "req-00001", seconds: "3" }).success).toBe(
      true,
    );
    expect(extendRequestSchema.safeParse({ requestId: "x", seconds: 3 }).success).toBe(false);
    expect(extendRequestSchema.safeParse({ requestId: "req-00001", seconds: "" }).success).toBe(
      false,
    );
  });

  it("copies the source's video, encodes only the tail and crossfades the sound at D", () => {
    const tail = extendTailArgs({ rerender: "/w/rr.mp4", fromFrame: 120, output: "/w/t.mp4" });
    expect(tail).toContain("trim=start_frame=120,setpts=PTS-STARTPTS,format=yuv420p");
    expect(tail[tail.indexOf("-preset") + 1]).toBe("veryfast");
    expect(tail).toContain("-an");
    const join = extendJoinArgs({
      list: "/w/l.ffconcat",
      source: "/d/src.mp4",
      rerender: "/w/rr.mp4",
      sourceSeconds: 4,
      totalSeconds: 6,
      output: "/o.mp4",
    });
    expect(join.slice(join.indexOf("-c:v"), join.indexOf("-c:v") + 2)).toEqual(["-c:v", "copy"]);
    const g = join[join.indexOf("-filter_complex") + 1]!;
    expect(g).toContain("[1:a:0]atrim=end=4,");
    expect(g).toContain("[2:a:0]atrim=start=3.95:end=6,");
    expect(g).toContain("acrossfade=d=0.05");
    expect(extendSourceVideoArgs({ source: "/d/s.mp4", output: "/w/v.mp4" })).toEqual(
      expect.arrayContaining(["-map", "0:v:0", "-c", "copy", "/w/v.mp4"]),
    );
    expect(extendSourceVideoArgs({ source: "/d/s.mp4", output: "/w/v.mp4" })).not.toContain("0:a");
    expect(extendConcatList("/d/it's.mp4", "/w/t.mp4", 4)).toBe(
      "ffconcat version 1.0\nfile '/d/it'\\''s.mp4'\nduration 4\nfile '/w/t.mp4'\n",
    );
  });
});

describe("loop point search", () => {
  it("finds the period of a repeating clip", () => {
    const frames = Array.from({ length: 100 }, (_, i) => {
      const f = new Uint8Array(64);
      const x = Math.round(28 + 24 * Math.sin((2 * Math.PI * i) / 30));
      for (let k = 0; k < 64; k++) f[k] = Math.abs(k - x) < 4 ? 255 : 0;
      return f;
    });
    const best = findLoopPoint(frames, { minFrames: 20 })!;
    expect((best.endFrame - best.startFrame) % 30).toBe(0);
    expect(best.seamDifference).toBeLessThan(best.typicalDifference);
    expect(findLoopPoint(frames.slice(0, 10), { minFrames: 20 })).toBeUndefined();
  });
});

describe("exports", () => {
  const e = edit({
    clips: [
      { id: "c1", draftId: A, inFrame: 0, outFrame: 90 },
      {
        id: "c2",
        draftId: B,
        inFrame: 30,
        outFrame: 120,
        transition: { kind: "crossfade", frames: 15 },
      },
    ],
  });
  it("writes timecode at the edit's rate", () => {
    expect(timecode(0, 30, 1)).toBe("01:00:00:00");
    expect(timecode(3 * 60 * 30 + 45, 30)).toBe("00:03:01:15");
  });
  it("CSV has one row per clip and defuses formulas", () => {
    const csv = editToCsv(e, sources, { [A]: "=HYPERLINK(1)" })
      .trim()
      .split("\n");
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(`"'=HYPERLINK(1)"`);
    expect(csv[2]).toContain("00:00:02:15");
  });
  it("CMX3600 writes cuts and a dissolve with its length", () => {
    const edl = editToEdl(e, sources, "My edit");
    expect(edl).toMatch(/^TITLE: My edit\nFCM: NON-DROP FRAME/);
    expect(edl).toMatch(
      /001 {2}00000000 AA\/V {2}C {8}00:00:00:00 00:00:03:00 01:00:00:00 01:00:03:00/,
    );
    expect(edl).toMatch(/002 .*D 015 .*00:00:01:00 00:00:04:00 01:00:02:15 01:00:05:15/);
  });
});
