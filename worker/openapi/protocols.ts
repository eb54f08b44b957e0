// OpenAPI: the protocol registry and the datasets served to trainers (worker/routes/protocols.ts, datasets.ts).
import { MoonsDatasetQuerySchema, MoonsDatasetSchema, ProtocolsResponseSchema } from "../../shared/api";
import { errors, json, MALFORMED, named, type Registry } from "./common";

export function register(registry: Registry): void {
  registry.registerPath({
    method: "get",
    path: "/api/protocols",
    tags: ["protocols"],
    summary: "Every frozen protocol, its metric definitions and parameter count",
    responses: { 200: json("The registry (cached 5 minutes).", named("ProtocolsResponse", ProtocolsResponseSchema)) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/datasets/moons",
    tags: ["protocols"],
    summary: "The exact two-moons points of a seed, with their SHA-256",
    description: "sklearn's make_moons, then the paper's transform (margin, rotation) unless raw=1. Deterministic: cached forever. Numbers in one canonical decimal spelling only.",
    request: { query: MoonsDatasetQuerySchema },
    responses: { 200: json("The points and labels.", named("MoonsDataset", MoonsDatasetSchema)), ...errors({ 400: MALFORMED }) },
  });
}
