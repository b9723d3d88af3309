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
let workspaceId: string;

test.beforeAll(async () => {
  ({
    token,
    workspaceId,
    projectIds: [projectId],
  } = await makeStudioOwner("mb", "Model studio", ["Veo spot"]));
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
