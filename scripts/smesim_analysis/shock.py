"""How firms responded to the first pandemic wave in a result file: the moments the
shock side is calibrated to (scenarios/calibration/shock.toml) and validated against
(docs/VALIDATION.md). Sources: ../shared/calibration/README.md, "How SMEs in the region
actually responded in 2020".

Each is a value per replication for a run that starts in 2020-01 (the month before any
series crosses the mapping's threshold, so it is the pre-shock level):

  sales_drop             mean over SMEs of their relative sales drop against normal sales
                         (revenue_drop_sum / firms_active), April and May 2020, less its
                         January value (the drop of normal fluctuations), all cities:
                         firm surveys average firms' own changes (Business Pulse: sales
                         49% lower than a year before), not the change of total sales
  sales_drop_vnm_apr     the same for the Viet Nam cities, April alone (-53%)
  sales_drop_vnm_jun     ... and June (-43%)
  closed_share_idn_tha   share of the SMEs of the Indonesian and Thai cities that closed
                         temporarily at some month end in January-May 2020 (ADB: 48.6%, 41.1%)
  laid_off_share         share of SMEs that laid workers off in January-May 2020, all cities
                         (Business Pulse: fewer than 20%)
  adjusted_share         share that cut hours or closed temporarily (furlough) in
                         January-May 2020, all cities (Business Pulse: 64% cut hours or
                         wages, or used leave)
  closed_short_share_ind share of the SMEs of the Indian cities alive at the end of 2020
                         that were temporarily closed in one to three of its months
                         (SIDBI, FY2021: 67% shut temporarily for up to three months);
                         needs a run of 12 months
"""

import h5py
import numpy as np

from .files import text

SHOCK_MOMENTS = ("sales_drop", "sales_drop_vnm_apr", "sales_drop_vnm_jun", "closed_share_idn_tha",
                 "laid_off_share", "adjusted_share", "closed_short_share_ind")


def _month_index(f, month):
    """Index along time of "2020-MM", from the days-since-2020-01-01 coordinate."""
    days = f["time"][()]
    if not text(f["time"].attrs["units"]).startswith("days since 2020-01-01"):
        raise ValueError("the shock moments need a run that starts in 2020-01")
    starts = np.cumsum([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30])
    where = np.nonzero(days == starts[month - 1])[0]
    if not len(where):
        raise ValueError(f"the run does not reach 2020-{month:02d}")
    return int(where[0])


def _cities(f, countries):
    """Mask over cities of those in `countries`."""
    return np.isin([text(c) for c in f["city_country"][()]], countries)


def _share(f, name, month, mask=slice(None)):
    t = _month_index(f, month)
    return f[name][:, t, mask].sum(axis=-1) / f["firms_active"][:, t, mask].sum(axis=-1)


def _drop(f, months, mask=slice(None)):
    drop = f["revenue_drop_sum"][()][:, :, mask].sum(axis=-1) / f["firms_active"][()][:, :, mask].sum(axis=-1)
    return np.mean([drop[:, _month_index(f, m)] for m in months], axis=0) - drop[:, _month_index(f, 1)]


def shock_responses(path):
    """{moment: per-replication array} for the moments the file's cities allow."""
    with h5py.File(path, "r") as f:
        out = {"sales_drop": _drop(f, (4, 5)),
               "laid_off_share": _share(f, "firms_laid_off_ytd", 5),
               "adjusted_share": _share(f, "firms_cut_hours_or_closed_ytd", 5)}
        vnm = _cities(f, ["Viet Nam"])
        if vnm.any():
            out["sales_drop_vnm_apr"] = _drop(f, (4,), vnm)
            out["sales_drop_vnm_jun"] = _drop(f, (6,), vnm)
        idn_tha = _cities(f, ["Indonesia", "Thailand"])
        if idn_tha.any():
            out["closed_share_idn_tha"] = _share(f, "firms_closed_ytd", 5, idn_tha)
        ind = _cities(f, ["India"])
        if ind.any() and f["time"].shape[0] >= 12:
            out["closed_short_share_ind"] = (_share(f, "firms_closed_ytd", 12, ind)
                                             - _share(f, "firms_closed_long_ytd", 12, ind))
    return out
