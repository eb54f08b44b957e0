// Runs the authors' PyTorch step benchmarks (pytorch_step.py, cmnist_step.py) with Debian's Python when torch is installed.
import { spawnSync } from "node:child_process";

export interface TorchBench {
  torch: string;
  threads_all: number;
  steps_per_second_1_thread: number;
  steps_per_second_all_threads: number;
}

/** Runs a benchmark script under /usr/bin/python3 and parses its last output line; null when `modules` cannot be imported. */
export function runPythonBench<T>(script: string, args: readonly string[], modules: readonly string[]): T | null {
  const probe = spawnSync("/usr/bin/python3", ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const run = spawnSync("/usr/bin/python3", [script, ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`pytorch benchmark ${script} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as T;
}

export async function benchTorch(steps: number): Promise<TorchBench | null> {
  return runPythonBench<TorchBench>("scripts/bench/pytorch_step.py", ["--steps", String(steps)], ["torch", "sklearn"]);
}
