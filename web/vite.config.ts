import { reactRouter } from "@react-router/dev/vite";

// A plain function rather than `defineConfig`: the workspace has two vite majors installed (web's
// own and the hoisted one that @react-router/dev and vitest load), whose Plugin types differ.
//
// The SERVER build leaves @reelhouse/shared external: it is imported at run time (Node runs with
// tsx), so web/server.ts and the routes share ONE instance of each shared module (error classes
// for instanceof, pg type parsers, singletons). The browser build bundles what it uses.
export default ({ isSsrBuild }: { isSsrBuild?: boolean }) => ({
  plugins: [reactRouter()],
  build: isSsrBuild
    ? { rollupOptions: { external: (id: string) => id.startsWith("@reelhouse/shared/") } }
    : {},
});
