import { understand } from "./understand.ts";
for (const t of process.argv.slice(2)) { const s = understand({ text: t, sections: {} }); console.log(JSON.stringify({ t, tod: s.timeOfDay, weather: s.weather, lighting: s.lighting, mood: s.mood, style: s.style, setting: s.setting.kind })); }
