import type { Operation } from "@reelhouse/shared/api/openapi";

/**
 * /v1/docs: the API reference as one self-contained HTML page, rendered from the same OPERATIONS
 * and OpenAPI document as /v1/openapi.json (so it cannot disagree with it). No scripts.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const code = (s: string) => `<code>${esc(s)}</code>`;

type Json = Record<string, unknown>;

function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return String(schema.$ref).split("/").pop()!;
  if (schema.enum) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return (schema.anyOf as Json[]).map(typeOf).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array") return `${typeOf(schema.items as Json)}[]`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
}

function fields(schema: Json | undefined, components: Json): string {
  const resolved = schema?.$ref
    ? (components[String(schema.$ref).split("/").pop()!] as Json)
    : schema;
  const props = (resolved?.properties ?? {}) as Record<string, Json>;
  const required = new Set((resolved?.required as string[]) ?? []);
  const rows = Object.entries(props)
    .map(
      ([name, p]) =>
        `<tr><td>${code(name)}${required.has(name) ? ' <span class="req">required</span>' : ""}</td><td>${esc(typeOf(p))}</td><td>${esc(String(p.description ?? ""))}${p.default !== undefined ? ` Default ${code(JSON.stringify(p.default))}.` : ""}</td></tr>`,
    )
    .join("");
  return rows ? `<table><tr><th>field</th><th>type</th><th></th></tr>${rows}</table>` : "";
}

/** The schema's first documented example as a JSON block, if it has one. */
function example(schema: Json | undefined, components: Json): string {
  const resolved = schema?.$ref
    ? (components[String(schema.$ref).split("/").pop()!] as Json)
    : schema;
  const first = (resolved?.examples as unknown[] | undefined)?.[0];
  return first === undefined
    ? ""
    : `<p class="muted">Example</p><pre><code>${esc(JSON.stringify(first, null, 2))}</code></pre>`;
}

export function renderReference(doc: Json, operations: Operation[]): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const components = (doc.components as { schemas: Json }).schemas;
  const sections = operations
    .map((op) => {
      const o = paths[op.path]![op.method]!;
      const params = ((o.parameters as Json[]) ?? [])
        .map(
          (p) =>
            `<tr><td>${code(String(p.name))} <span class="muted">${esc(String(p.in))}</span></td><td>${esc(typeOf(p.schema as Json))}</td><td>${esc(String((p.schema as Json).description ?? ""))}</td></tr>`,
        )
        .join("");
      const body = o.requestBody as { content: Record<string, { schema: Json }> } | undefined;
      const types = body ? Object.keys(body.content).map(code).join(", ") : "";
      const bodySchema = body
        ? (body.content["application/json"] ?? body.content["multipart/form-data"])!.schema
        : undefined;
      const responses = Object.entries(o.responses as Record<string, Json>)
        .map(([status, r]) => {
          const content = r.content as Record<string, { schema: Json }> | undefined;
          const shape = content
            ? Object.entries(content)
                .map(([t, c]) => `${code(t)} ${esc(typeOf(c.schema))}`)
                .join(", ")
            : "";
          return `<tr><td>${esc(status)}</td><td>${esc(String(r.description))}</td><td>${shape}</td></tr>`;
        })
        .join("");
      return `<section id="${esc(op.operationId)}"><h2><span class="method ${op.method}">${op.method.toUpperCase()}</span> ${code(`/v1${op.path}`)}</h2>
<p><strong>${esc(op.summary)}</strong>${op.scope ? ` · scope ${code(op.scope)}` : ""}</p>
${op.description ? `<p>${esc(op.description)}</p>` : ""}
${params ? `<h3>Parameters</h3><table><tr><th>name</th><th>type</th><th></th></tr>${params}</table>` : ""}
${body ? `<h3>Body</h3><p>${types}</p>${fields(bodySchema, components)}${example(bodySchema, components)}${op.body?.multipartFiles?.length ? `<p>Files (multipart): ${op.body.multipartFiles.map(code).join(", ")}</p>` : ""}` : ""}
<h3>Responses</h3><table><tr><th>status</th><th></th><th>body</th></tr>${responses}</table></section>`;
    })
    .join("\n");
  const schemas = Object.keys(components)
    .map(
      (name) =>
        `<section id="schema-${esc(name)}"><h2>${esc(name)}</h2>${fields(components[name] as Json, components)}</section>`,
    )
    .join("\n");
  const nav = operations
    .map(
      (op) =>
        `<li><a href="#${esc(op.operationId)}">${op.method.toUpperCase()} ${esc(op.path)}</a></li>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>API reference · Reelhouse</title>
<style>body{margin:0;background:#0b0d12;color:#e8eaf0;font:15px/1.55 system-ui,sans-serif}main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem 4rem}nav ul{columns:2;padding-left:1.1rem}a{color:#9db4ff}code{font:13px ui-monospace,Menlo,monospace;background:#1a1e29;padding:.1rem .35rem;border-radius:6px}pre{background:#12151d;border:1px solid #262b38;border-radius:12px;padding:1rem;overflow:auto}pre code{background:none;padding:0}section{border-top:1px solid #262b38;padding-top:1rem;margin-top:1.5rem}h2{font-size:1.1rem}h3{font-size:.95rem;color:#b8bfd3;margin-bottom:.3rem}table{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem}td,th{border-bottom:1px solid #1f2430;padding:.35rem .5rem;text-align:left;vertical-align:top}th{color:#8c93a8;font-weight:500;font-size:.85rem}.method{font:600 12px ui-monospace,monospace;padding:.15rem .45rem;border-radius:6px;margin-right:.4rem}.get{background:#17324d;color:#8fc7ff}.post{background:#1d3b26;color:#8fe3a8}.delete{background:#47201f;color:#ff9d96}.put,.patch{background:#3d321a;color:#f4d35e}.req{color:#f4d35e;font-size:.8rem}.muted{color:#8c93a8}</style>
</head><body><main>
<h1>Reelhouse API reference</h1>
<p>${esc(String((doc.info as Json).description))} Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI ${esc(String(doc.openapi))}).</p>
<pre><code>import OpenAI from "openai";
const openai = new OpenAI({ apiKey: process.env.REELHOUSE_API_KEY, baseURL: "https://your-reelhouse.example/v1" });
const video = await openai.videos.create({ prompt: "A lighthouse at dusk", model: "sora-2" });</code></pre>
<p>Authenticate with ${code("Authorization: Bearer rh_sk_…")} (create keys in <a href="/settings/api">Settings → API keys</a>). Errors: ${code('{"error":{"message","type","param","code"}}')}.</p>
<nav><ul>${nav}</ul></nav>
${sections}
<h1>Schemas</h1>
${schemas}
</main></body></html>`;
}
