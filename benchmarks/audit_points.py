"""Checks a blind point set's coordinates against GeoNames, apart from what is scored.

A writer who looks up coordinates by hand sometimes drops the minus sign of a latitude
(Lhokseumawe at 5.18 N written -5.18, which is the Indian Ocean south of Sumatra). Such
an item tests nothing: no locator can put it in the region named. An item is flagged
when its point lies farther than ``FAR_KM`` from every populated place GeoNames lists
(any country) and the same point with the latitude's sign changed lies within
``NEAR_KM`` of an Indonesian one. The check reads the gazetteer only, never the answer
scored nor the polygons, so it is the same for every locator and may run on held-out
files; ``eval_regions.py`` reports the share right with and without the flagged items.
"""

from __future__ import annotations

from navigator.regions.points import PointLocator

FAR_KM = 100.0  # open sea: no town within this distance
NEAR_KM = 30.0  # the mirrored point is next to a town


def flipped_latitude(locator: PointLocator, lat: float, lon: float) -> str | None:
    """Why the point looks like a latitude written with the wrong sign, or None."""
    km = locator.distances_km(lat, lon)
    nearest = float(km.min())
    if nearest <= FAR_KM:
        return None
    mirrored = locator.distances_km(-lat, lon)
    index = int(mirrored.argmin())
    place = locator.places[index]
    if place.country != "ID" or float(mirrored[index]) > NEAR_KM:
        return None
    return (
        f"{lat}, {lon} is {nearest:.0f} km from any town; {-lat}, {lon} is "
        f"{float(mirrored[index]):.0f} km from {place.name}"
    )
