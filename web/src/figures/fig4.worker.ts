// Computes Fig. 4's four probes (10,000 test images × 4 variants through the MLP in float64, several
// seconds) off the main thread: the page sends the MNIST pack once, then one request per verified run.
import { coloredMnistPlan, type CmnistEnvPlan } from "../../../shared/data/colored-mnist";
import type { MnistPack } from "../../../shared/data/mnist-pack";
import { fig4Probes, type Fig4Probes } from "../../../shared/metrics/cmnist-forward";
import { cmnistMlpSpec } from "../../../shared/nn/cmnist-model";
import { mlpParamCount } from "../../../shared/nn/mlp";
import type { CmnistProtocol } from "../../../shared/protocols/colored-mnist";

export type Fig4WorkerRequest =
  | { readonly kind: "pack"; readonly pack: MnistPack }
  | {
      readonly kind: "probe";
      readonly runId: string;
      readonly model: CmnistProtocol["model"];
      /** The run's seed, i.e. its restart: the test environment's labels and colours depend on it. */
      readonly seed: number;
      readonly weights: Float32Array;
    };

export type Fig4WorkerResponse =
  | { readonly kind: "started"; readonly runId: string }
  | { readonly kind: "probes"; readonly runId: string; readonly probes: Fig4Probes; readonly ms: number }
  | { readonly kind: "error"; readonly runId: string; readonly message: string };

let pack: MnistPack | null = null;
/** Test-environment plans by seed (two runs of one seed share theirs). */
const plans = new Map<number, CmnistEnvPlan>();

function testPlan(source: MnistPack, seed: number): CmnistEnvPlan {
  let plan = plans.get(seed);
  if (!plan) {
    plan = coloredMnistPlan(source.labels, seed).find((env) => env.name === "test")!;
    plans.set(seed, plan);
  }
  return plan;
}

self.onmessage = (event: MessageEvent<Fig4WorkerRequest>) => {
  const request = event.data;
  if (request.kind === "pack") {
    pack = request.pack;
    plans.clear();
    return;
  }
  let response: Fig4WorkerResponse;
  self.postMessage({ kind: "started", runId: request.runId } satisfies Fig4WorkerResponse);
  try {
    if (!pack) throw new Error("the MNIST data has not reached the worker");
    const expected = mlpParamCount(cmnistMlpSpec(request.model));
    if (request.weights.length !== expected) {
      throw new Error(`the run's weights have ${request.weights.length} values, this protocol's network has ${expected}`);
    }
    const start = performance.now();
    const probes = fig4Probes(request.model, request.weights, pack, testPlan(pack, request.seed));
    response = { kind: "probes", runId: request.runId, probes, ms: performance.now() - start };
  } catch (error) {
    response = { kind: "error", runId: request.runId, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
};
