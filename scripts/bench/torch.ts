// Runs the authors' PyTorch step benchmarks (pytorch_step.py, cmnist_step.py, pytorch_fig1.py) with Debian's Python
// (or GSLAB_PYTHON) when torch is installed.
import { spawnSync } from "node:child_process";

export interface TorchBench {
  torch: string;
  threads_all: number;
  steps_per_second_1_thread: number;
  steps_per_second_all_threads: number;
}

/** The Python that runs the PyTorch benchmarks: GSLAB_PYTHON, else Debian's /usr/bin/python3 (where apt puts python3-torch). */
export const benchPython = (env: NodeJS.ProcessEnv = process.env): string => env.GSLAB_PYTHON?.trim() || "/usr/bin/python3";

/** torch.__version__ when every one of `modules` imports under benchPython(), else null. */
export function torchVersion(modules: readonly string[] = ["torch", "sklearn"]): string | null {
  const probe = spawnSync(benchPython(), ["-c", `import ${modules.join(", ")}; import torch; print(torch.__version__)`], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** Runs a benchmark script under benchPython() and parses the JSON of its last output line. */
export function runPythonScript<T>(script: string, args: readonly string[]): T {
  const run = spawnSync(benchPython(), [script, ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`pytorch benchmark ${script} failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as T;
}

/** Runs a benchmark script and parses its last output line; null when `modules` cannot be imported. */
export function runPythonBench<T>(script: string, args: readonly string[], modules: readonly string[]): T | null {
  if (torchVersion(modules) === null) return null;
  return runPythonScript<T>(script, args);
}

export async function benchTorch(steps: number): Promise<TorchBench | null> {
  return runPythonBench<TorchBench>("scripts/bench/pytorch_step.py", ["--steps", String(steps)], ["torch", "sklearn"]);
}
