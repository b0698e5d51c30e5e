// Schemas for tool parameters and structured outputs: zod (4+), any Standard Schema that can give a JSON Schema
// (Standard JSON Schema's `~standard.jsonSchema`), or a raw JSON Schema object validated with ajv.
// zod is never imported: it is recognised through the Standard Schema interfaces it implements.
import type { StandardJSONSchemaV1, StandardSchemaV1, StandardTypedV1 } from "@standard-schema/spec";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { describe, fail, isPlainObject } from "../core/check.js";

/**
 * A raw JSON Schema object, e.g. `{ type: "object", properties: { city: { type: "string" } }, required: ["city"] }`.
 *
 * @example
 * ```ts
 * const Point: JsonSchema = { type: "object", properties: { x: { type: "number" } }, required: ["x"] };
 * ```
 */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * What tools, `parse()` and `responseFormat` accept as a schema: a zod 4 schema, any Standard Schema that also
 * implements Standard JSON Schema, or a raw JSON Schema object.
 *
 * @example
 * ```ts
 * const schemas: SchemaLike[] = [z.object({ x: z.number() }), { type: "object", properties: { x: { type: "number" } } }];
 * ```
 */
export type SchemaLike = StandardTypedV1 | JsonSchema;

/**
 * The value type a schema describes: the schema's output type, or `unknown` for a raw JSON Schema.
 *
 * @example
 * ```ts
 * type Weather = InferSchema<typeof WeatherSchema>; // the zod schema's output type
 * ```
 */
export type InferSchema<S> = S extends StandardTypedV1 ? StandardTypedV1.InferOutput<S> : unknown;

/**
 * One reason a value did not match its schema.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof StructuredOutputError) for (const i of err.issues) console.log(i.path.join("."), i.message); }
 * ```
 */
export interface SchemaIssue {
  /** What is wrong, e.g. `Invalid input: expected string, received number`. */
  message: string;
  /** Where, as keys from the root, e.g. `["days", 0]`; empty for the root. */
  path: (string | number)[];
}

/** The outcome of validating a value against a schema. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; issues: SchemaIssue[] };

/** A schema turned into what the SDK needs: the JSON Schema to send, and a validator. */
export interface ResolvedSchema {
  /** The JSON Schema sent to the server (without `$schema`). */
  readonly jsonSchema: JsonSchema;
  /** Validates a decoded JSON value; resolves with the (possibly transformed) value or the issues. */
  validate(value: unknown): Promise<SchemaResult<unknown>>;
}

const cache = new WeakMap<object, ResolvedSchema>();
let ajvInstance: Ajv2020 | undefined;

function ajv(): Ajv2020 {
  ajvInstance ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false });
  return ajvInstance;
}

function withoutMetaSchema(schema: Record<string, unknown>): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

function ajvValidator(what: string, schema: JsonSchema): (value: unknown) => SchemaResult<unknown> {
  // Outside the try: a failure to load ajv itself must not read as a bad schema.
  const compiler = ajv();
  let check: ValidateFunction;
  try {
    check = compiler.compile(schema);
  } catch (err) {
    fail(`${what} is not a valid JSON Schema: ${(err as Error).message}`);
  }
  return (value) => {
    if (check(value)) return { ok: true, value };
    const issues = (check.errors ?? []).map((e) => ({
      message: `${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? `: ${String(e.params.additionalProperty)}` : ""}`,
      path: e.instancePath
        .split("/")
        .slice(1)
        .map((p) => {
          const key = p.replace(/~1/g, "/").replace(/~0/g, "~");
          return /^\d+$/.test(key) ? Number(key) : key;
        }),
    }));
    return { ok: false, issues };
  };
}

function toIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
  return { message: issue.message, path };
}

function isStandard(value: unknown): value is StandardTypedV1 {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { "~standard"?: unknown })["~standard"] === "object"
  );
}

function resolveStandard(what: string, schema: StandardTypedV1): ResolvedSchema {
  const props = schema["~standard"] as Partial<StandardSchemaV1.Props & StandardJSONSchemaV1.Props>;
  const vendor = typeof props.vendor === "string" ? props.vendor : "unknown";
  if (!props.jsonSchema || typeof props.jsonSchema.input !== "function") {
    const hint =
      vendor === "zod"
        ? "zod 3 schemas cannot describe themselves as JSON Schema: use zod 4 (or `zod/v4`), or pass a JSON Schema object"
        : `this ${vendor} schema does not implement Standard JSON Schema (~standard.jsonSchema); pass a JSON Schema object instead`;
    fail(`${what}: ${hint}`);
  }
  let converted: Record<string, unknown>;
  try {
    converted = props.jsonSchema.input({ target: "draft-2020-12" });
  } catch (err) {
    fail(`${what}: the ${vendor} schema could not be converted to JSON Schema (${(err as Error).message})`);
  }
  const jsonSchema = withoutMetaSchema(converted);
  const standardValidate = props.validate;
  if (typeof standardValidate === "function") {
    return {
      jsonSchema,
      async validate(value) {
        const result = await standardValidate(value);
        if (result.issues) return { ok: false, issues: result.issues.map(toIssue) };
        return { ok: true, value: result.value };
      },
    };
  }
  const check = ajvValidator(what, jsonSchema);
  return { jsonSchema, validate: async (value) => check(value) };
}

/**
 * Turns a schema into a JSON Schema and a validator, once per schema object. `what` names the schema's use in
 * error messages (e.g. `tool "get_weather" parameters`).
 */
export function resolveSchema(what: string, schema: unknown): ResolvedSchema {
  if ((typeof schema === "object" || typeof schema === "function") && schema !== null) {
    const cached = cache.get(schema);
    if (cached) return cached;
  }
  let resolved: ResolvedSchema;
  if (isStandard(schema)) {
    resolved = resolveStandard(what, schema);
  } else if (isPlainObject(schema)) {
    const jsonSchema = withoutMetaSchema(schema);
    const check = ajvValidator(what, jsonSchema);
    resolved = { jsonSchema: schema, validate: async (value) => check(value) };
  } else {
    fail(
      `${what} must be a zod schema, a Standard JSON Schema or a JSON Schema object, got ${describe(schema)}`,
    );
  }
  cache.set(schema as object, resolved);
  return resolved;
}

/** Formats issues as `days[0]: expected integer; city: required`. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key),
        "",
      );
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
