package org.relume.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.relume.data.DataFormatException;
import org.relume.io.ModelFormatException;
import org.relume.train.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code relume} command. Subcommands parse, wire and print; the math lives in relume-core.
 *
 * <p>Exit codes: 0 success; 1 the work failed (training diverged, an I/O error); 2 bad input
 * (flags, data files, model files). Errors print one line to stderr; {@code --verbose} adds the
 * stack trace.
 */
@Command(name = "relume",
        mixinStandardHelpOptions = true,
        versionProvider = Relume.Version.class,
        header = "Train thin, deep, parameter-efficient ReLU networks and see inside them.",
        description = {"", "Run 'relume COMMAND --help' for a command's options and examples.", ""},
        subcommands = {DemoCommand.class, TrainCommand.class, PredictCommand.class, EvaluateCommand.class, InfoCommand.class, AnalyzeCommand.class,
            CanonicalizeCommand.class, ExportCommand.class, ImportCommand.class, SweepCommand.class, ComposeCommand.class, GrowCommand.class, ReproduceCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (e.g. training diverged, I/O error)",
            "2:bad input (flags, data or model files)",
            "130:interrupted (Ctrl-C or SIGTERM); train saved a checkpoint to resume"})
public final class Relume {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    /** Stopped by Ctrl-C or SIGTERM after saving a checkpoint (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests with their own writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Relume());
        cl.setExecutionExceptionHandler(Relume::handleExecutionException);
        cl.setParameterExceptionHandler(Relume::handleParameterException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        // A blank line between the usage synopsis and the description, which otherwise run together.
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().descriptionHeading("%n");
        }
        return cl;
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        // One line, like every other error: the message, a suggestion if picocli has one, the help hint.
        String suggestion = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            suggestion = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println("relume: " + ex.getMessage().replace('\n', ' ').strip() + suggestion + "; see '"
                + cl.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return BAD_INPUT;
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("relume: " + describe(ex));
        if (isVerbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode(ex);
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }

    /** Prints each warning on its own line of stderr, as "relume: warning: ...", so that output files stay clean. */
    static void warn(CommandLine.Model.CommandSpec spec, java.util.List<String> warnings) {
        PrintWriter err = spec.commandLine().getErr();
        for (String w : warnings) {
            err.println("relume: warning: " + w);
        }
        err.flush();
    }

    /** The one-line message for an error. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u) {
            ex = u.getCause();
        }
        if (ex instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return m;
    }

    /** 2 for bad input, 1 for failures of the work itself. */
    static int exitCode(Throwable ex) {
        if (ex instanceof DataFormatException || ex instanceof ModelFormatException
                || ex instanceof IllegalArgumentException || ex instanceof NoSuchFileException
                || (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException)) {
            return BAD_INPUT;
        }
        if (ex instanceof DivergenceException) {
            return FAILED;
        }
        return FAILED;
    }

    /** The Maven version and the git commit (see {@link BuildInfo}), and the Java running it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"relume " + BuildInfo.version() + ", commit " + BuildInfo.commit(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
