// `npm run bench trust-splice [-- --tries 100 --links all]`: how often the server's OWN checks refuse a chain with
// exactly one broken link, per family and link position, using the verifier's functions directly in Node (no HTTP).
//   - two-moons, server-replayed (fig1-margin-pos, every link; fig2-margin-pos, links 1, 2, 20, 39, 40 of 40, or
//     every link with --links all, or a 1-based comma list): an honest
//     float64 chain, then per link position `--tries` chains broken there — the link's end moved in a fresh random
//     direction by a random 10–100 % of the segment's movement, the history fixed up at that checkpoint — each
//     checked as the Worker checks every chain (all segments replayed in order: the honest prefix passes, so the
//     verdict is the broken link's).
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
import { checkCmnistChain } from "../../shared/metrics/cmnist-subsample";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { cryptoDraw } from "../../shared/metrics/cmnist-verify";
import { trainingLoss } from "../../shared/metrics/replay";
import { allSegments, checkpointLayout, checkTrajectory, type TrajectoryEvidence } from "../../shared/metrics/trajectory";
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
  const dNorm = Math.sqrt(direction.reduce((sum, v) => sum + v * v, 0));
  return Float32Array.from(b, (v, i) => v + (scale * Math.sqrt(norm) * direction[i]!) / dNorm);
}

/** Uniform in [0, 1) from crypto bytes. */
const uniform = (): number => randomBytes(4).readUInt32LE(0) / 2 ** 32;

/**
 * A server-replayed two-moons protocol: an honest float64 chain, then per link position `tries` broken chains,
 * each with the link's end moved in a fresh random direction by a random 10–100 % of the segment's own movement
 * (a splice onto another trajectory from there), the history honest up to the break and fixed up at the moved
 * checkpoint (its loss), as a forger would. The Worker replays every segment in order and stops at the first
 * that does not connect; every link before the break is honest (checked once here, all pass), so a try's
 * verdict is checkTrajectory's on the broken link.
 */
function moonsBrokenLinks(report: Report, protocol: MoonsProtocol, seed: number, tries: number, links: readonly number[] | "all"): void {
  const data = twoMoonsFamily.dataset(protocol, seed);
  const initialWeights = twoMoonsFamily.initialWeights(protocol, seed);
  const layout = checkpointLayout(protocol)!;
  const segments = trajectorySegments(protocol.training.steps, protocol.evidence.checkpointEvery!);
  let started = performance.now();
  const honest = buildChain({ protocol, seed, data, initialWeights, real: "all", fallbackFinal: initialWeights });
  const recorded = historySteps(protocol.training.steps, protocol.evidence.historyEvery);
  const honestHistory = recorded.map((step, k) => (k === recorded.length - 1 ? trainingLoss(protocol, data, seed, honest.finalWeights, step) : honest.losses[step]!));
  const honestEvidence: TrajectoryEvidence = { protocol, seed, data, initialWeights, finalWeights: honest.finalWeights, lossHistory: honestHistory, checkpoints: honest.checkpoints };
  const whole = checkTrajectory(honestEvidence, allSegments(protocol));
  if ("status" in whole) throw new Error(`trust-splice: the honest ${protocol.id} chain is refused: ${whole.message}`);
  report(`trust-splice · ${protocol.id} honest chain (seed ${seed}), built and checked whole`, `${segments.length} segments, accepted, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const pointWeights = (checkpoints: Float32Array, k: number) => checkpoints.subarray(k * layout.size, k * layout.size + layout.weights);
  const positions = links === "all" ? segments.map((_, k) => k) : links;
  started = performance.now();
  let worst = 1;
  let smallestAccepted = Infinity;
  const rates: string[] = [];
  for (const link of positions) {
    const last = link === segments.length - 1;
    const start = link === 0 ? initialWeights : pointWeights(honest.checkpoints, link - 1);
    const end = last ? honest.finalWeights : pointWeights(honest.checkpoints, link);
    let refused = 0;
    for (let t = 0; t < tries; t++) {
      const scale = 0.1 + 0.9 * uniform();
      const moved = displaced(start, end, scale, uniform() * 1e6);
      const checkpoints = last ? honest.checkpoints : honest.checkpoints.slice();
      if (!last) checkpoints.set(moved, link * layout.size);
      const lossHistory = honestHistory.slice();
      const at = recorded.indexOf(segments[link]![1]);
      if (at >= 0) lossHistory[at] = trainingLoss(protocol, data, seed, moved, segments[link]![1]);
      const evidence: TrajectoryEvidence = { ...honestEvidence, finalWeights: last ? moved : honest.finalWeights, lossHistory, checkpoints };
      if ("status" in checkTrajectory(evidence, [link])) refused++;
      else smallestAccepted = Math.min(smallestAccepted, scale);
    }
    worst = Math.min(worst, refused / tries);
    rates.push(`${link + 1}:${((100 * refused) / tries).toFixed(0)}%`);
    if (positions.length > 10) process.stderr.write(`trust-splice · ${protocol.id} link ${link + 1}: ${refused} of ${tries} refused (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  report(
    `trust-splice · ${protocol.id} (server-replayed: all ${segments.length} segments), one broken link, ${tries} tries per position`,
    `${rates.join(" ")}; worst position ${(100 * worst).toFixed(1)} %${Number.isFinite(smallestAccepted) ? `; smallest accepted break ${(100 * smallestAccepted).toFixed(0)} % of the segment` : ""} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

/** The 10,000-step run's link positions to break: "all", or a 1-based comma list (default five of its 40). */
export function longRunLinks(option: string | undefined): readonly number[] | "all" {
  if (option === undefined) return [0, 1, 19, 38, 39];
  if (option === "all") return "all";
  const links = option.split(",").map((t) => Number(t) - 1);
  if (links.some((k) => !Number.isInteger(k) || k < 0 || k >= 40)) throw new RangeError(`--links takes "all" or 1-based link numbers from 1 to 40, got ${option}`);
  return links;
}

export async function benchTrustSplice(report: Report, tries: number, longLinks: readonly number[] | "all" = longRunLinks(undefined)): Promise<void> {
  // ---- two-moons, server-replayed: Fig. 1 at every link; a 10,000-step run at the chosen links of its 40 ----
  moonsBrokenLinks(report, moonsProtocol("fig1-margin-pos"), 0, tries, "all");
  moonsBrokenLinks(report, moonsProtocol("fig2-margin-pos"), 0, tries, longLinks);

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
  const started = performance.now();
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
