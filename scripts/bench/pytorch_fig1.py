#!/usr/bin/python3
"""The authors' Fig. 1 training workload in PyTorch, timed: the reference for GS Lab's `reproduce -- fig1` training.

What Figure_1/moon_fig_1.py trains: for each seed, torch.manual_seed(seed), then both experiments, Delta = -0.1
and Delta = +0.1 (shared/protocols/two-moons.ts: fig1-margin-neg, fig1-margin-pos): the seed's make_moons(300,
noise 0.1) draw moved by the paper's two_moons_dataset transform (shift by (0.5, 0.3*ypm), centre the second
coordinate, fold each class onto its side, push the classes apart by the margin, swap the axes; as in
shared/data/moons.ts transformMoons), a fresh 2-500-1 ReLU net (PyTorch's default init), SGD(lr=0.01,
momentum=0.9), 1,000 full-batch steps of mean log(1+exp(-y*yhat)); float32 on the CPU.
Timed: the training loops only (dataset, net construction, interpreter start and imports not counted; no warm-up,
as the authors' script has none). Prints one JSON line:
{"torch", "threads", "seeds", "runs", "steps", "train_seconds", "final_losses"}.

    /usr/bin/python3 scripts/bench/pytorch_fig1.py [--seeds 10] [--steps 1000] [--threads N]   # Debian: apt-get install python3-torch python3-sklearn
"""

import argparse
import json
import time

import numpy as np
import torch
from sklearn.datasets import make_moons

MARGINS = (-0.1, 0.1)
N_SAMPLES = 300


def two_moons(seed, margin):
    X, y = make_moons(n_samples=N_SAMPLES, noise=0.1, random_state=seed)
    ypm = 2.0 * y - 1.0
    X = X - np.stack([np.full(N_SAMPLES, 0.5), 0.3 * ypm], axis=1)
    X[:, 1] -= X[:, 1].mean()
    X[:, 1] *= np.sign(-X[:, 1] * ypm)
    X[:, 1] -= ypm * margin
    X = X[:, ::-1].copy()
    return torch.tensor(X, dtype=torch.float32), torch.tensor(ypm, dtype=torch.float32)


def train_seconds(X, t, steps):
    """Seconds of one run's training loop, and its last loss."""
    net = torch.nn.Sequential(torch.nn.Linear(2, 500), torch.nn.ReLU(), torch.nn.Linear(500, 1))
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-2, momentum=0.9)
    start = time.perf_counter()
    for _ in range(steps):
        y_hat = net(X)[:, 0]
        loss = torch.log(1.0 + torch.exp(-y_hat * t)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    last = loss.item()
    return time.perf_counter() - start, last


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: PyTorch's own, as the authors' script)")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    total = 0.0
    final_losses = []
    for seed in range(args.seeds):
        torch.manual_seed(seed)
        np.random.seed(seed)
        for margin in MARGINS:
            X, t = two_moons(seed, margin)
            seconds, last = train_seconds(X, t, args.steps)
            total += seconds
            final_losses.append(last)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "seeds": args.seeds,
                "runs": len(final_losses),
                "steps": args.steps,
                "train_seconds": total,
                "final_losses": final_losses,
            }
        )
    )


if __name__ == "__main__":
    main()
