import { readFileSync, writeFileSync } from "node:fs";
import { renderSheet } from "./src/previz/sheet.ts";
const prompts = readFileSync(process.argv[2]!, "utf8").split("\n").filter(Boolean);
const png = await renderSheet({ width: 480, height: 270, columns: 4, prompts });
writeFileSync(process.argv[3]!, png);
