import { useRef, useState } from "react";
import { Link } from "react-router";
import { Notice } from "../components/ui.tsx";

export function meta() {
  return [{ title: "Verify a video · Reelhouse" }];
}

/** What POST /verify answers (shared/src/provenance/verify.server.ts VerifyResult). */
type Result = {
  verdict: "verified" | "marked" | "tampered" | "other" | "unknown";
  summary: string;
  mime: string;
  bytes: number;
  c2pa: {
    state: string;
    validationState: string | null;
    claims: {
      title: string | null;
      generator: string | null;
      signer: string | null;
      digitalSourceType: string | null;
      actions: { action: string; softwareAgent: string | null }[];
      ingredients: { title: string; instanceId: string | null }[];
    } | null;
    origin: { workspaceName: string | null; backend: string; model: string | null } | null;
    failures: { code: string; explanation: string | null }[];
  };
  watermark: { found: boolean; payload: string | null; z: number | null; error: string | null };
  post: {
    id: string;
    url: string;
    posterUrl: string | null;
    author: string;
    caption: string;
  } | null;
  postHidden: boolean;
  draft: { id: string; workspaceName: string | null; published: boolean } | null;
};

const TONE = {
  verified: "success",
  marked: "success",
  tampered: "error",
  other: "info",
  unknown: "info",
} as const;
const HEADLINE = {
  verified: "Made on this Reelhouse",
  marked: "Watermarked by this Reelhouse",
  tampered: "Changed after it was signed",
  other: "Signed by someone else",
  unknown: "Not from this Reelhouse",
};
const MAX_BYTES = 50 * 1024 * 1024;
const SOURCE_TYPES: Record<string, string> = {
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia":
    "AI-generated (trained algorithmic media)",
};

/**
 * /verify: drop a video or image to see whether it came from this instance (its C2PA manifest,
 * validated with this instance's certificate, and the invisible watermark), which post, and the
 * manifest's claims. The file is sent as the raw body of POST /verify (documented for third
 * parties in docs/api.md) and checked on the server; nothing is stored.
 */
export default function Verify() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [name, setName] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function check(file: File) {
    setError(null);
    setResult(null);
    setName(file.name);
    if (file.size === 0) return setError("That file is empty.");
    if (file.size > MAX_BYTES) return setError("That file is over the 50 MB limit.");
    setBusy(true);
    try {
      const res = await fetch("/verify", {
        method: "POST",
        body: file,
        headers: { "Content-Type": "application/octet-stream" },
      });
      const body = (await res.json().catch(() => null)) as (Result & { error?: string }) | null;
      if (!res.ok || !body) setError(body?.error ?? `The check failed (${res.status}).`);
      else setResult(body);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const claims = result?.c2pa.claims;
  return (
    <div className="page page-narrow verify-page">
      <h1>Verify a video or image</h1>
      <p className="muted">
        Find out whether a file was made on this Reelhouse: we check its C2PA content credentials
        against this instance's certificate and look for our invisible watermark, which survives
        re-encoding, resizing and cropping. The file is checked and discarded, never stored.
      </p>
      <label
        className={`dropzone${busy ? " is-busy" : ""}`}
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const f = e.dataTransfer.files[0];
          if (f) void check(f);
        }}
      >
        <input
          ref={input}
          type="file"
          name="file"
          accept="video/mp4,video/quicktime,image/jpeg,image/png"
          disabled={busy}
          aria-label="Video or image to verify"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void check(f);
          }}
        />
        <span>
          {busy ? `Checking ${name}…` : "Choose or drop an MP4, JPEG or PNG (up to 50 MB)"}
        </span>
      </label>
      {busy && <progress aria-label="Checking" />}
      {error && <Notice tone="error">{error}</Notice>}
      {result && (
        <section className="verify-result" data-verdict={result.verdict} aria-live="polite">
          <Notice tone={TONE[result.verdict]}>
            <strong>{HEADLINE[result.verdict]}.</strong> {result.summary}
          </Notice>
          {result.post && (
            <Link to={result.post.url} className="verify-post">
              {result.post.posterUrl && <img src={result.post.posterUrl} alt="" width={90} />}
              <span>
                @{result.post.author}
                {result.post.caption && <span className="muted"> · {result.post.caption}</span>}
              </span>
            </Link>
          )}
          {result.draft && (
            <p className="verify-draft" data-testid="verify-draft">
              From an unpublished draft{" "}
              <code title={result.draft.id}>{result.draft.id.slice(0, 8)}</code>
              {result.draft.workspaceName && <> of the workspace {result.draft.workspaceName}</>}
            </p>
          )}
          <dl className="verify-facts">
            <dt>Content credentials (C2PA)</dt>
            <dd>
              {result.c2pa.state === "ours"
                ? "Valid, signed by this instance"
                : result.c2pa.state === "other"
                  ? "Valid, signed by someone else"
                  : result.c2pa.state === "invalid"
                    ? "Present but invalid"
                    : "None"}
              {result.c2pa.validationState && ` (${result.c2pa.validationState})`}
            </dd>
            <dt>Invisible watermark</dt>
            <dd>
              {result.watermark.found
                ? `Found (${result.watermark.payload}, strength ${result.watermark.z})`
                : (result.watermark.error ?? "Not found")}
            </dd>
            {claims && (
              <>
                <dt>Made with</dt>
                <dd>
                  {claims.generator ?? "unknown"}
                  {result.c2pa.origin &&
                    ` · ${result.c2pa.origin.backend}${result.c2pa.origin.model ? ` / ${result.c2pa.origin.model}` : ""}`}
                  {result.c2pa.origin?.workspaceName &&
                    ` · workspace ${result.c2pa.origin.workspaceName}`}
                </dd>
                <dt>Source</dt>
                <dd>
                  {claims.digitalSourceType
                    ? (SOURCE_TYPES[claims.digitalSourceType] ?? claims.digitalSourceType)
                    : "not stated"}
                </dd>
                <dt>Signed by</dt>
                <dd>{claims.signer ?? "unknown"}</dd>
                <dt>Actions</dt>
                <dd>{claims.actions.map((a) => a.action).join(", ") || "none"}</dd>
                {claims.ingredients.length > 0 && (
                  <>
                    <dt>Remix of</dt>
                    <dd>
                      <ul>
                        {claims.ingredients.map((i) => (
                          <li key={`${i.instanceId}-${i.title}`}>{i.title}</li>
                        ))}
                      </ul>
                    </dd>
                  </>
                )}
              </>
            )}
            {result.c2pa.failures.length > 0 && (
              <>
                <dt>Failed checks</dt>
                <dd>
                  <ul>
                    {result.c2pa.failures.map((f) => (
                      <li key={f.code + f.explanation}>
                        <code>{f.code}</code> {f.explanation}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              setResult(null);
              if (input.current) input.current.value = "";
              input.current?.click();
            }}
          >
            Check another file
          </button>
        </section>
      )}
    </div>
  );
}
