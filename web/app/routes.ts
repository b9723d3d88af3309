import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("join", "routes/join.tsx"),
  route("join/account", "routes/join.account.tsx"),
  route("join/profile", "routes/join.profile.tsx"),
  route("waitlist", "routes/waitlist.tsx"),
  route("signin", "routes/signin.tsx"),
  route("signout", "routes/signout.tsx"),
  route("u/:username", "routes/profile.tsx"),
  route("admin", "routes/admin.tsx"),
  // Workspaces, projects and review links (collaborative project workspace).
  route("projects", "routes/projects._index.tsx"),
  route("projects/:projectId", "routes/projects.$projectId.tsx"),
  route("projects/:projectId/collab-token", "routes/projects.$projectId.collab-token.ts"),
  route("projects/:projectId/history/:snapshotId", "routes/projects.$projectId.history.$snapshotId.ts"),
  route("w/:workspaceId", "routes/workspaces.$workspaceId.tsx"),
  route("w/:workspaceId/members", "routes/workspaces.$workspaceId.members.tsx"),
  route("invite/:token", "routes/invite.$token.tsx"),
  route("s/:token", "routes/s.$token.tsx"),
  route("s/:token/collab-token", "routes/s.$token.collab-token.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
