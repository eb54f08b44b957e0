#!/usr/bin/python3
"""The authors' two-moons training step in PyTorch, timed: the reference for GS Lab's steps/s.

One step = the loop body of Figure_1/moon_fig_1.py on all 300 points: forward through the 2-500-1 ReLU
net, mean log(1+exp(-y*yhat)), backward, SGD(lr=0.01, momentum=0.9) update; float32 on the CPU.
With --lanes L, one "step" steps L independent nets (seeds 0..L-1, each on its own make_moons draw) one after
another, as the authors' script does for several seeds; the figure is then run-steps per second (L x steps/s).
Each measurement: 50 warm-up steps, then --steps timed ones (interpreter start and imports not counted).

Without --threads, prints one JSON line: steps per second with 1 thread and with one thread per CPU core.
With --threads N, one measurement with N threads (for interleaved runs, one process per measurement):
{"torch", "threads", "lanes", "steps", "run_steps_per_second"}.

    /usr/bin/python3 scripts/bench/pytorch_step.py [--steps 1000] [--threads N] [--lanes 1]   # Debian: apt-get install python3-torch python3-sklearn
"""

import argparse
import os
import json
import time

import numpy as np
import torch
from sklearn.datasets import make_moons


def make_lane(seed):
    X, y = make_moons(n_samples=300, noise=0.1, random_state=seed)
    X = torch.tensor(X, dtype=torch.float32)
    t = torch.tensor(2.0 * y - 1.0, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(2, 500), torch.nn.ReLU(), torch.nn.Linear(500, 1))
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9)

    def step():
        y_hat = net(X)[:, 0]
        loss = torch.log(1.0 + torch.exp(-y_hat * t)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def run_steps_per_second(threads, steps, lanes=1):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    lane_steps = [make_lane(seed) for seed in range(lanes)]

    def step():
        for lane_step in lane_steps:
            lane_step()

    for _ in range(50):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return lanes * steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--lanes", type=int, default=1)
    args = parser.parse_args()
    if args.threads is not None:
        result = {
            "torch": torch.__version__,
            "threads": args.threads,
            "lanes": args.lanes,
            "steps": args.steps,
            "run_steps_per_second": run_steps_per_second(args.threads, args.steps, args.lanes),
        }
        print(json.dumps(result))
        return
    all_threads = os.cpu_count() or 1
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads_all": all_threads,
                "steps_per_second_1_thread": run_steps_per_second(1, args.steps, args.lanes),
                "steps_per_second_all_threads": run_steps_per_second(all_threads, args.steps, args.lanes),
            }
        )
    )


if __name__ == "__main__":
    main()
