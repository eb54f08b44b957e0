// The MNIST pack as the Worker's verifier needs it: read once per isolate from the static assets (the same
// content-addressed file the browser downloads), its size and SHA-256 checked against the committed manifest.
import { decodeMnistPack, type MnistPack } from "../shared/data/mnist-pack";
import { MNIST_PACK_MANIFEST } from "../shared/data/mnist-pack-manifest";
import { checkPackBytes, type DatasetPackManifest } from "../shared/data/pack-manifest";

let cached: Promise<MnistPack> | null = null;

/** Fetches and checks a pack from the assets binding; throws (a server fault) when it is missing or not the manifest's bytes. */
export async function fetchCheckedPack(assets: Fetcher, origin: string, manifest: DatasetPackManifest = MNIST_PACK_MANIFEST): Promise<Uint8Array> {
  const response = await assets.fetch(new Request(new URL(manifest.path, origin)));
  if (!response.ok) throw new Error(`The dataset pack ${manifest.path} is not among the Worker's assets (HTTP ${response.status}); run npm run build.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await checkPackBytes(bytes, manifest);
  return bytes;
}

/** The decoded MNIST pack, shared by every request this isolate serves; a failed load is retried next time. */
export function workerMnistPack(assets: Fetcher, origin: string): Promise<MnistPack> {
  cached ??= fetchCheckedPack(assets, origin).then(decodeMnistPack);
  cached.catch(() => (cached = null));
  return cached;
}
