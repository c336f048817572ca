package dev.bulwark.core.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Shell scripts standing in for pg_dump and psql, to provoke failures a real server cannot be made to produce. */
final class FakeTools {

    /** What a plain-format pg_dump writes on success (its last line is the completion trailer). */
    static final String PLAIN_DUMP = """
            --
            -- PostgreSQL database dump
            --
            CREATE TABLE public.t (id integer);
            COPY public.t (id) FROM stdin;
            1
            \\\\.
            --
            -- PostgreSQL database dump complete
            --
            """;

    private final Path dir;

    FakeTools(Path dir) {
        this.dir = dir;
        psql("140022|14.22");
    }

    /** Writes a psql that reports the given {@code server_version_num|server_version} answer. */
    FakeTools psql(String answer) {
        script("psql", """
                if [ "$1" = "--version" ]; then echo "psql (PostgreSQL) 15.18"; exit 0; fi
                echo '%s'
                """.formatted(answer));
        return this;
    }

    /** Writes a pg_dump that answers {@code --version} and otherwise runs {@code body}. */
    Path pgDump(String body) {
        return script("pg_dump", """
                if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"; exit 0; fi
                """ + body);
    }

    /** Writes a pg_dump that prints a complete plain dump after {@code sleepSeconds}. */
    Path succeedingPgDump(double sleepSeconds) {
        return pgDump("sleep " + sleepSeconds + "\ncat <<'SQL'\n" + PLAIN_DUMP + "SQL\n");
    }

    private Path script(String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Returns a job backing up (plain format) into {@code backups} with these tools. */
    BackupJob.Builder job(Path backups) {
        return BackupJob.builder()
                .connection(PostgresConnection.builder()
                        .host("db.internal")
                        .database("app")
                        .user("app")
                        .password("secret")
                        .build())
                .directory(backups)
                .format(BackupFormat.PLAIN_GZIP)
                .pgDump(dir.resolve("pg_dump").toString())
                .timeout(java.time.Duration.ofSeconds(20));
    }
}
