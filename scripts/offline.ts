// Runs on machines that cannot reach the GS Lab server (e.g. a lent GPU box): fetch workunits here, train
// them there, post the submissions from here. Each run is still its own workunit, verified by the server.
//
//   npm run offline -- fetch fig3-deeper --server http://127.0.0.1:8787 --runs 10 --out workunits.json
//   npm run offline -- train workunits.json --out submissions/ [--backend webgpu]   (batched per protocol)
//   npm run offline -- post submissions/ --server http://127.0.0.1:8787
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RunMetaSchema, WorkunitSchema, type Workunit } from "../shared/api";
import { createApiClient } from "../shared/client/api-client";
import { moonsRunFromResult } from "../shared/client/run-workunit";
import { moonsDigest } from "../shared/data/digest";
import { decodeFloat32, encodeFloat32 } from "../shared/nn/float32-codec";
import { trainBatch } from "../shared/nn/train";
import { moonsProtocol } from "../shared/protocols/registry";
import { twoMoonsFamily } from "../shared/protocols/two-moons-family";
import { cliWorkunit } from "./lib/cli";
import { selectNodeBackend } from "./lib/node-backend";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: "string" },
    runs: { type: "string", default: "10" },
    out: { type: "string" },
    backend: { type: "string", default: "best" },
    contributor: { type: "string" },
  },
});
const [command, target] = positionals;
const need = (value: string | undefined, what: string): string => {
  if (!value) throw new Error(`${command} needs ${what}`);
  return value;
};

if (command === "fetch") {
  const server = need(options.server, "--server URL");
  const api = createApiClient(server);
  const protocol = moonsProtocol(need(target, "a two-moons protocol id"));
  const workunits = await Promise.all(Array.from({ length: Number(options.runs) }, () => cliWorkunit(api, protocol.id, server)));
  writeFileSync(need(options.out, "--out FILE"), JSON.stringify(workunits, null, 1));
  console.log(`fetched ${workunits.length} workunits of ${protocol.id} (seeds ${workunits.map((w) => w.seed).join(", ")}); they expire at ${workunits[0]?.expiresAt}`);
} else if (command === "train") {
  const workunits = WorkunitSchema.array().parse(JSON.parse(readFileSync(need(target, "a workunits file"), "utf8")));
  const out = need(options.out, "--out DIR");
  mkdirSync(out, { recursive: true });
  const backend = await selectNodeBackend(options.backend);
  const byProtocol = new Map<string, Workunit[]>();
  for (const w of workunits) byProtocol.set(w.protocolId, [...(byProtocol.get(w.protocolId) ?? []), w]);
  for (const [protocolId, group] of byProtocol) {
    const protocol = moonsProtocol(protocolId);
    const lanes = await Promise.all(group.map((w) => laneFor(protocol, w)));
    console.log(`${protocolId}: training seeds ${group.map((w) => w.seed).join(", ")} together on ${backend}`);
    const results = await trainBatch({ lanes, onProgress: (p) => void (p.step % 1000 < 10 && console.log(`  step ${p.step}/${p.steps} · ${p.stepsPerSecond.toFixed(1)} steps/s`)) });
    for (const [k, workunit] of group.entries()) {
      const environment = { tfjsVersion: tf.version.tfjs, client: "cli", userAgent: `node ${process.version} (offline)` } as const;
      const run = moonsRunFromResult(protocol, { workunit, environment, ...(options.contributor ? { contributor: options.contributor } : {}) }, lanes[k]!.data, lanes[k]!.initialWeights, results[k]!);
      writeFileSync(join(out, `${workunit.workunitId}.json`), JSON.stringify(run.meta));
      writeFileSync(join(out, `${workunit.workunitId}.f32`), encodeFloat32(run.weights));
      if (run.checkpoints) writeFileSync(join(out, `${workunit.workunitId}.checkpoints.f32`), encodeFloat32(run.checkpoints));
      console.log(`  seed ${workunit.seed}: local verdict ${run.localVerdict.status}${run.localVerdict.status === "rejected" ? ` (${run.localVerdict.message})` : ""}`);
    }
  }
} else if (command === "post") {
  const api = createApiClient(need(options.server, "--server URL"));
  const dir = need(target, "a submissions directory");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const meta = RunMetaSchema.parse(JSON.parse(readFileSync(join(dir, file), "utf8")));
    const weights = decodeFloat32(new Uint8Array(readFileSync(join(dir, file.replace(/\.json$/, ".f32")))))!;
    const checkpointsFile = join(dir, file.replace(/\.json$/, ".checkpoints.f32"));
    const checkpoints = existsSync(checkpointsFile) ? decodeFloat32(new Uint8Array(readFileSync(checkpointsFile))) : null;
    const record = await api.submitRun(meta, weights, checkpoints);
    console.log(`${meta.protocolId} seed ${meta.seed}: ${record.status}${record.reason ? ` (${record.reason}: ${record.message})` : ""} · ${options.server}/runs/${record.id}`);
  }
} else {
  console.error("usage: npm run offline -- fetch|train|post ... (see the header of scripts/offline.ts)");
  process.exit(2);
}

/** A workunit's lane: its data rebuilt here (no network) and checked against the workunit's SHA-256. */
async function laneFor(protocol: ReturnType<typeof moonsProtocol>, workunit: Workunit) {
  const data = twoMoonsFamily.dataset(protocol, workunit.seed);
  if ((await moonsDigest(data)) !== workunit.datasetDigest) throw new Error(`seed ${workunit.seed}: the rebuilt data does not match the workunit's digest`);
  return { protocol, seed: workunit.seed, data, initialWeights: twoMoonsFamily.initialWeights(protocol, workunit.seed) };
}
