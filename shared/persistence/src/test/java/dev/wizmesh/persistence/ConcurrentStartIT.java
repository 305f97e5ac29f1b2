package dev.wizmesh.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.PostgresServer;
import dev.wizmesh.testing.UniqueNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several instances of one service starting at the same moment on a fresh server (the system
 * tests start three, a deployment rolls out many): each provisions and migrates, and none may
 * fail for having raced the others. Flyway locks only around the migrations themselves; its
 * before/after callbacks (our function and grants) run outside that lock, and PostgreSQL refuses
 * two concurrent GRANTs on one object ("tuple concurrently updated").
 */
class ConcurrentStartIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final int INSTANCES = 4;

    @Test
    void instancesStartingTogetherAllProvisionAndMigrate() throws Exception {
        PostgresServer server = PostgresExtension.sharedServer();
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int round = 0; round < 5; round++) {
                String name = UniqueNames.next();
                try {
                    CyclicBarrier start = new CyclicBarrier(INSTANCES);
                    List<Future<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < INSTANCES; i++) {
                        runs.add(pool.submit(startingInstance(server, name, start)));
                    }
                    int executed = 0;
                    for (Future<Integer> run : runs) {
                        executed += run.get();
                    }
                    assertThat(executed).as("the one migration ran exactly once across the instances").isEqualTo(1);
                } finally {
                    server.dropDatabase(name);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<Integer> startingInstance(PostgresServer server, String name, CyclicBarrier start) {
        return () -> {
            DatabaseFactory factory = new DatabaseFactory();
            factory.setUrl(server.database(name).urlWithoutCredentials());
            factory.getOwner().setUser(server.username());
            factory.getOwner().setPassword(server.password());
            factory.setProvision(true);
            factory.setMigrations(List.of("classpath:db/notes"));
            start.await();
            factory.provisioner().orElseThrow().provision();
            return factory.migrations().migrate();
        };
    }
}
