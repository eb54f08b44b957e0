// What every area of the OpenAPI document (worker/openapi/*.ts) builds its routes from: named components of the
// shared zod schemas, JSON, binary and error responses, and query objects flattened from the shared intersections.
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ErrorResponseSchema } from "../../shared/api";

export type Registry = OpenAPIRegistry;
export type Route = RouteConfig;

const namedSchemas = new Map<string, z.ZodType>();
/** A shared schema as a named component (#/components/schemas/<id>); one instance per id. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  const known = namedSchemas.get(id);
  if (known) return known as T;
  const withId = schema.meta({ id }) as T;
  namedSchemas.set(id, withId);
  return withId;
}

export const ErrorResponse = named("ErrorResponse", ErrorResponseSchema);

export const json = (description: string, schema: z.ZodType): ResponseConfig => ({ description, content: { "application/json": { schema } } });

/** Little-endian float32 values (weights, checkpoints, optimiser state): no JSON schema describes them. */
export const BINARY = z.string().meta({ contentMediaType: "application/octet-stream", description: "Little-endian float32 values." });
export const binary = (description: string): ResponseConfig => ({ description, content: { "application/octet-stream": { schema: BINARY } } });

/** Error answers (worker/http.ts apiError), by status: what each means on this route. */
export const errors = (byStatus: Readonly<Record<number, string>>): Record<string, ResponseConfig> =>
  Object.fromEntries(Object.entries(byStatus).map(([status, description]) => [status, json(description, ErrorResponse)]));

export const MALFORMED = "The request does not match its schema: error.message lists zod's issues.";
export const RATE_LIMITED = "This address spent its budget of such requests: wait and retry.";

/** A query schema as one object of parameters (the shared query schemas are intersections of objects). */
export function queryObject(schema: z.ZodType): z.ZodObject {
  if (schema instanceof z.ZodObject) return schema;
  if (schema instanceof z.ZodIntersection) return z.object({ ...queryObject(schema.def.left as z.ZodType).shape, ...queryObject(schema.def.right as z.ZodType).shape });
  throw new Error("a query schema is an object or an intersection of objects");
}

export const RunIdParams = z.object({ id: z.string().regex(/^run_[0-9a-f-]{36}$/).describe("The run's id.") });
export const ProtocolIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe("A protocol id (GET /api/protocols).");
