#!/usr/bin/python3
"""The authors' two-moons training step in PyTorch, timed: the reference for GS Lab's steps/s.

One step = the loop body of Figure_1/moon_fig_1.py on all 300 points: forward through the 2-500-1 ReLU
net, mean log(1+exp(-y*yhat)), backward, SGD(lr=0.01, momentum=0.9) update; float32 on the CPU.
Prints one JSON line: steps per second with 1 thread and with one thread per CPU core.

    /usr/bin/python3 scripts/bench/pytorch_step.py [--steps 1000]   # Debian: apt-get install python3-torch python3-sklearn
"""

import argparse
import os
import json
import time

import numpy as np
import torch
from sklearn.datasets import make_moons


def steps_per_second(threads, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    X, y = make_moons(n_samples=300, noise=0.1, random_state=0)
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

    for _ in range(50):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()
    all_threads = os.cpu_count() or 1
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads_all": all_threads,
                "steps_per_second_1_thread": steps_per_second(1, args.steps),
                "steps_per_second_all_threads": steps_per_second(all_threads, args.steps),
            }
        )
    )


if __name__ == "__main__":
    main()
