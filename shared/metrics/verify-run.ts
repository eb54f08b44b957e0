// The verification of one submitted run. The generic checks (the workunit, the weights' count and
// finiteness) live here; the family checks its evidence, replays and recomputes its metrics. The Worker
// runs it on every submission; clients run the very same check before they submit.
import type { RunMeta } from "../api";
import { decodeFloat32 } from "../nn/float32-codec";
import { familyOf, type VerifyResources } from "../protocols/families";
import type { Protocol } from "../protocols/types";
import { reject, type Verdict } from "./verdict";

export type { Verdict } from "./verdict";

export interface Assignment {
  readonly protocol: Protocol;
  readonly seed: number;
}

/** `resources`: what the family needs beyond the submission (Colored MNIST: the MNIST pack; see needsMnistPack). */
export function verifySubmission(assignment: Assignment, meta: RunMeta, weightBytes: Uint8Array, resources: VerifyResources = {}): Verdict {
  const { protocol, seed } = assignment;
  const family = familyOf(protocol);
  if (meta.protocolId !== protocol.id || meta.protocolVersion !== protocol.version || meta.seed !== seed) {
    return reject(
      "workunit_mismatch",
      `This workunit is ${protocol.id} v${protocol.version} with seed ${seed}, but the submission says ${meta.protocolId} v${meta.protocolVersion} with seed ${meta.seed}.`,
    );
  }
  const expectedCount = family.paramCount(protocol);
  const weights = decodeFloat32(weightBytes);
  if (!weights || weights.length !== expectedCount) {
    return reject("weights_shape", `Expected ${expectedCount} float32 weights (${expectedCount * 4} bytes), got ${weightBytes.byteLength} bytes.`);
  }
  const badIndex = weights.findIndex((w) => !Number.isFinite(w));
  if (badIndex >= 0) return reject("weights_not_finite", `Weight ${badIndex} is ${weights[badIndex]}; every weight must be finite.`);
  return family.verify(protocol, seed, meta, weights, resources);
}
