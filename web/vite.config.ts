import { reactRouter } from "@react-router/dev/vite";

// A plain object rather than `defineConfig`: the workspace has two vite majors installed (web's
// own and the hoisted one that @react-router/dev and vitest load), whose Plugin types differ.
export default {
  plugins: [reactRouter()],
  // Workspace packages are TypeScript sources: bundle them into the server build rather than
  // leaving Node to import .ts files at run time.
  ssr: { noExternal: ["@reelhouse/shared"] },
};
