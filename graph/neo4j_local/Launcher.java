import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Sightline's local Neo4j: Neo4j 5.26 Community embedded, with its Bolt connector on 127.0.0.1 and APOC core.
 *
 * <p>Why a launcher instead of the Neo4j server distribution: the project's machines have Java 17 and Maven
 * but no Docker engine and no neo4j tarball; Maven resolves {@code org.neo4j:neo4j} (which includes Bolt) and
 * APOC once, and this one source file runs with {@code java -cp <classpath> Launcher.java}.
 *
 * <p>Protocol with graph/neo4j_local/server.py: one line {@code BOLT bolt://127.0.0.1:PORT} on stdout once Bolt
 * accepts connections (and APOC answered a call); {@code STOPPED} after a clean shutdown. Without
 * {@code --detach} the launcher lives as long as its stdin: when the parent closes the pipe (or dies), it
 * shuts the database down and exits 0. With {@code --detach} it ignores stdin and shuts down cleanly from a
 * shutdown hook on SIGTERM.
 *
 * <p>Authentication is disabled: the connector listens on the loopback interface only, so only processes
 * on this machine can reach it. Use the docker-compose Neo4j (with a password) for anything shared.
 *
 * <p>Usage: {@code Launcher --home DIR [--port N] [--page-cache 64m] [--detach]}; port 0 lets the operating
 * system pick a free port, which the launcher reads back from Neo4j and prints.
 */
public final class Launcher {
    private static final String DATABASE = "neo4j";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Path home;
    private final int port;
    private final String pageCache;
    private final boolean detach;
    private final AtomicBoolean stopped = new AtomicBoolean(false);
    private DatabaseManagementService dbms;

    private Launcher(Path home, int port, String pageCache, boolean detach) {
        this.home = home;
        this.port = port;
        this.pageCache = pageCache;
        this.detach = detach;
    }

    public static void main(String[] args) {
        Launcher launcher;
        try {
            launcher = parse(args);
        } catch (IllegalArgumentException error) {
            System.err.println("usage error: " + error.getMessage());
            System.err.println("usage: Launcher --home DIR [--port N] [--page-cache 64m] [--detach]");
            System.exit(2);
            return;
        }
        try {
            launcher.run();
        } catch (Throwable error) {
            System.err.println("FAILED " + error);
            error.printStackTrace(System.err);
            launcher.stop();
            System.exit(1);
        }
    }

    private static Launcher parse(String[] args) {
        Path home = null;
        int port = 0;
        String pageCache = "64m";
        boolean detach = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(value(args, ++i, "--home")).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--page-cache" -> pageCache = value(args, ++i, "--page-cache");
                case "--detach" -> detach = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            throw new IllegalArgumentException("--home is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535");
        }
        return new Launcher(home, port, pageCache, detach);
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    private void run() throws Exception {
        Files.createDirectories(home);
        Path plugins = home.resolve("plugins");
        linkApocJars(plugins);

        // Registered before the build so that a SIGTERM during start-up still closes the store cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "sightline-neo4j-shutdown"));

        dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Loopback only (above), so no authentication; see the class comment.
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, SettingValueParsers.BYTES.parse(pageCache))
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*", "db.*", "dbms.*", "tx.*"))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // A laptop database: small transaction logs, not preallocated, and only the last two kept.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, SettingValueParsers.BYTES.parse("16m"))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(5))
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        GraphDatabaseService db = dbms.database(DATABASE);
        if (!db.isAvailable(START_TIMEOUT.toMillis())) {
            throw new IllegalStateException("database " + DATABASE + " did not become available");
        }
        String apoc = db.executeTransactionally("RETURN apoc.version() AS v", java.util.Map.of(),
                result -> String.valueOf(result.next().get("v")));
        HostnamePort bolt = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bolt == null) {
            throw new IllegalStateException("the Bolt connector did not register an address");
        }
        PrintStream out = System.out;
        out.println("APOC " + apoc);
        out.println("BOLT bolt://127.0.0.1:" + bolt.getPort());
        out.flush();

        if (detach) {
            new CountDownLatch(1).await(); // until SIGTERM: the shutdown hook stops the database
        } else {
            drain(System.in);
            stop();
            System.exit(0);
        }
    }

    /** Blocks until the parent closes our stdin (or dies, which closes it too). */
    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // Anything the parent writes is ignored; only end-of-file matters.
            }
        } catch (IOException error) {
            // A broken pipe means the same as end-of-file: nobody is holding us any more.
        }
    }

    /**
     * Neo4j loads procedures only from jars in its plugin directory, while APOC's extensions are found on the
     * classpath; put the APOC jars that Maven resolved into the plugin directory as well.
     */
    private static void linkApocJars(Path plugins) throws IOException {
        Files.createDirectories(plugins);
        try (var old = Files.list(plugins)) {
            for (Path path : (Iterable<Path>) old::iterator) {
                if (path.getFileName().toString().startsWith("apoc-")) {
                    Files.delete(path);
                }
            }
        }
        List<Path> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (name.startsWith("apoc-") && name.endsWith(".jar") && Files.isRegularFile(jar)) {
                found.add(jar);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no apoc-*.jar on the classpath; is the classpath from pom.xml?");
        }
        for (Path jar : found) {
            Path target = plugins.resolve(jar.getFileName());
            try {
                Files.createSymbolicLink(target, jar.toAbsolutePath());
            } catch (IOException | UnsupportedOperationException error) {
                Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Idempotent: called from the stdin thread, the failure path and the shutdown hook. */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (dbms != null) {
            dbms.shutdown();
            System.out.println("STOPPED");
            System.out.flush();
        }
    }
}
