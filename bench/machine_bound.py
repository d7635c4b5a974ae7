"""The machine bound used by bench/kernels_bench.sh, measured on this machine.

Prints two lines:
  gflops_per_core G   one-thread DGEMM (n = 2000, OpenBLAS on one thread), best of 5, in GFLOP/s
  stream_gbs_total B  read bandwidth with one reader process per core, each summing its own 256 MB array,
                      best of 10 of the summed rates, in GB/s (memory bandwidth need not scale with cores,
                      so this is the whole machine's figure, not one core's times the cores)
Usage: /usr/bin/python3 bench/machine_bound.py [cores]
"""
import os
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
import sys
import time
import multiprocessing as mp
import numpy as np


def gemm_gflops(n=2000, runs=5):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    a @ b  # warm-up
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 / best / 1e9


def reader(barrier, queue, mb=256, runs=10):
    x = np.ones(mb * 1024 * 1024 // 8)
    x.sum()  # touch every page
    rates = []
    for _ in range(runs):
        barrier.wait()
        t = time.perf_counter()
        x.sum()
        rates.append(x.nbytes / (time.perf_counter() - t) / 1e9)
    queue.put(rates)


def stream_gbs(cores, runs=10):
    barrier = mp.Barrier(cores)
    queue = mp.Queue()
    procs = [mp.Process(target=reader, args=(barrier, queue)) for _ in range(cores)]
    for p in procs:
        p.start()
    per = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return max(sum(r[i] for r in per) for i in range(runs))


if __name__ == "__main__":
    cores = int(sys.argv[1]) if len(sys.argv) > 1 else os.cpu_count()
    print(f"gflops_per_core {gemm_gflops():.1f}")
    print(f"stream_gbs_total {stream_gbs(cores):.1f}")
