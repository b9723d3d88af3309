import { expect, test } from "@playwright/test";
import { makeStudioOwner } from "./studio-owner.ts";

/**
 * An owner sets up Google Veo and ComfyUI in Settings → Model backends (the key is never shown
 * again, only its last 4), then the project's generate form offers only what each backend can
 * make: Veo's two sizes and 4/6/8 s, ComfyUI without the image field. Nothing is rendered (no
 * machine here reaches Veo or has a GPU).
 */

if (process.env.E2E_DATA_DIR) {
  process.env.DATA_DIR = process.env.E2E_DATA_DIR;
  process.env.PG_PORT = process.env.E2E_PG_PORT ?? "54400";
}

let token: string;
let projectId: string;
let storyProjectId: string;
let workspaceId: string;

test.beforeAll(async () => {
  ({
    token,
    workspaceId,
    projectIds: [projectId, storyProjectId],
  } = await makeStudioOwner("mb", "Model studio", ["Veo spot", "Storyboard spot"]));
});

test("Model backends: set up Veo and ComfyUI; the generate form offers only what each can make", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  await page.goto(`/settings/backends?workspace=${workspaceId}`);
  const veo = page.getByTestId("backend-veo");
  await expect(veo).toContainText("not set up");
  await veo.getByLabel("API key").fill("AIzaSy-e2e-secret-key-5678");
  await veo.getByRole("button", { name: "Set up" }).click();
  await expect(page.getByRole("status")).toContainText("Saved veo");
  await expect(veo.getByLabel("API key")).toHaveAttribute("placeholder", /•••• 5678/);
  await expect(page.locator("body")).not.toContainText("e2e-secret");

  const comfy = page.getByTestId("backend-comfyui");
  await comfy.getByLabel("Server URL").fill("ftp://gpu-box:8188");
  await comfy.getByRole("button", { name: "Set up" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter the server's URL");
  await page.getByTestId("backend-comfyui").getByLabel("Server URL").fill("http://gpu-box:8188");
  await page.getByTestId("backend-comfyui").getByRole("button", { name: "Set up" }).click();
  await expect(page.getByTestId("backend-comfyui")).toContainText("set up");
  await page.screenshot({ path: test.info().outputPath("model-backends.png"), fullPage: true });

  await page.goto(`/projects/${projectId}`);
  const backend = page.locator('select[name="backend"]');
  await expect(backend.locator("option")).toHaveText(
    [
      "Previz animatic (built in, CPU)",
      "Google Veo (Gemini API)",
      "ComfyUI (self-hosted GPU, Wan 2.2 5B)",
    ],
    { timeout: 15_000 },
  );
  await backend.selectOption("veo");
  await expect(page.locator('select[name="size"] option')).toHaveCount(2);
  await expect(page.locator('select[name="durationSeconds"] option')).toHaveText([
    "4 s",
    "6 s",
    "8 s",
  ]);
  await expect(page.getByTestId("gen-capabilities")).toContainText("with sound");
  await page.screenshot({ path: test.info().outputPath("generate-veo.png"), fullPage: true });

  await backend.selectOption("comfyui");
  await expect(page.locator('select[name="durationSeconds"] option')).toHaveText(["4 s", "5 s"]);
  await expect(page.getByTestId("gen-no-image")).toContainText("text only");
  await expect(page.locator('input[name="image"]')).toHaveCount(0);

  await backend.selectOption("previz");
  await expect(page.locator('select[name="size"] option')).toHaveCount(3);
  await expect(page.getByLabel("Duration (s)")).toHaveAttribute("type", "number");
});

test("Model backends: the storyboard's render controls offer only what the chosen backend makes", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  // Veo and ComfyUI were set up by the test above (same workspace).
  await page.goto(`/projects/${storyProjectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  const add = page.locator('[data-action="add-shot"]');
  await add.click();
  await add.click();
  const shots = page.getByTestId("shot");
  await expect(shots).toHaveCount(2);
  await shots.nth(0).getByLabel("Prompt").fill("A lighthouse on a cliff at dusk");
  await shots.nth(1).getByLabel("Prompt").fill("Waves crash against black rocks below");
  const controls = page.getByTestId("storyboard-render-controls");
  const backend = controls.getByLabel("Storyboard backend");
  await expect(backend.locator("option")).toHaveCount(3, { timeout: 15_000 });

  // Previz: any whole 4-20 s, a number field; a 7 s shot is fine.
  await backend.selectOption("previz");
  await shots.nth(0).getByLabel("Duration (s)").fill("4");
  await shots.nth(1).getByLabel("Duration (s)").fill("7");
  await expect(shots.nth(1).getByLabel("Duration (s)")).toHaveAttribute("type", "number");
  await expect(controls.getByLabel("Storyboard size").locator("option")).toHaveCount(3);
  await expect(page.getByRole("button", { name: "Render sequence" })).toBeEnabled();

  // Veo: two sizes, 4/6/8 s. The 7 s shot is marked and cannot render; nor can the sequence.
  await backend.selectOption("veo");
  await expect(page.locator('select[name="backend"]')).toHaveValue("veo");
  await expect(controls.getByLabel("Storyboard size").locator("option")).toHaveText([
    "720×1280 vertical",
    "1280×720 landscape",
  ]);
  await expect(page.getByTestId("storyboard-capabilities")).toHaveText(
    "Shots of 4, 6, 8 s · with sound",
  );
  const seven = shots.nth(1).getByLabel("Duration (s)");
  await expect(seven).toHaveAttribute("title", "Google Veo (Gemini API) does not make 7 s clips");
  await expect(seven.locator("option")).toHaveText(["7 (n/a)", "4", "6", "8"]);
  await expect(shots.nth(1).getByTestId("shot-unsupported")).toHaveText(
    "Google Veo (Gemini API) makes clips of 4, 6, 8 s, not 7 s.",
  );
  await expect(page.getByRole("button", { name: "Generate shot 2" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Generate shot 1" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Render sequence" })).toBeDisabled();
  await expect(page.getByTestId("sequence-unsupported")).toHaveText(
    "Shot 2: Google Veo (Gemini API) makes clips of 4, 6, 8 s, not 7 s.",
  );
  // The shell's sticky top bar would cover the storyboard's header in an element screenshot.
  const unstick = ".topbar { position: static !important; }";
  await page
    .locator(".rh-storyboard")
    .screenshot({ path: test.info().outputPath("storyboard-veo.png"), style: unstick });
  await seven.selectOption("6");
  await expect(page.getByRole("button", { name: "Render sequence" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Generate shot 2" })).toBeEnabled();
  await expect(shots.nth(1).getByTestId("shot-unsupported")).toHaveCount(0);

  // ComfyUI: 4 or 5 s, silent. The 6 s shot is marked again.
  await backend.selectOption("comfyui");
  await expect(page.getByTestId("storyboard-capabilities")).toHaveText(
    "Shots of 4, 5 s · silent (no audio from the model)",
  );
  await expect(shots.nth(0).getByLabel("Duration (s)").locator("option")).toHaveText(["4", "5"]);
  await expect(page.getByRole("button", { name: "Render sequence" })).toBeDisabled();
  await page
    .locator(".rh-storyboard")
    .screenshot({ path: test.info().outputPath("storyboard-comfyui.png"), style: unstick });
});
