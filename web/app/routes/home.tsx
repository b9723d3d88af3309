import { Link, redirect } from "react-router";
import { EmptyState, Notice } from "../components/ui.tsx";
import type { Route } from "./+types/home";

export function meta() {
  return [{ title: "Reelhouse — make short AI videos together" }];
}

export function loader({ context, request }: Route.LoaderArgs) {
  const user = context.auth.user;
  const q = new URL(request.url).searchParams;
  // Where deleting an account lands (signed out), with what was done.
  const deleted =
    !user && q.get("deleted") === "1"
      ? { posts: Number(q.get("posts")) || 0, kept: Number(q.get("kept")) || 0 }
      : null;
  if (user && !user.username) throw redirect("/join/profile");
  return {
    deleted,
    user: user
      ? {
          username: user.username!,
          isMinor: user.isMinor,
          email: user.email,
          emailVerified: user.emailVerified,
        }
      : null,
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { user, deleted } = loaderData;
  if (!user)
    return (
      <>
        {deleted ? (
          <Notice>
            <span data-testid="account-deleted">
              Your account is deleted.{" "}
              {deleted.posts === 1 ? "Your post was" : `Your ${deleted.posts} posts were`} removed
              {deleted.kept > 0
                ? `; ${deleted.kept} shared ${deleted.kept === 1 ? "workspace stays" : "workspaces stay"} with the team`
                : ""}
              .
            </span>
          </Notice>
        ) : null}
        <Landing />
      </>
    );
  return (
    <div className="stack-lg">
      <header className="page-header">
        <p className="eyebrow">Home</p>
        <h1>Welcome, @{user.username}</h1>
        <p className="muted">Your feed fills up as you and the people you follow publish videos.</p>
      </header>
      {!user.emailVerified ? (
        <Notice>
          <span data-testid="unverified-email">
            Confirm your email address: we sent a link to <strong>{user.email}</strong>. No mail?{" "}
            <Link to="/settings#s-email">Send it again</Link> from Settings.
          </span>
        </Notice>
      ) : null}
      <EmptyState
        title="Nothing here yet"
        action={
          <Link to="/projects" className="btn btn-primary">
            Create your first video
          </Link>
        }
      >
        <p>
          Start a project, describe a scene, and Reelhouse renders a short vertical clip you can
          refine with your team.
        </p>
      </EmptyState>
    </div>
  );
}

function Landing() {
  return (
    <div className="landing">
      <section className="hero">
        <p className="eyebrow">Invite-only beta</p>
        <h1 className="hero-title">
          Short videos,
          <br />
          <span className="gradient-text">imagined together.</span>
        </h1>
        <p className="hero-lead">
          Reelhouse is a self-hostable studio where your team writes prompts, storyboards and casts
          side by side — and renders them into ten-second vertical videos.
        </p>
        <div className="hero-actions">
          <Link to="/join" className="btn btn-primary btn-lg">
            I have an invite code
          </Link>
          <Link to="/waitlist" className="btn btn-secondary btn-lg">
            Request access
          </Link>
        </div>
        <p className="muted small">
          Already a member? <Link to="/signin">Sign in</Link>
        </p>
      </section>
      <section className="features" aria-label="What you can do">
        <div className="feature card">
          <h3>Write it together</h3>
          <p className="muted">Prompts and storyboards edited live by the whole team.</p>
        </div>
        <div className="feature card">
          <h3>Render in minutes</h3>
          <p className="muted">Queue renders and watch progress as each shot comes back.</p>
        </div>
        <div className="feature card">
          <h3>Share the cut</h3>
          <p className="muted">Publish to your feed or send a private link for review.</p>
        </div>
      </section>
    </div>
  );
}
