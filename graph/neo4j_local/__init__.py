"""A real local Neo4j 5.26 without Docker: ``server`` starts, stops and finds it.

``config`` is what it is started with, ``layout`` where its files go, ``toolchain`` the Java and Maven side
(the launcher's classpath and command line), ``record`` the detached server's ``server.json`` and lock,
``errors`` the one error it raises, ``bulk`` Neo4j's own import tool run on a stopped server's database.
``Launcher.java`` and ``pom.xml`` are the Java launcher itself.
"""
