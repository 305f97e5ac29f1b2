package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuartzTablesTest {
    @Test
    void quartzsOwnScriptGivesItsElevenTablesAndNoDrops() throws Exception {
        List<String> statements = V1__Quartz_tables.statements(V1__Quartz_tables.script());
        assertThat(statements.stream().filter(s -> s.startsWith("CREATE TABLE")).count()).isEqualTo(11);
        assertThat(statements).noneMatch(s -> s.toUpperCase().startsWith("DROP") || s.equalsIgnoreCase("COMMIT"))
                .anyMatch(s -> s.startsWith("CREATE INDEX")).allMatch(s -> !s.contains("--"));
    }
}
