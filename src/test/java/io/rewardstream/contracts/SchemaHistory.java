package io.rewardstream.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** Reads the committed versions of a schema file from git and checks a schema against them. */
final class SchemaHistory {

    private final Path workTree;

    SchemaHistory(Path workTree) {
        this.workTree = workTree;
    }

    /** True when {@code workTree} is inside a git checkout and git can be run. */
    boolean available() {
        try {
            return git("rev-parse", "--is-inside-work-tree").strip().equals("true");
        } catch (IOException e) {
            return false;
        }
    }

    /** Every committed version of the file (path relative to the work tree), newest first. */
    List<Version> versions(String relativePath) throws IOException {
        List<Version> versions = new ArrayList<>();
        for (String commit : git("log", "--format=%H", "--", relativePath).lines().toList()) {
            String text = git("show", commit + ":./" + relativePath);
            versions.add(new Version(commit, new Schema.Parser().parse(text)));
        }
        return versions;
    }

    record Version(String commit, Schema schema) {
    }

    /** Why {@code reader} cannot read data written with {@code writer}; empty when it can. */
    static List<String> backwardProblems(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", workTree.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + err.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running git", e);
        }
        return out;
    }
}
