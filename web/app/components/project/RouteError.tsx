import { isRouteErrorResponse, Link, useRouteError } from "react-router";

/**
 * Error boundary for the workspace pages: shows the domain's own explanation (a 404 here usually
 * means "gone, or not yours", which the server words for the person) instead of a generic one.
 */
export function RouteError(props: { title404?: string; back?: { to: string; label: string } }) {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Try again in a moment.";
  if (isRouteErrorResponse(error)) {
    title =
      error.status === 404
        ? (props.title404 ?? "Not found")
        : error.status === 403
          ? "Not allowed"
          : `Error ${error.status}`;
    if (typeof error.data === "string" && error.data) message = error.data;
  }
  const back = props.back ?? { to: "/projects", label: "Your workspaces" };
  return (
    <div className="center-card">
      <div className="card rh-stack" data-testid="route-error">
        <h1 className="card-title">{title}</h1>
        <p className="muted">{message}</p>
        <Link to={back.to} className="btn btn-secondary">
          {back.label}
        </Link>
      </div>
    </div>
  );
}
