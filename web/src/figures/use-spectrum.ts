// The NTK spectra at initialisation of some two-moons protocols, computed one after the other in a worker
// of their own (each ≈0.3 s) and delivered as they arrive; the worker ends with the page.
import { useEffect, useState } from "preact/hooks";
import type { SpectrumRequest, SpectrumResponse } from "./spectrum.worker";

export function useSpectra(protocolIds: readonly string[]): ReadonlyMap<string, Float64Array> {
  const [spectra, setSpectra] = useState<ReadonlyMap<string, Float64Array>>(new Map());
  const key = protocolIds.join(",");
  useEffect(() => {
    const worker = new Worker(new URL("./spectrum.worker.ts", import.meta.url), { type: "module", name: "gs-lab-spectrum" });
    worker.onmessage = (event: MessageEvent<SpectrumResponse>) => {
      const { protocolId, eigenvalues } = event.data;
      setSpectra((current) => new Map(current).set(protocolId, eigenvalues));
    };
    for (const protocolId of protocolIds) worker.postMessage({ protocolId } satisfies SpectrumRequest);
    return () => worker.terminate();
  }, [key]);
  return spectra;
}
