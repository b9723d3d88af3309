import { expect, test } from "@playwright/test";
import { makeStudioOwner } from "./studio-owner.ts";

/**
 * The prompt checker tells the truth (issue 11): as a person types, the panel says what the
 * animatic will draw ("Subjects: horse (galloping), field · Style: Van Gogh") and names the words
 * it has no drawing for, so they can rephrase before rendering. Login fixture as in
 * generate.spec.ts.
 */

if (process.env.E2E_DATA_DIR) {
  process.env.DATA_DIR = process.env.E2E_DATA_DIR;
  process.env.PG_PORT = process.env.E2E_PG_PORT ?? "54400";
}

let token: string;
let projectId: string;

test.beforeAll(async () => {
  ({
    token,
    projectIds: [projectId],
  } = await makeStudioOwner("plan", "Plan studio", ["Horse in a field"]));
});

test("the checker shows what will be drawn and names what it cannot draw", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  await page.getByTestId("prompt-editor").click();
  await page.keyboard.type("A horse galloping across a field, Van Gogh style");
  const plan = page.getByTestId("checker-plan");
  await expect(plan).toContainText("Subjects: horse (galloping), field · Style: Van Gogh", {
    timeout: 15_000,
  });
  await expect(page.getByTestId("checker-unplaced")).toHaveCount(0);
  await page.getByTestId("checker").screenshot({
    path: `${process.env.SCREENSHOTS_DIR ?? test.info().outputPath("")}/checker-plan.png`,
  });

  await page.keyboard.type(" next to a zorblat");
  await expect(page.getByTestId("checker-unplaced")).toContainText("“zorblat”", {
    timeout: 15_000,
  });
  await page.getByTestId("checker").screenshot({
    path: `${process.env.SCREENSHOTS_DIR ?? test.info().outputPath("")}/checker-plan-unplaced.png`,
  });
});
