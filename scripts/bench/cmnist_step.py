#!/usr/bin/python3
"""The authors' Colored-MNIST ERM training step in PyTorch, timed: the reference for GS Lab's ms per step.

One step = the loop body of Figure_4_and_table_1/cmnist.py for --exp erm, full batch: forward of 50,000 inputs
through the 392-300-300-1 ReLU MLP (Xavier-uniform weights, zero biases), mean BCE-with-logits, backward,
Adam(lr=1e-4, eps=1e-8) update; float32 on the CPU. The inputs are random 392-d vectors (the timing of dense
float32 layers does not depend on the pixel values) and random 0/1 labels.
Prints one JSON line: milliseconds per step with 1 thread and with one thread per CPU core; with --threads N,
only the one measurement with N threads (ms_per_step, for interleaved runs: one process per measurement).

    /usr/bin/python3 scripts/bench/cmnist_step.py [--steps 3] [--images 50000] [--threads N]   # Debian: apt-get install python3-torch
"""

import argparse
import json
import os
import time

import torch


def ms_per_step(threads, steps, images):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.rand(images, 392)
    y = (torch.rand(images, 1) < 0.5).float()
    layers = [torch.nn.Linear(392, 300), torch.nn.Linear(300, 300), torch.nn.Linear(300, 1)]
    for lin in layers:
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
    mlp = torch.nn.Sequential(layers[0], torch.nn.ReLU(True), layers[1], torch.nn.ReLU(True), layers[2])
    optimizer = torch.optim.Adam(mlp.parameters(), lr=1e-4, eps=1e-8)

    def step():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(mlp(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return 1000 * (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--images", type=int, default=50000)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads is not None:
        ms = ms_per_step(args.threads, args.steps, args.images)
        print(json.dumps({"torch": torch.__version__, "images": args.images, "steps": args.steps, "threads": args.threads, "ms_per_step": ms}))
        return
    threads_all = os.cpu_count() or 1
    result = {"torch": torch.__version__, "images": args.images, "steps": args.steps, "threads_all": threads_all}
    for name, threads in (("1_thread", 1), ("all_threads", threads_all)):
        result["ms_per_step_" + name] = ms_per_step(threads, args.steps, args.images)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
