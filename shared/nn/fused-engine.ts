// The fused-kernel step engine: every lane's step in one float32 wasm call (shared/kernels/moons-kernel.ts),
// values available at once, nothing to dispose but the session.
import { signedTargets } from "../metrics/loss";
import { createFusedSession } from "../kernels/moons-kernel";
import type { PendingStep, StepEngine, StepValues } from "./step-engine";
import type { Lane } from "./train";

type FusedStep = PendingStep & StepValues;

export function fusedEngine(lanes: readonly Lane[]): StepEngine {
  const session = createFusedSession(
    32,
    lanes.map((lane) => ({
      protocol: lane.protocol,
      seed: lane.seed,
      x: lane.data.x,
      targets: signedTargets(lane.data.y),
      weights: lane.initialWeights,
      optimizerState: lane.start?.optimizerState ?? null,
    })),
    { trackRunningStatistics: true },
  );
  const S = lanes.length;
  const allLogits = (): Float32Array => {
    const n = lanes[0]!.data.n;
    const values = new Float32Array(S * n);
    for (let lane = 0; lane < S; lane++) values.set(session.logits(lane), lane * n);
    return values;
  };
  const each = <T>(read: (lane: number) => T): T[] => Array.from({ length: S }, (_, lane) => read(lane));
  return {
    backend: "wasm",
    kind: "fused",
    step(t, keepLogits): FusedStep {
      const losses = session.step(t, 1);
      return { step: t, losses, logits: keepLogits ? allLogits() : null };
    },
    read: async (steps) => (steps as FusedStep[]).map(({ losses, logits }) => ({ losses, logits })),
    release: () => undefined,
    readWeights: async () => each((lane) => Float32Array.from(session.weights(lane))),
    readStates: async () => each((lane) => Float32Array.from(session.optimizerState(lane))),
    evaluate: async () => {
      const losses = session.evaluate();
      return { losses, logits: allLogits() };
    },
    dispose: () => session.dispose(),
  };
}
