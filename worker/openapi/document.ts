// The OpenAPI 3.1 document of the whole API, generated once per isolate from the areas' registrations by
// @asteasolutions/zod-to-openapi (OpenApiGeneratorV31) out of the shared zod schemas.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { AREAS } from "./areas";

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

let generated: OpenApiDocument | null = null;

export function openApiDocument(): OpenApiDocument {
  if (generated) return generated;
  const registry = new OpenAPIRegistry();
  for (const register of AREAS) register(registry);
  generated = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "GS Lab API",
      version: "1",
      description:
        "Crowd-reproduced, server-verified results of 'Gradient Starvation' (Pezeshki et al., NeurIPS 2021). Errors are { error: { reason, message } }. Every request and response is validated against the shared zod schemas this document is generated from.",
      license: { name: "Results: CC BY 4.0; MNIST: CC BY-SA 3.0", url: "https://creativecommons.org/licenses/by/4.0/" },
    },
    servers: [{ url: "/" }],
  });
  return generated;
}
