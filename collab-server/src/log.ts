/** One-line JSON logs on stderr, filtered by LOG_LEVEL. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export function createLogger(
  min: LogLevel = "info",
  sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  return (level, msg, fields) => {
    if (LEVELS[level] < LEVELS[min]) return;
    sink(JSON.stringify({ t: new Date().toISOString(), level, svc: "collab", msg, ...fields }));
  };
}
