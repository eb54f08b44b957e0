// `npm run bench -- cmnist-verify` (also part of `cmnist`): CPU time of the server's Colored-MNIST check
// (shared/metrics/cmnist-verify.ts) on the real MNIST pack, timed in Node's V8 with process.cpuUsage:
//   - one whole verification (plan rebuild from the seed + train accuracy on the default random subset and
//     test accuracy on the whole test env) for ERM (h 300) and IRM (h 390), cold (the process's first call) and warm (median of 3);
//   - the same with subsets of 500 / 1,000 / 2,000 / 5,000 images and with the full sets (50,000 + 10,000),
//     the numbers behind the default subset size.
// The weights are restart 0's initial (Xavier) weights; the claims are their full-set accuracies, so every
// timed verification is accepted.
import { CMNIST_VERIFY_SUBSET, verifyCmnistRun, type CmnistVerifyRequest } from "../../shared/metrics/cmnist-verify";
import { cmnistInitialWeights, cmnistMlpSpec } from "../../shared/nn/cmnist-model";
import { cmnistErm, cmnistIrm, type CmnistProtocol } from "../../shared/protocols/colored-mnist";
import { loadCheckedMnistPack } from "../lib/cmnist-data";

type Report = (label: string, value: string) => void;

const ALL = Number.MAX_SAFE_INTEGER;
const DEFAULT_LABEL = `${CMNIST_VERIFY_SUBSET.trainSize.toLocaleString("en-US")} random training images + the whole test env`;
const draw = (n: number): number => Math.floor(Math.random() * n);

/** CPU milliseconds (user + system) of one verification, which must be accepted. */
function timedVerify(request: CmnistVerifyRequest): number {
  const start = process.cpuUsage();
  const verdict = verifyCmnistRun(request);
  const used = process.cpuUsage(start);
  if (verdict.status !== "accepted") throw new Error(`cmnist-verify benchmark: rejected: ${verdict.message}`);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchCmnistVerify(report: Report): Promise<void> {
  const { pack } = await loadCheckedMnistPack();
  const requests = (protocol: CmnistProtocol) => {
    const weights = cmnistInitialWeights(cmnistMlpSpec(protocol.model), 0);
    const base = { protocol, seed: 0, weights, pack, claims: {} };
    const full = verifyCmnistRun({ ...base, claims: { trainAccuracy: 0, testAccuracy: 0 }, subset: { trainSize: ALL, testSize: ALL, draw } });
    const { trainAccuracy, testAccuracy } = full.recomputed!;
    return (sizes: { trainSize: number; testSize: number }): CmnistVerifyRequest => ({
      ...base,
      claims: { trainAccuracy: trainAccuracy!, testAccuracy: testAccuracy! },
      subset: { ...sizes, draw },
    });
  };
  const nets = [
    { name: "ERM 392-300-300-1", request: requests(cmnistErm) },
    { name: "IRM 392-390-390-1", request: requests(cmnistIrm) },
  ];
  // Cold: the first timed call of the process for each network's default-size verification.
  for (const { name, request } of nets) {
    report(`cmnist-verify · ${name} · default (${DEFAULT_LABEL}), cold`, `${timedVerify(request(CMNIST_VERIFY_SUBSET)).toFixed(0)} ms CPU`);
  }
  for (const { name, request } of nets) {
    report(`cmnist-verify · ${name} · default (${DEFAULT_LABEL}), warm (median of 3)`, `${median([0, 1, 2].map(() => timedVerify(request(CMNIST_VERIFY_SUBSET)))).toFixed(0)} ms CPU`);
    for (const size of [500, 1000, 2000, 5000, ALL]) {
      const times = [0, 1, 2].map(() => timedVerify(request({ trainSize: size, testSize: size })));
      const what = size === ALL ? "full sets (50,000 train + 10,000 test)" : `subset ${size} of each set`;
      report(`cmnist-verify · ${name} · ${what}, warm (median of 3)`, `${median(times).toFixed(0)} ms CPU`);
    }
  }
}
