// Fig. 4's probes for a set of verified runs: each run's weights downloaded from the server, then the four
// probes computed in a worker of the page's own (fig4.worker.ts) once the MNIST pack is there; results are
// kept per run id, so switching back to a run already probed costs nothing. The worker ends with the page.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { MnistPack } from "../../../shared/data/mnist-pack";
import type { Fig4Probes } from "../../../shared/metrics/cmnist-forward";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";
import { api } from "../api";
import type { Fig4WorkerRequest, Fig4WorkerResponse } from "./fig4.worker";

export interface ProbeRequest {
  readonly runId: string;
  readonly seed: number;
  readonly model: CmnistProtocol["model"];
}

export type ProbeState =
  | { readonly status: "weights" }
  | { readonly status: "waiting" }
  | { readonly status: "queued" }
  | { readonly status: "computing" }
  | { readonly status: "ok"; readonly probes: Fig4Probes; readonly ms: number }
  | { readonly status: "error"; readonly error: unknown };

export interface Fig4ProbesHandle {
  readonly states: ReadonlyMap<string, ProbeState>;
  /** Downloads a run's weights and probes it again after an error. */
  readonly retry: (runId: string) => void;
}

export function useFig4Probes(pack: MnistPack | null, requests: readonly ProbeRequest[]): Fig4ProbesHandle {
  const [states, setStates] = useState<ReadonlyMap<string, ProbeState>>(new Map());
  const [attempt, setAttempt] = useState(0);
  const worker = useRef<Worker | null>(null);
  const packSent = useRef(false);
  /** Runs whose weights were asked for, and the weights that wait for the pack. */
  const started = useRef(new Set<string>());
  const pending = useRef(new Map<string, Fig4WorkerRequest>());
  const set = (runId: string, state: ProbeState): void => setStates((current) => new Map(current).set(runId, state));

  useEffect(() => {
    const instance = new Worker(new URL("./fig4.worker.ts", import.meta.url), { type: "module", name: "gs-lab-fig4" });
    instance.onmessage = (event: MessageEvent<Fig4WorkerResponse>) => {
      const response = event.data;
      if (response.kind === "started") set(response.runId, { status: "computing" });
      else if (response.kind === "probes") set(response.runId, { status: "ok", probes: response.probes, ms: response.ms });
      else set(response.runId, { status: "error", error: new Error(`Computing the probes failed: ${response.message}.`) });
    };
    instance.onerror = (event: ErrorEvent) => {
      // A worker that fails to load or crashes answers nothing more: fail whatever still waits on it.
      event.preventDefault();
      const error = new Error(`The probe worker failed: ${event.message || "it could not start"}.`);
      setStates((current) => {
        const next = new Map(current);
        for (const [runId, state] of current) {
          if (state.status === "computing" || state.status === "queued" || state.status === "waiting") next.set(runId, { status: "error", error });
        }
        return next;
      });
    };
    worker.current = instance;
    return () => {
      instance.terminate();
      worker.current = null;
    };
  }, []);

  const send = (request: Fig4WorkerRequest & { kind: "probe" }): void => {
    set(request.runId, { status: "queued" });
    worker.current?.postMessage(request);
  };

  // The pack goes to the worker once (a structured copy, ≈12 MB), then any weights that waited for it.
  useEffect(() => {
    if (!pack || packSent.current || !worker.current) return;
    worker.current.postMessage({ kind: "pack", pack } satisfies Fig4WorkerRequest);
    packSent.current = true;
    for (const request of pending.current.values()) if (request.kind === "probe") send(request);
    pending.current.clear();
  }, [pack]);

  const key = requests.map((r) => r.runId).join(",");
  useEffect(() => {
    for (const { runId, seed, model } of requests) {
      if (started.current.has(runId)) continue;
      started.current.add(runId);
      set(runId, { status: "weights" });
      api.runWeights(runId).then(
        (weights) => {
          const request = { kind: "probe", runId, seed, model, weights } as const;
          if (packSent.current) send(request);
          else {
            pending.current.set(runId, request);
            set(runId, { status: "waiting" });
          }
        },
        (error: unknown) => set(runId, { status: "error", error }),
      );
    }
  }, [key, attempt]);

  const retry = useCallback((runId: string) => {
    started.current.delete(runId);
    setAttempt((n) => n + 1);
  }, []);
  return { states, retry };
}
