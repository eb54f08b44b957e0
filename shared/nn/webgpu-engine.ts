/// <reference types="@webgpu/types" />
// The WebGPU fused step engine: the WGSL kernel (shared/kernels/moons-wgsl.ts) on tfjs-backend-webgpu's own
// device, four dispatches a step for every lane at once, up to MAX_STEPS_PER_SUBMIT steps recorded into one
// submission and read back only where the loop asks for evidence (losses, outputs, checkpoints).
import { fusedSupports } from "../kernels/moons-kernel";
import { MOONS_WGSL, WORKGROUP } from "../kernels/moons-wgsl";
import type { PendingStep, StepEngine, StepValues } from "./step-engine";
import type { Lane } from "./train";

/** Steps recorded before a submission (each needs its own 256-byte uniform slot). */
const MAX_STEPS_PER_SUBMIT = 128;
const UNIFORM_SLOT = 256;

/** A submitted batch of steps: where its losses (and kept outputs) come back. */
interface Batch {
  readonly readback: GPUBuffer;
  readonly steps: number;
  readonly logitsKept: number;
  mapped: Promise<Float32Array> | null;
}

interface WebGpuStep extends PendingStep {
  readonly batch: Batch;
  readonly slot: number;
  /** Index of its outputs among the batch's kept outputs, or -1. */
  readonly logitsIndex: number;
}

/** The GPUDevice of the registered tfjs webgpu backend, if that is what is registered. */
export function tfjsWebGpuDevice(backend: unknown): GPUDevice | null {
  const device = (backend as { device?: unknown } | null)?.device;
  return typeof device === "object" && device !== null && "createComputePipeline" in device ? (device as GPUDevice) : null;
}

export function webgpuEngine(lanes: readonly Lane[], device: GPUDevice): StepEngine {
  for (const lane of lanes) if (!fusedSupports(lane.protocol) || lane.protocol.model.batchNorm) throw new RangeError(`the WebGPU kernel does not train ${lane.protocol.id}'s network`);
  const S = lanes.length;
  const n = lanes[0]!.data.n;
  const H = lanes[0]!.protocol.model.layerSizes[1]!;
  const P = 4 * H + 1;
  const adam = lanes[0]!.protocol.training.optimizer.kind === "adam";
  const slots = adam ? 2 : 1;
  const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const buffers: GPUBuffer[] = [];
  const buffer = (size: number, usage = STORAGE): GPUBuffer => {
    const created = device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    buffers.push(created);
    return created;
  };
  const upload = (values: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, usage = STORAGE): GPUBuffer => {
    const created = buffer(values.byteLength, usage);
    device.queue.writeBuffer(created, 0, values);
    return created;
  };

  const dims = upload(Uint32Array.from([n, H, P, S]), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const stepUniforms = buffer(MAX_STEPS_PER_SUBMIT * UNIFORM_SLOT, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const data = upload(Float32Array.from([...lanes.flatMap((lane) => Array.from(lane.data.x)), ...lanes.flatMap((lane) => Array.from(lane.data.y, (label) => 2 * label - 1))]));
  const config = new ArrayBuffer(S * 48);
  lanes.forEach((lane, k) => {
    const u = new Uint32Array(config, k * 48, 4);
    const f = new Float32Array(config, k * 48 + 16, 8);
    const { optimizer, sdCoef } = lane.protocol.training;
    const p = lane.protocol.model.dropout;
    u.set([optimizer.kind === "adam" ? 1 : 0, p === undefined ? 0 : 1, p === undefined ? 0 : Math.min(Math.ceil(p * 2 ** 32), 2 ** 32 - 1), lane.seed >>> 0]);
    f.set([
      optimizer.lr,
      optimizer.kind === "sgd" ? optimizer.momentum : 0,
      optimizer.kind === "sgd" ? optimizer.weightDecay : 0,
      optimizer.kind === "adam" ? optimizer.beta1 : 0,
      optimizer.kind === "adam" ? optimizer.beta2 : 0,
      optimizer.kind === "adam" ? optimizer.eps : 0,
      sdCoef,
      p === undefined ? 1 : 1 / (1 - p),
    ]);
  });
  const laneConfig = upload(new Uint32Array(config));
  // theta, grad, state1, state2: [S][P] each, one after another.
  const SP = S * P;
  const params = buffer(4 * SP * 4);
  device.queue.writeBuffer(params, 0, Float32Array.from(lanes.flatMap((lane) => Array.from(lane.initialWeights))));
  lanes.forEach((lane, k) => {
    const initial = lane.start?.optimizerState;
    if (!initial) return;
    if (initial.length !== slots * P) throw new RangeError(`a lane's optimiser state must hold ${slots * P} values`);
    for (let slot = 0; slot < slots; slot++) device.queue.writeBuffer(params, ((2 + slot) * SP + k * P) * 4, Float32Array.from(initial.subarray(slot * P, (slot + 1) * P)));
  });
  // logits [S][n], outputGradient [S][n], losses [MAX_STEPS_PER_SUBMIT][S].
  const work = buffer((2 * S * n + MAX_STEPS_PER_SUBMIT * S) * 4);
  const lossesOffset = 2 * S * n * 4;
  const corrections = buffer(MAX_STEPS_PER_SUBMIT * S * 8);

  // A WGSL or pipeline error would otherwise only skip the dispatches: it is caught here and thrown on the first read.
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: MOONS_WGSL });
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "uniform" } },
    { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: "uniform", hasDynamicOffset: true } },
    ...[2, 3, 4].map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: "read-only-storage" as const } })),
    ...[5, 6].map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" as const } })),
  ];
  const layout = device.createBindGroupLayout({ entries });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string): GPUComputePipeline => device.createComputePipeline({ layout: pipelineLayout, compute: { module, entryPoint } });
  const pipelines = { forwardTrain: pipeline("forwardTrain"), forwardEval: pipeline("forwardEval"), objective: pipeline("objective"), backward: pipeline("backward"), update: pipeline("update") };
  const bound = [dims, stepUniforms, data, laneConfig, corrections, params, work];
  const bindGroup = device.createBindGroup({
    layout,
    entries: bound.map((resource, binding) => ({ binding, resource: binding === 1 ? { buffer: resource, size: 8 } : { buffer: resource } })),
  });
  const setUp = device.popErrorScope().then(async (error) => {
    if (!error) return;
    const messages = (await module.getCompilationInfo()).messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    throw new Error(`the WebGPU kernel failed to set up: ${error.message}${messages.length ? ` (${messages.join("; ")})` : ""}`);
  });

  // The batch being recorded: its encoder, the uniform and correction values of its steps, its kept outputs.
  let open: { encoder: GPUCommandEncoder; steps: number; uniforms: Uint32Array<ArrayBuffer>; corrections: Float32Array<ArrayBuffer>; logitsKept: number; pending: WebGpuStep[] } | null = null;
  // Readback buffers of batches none of whose values were read yet: destroyed with the engine.
  const unread = new Set<GPUBuffer>();
  // Outputs kept within a batch (NTK evidence, the final evaluation), copied out when the batch is submitted.
  const logitsStore = buffer(MAX_STEPS_PER_SUBMIT * S * n * 4);
  const begin = () => ({
    encoder: device.createCommandEncoder(),
    steps: 0,
    uniforms: new Uint32Array((MAX_STEPS_PER_SUBMIT * UNIFORM_SLOT) / 4),
    corrections: new Float32Array(MAX_STEPS_PER_SUBMIT * S * 2),
    logitsKept: 0,
    pending: [] as WebGpuStep[],
  });
  const dispatch = (pass: GPUComputePassEncoder, which: GPUComputePipeline, slot: number, groupsX: number): void => {
    pass.setPipeline(which);
    pass.setBindGroup(0, bindGroup, [slot * UNIFORM_SLOT]);
    pass.dispatchWorkgroups(groupsX, S);
  };
  /** Submits the open batch: its uniforms first, then its commands and the copy of its losses to a readback buffer. */
  const submit = (): void => {
    if (!open) return;
    const batch = open;
    open = null;
    const readbackSize = batch.steps * S * 4 + batch.logitsKept * S * n * 4;
    const readback = device.createBuffer({ size: Math.max(16, Math.ceil(readbackSize / 16) * 16), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    unread.add(readback);
    device.queue.writeBuffer(stepUniforms, 0, batch.uniforms, 0, (batch.steps * UNIFORM_SLOT) / 4);
    device.queue.writeBuffer(corrections, 0, batch.corrections, 0, batch.steps * S * 2);
    batch.encoder.copyBufferToBuffer(work, lossesOffset, readback, 0, batch.steps * S * 4);
    if (batch.logitsKept) batch.encoder.copyBufferToBuffer(logitsStore, 0, readback, batch.steps * S * 4, batch.logitsKept * S * n * 4);
    device.queue.submit([batch.encoder.finish()]);
    const submitted: Batch = { readback, steps: batch.steps, logitsKept: batch.logitsKept, mapped: null };
    for (const step of batch.pending) (step as { batch: Batch }).batch = submitted;
  };
  /** Records one step (or, for `evaluation`, one evaluation-mode forward pass and the objective). */
  const record = (t: number, keepLogits: boolean, evaluation: boolean): WebGpuStep => {
    open ??= begin();
    const batch = open;
    const slot = batch.steps++;
    batch.uniforms[(slot * UNIFORM_SLOT) / 4] = t;
    batch.uniforms[(slot * UNIFORM_SLOT) / 4 + 1] = slot;
    lanes.forEach((lane, k) => {
      const optimizer = lane.protocol.training.optimizer;
      if (optimizer.kind !== "adam") return;
      batch.corrections[(slot * S + k) * 2] = 1 - optimizer.beta1 ** (t + 1);
      batch.corrections[(slot * S + k) * 2 + 1] = 1 - optimizer.beta2 ** (t + 1);
    });
    let pass = batch.encoder.beginComputePass();
    dispatch(pass, evaluation ? pipelines.forwardEval : pipelines.forwardTrain, slot, n);
    let logitsIndex = -1;
    if (keepLogits) {
      pass.end();
      logitsIndex = batch.logitsKept++;
      batch.encoder.copyBufferToBuffer(work, 0, logitsStore, logitsIndex * S * n * 4, S * n * 4);
      pass = batch.encoder.beginComputePass();
    }
    dispatch(pass, pipelines.objective, slot, 1);
    if (!evaluation) {
      dispatch(pass, pipelines.backward, slot, Math.ceil(H / WORKGROUP));
      dispatch(pass, pipelines.update, slot, Math.ceil(P / WORKGROUP));
    }
    pass.end();
    const step: WebGpuStep = { step: t, batch: null as unknown as Batch, slot, logitsIndex };
    batch.pending.push(step);
    if (batch.steps === MAX_STEPS_PER_SUBMIT) submit();
    return step;
  };
  const valuesOf = async (step: WebGpuStep): Promise<StepValues> => {
    const batch = step.batch;
    batch.mapped ??= batch.readback.mapAsync(GPUMapMode.READ).then(() => {
      const copy = new Float32Array(batch.readback.getMappedRange().slice(0));
      batch.readback.unmap();
      batch.readback.destroy();
      unread.delete(batch.readback);
      return copy;
    });
    const values = await batch.mapped;
    const losses = values.subarray(step.slot * S, (step.slot + 1) * S);
    const offset = batch.steps * S + step.logitsIndex * S * n;
    return { losses, logits: step.logitsIndex < 0 ? null : values.slice(offset, offset + S * n) };
  };
  /** The lanes' values of one [S][P] block of the parameter buffer (0 theta, 2 and 3 the optimiser state), read back. */
  const readLanes = async (block: number): Promise<Float32Array[]> => {
    submit();
    await setUp;
    const staging = device.createBuffer({ size: S * P * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(params, block * SP * 4, staging, 0, S * P * 4);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const values = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return lanes.map((_, k) => values.slice(k * P, (k + 1) * P));
  };

  return {
    backend: "webgpu",
    kind: "fused-webgpu",
    step: (t, keepLogits) => record(t, keepLogits, false),
    async read(steps) {
      submit();
      await setUp;
      return Promise.all((steps as WebGpuStep[]).map(valuesOf));
    },
    release: () => undefined,
    readWeights: () => readLanes(0),
    async readStates() {
      const parts = await Promise.all(Array.from({ length: slots }, (_, slot) => readLanes(2 + slot)));
      return lanes.map((_, k) => {
        const compact = new Float32Array(slots * P);
        parts.forEach((part, slot) => compact.set(part[k]!, slot * P));
        return compact;
      });
    },
    async evaluate() {
      const step = record(0, true, true);
      submit();
      await setUp;
      const values = await valuesOf(step);
      return { losses: values.losses, logits: values.logits! };
    },
    dispose() {
      submit();
      buffers.forEach((b) => b.destroy());
      unread.forEach((b) => b.destroy());
    },
  };
}
