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
  readonly kind: EngineKind;
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

/** "auto": the backend's fused kernel where it covers the lanes, else tfjs ops; "fused": the fused kernel or an error; "tfjs": tfjs ops. */
export type EngineChoice = "auto" | "tfjs" | "fused";

/** The fused wasm kernel, the fused WGSL kernel on tfjs-webgpu's device, or tfjs ops on the registered backend. */
export type EngineKind = "fused" | "fused-webgpu" | "tfjs";

/**
 * Which engine trains these lanes: the registered backend's fused kernel (wasm: the AssemblyScript kernel, when
 * installed, for the 2-H-1 nets with dropout or BatchNorm; webgpu: the WGSL kernel, without BatchNorm) where it covers every lane's network, else tfjs ops (tfjs' cpu and webgl
 * backends always: cpu stays the plain-JavaScript reference). "fused" throws where there is none.
 */
export function chooseEngine(choice: EngineChoice, lanes: readonly Lane[]): EngineKind {
  if (choice === "tfjs") return "tfjs";
  const backend = tf.getBackend();
  const covered = lanes.every((lane) => fusedSupports(lane.protocol));
  // The WGSL kernel has no BatchNorm.
  const coveredOnGpu = covered && lanes.every((lane) => !lane.protocol.model.batchNorm);
  const fused: EngineKind | null = backend === "wasm" && covered && moonsKernelInstalled() ? "fused" : backend === "webgpu" && coveredOnGpu ? "fused-webgpu" : null;
  if (choice === "fused" && !fused) {
    throw new Error(!covered || (backend === "webgpu" && !coveredOnGpu) ? "the fused kernels do not cover these lanes' network" : `no fused kernel for the ${backend} backend here (wasm needs the kernel installed)`);
  }
  return fused ?? "tfjs";
}

export function concatenate(parts: readonly Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (all.set(part, offset), offset + part.length), 0);
  return all;
}
