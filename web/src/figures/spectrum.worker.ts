// Computes the spectrum of the NTK at initialisation (K = J·Jᵀ for seed 0's initial weights on seed 0's
// data, ≈0.3 s in float64) off the main thread, for the Fig. 2 page.
import { ntkFeatures } from "../../../shared/metrics/ntk";
import { moonsProtocol } from "../../../shared/protocols/registry";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";

export interface SpectrumRequest {
  readonly protocolId: string;
}
export interface SpectrumResponse {
  readonly protocolId: string;
  /** Eigenvalues of K, descending. */
  readonly eigenvalues: Float64Array;
}

self.onmessage = (event: MessageEvent<SpectrumRequest>) => {
  const protocol = moonsProtocol(event.data.protocolId);
  const { eigenvalues } = ntkFeatures(twoMoonsFamily.initialWeights(protocol, 0), twoMoonsFamily.dataset(protocol, 0));
  const response: SpectrumResponse = { protocolId: protocol.id, eigenvalues };
  self.postMessage(response, { transfer: [eigenvalues.buffer] });
};
