// What computes the steps of a two-moons training batch for the one training loop (train.ts): tfjs ops on the
// registered backend (every network, every backend; the reference) or, on the wasm backend, the fused wasm
// kernel (2-H-1 networks), behind one interface, so the loop, its evidence and its progress stay one code path.
import * as tf from "@tensorflow/tfjs-core";
import { fusedSupports, moonsKernelInstalled } from "../kernels/moons-kernel";
import type { Lane } from "./train";

/** A step whose values may still be on the device. */
export interface PendingStep {
  readonly step: number;
}

/** A step's values once read: each lane's loss before the update, and (when kept) the outputs, lane-major [lanes·n]. */
export interface StepValues {
  readonly losses: ArrayLike<number>;
  readonly logits: Float32Array | null;
}

export interface StepEngine {
  /** What result.backend reports. */
  readonly backend: string;
  /** What computes the steps (result.engine). */
  readonly kind: "fused" | "tfjs";
  /** Runs step t of every lane (training mode); keeps the outputs when asked. */
  step(t: number, keepLogits: boolean): PendingStep;
  /** Reads back the values of these steps, in order, and releases them. */
  read(steps: readonly PendingStep[]): Promise<StepValues[]>;
  /** Drops a step's values unread. */
  release(step: PendingStep): void;
  /** Every lane's flat weights (mlpParams order). */
  readWeights(): Promise<Float32Array[]>;
  /** Every lane's compact optimiser state (checkpoint layout). */
  readStates(): Promise<Float32Array[]>;
  /** Every lane's loss and outputs in evaluation mode (no dropout; BatchNorm's running statistics). */
  evaluate(): Promise<StepValues & { readonly logits: Float32Array }>;
  dispose(): void;
}

export type EngineChoice = "auto" | "tfjs" | "fused";

/**
 * "fused" when asked for (throws if it cannot) or, on "auto", where the kernel covers every lane and the wasm
 * backend is registered (the kernel is that backend's implementation of the step; tfjs' cpu backend stays the
 * plain-JavaScript reference, and the GPU backends run tfjs ops).
 */
export function chooseEngine(choice: EngineChoice, lanes: readonly Lane[]): "fused" | "tfjs" {
  if (choice === "tfjs") return "tfjs";
  const covered = moonsKernelInstalled() && lanes.every((lane) => fusedSupports(lane.protocol));
  if (choice === "fused") {
    if (!covered) throw new Error(moonsKernelInstalled() ? "the fused kernel does not cover these lanes' network" : "the fused kernel is not installed here");
    return "fused";
  }
  return covered && tf.getBackend() === "wasm" ? "fused" : "tfjs";
}

export function concatenate(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (all.set(part, offset), offset + part.length), 0);
  return all;
}
