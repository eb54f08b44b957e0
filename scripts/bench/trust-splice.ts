// `npm run bench trust-splice [-- --tries 100]`: how often the server's OWN checks refuse a chain with exactly
// one broken link, per family and link position, using the verifier's functions directly in Node (no HTTP).
//   - two-moons, server-replayed (fig1-margin-pos, 10 segments): an honest float64 chain; for link k, every point
//     after it comes from trajectory B — the recipe followed from a displaced copy of point k + 1 (off by half the
//     segment's movement) — and the history says B's losses at B's checkpoints, as a forger would fix it up. Per
//     try the segments are drawn as the Worker draws them (replaySegments, crypto-random bytes; a new and a
//     proven key's count, SEGMENTS_REPLAYED); each segment's verdict on a chain is computed once with
//     checkTrajectory (deterministic for a given chain) and a try is refused iff a drawn segment fails (the
//     first tries of each position also run checkTrajectory on the whole drawn set, to check that equivalence).
//   - two-moons, peer-replayed (fig3-deeper): the server replays no segment; its own check ties the checkpoint
//     to the history. Printed: the server-only rate on the never-trained placeholder chain and on a one-link
//     splice with the history fixed up; peers then replay EVERY segment (rule 3), which is what refuses them.
//   - Colored MNIST reduced (ERM, real runs trained here, scripts/bench/trust-cmnist-runs.ts): per link, a splice
//     of seed 1's points and history (copied chain) and a splice within Adam's reach (the link's end moved on
//     by 30 % of its segment, history unchanged); the check evaluates the reduced training sets whole, so its verdict
//     does not depend on the draw: it is computed once per variant and position (deterministic), and peers replay
//     every segment of every run.
// Also prints each honest point's place in its history bracket (the basis of HISTORY_SLACK).
import { randomBytes } from "node:crypto";
import { SEGMENTS_REPLAYED } from "../../shared/metrics/adaptive-trust";
import { checkCmnistChain } from "../../shared/metrics/cmnist-subsample";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { cryptoDraw } from "../../shared/metrics/cmnist-verify";
import { replaySegment, trainingLoss, type TrainingState } from "../../shared/metrics/replay";
import { checkpointLayout, checkTrajectory, replaySegments, type TrajectoryEvidence } from "../../shared/metrics/trajectory";
import { verifySubmission } from "../../shared/metrics/verify-run";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { historySteps, trajectorySegments } from "../../shared/protocols/evidence";
import type { CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { findProtocol, moonsProtocol } from "../../shared/protocols/registry";
import { twoMoonsFamily } from "../../shared/protocols/two-moons-family";
import type { MoonsProtocol } from "../../shared/protocols/types";
import { buildChain } from "../../shared/testing/honest-chain";
import { placeholderRun } from "../../shared/testing/placeholder-run";
import { honestCmnistRun, mnistPack } from "./trust-cmnist-runs";

type Report = (label: string, value: string) => void;

/** A unit-free displacement: `scale` × ‖b − a‖ in a fixed pseudo-random direction. */
function displaced(a: ArrayLike<number>, b: ArrayLike<number>, scale: number, salt: number): Float32Array {
  let norm = 0;
  for (let i = 0; i < b.length; i++) norm += (b[i]! - a[i]!) ** 2;
  const direction = Float64Array.from({ length: b.length }, (_, i) => Math.sin(12.9898 * (i + 1) + 78.233 * salt));
  const dNorm = Math.hypot(...direction);
  return Float32Array.from(b, (v, i) => v + (scale * Math.sqrt(norm) * direction[i]!) / dNorm);
}

/** fig1: per link position, the broken chain's evidence and each segment's own verdict. */
function moonsSplices(protocol: MoonsProtocol, seed: number) {
  const data = twoMoonsFamily.dataset(protocol, seed);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, seed);
  const layout = checkpointLayout(protocol)!;
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  const honest = buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights });
  const recorded = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const pointWeights = (checkpoints: Float32Array, k: number) => checkpoints.subarray(k * layout.size, k * layout.size + layout.weights);
  return segments.map((_, link) => {
    // Points 0..link are honest (point 0: the initial weights); point link + 1 is displaced; the recipe from there.
    const checkpoints = honest.checkpoints.slice();
    let finalWeights: Float32Array;
    const start = link === 0 ? initialWeights : pointWeights(honest.checkpoints, link - 1);
    if (link === segments.length - 1) {
      finalWeights = displaced(start, honest.finalWeights, 0.5, link);
    } else {
      const moved = displaced(start, pointWeights(honest.checkpoints, link), 0.5, link);
      checkpoints.set(moved, link * layout.size);
      let state: TrainingState = { step: segments[link]![1], weights: checkpoints.subarray(link * layout.size, link * layout.size + layout.weights), optimizerState: checkpoints.subarray(link * layout.size + layout.weights, (link + 1) * layout.size) };
      finalWeights = honest.finalWeights;
      for (let k = link + 1; k < segments.length; k++) {
        const [from, to] = segments[k]!;
        const next = replaySegment(protocol, data, seed, { ...state, step: from }, to - from);
        if (k === segments.length - 1) {
          finalWeights = Float32Array.from(next.weights);
          break;
        }
        checkpoints.set(Float32Array.from(next.weights), k * layout.size);
        checkpoints.set(Float32Array.from(next.optimizerState), k * layout.size + layout.weights);
        state = { step: to, weights: checkpoints.subarray(k * layout.size, k * layout.size + layout.weights), optimizerState: checkpoints.subarray(k * layout.size + layout.weights, (k + 1) * layout.size) };
      }
    }
    // The forger's history: the honest one with B's checkpoint losses at their steps.
    const lossHistory = recorded.map((step) => {
      const k = layout.steps.indexOf(step);
      return k >= 0 ? trainingLoss(protocol, data, seed, pointWeights(checkpoints, k), step) : 0.5;
    });
    const evidence: TrajectoryEvidence = { protocol, seed, data, initialWeights, finalWeights, lossHistory, checkpoints };
    const failing = segments.map((__, j) => "status" in checkTrajectory(evidence, [j]));
    return { link, evidence, failing };
  });
}

export async function benchTrustSplice(report: Report, tries: number): Promise<void> {
  // ---- two-moons, server-replayed ----
  const fig1 = moonsProtocol("fig1-margin-pos");
  let started = performance.now();
  const chains = moonsSplices(fig1, 0);
  report(`trust-splice · fig1 chains built (10 positions, float64 replay)`, `${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const standing of ["new", "proven"] as const) {
    const count = SEGMENTS_REPLAYED[standing];
    let worst = 1;
    const rates: string[] = [];
    for (const { link, evidence, failing } of chains) {
      if (failing.filter(Boolean).length !== 1 || !failing[link]) throw new Error(`trust-splice: fig1 chain ${link} breaks at ${failing.map((f, j) => (f ? j : -1)).filter((j) => j >= 0)}, not at its own link only`);
      let refused = 0;
      for (let t = 0; t < tries; t++) {
        const drawn = replaySegments(count, failing.length, new Uint8Array(randomBytes(32)));
        const byMemo = drawn.some((j) => failing[j]);
        if (t < 3 && byMemo !== "status" in checkTrajectory(evidence, drawn)) throw new Error("trust-splice: memoised verdict differs from checkTrajectory");
        if (byMemo) refused++;
      }
      worst = Math.min(worst, refused / tries);
      rates.push(`${link + 1}:${((100 * refused) / tries).toFixed(0)}%`);
    }
    report(`trust-splice · fig1 (server-replayed), ${standing} key (${count} of 10 segments), ${tries} tries/link`, `${rates.join(" ")}; worst link ${(100 * worst).toFixed(1)} %`);
  }

  // ---- two-moons, peer-replayed ----
  const deeper = moonsProtocol("fig3-deeper");
  const environment = { backend: "wasm" as const, tfjsVersion: "4.22.0", client: "cli" as const, userAgent: "bench" };
  const placeholder = placeholderRun(deeper, 0, environment);
  const layout = checkpointLayout(deeper)!;
  const verifyPeer = (checkpoints: Float32Array, lossHistory: number[]) =>
    verifySubmission({ protocol: deeper, seed: 0 }, { ...placeholder.meta, lossHistory, token: "x".repeat(43) }, encodeFloat32(placeholder.weights), { trajectory: { checkpoints, segments: [] } });
  const never = verifyPeer(placeholder.checkpoints, [...placeholder.meta.lossHistory]);
  report(`trust-splice · fig3-deeper (peer-replayed), never-trained placeholder chain, server only`, `${never.status === "rejected" ? "refused" : "ACCEPTED"} (deterministic: no segment drawn); peers replay every segment`);
  const data = twoMoonsFamily.dataset(deeper, 0);
  const spliced = placeholder.checkpoints.slice();
  spliced.set(displaced(placeholder.initialWeights, placeholder.weights, 0.5, 3), 0);
  const steps = historySteps(deeper.training.steps, deeper.evidence.historyEvery);
  const fixed = [...placeholder.meta.lossHistory];
  layout.steps.forEach((step, k) => (fixed[steps.indexOf(step)] = trainingLoss(deeper, data, 0, spliced.subarray(k * layout.size, k * layout.size + layout.weights), step)));
  const splice = verifyPeer(spliced, fixed);
  report(`trust-splice · fig3-deeper, a link broken, history fixed up, server only`, `${splice.status === "rejected" ? `refused (${splice.reason})` : "ACCEPTED"} (deterministic); peers replay every segment`);

  // ---- Colored MNIST reduced ----
  const erm = findProtocol("cmnist-erm-reduced") as CmnistProtocol;
  const pack = await mnistPack();
  const [a, b] = [await honestCmnistRun(erm, 0, (l) => report("trust-splice", l.trim())), await honestCmnistRun(erm, 1, (l) => report("trust-splice", l.trim()))];
  const cmLayout = checkpointLayout(erm)!;
  const check = (checkpoints: Float32Array, finalWeights: Float32Array, lossHistory: readonly number[]) =>
    checkCmnistChain({ protocol: erm, seed: 0, layout: cmLayout, checkpoints, finalWeights, lossHistory, pack, draw: cryptoDraw });
  started = performance.now();
  const honest = check(a.checkpoints, a.finalWeights, a.lossHistory);
  if ("status" in honest) throw new Error(`trust-splice: the honest ERM run is refused: ${honest.message}`);
  report(`trust-splice · cmnist-erm-reduced honest chain (seed 0), one check`, `passed, ${((performance.now() - started) / 1000).toFixed(1)} s wall`);
  for (const p of honest.points) report(`  ${p.label} (step ${p.step})`, `objective ${p.objective.toPrecision(6)}, history ${p.historyLow.toPrecision(6)}–${p.historyHigh.toPrecision(6)}`);
  const links = cmLayout.steps.length + 1;
  const point = (run: typeof a, k: number): Float32Array => (k === links - 1 ? run.finalWeights : run.checkpoints.subarray(k * cmLayout.size, k * cmLayout.size + cmLayout.weights));
  const initial = cmnistInitialWeights(cmnistMlpSpec(erm.model), 0);
  for (const variant of ["copied from seed 1", "within Adam's reach"] as const) {
    const rates: string[] = [];
    for (let link = 0; link < links; link++) {
      const checkpoints = a.checkpoints.slice();
      let finalWeights = a.finalWeights;
      let lossHistory = a.lossHistory;
      const put = (k: number, weights: Float32Array) => (k === links - 1 ? (finalWeights = Float32Array.from(weights)) : checkpoints.set(weights, k * cmLayout.size));
      if (variant === "copied from seed 1") {
        // Every point after the link is seed 1's (weights and moments), and so is the history from there.
        for (let k = link; k < links; k++) {
          if (k === links - 1) finalWeights = b.finalWeights;
          else checkpoints.set(b.checkpoints.subarray(k * cmLayout.size, (k + 1) * cmLayout.size), k * cmLayout.size);
        }
        const cut = Math.floor((link === 0 ? 0 : cmLayout.steps[link - 1]!) / erm.evidence.historyEvery) + 1;
        lossHistory = [...a.lossHistory.slice(0, cut), ...b.lossHistory.slice(cut)];
      } else {
        // The link's end moved on by 30 % of the segment (breaking this link and the next one for a replay).
        const previous = link === 0 ? initial : point(a, link - 1);
        put(link, Float32Array.from(point(a, link), (v, i) => v + 0.3 * (v - previous[i]!)));
      }
      const verdict = check(checkpoints, finalWeights, lossHistory);
      rates.push(`${link + 1}:${"status" in verdict ? `refused (${verdict.status === "rejected" ? verdict.reason : "?"})` : "passed"}`);
    }
    report(`trust-splice · cmnist-erm-reduced, splice ${variant}, server only (deterministic)`, `${rates.join(" ")}; peers replay every segment`);
  }
  report("trust-splice · note", "server-only rates; a run whose segments peers replay counts only once they agree (rule 1)");
}
