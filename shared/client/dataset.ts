// Turns the dataset endpoint's JSON back into the exact float64 points, and refuses data whose content
// hash is not the one the workunit promised.
import type { MoonsDatasetResponse } from "../api";
import { moonsDigest } from "../data/digest";
import type { MoonsData } from "../data/moons";

export class DatasetIntegrityError extends Error {
  constructor(expected: string, actual: string) {
    super(`The dataset's SHA-256 is ${actual}, but the workunit expects ${expected}: the download is corrupt or was tampered with.`);
    this.name = "DatasetIntegrityError";
  }
}

export function moonsFromResponse(response: MoonsDatasetResponse): MoonsData {
  const x = new Float64Array(response.n * 2);
  response.x.forEach(([x1, x2], i) => {
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
  });
  return { n: response.n, x, y: Uint8Array.from(response.y) };
}

export async function checkedMoons(response: MoonsDatasetResponse, expectedDigest: string): Promise<MoonsData> {
  const data = moonsFromResponse(response);
  const actual = await moonsDigest(data);
  if (actual !== expectedDigest) throw new DatasetIntegrityError(expectedDigest, actual);
  return data;
}
