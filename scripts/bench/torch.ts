// Runs the authors' PyTorch step benchmark (pytorch_step.py) with Debian's Python when torch is installed.
import { spawnSync } from "node:child_process";

export interface TorchBench {
  torch: string;
  threads_all: number;
  steps_per_second_1_thread: number;
  steps_per_second_all_threads: number;
}

export async function benchTorch(steps: number): Promise<TorchBench | null> {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import torch, sklearn"], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const run = spawnSync("/usr/bin/python3", ["scripts/bench/pytorch_step.py", "--steps", String(steps)], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`pytorch benchmark failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as TorchBench;
}
