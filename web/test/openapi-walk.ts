import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";

/**
 * Walking an OpenAPI 3.1 document in a test (api-rest.test.ts): its routes, valid and invalid
 * values built from its examples and schemas, path templates filled with test ids, and the check
 * that a response is documented for its status and validates (ajv) against the documented schema.
 */

// biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON document
export type Json = Record<string, any>;

export interface Route {
  path: string;
  method: string;
  op: Json;
}

export function openApiWalk(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  const resolve = (s: Json | undefined): Json => {
    if (!s?.$ref) return s ?? {};
    return doc.components.schemas[String(s.$ref).split("/").pop()!];
  };

  /** A valid value for `schema`: its first example, else its default, else built from its type. */
  function sample(schema: Json | undefined): unknown {
    const s = resolve(schema);
    if (s.examples?.length) return structuredClone(s.examples[0]);
    if (s.default !== undefined) return s.default;
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    if (s.anyOf) return sample(s.anyOf[0]);
    switch (Array.isArray(s.type) ? s.type[0] : s.type) {
      case "object":
        return Object.fromEntries(
          (s.required ?? []).map((k: string) => [k, sample(s.properties?.[k])]),
        );
      case "array":
        return [];
      case "integer":
      case "number":
        return s.minimum ?? 1;
      case "boolean":
        return true;
      default:
        return "A quiet pier at dawn";
    }
  }

  /** The sample with its first required (else first) field of the wrong type. */
  function invalidSample(schema: Json): Json {
    const s = resolve(schema);
    const field = s.required?.[0] ?? Object.keys(s.properties ?? {})[0];
    const type = resolve(s.properties?.[field]).type;
    const wrong = type === "object" ? "not an object" : { not: "valid" };
    return { ...(sample(s) as Json), [field]: wrong };
  }

  /** `{name}` → ids[name]; a parameter without an id fails the test with what to add. */
  const fill = (template: string, ids: Record<string, string>) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const id = ids[name];
      if (!id) throw new Error(`no test id for the path parameter {${name}}: add it to pathIds`);
      return id;
    });

  /** Every path and method; deletes last, so the routes before them still find what they need. */
  const routes = (): Route[] =>
    Object.entries(doc.paths as Record<string, Json>)
      .flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ path: p, method, op })))
      .sort((x, y) => Number(x.method === "delete") - Number(y.method === "delete"));

  /** The response must be documented for its status and match the documented schema. */
  async function expectDocumented(r: Route, res: Response, what: string) {
    const documented = r.op.responses[String(res.status)];
    const text = Buffer.from(await res.arrayBuffer());
    expect(
      documented,
      `${what}: ${res.status} is not documented (${text.toString().slice(0, 300)})`,
    ).toBeDefined();
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!;
    expect(Object.keys(documented.content ?? {}), `${what}: content type`).toContain(type);
    if (type === "application/json") {
      const validate = ajv.compile({
        ...documented.content[type].schema,
        components: doc.components,
      });
      const body = JSON.parse(text.toString());
      expect(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    } else expect(text.byteLength, `${what}: empty body`).toBeGreaterThan(0);
  }

  return { resolve, sample, invalidSample, fill, routes, expectDocumented };
}
