import type { PresenceState, SyncStatus } from "../../lib/collab.client";

const STATUS: Record<SyncStatus, { label: string; hint: string }> = {
  connecting: { label: "Connecting…", hint: "Opening the live connection." },
  offline: {
    label: "Offline",
    hint: "You can keep editing: changes are kept on this device and merge when you reconnect.",
  },
  syncing: { label: "Syncing…", hint: "Sending your latest changes to the server." },
  saved: { label: "Saved", hint: "Every change is saved on the server." },
  denied: { label: "No access", hint: "The server refused this session." },
};

/** offline / syncing / saved, with a dot whose color carries the state. */
export function StatusIndicator(props: { status: SyncStatus; denied?: string | null }) {
  const s = STATUS[props.status];
  return (
    <span
      className={`rh-status rh-status-${props.status}`}
      role="status"
      aria-live="polite"
      title={props.denied ?? s.hint}
      data-testid="sync-status"
      data-status={props.status}
    >
      <span className="rh-status-dot" aria-hidden="true" />
      {s.label}
    </span>
  );
}

/** Avatars of who is here; the tooltip says which shot each person is looking at. */
export function PresenceAvatars(props: {
  presence: PresenceState[];
  shotLabel: (id: string) => string | null;
}) {
  const list = props.presence;
  if (list.length === 0) return null;
  const shown = list.slice(0, 6);
  return (
    <div className="rh-presence" data-testid="presence">
      <span className="rh-sr-only">{list.length} here now:</span>
      {shown.map((p) => {
        const where = p.shotId ? props.shotLabel(p.shotId) : null;
        const title = `${p.user.name}${p.self ? " (you)" : ""}${where ? ` · looking at ${where}` : ""}`;
        return (
          <span
            key={p.clientId}
            className={`rh-avatar ${p.self ? "is-self" : ""}`}
            style={{ background: p.user.color }}
            title={title}
            aria-label={title}
            role="img"
          >
            {p.user.initials}
          </span>
        );
      })}
      {list.length > shown.length && (
        <span className="rh-avatar rh-avatar-more">+{list.length - shown.length}</span>
      )}
    </div>
  );
}
