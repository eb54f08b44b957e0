// Which tfjs backend trains: "auto" walks webgpu → webgl → wasm → cpu and keeps the first that starts
// (skipping software GPU emulation, which is far slower than wasm); a named backend must start or fail.
import { BackendError } from "../errors";
import type { BackendChoice } from "../routes";
import type { BackendAttempt } from "./messages";

export type BackendName = Exclude<BackendChoice, "auto">;
export const AUTO_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

export interface BackendProbe {
  /** The browser offers this backend at all (e.g. navigator.gpu and an adapter exist). */
  readonly available: boolean;
  /** The GPU is emulated in software (SwiftShader, llvmpipe, a WebGPU fallback adapter). */
  readonly software?: boolean;
  /** Adapter or renderer description, reported with the run. */
  readonly adapter?: string | null;
  readonly note?: string;
}

export interface BackendDriver {
  probe(name: BackendName): Promise<BackendProbe>;
  /** Registers and switches tfjs to the backend; false when it fails to initialise. */
  activate(name: BackendName): Promise<boolean>;
}

export interface BackendSelection {
  readonly backend: BackendName;
  readonly adapter: string | null;
  readonly attempts: BackendAttempt[];
}

export async function selectBackend(choice: BackendChoice, driver: BackendDriver): Promise<BackendSelection> {
  const attempts: BackendAttempt[] = [];
  const tryOne = async (name: BackendName, auto: boolean): Promise<BackendSelection | null> => {
    let probe: BackendProbe;
    try {
      probe = await driver.probe(name);
    } catch (error) {
      probe = { available: false, note: `probing failed: ${(error as Error).message}` };
    }
    if (!probe.available) {
      attempts.push({ backend: name, ok: false, note: probe.note ?? "not available in this browser" });
      return null;
    }
    if (auto && probe.software) {
      attempts.push({ backend: name, ok: false, note: `software emulation (${probe.adapter ?? "no GPU"}) is slower than wasm; choose ${name} explicitly to use it` });
      return null;
    }
    let ok = false;
    let why = "failed to initialise";
    try {
      ok = await driver.activate(name);
    } catch (error) {
      why = `failed to initialise: ${(error as Error).message}`;
    }
    if (!ok) {
      attempts.push({ backend: name, ok: false, note: why });
      return null;
    }
    attempts.push({ backend: name, ok: true, ...(probe.note ? { note: probe.note } : {}) });
    return { backend: name, adapter: probe.adapter ?? null, attempts };
  };

  if (choice !== "auto") {
    const chosen = await tryOne(choice, false);
    if (chosen) return chosen;
    throw new BackendError(`The ${choice} backend is not usable here: ${attempts.at(-1)?.note ?? "unknown reason"}.`);
  }
  for (const name of AUTO_ORDER) {
    const chosen = await tryOne(name, true);
    if (chosen) return chosen;
  }
  throw new BackendError(`No tfjs backend could start (${attempts.map((a) => `${a.backend}: ${a.note}`).join("; ")}).`);
}
