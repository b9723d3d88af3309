/**
 * `npm run -s previz -- COMMAND …`: the previz animatic's command line.
 *   sheet [out.png] [--size WxH] [--columns N]   the contact sheet (sheet.ts)
 */
export {};

const commands: Record<string, () => Promise<{ main: (argv: string[]) => Promise<void> }>> = {
  sheet: () => import("./sheet.ts"),
};

const [name, ...argv] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (!load) {
  console.error(`usage: npm run -s previz -- ${Object.keys(commands).join("|")} …`);
  process.exit(2);
}
try {
  await (await load()).main(argv);
} catch (err) {
  console.error(`previz ${name}: ${(err as Error).message}`);
  process.exit(1);
}
