"""Opening smesim result files: checked, with decoded dates and labelled dimensions."""

import tomllib
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import xarray as xr

ALL_CITIES = "All cities"


class ResultFileError(Exception):
    """A file that is missing, not HDF5, not an smesim result, incomplete or a sweep."""


def text(value):
    """An HDF5 string attribute as str (h5py returns fixed-length strings as bytes)."""
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.generic):
        return value.item()
    return value


def attributes(path):
    """The root attributes of a result file as a dict of str and numbers."""
    with h5py.File(path, "r") as f:
        return {name: text(value) for name, value in f.attrs.items()}


def check_result_file(path, allow_incomplete=False, sweep=False):
    """Raise ResultFileError unless path is a (complete) single-run smesim result file, or
    with sweep=True a complete sweep file."""
    path = Path(path)
    if not path.exists():
        raise ResultFileError(f"{path}: no such file")
    if not path.is_file() or not h5py.is_hdf5(path):
        raise ResultFileError(f"{path}: not an HDF5 file, so not an smesim result file")
    with h5py.File(path, "r") as f:
        version = text(f.attrs.get("smesim_version"))
        status = text(f.attrs.get("status"))
        is_sweep = "point" in f  # a root point dimension: a sweep (as smesim inspect checks)
    if version is None:
        raise ResultFileError(f"{path}: not an smesim result file (no 'smesim_version' attribute)")
    if status != "complete" and not allow_incomplete:
        raise ResultFileError(f"{path}: result file status is '{status}', not 'complete' "
                              "(the run was interrupted or failed)")
    if is_sweep and not sweep:
        raise ResultFileError(f"{path}: a sweep file (with a point dimension); this reads single runs "
                              "(scripts/plot.py and scripts/report.py read sweeps too)")
    if sweep and not is_sweep:
        raise ResultFileError(f"{path}: not a sweep file (no point dimension)")


def open_result(path, allow_incomplete=False):
    """The root group of a result file as an in-memory xarray Dataset.

    time is decoded to dates; city, sector and size_class are labelled by name, with
    city_id, city_country and city_status as auxiliary coordinates. With
    allow_incomplete, a partial file is read and only its finished replications kept.
    """
    check_result_file(path, allow_incomplete)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds = ds.load()
    ds.attrs["path"] = str(path)
    if allow_incomplete and "replication_done" in ds:
        ds = ds.sel(replication=ds.replication_done == 1)
    return ds


def is_sweep_file(path):
    """True if path is an HDF5 file with a root point dimension (a sweep); False otherwise."""
    path = Path(path)
    if not path.is_file() or not h5py.is_hdf5(path):
        return False
    with h5py.File(path, "r") as f:
        return "point" in f


def open_sweep(path):
    """A complete sweep file as an in-memory xarray Dataset (point, replication, time, city)."""
    check_result_file(path, sweep=True)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds = ds.load()
    ds.attrs["path"] = str(path)
    return ds


def has_group(path, group):
    with h5py.File(path, "r") as f:
        return group in f and isinstance(f[group], h5py.Group)


def open_sectors(path, root=None):
    """The sectors/ group (files written with --output sectors or firms) with the root's
    coordinates attached, or None when the file has no such group."""
    if not has_group(path, "sectors"):
        return None
    if root is None:
        root = open_result(path)
    with xr.open_dataset(path, engine="h5netcdf", group="sectors") as sec:
        sec = sec.load()
    coords = {name: root[name] for name in ("replication", "time", "city", "sector", "size_class")}
    sec = sec.assign_coords(coords)
    return sec.sel(replication=root.replication)


def open_contracts(path, root=None):
    """The contracts/ table as a pandas DataFrame, one row per award, with the city,
    sector and size class names added (city_name, sector_name, size_class_name) and the
    month of the call as award_time (a date). Integer columns are made integers."""
    if root is None:
        root = open_result(path)
    with xr.open_dataset(path, engine="h5netcdf", group="contracts") as con:
        df = con.load().to_dataframe()
    for col in ("replication", "city", "project", "firm_uid", "sector", "size_class",
                "duration_months", "months_delivered", "months_distressed"):
        if col in df:
            df[col] = df[col].astype("int64")
    df["city_name"] = pd.Series(root.city.values[df.city.to_numpy()], index=df.index, dtype=object)
    df["sector_name"] = pd.Series(root.sector.values[df.sector.to_numpy()], index=df.index, dtype=object)
    df["size_class_name"] = pd.Series(root.size_class.values[df.size_class.to_numpy()],
                                      index=df.index, dtype=object)
    return df


def scenario(ds_or_attrs):
    """The resolved scenario of a file (its `scenario` attribute) as a dict."""
    attrs = ds_or_attrs.attrs if hasattr(ds_or_attrs, "attrs") else ds_or_attrs
    return tomllib.loads(text(attrs["scenario"]))


def month_labels(ds):
    """The reported months as 'YYYY-MM' strings."""
    return [str(t)[:7] for t in ds.time.values.astype("datetime64[M]")]
