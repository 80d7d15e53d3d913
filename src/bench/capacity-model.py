#!/usr/bin/env python3
"""Capacity model of the sharded stock path (a bottleneck model, not a test).

Calibrated with what src/bench/stock-throughput.sh measured (src/bench/results/stock.txt, or the file given): the CPU
one reservation costs in each process group (stock-worker, PostgreSQL, RabbitMQ, the load client), and the time and
size of one lane's group commit. Throughput is the smallest of these bounds:

  cpu     the cores of workers and database, split between them in proportion to their cost per reservation
  lanes   a shard is consumed by one replica at a time, and a replica applies its shards in STOCK_CONSUMERS lanes, each
          one group commit after the other on one event loop and one database connection: a lane's work on the
          worker and in the database never overlaps, so a lane applies at most 1 / (worker + database ms) per ms;
          the lanes are (replicas, at most one per shard) x lanes per replica
  broker  reported, not bounding: the broker cores the predicted rate needs (quorum queues write every message on
          three nodes)

First the check against this machine (every process on its 2 cores: the cpu bound is 2 cores over the whole cost),
then predictions for 8, 32 and 128 cores of workers and database. Hot-SKU reservations (one row) do not scale
with cores: they are bounded by the row's lock, and are reported as measured.

Usage: python3 src/bench/capacity-model.py [stock.txt] [--cores-per-worker 2] [--lanes 2] [--shards 8]
"""
import argparse
import math
import re
import sys


def parse(path):
    results, splits, batches = {}, {}, {}
    with open(path) as f:
        for line in f:
            workers = re.search(r"workers=(\d+)", line)
            if not workers:
                continue
            n = int(workers.group(1))
            fields = dict(re.findall(r"([\w-]+)=([0-9.]+)", line))
            if line.startswith("RESULT"):
                results[n] = fields
            elif "CPU_SPLIT" in line and fields.get("round") == "2":  # the many-SKU round
                splits[n] = {k: float(v) for k, v in fields.items() if k not in ("workers", "round")}
            elif "BATCHES" in line:
                batches.setdefault(n, []).append(fields)
    return results, splits, batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stock", nargs="?", default="src/bench/results/stock.txt")
    parser.add_argument("--cores-per-worker", type=float, default=2.0)
    parser.add_argument("--lanes", type=int, default=2, help="STOCK_CONSUMERS per replica")
    parser.add_argument("--shards", type=int, default=8, help="Topology.STOCK_COMMAND_SHARDS")
    parser.add_argument("--machine-cores", type=int, default=2)
    parser.add_argument("--replication", type=int, default=3, help="broker nodes each message is written on")
    args = parser.parse_args()
    try:
        results, splits, batches = parse(args.stock)
    except FileNotFoundError:
        sys.exit(f"{args.stock} not found: run src/bench/stock-throughput.sh first")
    if 1 not in results or 1 not in splits:
        sys.exit(f"{args.stock} holds no one-worker step: run src/bench/stock-throughput.sh first")

    split = splits[1]
    worker = split.get("stock-worker", 0.0)
    database, broker, client = split.get("postgresql", 0.0), split.get("rabbitmq", 0.0), split.get("client", 0.0)
    other = split.get("other", 0.0)
    total = float(results[1]["many_cpu_ms_per_reservation"])
    lane_rate = 1000.0 / (worker + database)

    print("Calibration (one stock-worker, many-SKU round, ms of CPU per reservation):")
    print(f"  stock-worker {worker:.3f}, PostgreSQL {database:.3f}, RabbitMQ {broker:.3f}, load client {client:.3f},"
          f" other {other:.3f}; machine in all {total:.3f}")
    print(f"  one lane: at most {lane_rate:,.0f} reservations/s (worker and database one after the other)")
    for n, rows in sorted(batches.items()):
        for row in rows:
            print(f"  {n} worker(s), port {row['port']}: mean group commit {float(row['mean_batch_size']):.1f} commands"
                  f" in {float(row['mean_batch_ms']):.1f} ms (since start, seeding included)")
    print()
    print(f"Check against this machine ({args.machine_cores} cores shared by every process):")
    for n in sorted(results):
        measured = float(results[n]["many_skus_reservations_per_s"])
        cpu_bound = args.machine_cores * 1000.0 / total
        lanes_bound = min(n, args.shards) * args.lanes * lane_rate
        predicted = min(cpu_bound, lanes_bound)
        limit = "cpu" if cpu_bound <= lanes_bound else "lanes"
        print(f"  {n} worker(s): predicted {predicted:,.0f}/s ({limit} bound; cpu {cpu_bound:,.0f}, lanes"
              f" {lanes_bound:,.0f}), measured {measured:,.0f}/s ({measured / predicted:.0%} of the prediction)")
    print()
    if worker + database <= 0:
        sys.exit("no per-process split in the file: cannot predict")
    print("PREDICTIONS (not measured): cores of workers and database, split in proportion to their cost; the load")
    print(f"client on machines of its own; {args.cores_per_worker:g} cores per stock-worker replica, {args.lanes} lanes each,"
          f" {args.shards} shards")
    print(f"  {'cores':>5} {'worker cores':>12} {'db cores':>8} {'replicas':>8} {'cpu bound/s':>12} {'lanes bound/s':>13}"
          f" {'predicted/s':>11}  saturates first   broker cores needed")
    for cores in (8, 32, 128):
        worker_cores = cores * worker / (worker + database)
        db_cores = cores - worker_cores
        replicas = max(1, math.floor(worker_cores / args.cores_per_worker))
        cpu_bound = cores * 1000.0 / (worker + database)
        lanes_bound = min(replicas, args.shards) * args.lanes * lane_rate
        predicted = min(cpu_bound, lanes_bound)
        first = "cpu (workers + database)" if cpu_bound <= lanes_bound else f"shard lanes ({min(replicas, args.shards)} replicas x {args.lanes})"
        broker_cores = predicted * broker * args.replication / 1000.0
        print(f"  {cores:>5} {worker_cores:>12.1f} {db_cores:>8.1f} {replicas:>8} {cpu_bound:>12,.0f} {lanes_bound:>13,.0f}"
              f" {predicted:>11,.0f}  {first:<16} {broker_cores:.1f}")
    hot = float(results[1]["hot_sku_reservations_per_s"])
    print(f"  one hot SKU: {hot:,.0f}/s as measured, at any size (one row's lock; more cores do not help)")


if __name__ == "__main__":
    main()
