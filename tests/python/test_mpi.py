"""MPI: `mpirun -n N smesim run|sweep|optimise` writes the same file, dataset by dataset, as one
process. Skipped when mpirun is missing or smesim was built without MPI.

Environment: SMESIM_BINARY, SMESIM_SOURCE_DIR (as in test_output.py).
"""

import os
import shutil
import subprocess

import pytest

from h5compare import BINARY, SOURCE, assert_same_data
MPIRUN = shutil.which("mpirun")
# Running as root (CI) needs Open MPI's consent; two ranks on a small machine need
# --oversubscribe.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")

with_mpi = pytest.mark.skipif(
    MPIRUN is None or "with MPI" not in subprocess.run([str(BINARY), "version"], capture_output=True, text=True).stdout,
    reason="mpirun or an MPI build of smesim is missing")


def smesim(*args, ranks=None):
    cmd = [str(BINARY), *map(str, args)]
    if ranks:
        cmd = [MPIRUN, "-n", str(ranks), "--oversubscribe", *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=600)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


@with_mpi
@pytest.mark.parametrize("ranks", [1, 2])
def test_run_over_ranks_equals_one_process(tmp_path, ranks):
    args = ["run", SOURCE / "scenarios" / "ccrs-2021.toml", "-r", "5", "--set", "simulation.months=24",
            "--set", "simulation.population_scale=0.01", "--output", "firms", "-q", "--threads", "1"]
    smesim(*args, "-o", tmp_path / "one.h5")
    smesim(*args, "-o", tmp_path / "mpi.h5", ranks=ranks)
    assert_same_data(tmp_path / "one.h5", tmp_path / "mpi.h5")


def assert_sweep_over_ranks_equals_one_process(tmp_path, replications, parameter, ranks, *settings):
    """A grid sweep of the default scenario over `parameter` (key, values) writes the
    same file over `ranks` ranks as in one process."""
    key, values = parameter
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f'base = "{SOURCE / "scenarios" / "ccrs-2021.toml"}"\ndesign = "grid"\n'
                     f'replications = {replications}\n[[parameters]]\nkey = "{key}"\nvalues = {values}\n')
    args = ["sweep", sweep, *settings, "-q"]
    smesim(*args, "-o", tmp_path / "one.h5")
    smesim(*args, "-o", tmp_path / "mpi.h5", ranks=ranks)
    assert_same_data(tmp_path / "one.h5", tmp_path / "mpi.h5")


@with_mpi
def test_sweep_over_two_ranks_equals_one_process(tmp_path):
    assert_sweep_over_ranks_equals_one_process(tmp_path, 2, ("firms.payout_rate", [0.3, 0.6]), 2,
                                               "--set", "simulation.months=24",
                                               "--set", "simulation.population_scale=0.004")


@with_mpi
def test_ranks_share_the_items_as_they_free_up(tmp_path):
    """Rank 0 hands items out as ranks ask: with more ranks than items some run none, and
    points of very different sizes still give the one-process file."""
    assert_sweep_over_ranks_equals_one_process(tmp_path, 1, ("simulation.population_scale", [0.002, 0.01]), 3,
                                               "--set", "simulation.months=12", "--threads", "1")


@with_mpi
def test_an_error_on_rank_zero_ends_every_rank(tmp_path):
    out = tmp_path / "exists.h5"
    out.write_text("not ours")
    proc = subprocess.run([MPIRUN, "-n", "2", "--oversubscribe", str(BINARY), "run",
                           str(SOURCE / "scenarios" / "ccrs-2021.toml"), "-o", str(out), "-q"],
                          capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode != 0
    assert "use --force" in proc.stderr
    assert out.read_text() == "not ours"


@with_mpi
def test_optimise_over_two_ranks_equals_one_process(tmp_path):
    """Every rank runs the same search; each evaluation's replications are spread over the
    ranks: the result file is the one a single process writes."""
    problem = tmp_path / "opt.toml"
    problem.write_text(f'base = "{SOURCE / "scenarios" / "ccrs-2021.toml"}"\n'
                       f'counterfactual = "{SOURCE / "scenarios" / "covid-no-support.toml"}"\n'
                       'set = ["simulation.population_scale=0.002", "simulation.months=30"]\n'
                       'replications = 3\nevaluations = 5\nvalidation_replications = 3\n'
                       '[objective]\nmeasure = "failures"\ngoal = "minimise"\nfirst = "2021-01"\n'
                       '[budget]\ntotal_usd = 4_000_000\nkey = "programme.grant_usd"\n'
                       'cities = ["bangkok", "jakarta"]\n')
    one = smesim("optimise", problem, "-o", tmp_path / "one.h5", "-q", "--threads", "1")
    two = smesim("optimise", problem, "-o", tmp_path / "mpi.h5", "-q", "--threads", "1", ranks=2)
    assert two.stdout.replace("mpi.h5", "one.h5") == one.stdout  # rank 0 alone prints the summary
    assert_same_data(tmp_path / "one.h5", tmp_path / "mpi.h5")
    assert not (tmp_path / "mpi.h5.runs").exists()
