// Colored MNIST (Table 1, Fig. 4) on the command line: `npm run reproduce -- cmnist [options]` dispatches here
// (CMNIST_USAGE in cmnist-cli.ts lists the options). Trains each restart in Node with the app's shared code
// (environments and initial weights from the seed, trainCmnist), recomputes train and test accuracy with the
// float64 forward pass, prints mean ± std next to the paper's Table 1 and the last restart's Fig. 4 probes.
// Ctrl-C stops after the current step and prints the restarts that finished. (That is why `npm run reproduce`
// runs `node --import tsx`, not the tsx CLI: the CLI's parent process SIGKILLs a child that does not answer a
// signal within 30 ms, and a full-batch step keeps the event loop busy for seconds.)
import * as tf from "@tensorflow/tfjs";
import { writeFileSync } from "node:fs";
import { cmnistRunAccuracies, fig4Probes } from "../../shared/metrics/cmnist-forward";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { trainCmnist, type CmnistTrainProgress } from "../../shared/nn/cmnist-train";
import { cmnistChunkSize } from "../../shared/nn/cmnist-chunk";
import { TrainingCancelled } from "../../shared/nn/step-loop";
import { createApiClient } from "../../shared/client/api-client";
import { runWorkunit } from "../../shared/client/run-workunit";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { cliContributorKey, cliFetch, cliWorkunit, progressLines } from "./cli";
import {
  CMNIST_USAGE,
  cmnistJsonReport,
  configurationLine,
  formatFig4,
  formatTable1,
  methodLabel,
  parseCmnistArgs,
  type CmnistCliOptions,
  type ProtocolResult,
  type RestartResult,
} from "./cmnist-cli";
import { coloredMnistPlan } from "../../shared/data/colored-mnist";
import { cmnistRestartData, loadCheckedMnistPack } from "./cmnist-data";
import { selectNodeBackend } from "./node-backend";

/** Runs the command line `argv` (without node and the script); resolves to the exit code (130 when cancelled). */
export async function reproduceCmnist(argv: readonly string[]): Promise<number> {
  let options: CmnistCliOptions;
  try {
    options = parseCmnistArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n(npm run reproduce -- cmnist --help lists the options)`);
    return 2;
  }
  if (options.help) {
    console.log(CMNIST_USAGE);
    return 0;
  }
  const backend = await selectNodeBackend(options.backend);
  console.log(`GS Lab reproduction · Colored MNIST · tfjs ${tf.version.tfjs} on ${backend} · ${options.protocols.map((p) => p.id).join(", ")}`);
  console.log(configurationLine(options.reduced));
  const restartsLine = options.submit ? `${options.restarts.length} runs per protocol, restarts assigned by ${options.submit}` : `restarts ${options.restarts.join(", ")}`;
  // The chunking the runs train with: --chunk, else the trainer's default for the backend.
  const chunkSize = options.chunkSize ?? cmnistChunkSize(backend);
  console.log(`${restartsLine} · ${chunkSize ? `gradient chunks of ${chunkSize} images` : "one gradient chunk per environment"}`);

  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    console.log("\nCtrl-C: stopping after the current step and printing what finished (Ctrl-C again quits at once)");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  const results: ProtocolResult[] = [];
  let cancelled = false;
  try {
    const { pack, sha256 } = await loadCheckedMnistPack();
    console.log(`MNIST pack ${sha256.slice(0, 16)}… (${pack.count} images of ${pack.rows}×${pack.cols}, SHA-256 checked against the manifest)`);
    const progressLine = progressLines(options.progress);
    for (const protocol of options.protocols) {
      const result: { protocol: CmnistProtocol; runs: RestartResult[]; fig4: ProtocolResult["fig4"] } = { protocol, runs: [], fig4: null };
      results.push(result);
      console.log(`\n${protocol.id} — ${protocol.title} (${protocol.training.steps} steps, h = ${protocol.model.hidden})`);
      if (protocol.reduced) console.log(`  ${protocol.reduced.note}`);
      const api = options.submit ? createApiClient(options.submit, cliFetch) : null;
      const contributorKey = options.submit ? cliContributorKey() : undefined;
      for (const [k, planned] of options.restarts.entries()) {
        const progress = (restart: number) =>
          progressLine(`restart ${restart}`, (p: CmnistTrainProgress) => ` · loss ${p.loss.toFixed(4)} · train acc ${(100 * p.trainAccuracy).toFixed(1)} % · ETA ${p.etaSeconds.toFixed(0)} s`);
        const training = { ...(chunkSize ? { chunkSize } : {}), signal: controller.signal };
        let restart = planned;
        let trained: { weights: Float32Array; lossHistory: readonly number[]; steps: number; elapsedMs: number };
        let accuracies: { trainAccuracy: number; testAccuracy: number };
        let verdict = "";
        if (api) {
          // The server assigns the restart; the shared client trains, measures, checks locally, then submits.
          const workunit = await cliWorkunit(api, protocol.id, options.submit!);
          restart = workunit.seed;
          const run = await runWorkunit({
            api,
            workunit,
            environment: { tfjsVersion: tf.version.tfjs, client: "cli", userAgent: `node ${process.version}` },
            ...(options.contributor ? { contributor: options.contributor } : {}),
            ...(contributorKey ? { contributorKey } : {}),
            loadMnistPack: async () => pack,
            cmnistTraining: { ...training, onProgress: progress(restart) },
          });
          trained = run.cmnistResult!;
          accuracies = { trainAccuracy: run.meta.claimed.trainAccuracy!, testAccuracy: run.meta.claimed.testAccuracy! };
          const started = Date.now();
          const record = await api.submitRun(run.meta, run.weights, run.checkpoints);
          verdict = ` · server: ${record.status}${record.reason ? ` (${record.reason})` : ""} in ${Date.now() - started} ms, ${options.submit}/runs/${record.id}`;
          if (record.status !== "accepted") verdict += `\n    ${record.message}`;
        } else {
          const data = cmnistRestartData(pack, restart, protocol.data.examplesPerEnv);
          trained = await trainCmnist({
            protocol,
            envs: data.train,
            initialWeights: cmnistInitialWeights(cmnistMlpSpec(protocol.model), restart),
            ...training,
            onProgress: progress(restart),
          });
          accuracies = cmnistRunAccuracies(protocol.model, trained.weights, data);
        }
        if (process.stdout.isTTY) process.stdout.write("\r");
        const trainCount = 2 * Math.min(protocol.data.examplesPerEnv ?? 25000, 25000);
        const run: RestartResult = { restart, ...accuracies, finalLoss: trained.lossHistory.at(-1) ?? Number.NaN, steps: trained.steps, elapsedMs: trained.elapsedMs };
        result.runs.push(run);
        console.log(
          `  restart ${restart}: train ${(100 * run.trainAccuracy).toFixed(2)} % (${trainCount} images) · test ${(100 * run.testAccuracy).toFixed(2)} % · ` +
            `last loss ${run.finalLoss.toFixed(4)} · ${((run.steps * 1000) / run.elapsedMs).toFixed(2)} steps/s${verdict}`,
        );
        if (k === options.restarts.length - 1) {
          result.fig4 = { restart, probes: fig4Probes(protocol.model, trained.weights, pack, coloredMnistPlan(pack.labels, restart)[2]!) };
        }
      }
    }
  } catch (error) {
    if (!(error instanceof TrainingCancelled)) throw error;
    cancelled = true;
    if (process.stdout.isTTY) process.stdout.write("\n");
    console.log("cancelled: the tables below hold only the restarts that finished");
  } finally {
    process.off("SIGINT", onInterrupt);
  }

  const reduced = options.reduced !== null;
  console.log(`\n${configurationLine(options.reduced)}`);
  for (const line of formatTable1(results, reduced)) console.log(line);
  console.log("");
  for (const line of formatFig4(results, reduced)) console.log(line);
  if (results.some((r) => r.fig4 && !r.protocol.reference.fig4)) {
    console.log(`  (the paper has no Fig. 4 probes for ${results.filter((r) => !r.protocol.reference.fig4).map((r) => methodLabel(r.protocol)).join(", ")})`);
  }
  if (options.json) {
    const report = cmnistJsonReport(results, { backend, tfjs: tf.version.tfjs, chunkSize: options.chunkSize, reduced: options.reduced, cancelled });
    writeFileSync(options.json, JSON.stringify(report, null, 1));
    console.log(`\nwrote ${options.json}`);
  }
  return cancelled ? 130 : 0;
}
