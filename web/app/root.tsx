import { type ReactNode, useEffect } from "react";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import { useNonce } from "./components/nonce.tsx";
import { NotificationBell } from "./components/social/NotificationBell.tsx";
import { Avatar, CsrfInput } from "./components/ui.tsx";
import stylesHref from "./styles/app.css?url";
import { mediaUrl } from "./utils/format.ts";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function meta() {
  return [
    { title: "Reelhouse" },
    { name: "description", content: "Make short AI videos together." },
  ];
}

/** What every page needs: who is signed in (display fields only) and the CSRF token for forms. */
export function loader({ context }: Route.LoaderArgs) {
  const u = context.auth.user;
  return {
    csrfToken: context.auth.csrfToken,
    user: u
      ? {
          username: u.username,
          isAdmin: u.isAdmin,
          isModerator: u.isModerator,
          photo: mediaUrl(u.photoMediaId),
        }
      : null,
  };
}

/**
 * The signed-in person's menu: profile, settings, the queues their roles open, sign out. A
 * <details> so it works before hydration and without JS; a link click closes it.
 */
function AccountMenu({
  user,
}: {
  user: { username: string | null; isAdmin: boolean; isModerator: boolean; photo: string | null };
}) {
  const close = (e: React.MouseEvent) =>
    (e.currentTarget as HTMLElement).closest("details")?.removeAttribute("open");
  const username = user.username ?? "";
  return (
    <details className="nav-menu">
      <summary className="nav-user" aria-label="Account menu">
        <Avatar src={user.photo} name={username} size={32} />
        <span className="nav-username">@{username}</span>
      </summary>
      <div className="nav-menu-panel" role="menu">
        <Link to={`/u/${username}`} role="menuitem" onClick={close}>
          Your profile
        </Link>
        <Link to="/cameos" role="menuitem" onClick={close}>
          Your cameos
        </Link>
        <Link to="/settings" role="menuitem" onClick={close}>
          Settings
        </Link>
        <Link to="/settings/api" role="menuitem" onClick={close}>
          API keys and webhooks
        </Link>
        <Link to="/settings/backends" role="menuitem" onClick={close}>
          Model backends
        </Link>
        {user.isModerator ? (
          <Link to="/moderation" role="menuitem" onClick={close}>
            Moderation
          </Link>
        ) : null}
        {user.isAdmin ? (
          <Link to="/admin" role="menuitem" onClick={close}>
            Admin
          </Link>
        ) : null}
        <Form method="post" action="/signout">
          <CsrfInput />
          <button type="submit" role="menuitem" className="nav-menu-signout">
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}

function TopBar() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to="/" className="brand" aria-label="Reelhouse home">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Reelhouse</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {user?.username ? (
            <>
              <NavLink to="/" end className="nav-link">
                Home
              </NavLink>
              <NavLink to="/feed" className="nav-link">
                Feed
              </NavLink>
              <NavLink to="/projects" className="nav-link">
                Projects
              </NavLink>
              <NotificationBell />
              <AccountMenu user={user} />
            </>
          ) : user ? (
            <Form method="post" action="/signout">
              <CsrfInput />
              <button type="submit" className="btn btn-ghost btn-sm">
                Sign out
              </button>
            </Form>
          ) : (
            <>
              <NavLink to="/signin" className="nav-link">
                Sign in
              </NavLink>
              <Link to="/join" className="btn btn-primary btn-sm">
                Join
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <TopBar />
        <main className="page">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the document once React has hydrated it, so tests (and scripts) can wait for
  // interactive pages without waiting for the network to go quiet, which a page with a live
  // event stream or a streaming video never does.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Try again in a moment.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Page not found";
      message = "There is nothing at this address. Check the link, or go back home.";
    } else {
      title = error.status === 403 ? "Not allowed" : `Error ${error.status}`;
      message =
        typeof error.data === "string" && error.data ? error.data : error.statusText || message;
    }
  }
  return (
    <div className="center-card">
      <div className="card">
        <h1 className="card-title">{title}</h1>
        <p className="muted">{message}</p>
        <Link to="/" className="btn btn-secondary">
          Back home
        </Link>
      </div>
    </div>
  );
}
