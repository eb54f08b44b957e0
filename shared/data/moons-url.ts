// The address of a protocol's two-moons dataset on the API, built the same way by server and clients.
import type { MoonsDataSpec } from "../protocols/types";

export function moonsDatasetPath(seed: number, spec: MoonsDataSpec): string {
  const query = new URLSearchParams({
    seed: String(seed),
    margin: String(spec.margin),
    rotation: String(spec.rotationDegrees),
    n: String(spec.nSamples),
    noise: String(spec.noise),
  });
  return `/api/datasets/moons?${query}`;
}
