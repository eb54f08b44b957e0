// Why: the trust benches need honest Colored-MNIST chains to break — real runs of the reduced protocols trained
// with the app's own trainer (tfjs wasm in Node) on the real MNIST pack, cached on disk so a rerun of a bench
// does not train again (minutes per run on this machine).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MnistPack } from "../../shared/data/mnist-pack";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { trainCmnist } from "../../shared/nn/cmnist-train";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { cmnistRestartData, loadCheckedMnistPack } from "../lib/cmnist-data";
import { useNodeBackend } from "../lib/node-backend";

export interface HonestCmnistRun {
  readonly protocol: CmnistProtocol;
  readonly seed: number;
  readonly finalWeights: Float32Array;
  readonly checkpoints: Float32Array;
  readonly lossHistory: readonly number[];
}

const CACHE = join(tmpdir(), "gs-lab-trust-cmnist");

let packPromise: Promise<MnistPack> | null = null;
export const mnistPack = (): Promise<MnistPack> => (packPromise ??= loadCheckedMnistPack().then((checked) => checked.pack));

/** Restart `seed` of `protocol` trained for real (or read back from the cache of an earlier bench run). */
export async function honestCmnistRun(protocol: CmnistProtocol, seed: number, log: (line: string) => void = () => {}): Promise<HonestCmnistRun> {
  const file = join(CACHE, `${protocol.id}-v${protocol.version}-seed${seed}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, "utf8")) as { finalWeights: string; checkpoints: string; lossHistory: number[] };
    const floats = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, "base64")).buffer);
    return { protocol, seed, finalWeights: floats(cached.finalWeights), checkpoints: floats(cached.checkpoints), lossHistory: cached.lossHistory };
  }
  await useNodeBackend("wasm");
  const pack = await mnistPack();
  const started = performance.now();
  const result = await trainCmnist({
    protocol,
    envs: cmnistRestartData(pack, seed, protocol.data.examplesPerEnv).train,
    initialWeights: cmnistInitialWeights(cmnistMlpSpec(protocol.model), seed),
    progressIntervalMs: 60_000,
  });
  log(`  trained ${protocol.id} seed ${seed} for real (tfjs ${result.backend}, ${((performance.now() - started) / 1000).toFixed(0)} s); cached in ${CACHE}`);
  const run = { protocol, seed, finalWeights: result.weights, checkpoints: result.checkpoints!, lossHistory: result.lossHistory };
  mkdirSync(CACHE, { recursive: true });
  const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
  writeFileSync(file, JSON.stringify({ finalWeights: b64(run.finalWeights), checkpoints: b64(run.checkpoints), lossHistory: run.lossHistory }));
  return run;
}
