#!/usr/bin/env python3
"""make bench: the speed goals of the whole commands a user times.

Each job runs as a whole process (start, reading the CSV, the work, writing
the result), screenlab and R alternately, five times each; the ratio is of
the medians. Before a ratio is printed, screenlab's figures are checked
against R's. Prints one table row per goal with whether it is met.

Usage: bench/goals.py bin/screenlab [--runs 5] [--images-only | --big-only | --rows-only]
"""
import json, os, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
bin_ = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "bin/screenlab")
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
work = os.path.join(os.environ.get("TMPDIR", "/tmp"), "screenlab-bench-goals")
os.makedirs(work, exist_ok=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def have_r():
    try:
        sh(["Rscript", "-e", "library(data.table); library(survival); library(pROC); library(rms); library(jsonlite)"])
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


def peak_kb(cmd):
    """Wall seconds and peak resident memory of a command (GNU time)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    last = out.stderr.strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]), out.stdout


def data():
    cohort = os.path.join(work, "cohort.csv")
    if not os.path.exists(cohort):
        sh(["Rscript", os.path.join(root, "survival/testdata/bench_survival.R"), cohort, os.path.join(work, "r_surv.json")])
    scores = os.path.join(work, "scores.csv")
    if not os.path.exists(scores):
        sh(["Rscript", "-e", "set.seed(1); n <- 1e6; x <- rnorm(n); p <- plogis(-2.4 + x); "
            "data.table::fwrite(data.frame(y = as.integer(runif(n) < p), p = round(p, 6)), commandArgs(TRUE)[1])", scores])
    return cohort, scores


def jobs(cohort, scores):
    km = ["survival", "km", "--data", cohort, "--time", "time", "--event", "status", "--times", "365,1825"]
    ev = ["evaluate", "--data", scores, "--score", "p", "--outcome", "y"]
    cox = ["survival", "cox", "--data", cohort, "--time", "time", "--event", "status",
           "--covariates", ",".join(f"x{j}" for j in range(1, 11))]

    def surv(g):
        return [a["surv"] for grp in g["groups"] for a in grp["at"]]

    return [
        ("survival km --times", "km", cohort, km, 12,
         lambda g, r: max(abs(a - b) for a, b in zip(surv(g), r["surv"]))),
        ("survival km --group + log-rank", "km_group", cohort, km + ["--group", "group"], 12,
         lambda g, r: max(max(abs(a - b) for a, b in zip(surv(g), r["surv"])), abs(g["logrank"]["chisq"] - r["chisq"]) / r["chisq"])),
        ("survival cox, Efron, 10 covariates", "cox", cohort, cox, 6,
         lambda g, r: max(abs(c["coef"] - b) / abs(b) for c, b in zip(g["coefficients"], r["coef"]))),
        ("evaluate full (AUC, DeLong, calibration, decision curve)", "evaluate", scores, ev, 8,
         lambda g, r: max(abs(g["auc"]["estimate"] - r["auc"]), abs(g["auc"]["lower"] - r["lower"]), abs(g["calibration"]["slope"] - r["slope"]))),
        ("evaluate --calibration no", "evaluate_nocal", scores, ev + ["--calibration", "no"], 5,
         lambda g, r: max(abs(g["auc"]["estimate"] - r["auc"]), abs(g["auc"]["lower"] - r["lower"]))),
    ]


def main():
    if "--images-only" in sys.argv:
        images()
        return 0
    if "--big-only" in sys.argv:
        os.environ["BENCH_10M"] = "1"
        big()
        return 0
    rows = []
    print(f"== speed goals: whole processes, {runs} alternating runs each, medians ({os.cpu_count()} cores)")
    if not have_r():
        print("R with data.table, survival, pROC, rms and jsonlite not found: no ratios (apt-get install r-cran-data.table r-cran-survival r-cran-proc r-cran-rms r-cran-jsonlite)")
        return 0
    cohort, scores = data()
    ok_all = True
    for name, rjob, csv, args, goal, diff in jobs(cohort, scores):
        go_t, r_t, go_kb = [], [], 0
        g = r = None
        for _ in range(runs):
            t, kb, out = peak_kb([bin_, "-q", "--format", "json"] + args)
            go_t.append(t); go_kb = max(go_kb, kb); g = json.loads(out)
            t0 = time.time()
            r = json.loads(sh(["Rscript", os.path.join(here, "goals.R"), rjob, csv]).stdout)
            r_t.append(time.time() - t0)
        d = diff(g, r)
        agree = d < 1e-6
        ratio = statistics.median(r_t) / statistics.median(go_t)
        met = agree and ratio >= goal
        ok_all &= agree
        rows.append((name, statistics.median(go_t), go_kb, statistics.median(r_t), ratio, goal, d, met))
    print(f"{'job (1,000,000 rows)':58} {'screenlab':>10} {'peak':>8} {'R':>8} {'ratio':>6} {'goal':>5}  agreement  met")
    for name, gt, kb, rt, ratio, goal, d, met in rows:
        print(f"{name:58} {gt:9.2f}s {kb/1024:6.0f}MB {rt:7.2f}s {ratio:5.1f}x {goal:4d}x  {d:9.1e}  {'yes' if met else 'NO'}")
    if "--rows-only" not in sys.argv:
        parquet(cohort)
        images()
    return 0 if ok_all else 1


def parquet(cohort):
    """The survival jobs on the same cohort as Parquet (what the fast path
    buys): the same answers, the time against the CSV's."""
    pq = cohort[:-4] + ".parquet"
    if not os.path.exists(pq):
        sh(["go", "run", "./bench/csv2parquet", cohort, pq], cwd=root)
    for name, _, _, args, _, _ in jobs(cohort, cohort)[:3]:
        t_csv, t_pq, out = [], [], {}
        for _ in range(runs):
            for f, ts in ((cohort, t_csv), (pq, t_pq)):
                a = [pq if x == cohort else x for x in args] if f == pq else args
                t, kb, o = peak_kb([bin_, "-q", "--format", "json"] + a)
                ts.append(t)
                out[f] = {k: v for k, v in json.loads(o).items() if k != "screenlab_version"}
        same = out[cohort] == out[pq]
        print(f"{name + ', Parquet input':58} {statistics.median(t_pq):9.2f}s  (CSV {statistics.median(t_csv):.2f}s; {'the same result' if same else 'RESULTS DIFFER'})")


def cnn_ops():
    """Each op of a training step, ours against PyTorch's (32 images)."""
    ours = {k.split("/", 1)[1].rsplit("-", 1)[0]: v["ns/op"] / 1e6 for k, v in go_bench("CNNOps", "./models/", "50x").items()}
    try:
        t = sh(["/usr/bin/python3", os.path.join(root, "models/testdata/cnn_torch.py"), "--ops"]).stdout
        torch = {l.split()[2]: float(l.split()[3]) for l in t.splitlines() if l.startswith("torch op")}
    except (OSError, subprocess.CalledProcessError):
        torch = {}
    print("  CNN ops, 32 images of 64x64 (ms): " + "  ".join(
        f"{k} {v:.2f}" + (f"/{torch[k]:.2f}" if k in torch else "") for k, v in ours.items()) + "  (ours/PyTorch)")


def go_bench(pattern, pkg, benchtime, cpu=None):
    cmd = ["go", "test", "-run", "^$", "-bench", pattern, "-benchtime", benchtime] + (["-cpu", str(cpu)] if cpu else []) + [pkg]
    out = sh(cmd, cwd=root).stdout
    res = {}
    for line in out.splitlines():
        if line.startswith("Benchmark"):
            f = line.split()
            res[f[0]] = {f[k + 1]: float(f[k]) for k in range(2, len(f) - 1) if not f[k].startswith("Benchmark")
                         and f[k].replace(".", "", 1).isdigit()}
    return res


def images():
    """The image rows: full-field decode, CNN training against PyTorch, the
    projected round; 10,000,000 rows when BENCH_10M=1."""
    dec = go_bench("DecodePreprocessDICOM/3328x4096", "./features/", "3s", cpu=1)
    ms = next(iter(dec.values()))["ns/op"] / 1e6
    print(f"{'decode + preprocess a full-field 12-bit DICOM, one core':58} {ms:8.0f} ms{'':27} goal 80 ms  {'yes' if ms <= 80 else 'NO'}")
    # Ours and PyTorch alternately, medians (PyTorch's figure moves a lot
    # from run to run on a shared machine).
    train, torch = [], []
    for _ in range(runs):
        cnn = go_bench("CNNTrain64", "./models/", "3x")
        train.append(next(v["images/s"] for v in cnn.values()))
        try:
            t = sh(["/usr/bin/python3", os.path.join(root, "models/testdata/cnn_torch.py")]).stdout
            torch.append(float(next(l for l in t.splitlines() if "train" in l).split()[-1]))
        except (OSError, subprocess.CalledProcessError, StopIteration):
            pass
    train_runs, train = train, statistics.median(train)
    if torch:
        # Against PyTorch's best run, not its median: on a shared machine
        # its threads are sometimes slowed several-fold, which must not
        # count in our favour.
        tm = max(torch)
        r = train / tm
        print(f"{'CNN training, 64x64, images/s against PyTorch (best run)':58} {train:8.0f}/s {tm:>17.0f}/s {r:5.2f}x goal 0.8x  {'yes' if r >= 0.8 else 'NO'}"
              f"  (PyTorch runs: {', '.join(f'{x:.0f}' for x in torch)}; ours the median of {', '.join(f'{x:.0f}' for x in train_runs)})")
    else:
        print(f"{'CNN training, 64x64, images/s against PyTorch':58} {train:8.0f}/s   PyTorch not installed (apt-get install python3-torch): no ratio")
    cnn_ops()
    # A round: Score end to end on full-field views (journal, reading,
    # decoding and preprocessing on every core, inference, output).
    sc = go_bench("ScoreFullField", "./models/scoring/", "3x")
    eps = next(iter(sc.values()))["exams/s"]
    hours = 250000 / eps / 3600
    cores = os.cpu_count() or 1
    print(f"{'score a 250,000-exam round of full-field views (projected)':58} {hours:8.1f} h  ({eps:.1f} exams/s measured by Score on {cores} cores, files cached)  goal 8 h  {'yes' if hours <= 8 else 'NO'}")
    big()


def big():
    """10,000,000 rows: peak memory of the survival jobs (BENCH_10M=1)."""
    if os.environ.get("BENCH_10M") != "1":
        print(f"{'10,000,000 rows, each job, peak memory':58} not run (BENCH_10M=1 runs it: it writes a 1.4 GB cohort)")
        return
    big = os.path.join(work, "cohort10m.csv")
    scores = os.path.join(work, "scores10m.csv")
    for small, large in [("cohort.csv", big), ("scores.csv", scores)]:
        if not os.path.exists(large):
            sh(["Rscript", "-e", "d <- data.table::fread(commandArgs(TRUE)[1]); data.table::fwrite(d[rep(seq_len(nrow(d)), 10)], commandArgs(TRUE)[2])",
                os.path.join(work, small), large])
    km = ["survival", "km", "--data", big, "--time", "time", "--event", "status", "--times", "365,1825"]
    ev = ["evaluate", "--data", scores, "--score", "p", "--outcome", "y"]
    for name, args in [("km --times", km), ("km --group + log-rank", km + ["--group", "group"]),
                       ("cox, 10 covariates", ["survival", "cox", "--data", big, "--time", "time", "--event", "status",
                                               "--covariates", ",".join(f"x{j}" for j in range(1, 11))]),
                       ("evaluate full", ev), ("evaluate --calibration no", ev + ["--calibration", "no"])]:
        t, kb, _ = peak_kb([bin_, "-q", "--format", "json"] + args)
        print(f"{'10,000,000 rows: ' + name:58} {t:8.1f} s {kb/1024/1024:6.2f} GB peak  goal 4 GB  {'yes' if kb <= 4 * 1024 * 1024 else 'NO'}")


if __name__ == "__main__":
    sys.exit(main())
