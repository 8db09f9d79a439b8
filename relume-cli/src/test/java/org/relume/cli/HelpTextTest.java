package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help as a reader sees it: prose is wrapped once, by picocli, to the screen width (a line
 * wrapped by hand and then again by picocli leaves a short line in the middle of a paragraph);
 * tables and examples fit 80 columns so they are never re-wrapped; and the help and the README
 * agree: every example in the help is a command of the README, and every option of a command is
 * documented in the README's section for that command.
 */
class HelpTextTest {
    /** Options every command has and the README documents once, at the top. */
    private static final Set<String> STANDARD = Set.of("--help", "--version", "--verbose");

    private static Map<String, CommandLine> commands(int width) {
        CommandLine root = Relume.commandLine();
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        Map<String, CommandLine> all = new LinkedHashMap<>();
        all.put("relume", root);
        root.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                all.put(name, sub);
            }
        });
        return all;
    }

    @Test
    void proseIsWrappedOnceAndNoLineIsRagged() {
        for (int width : new int[] {80, 140}) {
            for (Map.Entry<String, CommandLine> c : commands(width).entrySet()) {
                String[] lines = c.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF).split("\\R");
                for (int i = 0; i < lines.length; i++) {
                    String where = c.getKey() + " --help at width " + width + ", line " + (i + 1);
                    assertTrue(lines[i].length() <= width, where + " is too long: " + lines[i]);
                    if (i + 1 < lines.length && continuesProse(lines[i], lines[i + 1])) {
                        String next = lines[i + 1];
                        int word = next.indexOf(' ') < 0 ? next.length() : next.indexOf(' ');
                        // Two columns of slack: picocli may keep the last column free.
                        assertTrue(lines[i].length() + 1 + word > width - 2, where + " ends early although '"
                                + next.substring(0, word) + "' would fit (text wrapped twice): " + lines[i]);
                    }
                }
            }
        }
    }

    /** Both lines are unindented text of one paragraph (not a heading, the usage line or a table row). */
    private static boolean continuesProse(String line, String next) {
        return !line.isBlank() && !next.isBlank() && !Character.isWhitespace(line.charAt(0))
                && !Character.isWhitespace(next.charAt(0)) && !line.endsWith(":") && !line.startsWith("Usage:")
                && !next.startsWith("Usage:");
    }

    @Test
    void tablesAndExamplesFitEightyColumns() {
        for (Map.Entry<String, CommandLine> c : commands(80).entrySet()) {
            for (String line : c.getValue().getCommandSpec().usageMessage().description()) {
                if (line.startsWith(" ")) {
                    assertTrue(line.length() <= 78, c.getKey() + ": an indented description line picocli would re-wrap"
                            + " at 80 columns: " + line);
                }
            }
        }
    }

    @Test
    void everyExampleInTheHelpIsInTheReadme() throws IOException {
        Set<String> readme = readmeCommands();
        int examples = 0;
        for (Map.Entry<String, CommandLine> c : commands(80).entrySet()) {
            for (String example : examples(c.getValue().getCommandSpec().usageMessage().description())) {
                examples++;
                assertTrue(readme.contains(example), c.getKey() + " --help shows an example the README does not: " + example);
            }
        }
        assertTrue(examples >= 15, "found only " + examples + " examples; has the help's layout changed?");
    }

    @Test
    void everyOptionIsDocumentedInItsReadmeSection() throws IOException {
        String readme = Files.readString(readme());
        for (Map.Entry<String, CommandLine> c : commands(80).entrySet()) {
            if (c.getKey().equals("relume")) {
                continue;
            }
            String section = section(readme, c.getKey());
            assertFalse(section.isEmpty(), "the README has no section ### `relume " + c.getKey() + "`");
            for (OptionSpec option : c.getValue().getCommandSpec().options()) {
                String name = option.longestName();
                if (!STANDARD.contains(name)) {
                    assertTrue(Pattern.compile(Pattern.quote(name) + "(?![a-z-])").matcher(section).find(), "the README's section on relume "
                            + c.getKey() + " does not mention " + name);
                }
            }
        }
    }

    @Test
    void anArgumentFileWorksAsTheReadmeSays(@TempDir Path tmp) throws IOException {
        Path args = tmp.resolve("moons.args");
        Files.writeString(args, "# a short run\n--data moons --epochs 3\n--validate-every 1\n");
        CliRun r = CliRun.of("train", "@" + args, "--seed", "2");
        assertTrue(r.exitCode() == 0 && r.out().contains("3 epochs, seed 2"), r.toString());
    }

    /** The examples of a description: lines starting with "relume ", joined over trailing backslashes. */
    private static List<String> examples(String[] description) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < description.length; i++) {
            if (description[i].strip().startsWith("relume ")) {
                StringBuilder sb = new StringBuilder(description[i].strip());
                while (sb.toString().endsWith("\\") && i + 1 < description.length) {
                    sb.setLength(sb.length() - 1);
                    sb.append(' ').append(description[++i].strip());
                }
                found.add(normalize(sb.toString()));
            }
        }
        return found;
    }

    /** Every command line in the README, as "relume ...", continuations joined and comments cut. */
    private static Set<String> readmeCommands() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        Set<String> commands = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip().replaceFirst("^\\$ ", "");
            if (!line.startsWith("./relume ")) {
                continue;
            }
            StringBuilder sb = new StringBuilder(line.substring(2));
            while (sb.toString().endsWith("\\") && i + 1 < lines.size()) {
                sb.setLength(sb.length() - 1);
                sb.append(' ').append(lines.get(++i).strip());
            }
            String command = sb.toString();
            int comment = command.indexOf(" #");
            commands.add(normalize(comment < 0 ? command : command.substring(0, comment)));
        }
        return commands;
    }

    private static String normalize(String command) {
        return command.strip().replaceAll("\\s+", " ");
    }

    /** The README's text from "### `relume NAME`" to the next heading of that level or above. */
    private static String section(String readme, String name) {
        int start = readme.indexOf("### `relume " + name + "`");
        if (start < 0) {
            return "";
        }
        int end = readme.length();
        for (String heading : new String[] {"\n### ", "\n## "}) {
            int at = readme.indexOf(heading, start + 4);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return readme.substring(start, end);
    }

    /** README.md of the checkout, found upwards from the module's directory where the tests run. */
    private static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no README.md above " + Path.of("").toAbsolutePath());
        return dir.resolve("README.md");
    }
}
