package org.relume.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.relume.data.expression.Expression;

/**
 * Turns a data spec string into a train/validation split, so that the command line, experiment
 * configurations and results rows name data the same way:
 * <pre>
 *   moons                          the paper's 100 moons, split 85 / 15 in generated order
 *   moons:n=200,noise=0.1          other sizes and noise; split round(n * (1 - validationFraction))
 *   curve:NAME                     500 points on [0, 1] of x3, x11, tanh3, sin or x2; shuffled split
 *   curve:NAME:n=200,lo=-1,hi=1    another grid
 *   fn:EXPR[:n=500,lo=0,hi=1]      any expression in x (see {@link Expression}) on that grid; shuffled split
 *   student-teacher[:n=1000]       GradMax's 10-10-10 teacher, weights and inputs both from the request's seed
 *   teacher:in=10,hidden=10,out=10,seed=1,n=1000
 *                                  a teacher of that shape whose weights come from its own seed; the
 *                                  inputs from the request's seed
 *   csv:PATH                       a numeric table (see {@link CsvReader}); shuffled split
 *   idx:DIR                        an MNIST-layout directory; t10k is the validation set
 *   cifar:DIR                      a CIFAR-10 or CIFAR-100 binary directory (see {@link CifarReader});
 *                                  the test file is the validation set; CIFAR-100 uses fine labels
 *   cifar:DIR:labels=coarse        CIFAR-100's 20 coarse labels instead (labels=fine is the default)
 * </pre>
 * Moons are split in order because the generator already shuffled them (REFERENCES.md §7.1); the
 * other sets come in file or grid order and are shuffled with the request's seed before splitting.
 */
public final class DataSources {
    /** What every error about a malformed spec lists. */
    public static final String ACCEPTED_FORMS = "moons, moons:n=200,noise=0.1, curve:NAME, "
            + "curve:NAME:n=500,lo=0,hi=1 (NAME one of " + String.join(", ", Curves.names())
            + "), fn:EXPR[:n=500,lo=0,hi=1] (EXPR in x, e.g. fn:(exp(x)-1)/(e-1)), csv:PATH, idx:DIR, "
            + "cifar:DIR[:labels=fine|coarse], student-teacher[:n=1000], teacher:in=10,hidden=10,out=10,seed=1,n=1000, "
            + "sine[:n=500], overlap-quadratic[:n=500,noise=0.15]";

    private DataSources() {}

    /**
     * What to load.
     *
     * @param spec               one of the forms in the class comment
     * @param seed               moons: noise and order; curve and csv: the shuffle before splitting
     * @param validationFraction share of samples that validate, in [0, 1); ignored by idx: and
     *                           cifar:, whose validation set is the t10k or test files
     * @param labelColumn        csv only: header name or 0-based index of the label; null: last
     * @param taskOverride       csv: null to decide from the labels, else the task to use; other
     *                           sources have a fixed task (moons binary, curve regression, idx and
     *                           cifar multiclass), and naming a different one is an error
     * @param limit              csv and idx: when > 0, keep only the first {@code limit} samples of
     *                           each file; cifar: of the training files together and of the test
     *                           file; the generated sets take their size from the spec instead
     * @param features           csv only: the feature columns, in order (empty: all but the label)
     * @param drop               csv only: columns to leave out (an id)
     */
    public record Request(String spec, long seed, double validationFraction, String labelColumn, Task taskOverride,
                          int limit, List<String> features, List<String> drop) {
        public Request {
            Objects.requireNonNull(spec, "spec");
            features = features == null ? List.of() : List.copyOf(features);
            drop = drop == null ? List.of() : List.copyOf(drop);
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0 (0 = all samples), got " + limit);
            }
        }

        /** Every column of a csv file but the label is a feature. */
        public Request(String spec, long seed, double validationFraction, String labelColumn, Task taskOverride, int limit) {
            this(spec, seed, validationFraction, labelColumn, taskOverride, limit, List.of(), List.of());
        }

        /** The paper's defaults: validation fraction 0.15, label and task detected, no limit. */
        public static Request of(String spec, long seed) {
            return new Request(spec, seed, Moons.DEFAULT_VALIDATION_FRACTION, null, null, 0);
        }
    }

    /**
     * What was loaded.
     *
     * @param split        train and validation sets
     * @param description  one line for logs and results, e.g.
     *                     "moons (n=100, noise=0, seed=1): 85 train / 15 validation"
     * @param featureNames one name per input feature
     * @param classValues  for classification, the original value of class 0, 1, ... (the label
     *                     itself for generated and idx data; the index for word labels); empty for
     *                     regression
     * @param classNames   for classification, the name of class 0, 1, ... as the data wrote it
     *                     ("setosa", "10", "3"); empty for regression
     * @param warnings     what looks wrong in the data but did not stop loading, one sentence each
     */
    public record Loaded(Dataset.Split split, String description, List<String> featureNames, double[] classValues,
                         List<String> classNames, List<String> warnings) {
        public Loaded {
            featureNames = List.copyOf(featureNames);
            classValues = classValues.clone();
            classNames = List.copyOf(classNames);
            warnings = List.copyOf(warnings);
        }

        /** Data whose classes are named by their values (generated, idx, cifar), without warnings. */
        public Loaded(Dataset.Split split, String description, List<String> featureNames, double[] classValues) {
            this(split, description, featureNames, classValues,
                    Arrays.stream(classValues).mapToObj(CsvReader::format).toList(), List.of());
        }

        @Override
        public double[] classValues() {
            return classValues.clone();
        }
    }

    /**
     * Loads the data a request names.
     *
     * @throws IllegalArgumentException for a malformed spec or a missing file or directory
     * @throws DataFormatException      for a file whose content is malformed
     */
    /** The sources that make their samples rather than read them; their size is n= in the spec. */
    private static final Set<String> GENERATED = Set.of("moons", "curve", "student-teacher", "sine", "overlap-quadratic");

    public static Loaded load(Request r) {
        String spec = r.spec().strip();
        int colon = spec.indexOf(':');
        String kind = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? null : spec.substring(colon + 1);
        if (r.limit() > 0 && GENERATED.contains(kind)) {
            // Silently ignoring it would train on another size than the user believes.
            throw new IllegalArgumentException("a limit (--limit " + r.limit() + ") applies to csv, idx and cifar data;"
                    + " generated data take their size from the spec, e.g. moons:n=200");
        }
        return switch (kind) {
            case "moons" -> moons(r, spec, rest);
            case "curve" -> curve(r, spec, rest);
            case "csv" -> csv(r, spec, rest);
            case "idx" -> idx(r, spec, rest);
            case "cifar" -> cifar(r, spec, rest);
            case "fn" -> function(r, spec, rest);
            case "student-teacher" -> studentTeacher(r, spec, rest);
            case "teacher" -> teacher(r, spec, rest);
            case "sine" -> twoDimensional(r, spec, rest, false);
            case "overlap-quadratic" -> twoDimensional(r, spec, rest, true);
            default -> throw badSpec(spec, "unknown data source '" + kind + "'");
        };
    }

    private static Loaded moons(Request r, String spec, String params) {
        requireNoCsvOptions(r, "moons");
        requireTask(r, Task.BINARY, "moons");
        Map<String, String> p = parameters(spec, params, List.of("n", "noise"));
        int n = intParameter(spec, p, "n", Moons.DEFAULT_SAMPLES);
        double noise = doubleParameter(spec, p, "noise", 0.0);
        Dataset data = generated(spec, () -> Moons.generate(n, noise, r.seed()));
        int train = (int) Math.round(n * (1 - r.validationFraction()));
        Dataset.Split split = data.splitAt(train);
        String description = "moons (n=" + n + ", noise=" + format(noise) + ", seed=" + r.seed() + "): "
                + sizes(split);
        return new Loaded(split, description, List.of("x", "y"), new double[] {0, 1});
    }

    /** student-teacher[:n=1000]: GradMax's teacher 10 -> 10 -> 10 from the seed (GrowthData). */
    private static Loaded studentTeacher(Request r, String spec, String params) {
        requireNoCsvOptions(r, "student-teacher");
        requireTask(r, Task.REGRESSION, "student-teacher");
        Map<String, String> p = parameters(spec, params, List.of("n"));
        int n = intParameter(spec, p, "n", 1000);
        Dataset data = generated(spec, () -> GrowthData.studentTeacher(n, 10, 10, 10, r.seed()));
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        return new Loaded(split, "student-teacher (n=" + n + ", teacher 10-10-10 from seed " + r.seed() + "): " + sizes(split),
                List.of(), new double[0]);
    }

    /**
     * teacher:in=10,hidden=10,out=10,seed=1,n=1000: a teacher of any shape with its own seed, so that
     * the student's runs (--seed) can vary while the function they learn stays put.
     */
    private static Loaded teacher(Request r, String spec, String params) {
        requireNoCsvOptions(r, "teacher");
        requireTask(r, Task.REGRESSION, "teacher");
        Map<String, String> p = parameters(spec, params, List.of("in", "hidden", "out", "seed", "n"));
        int in = intParameter(spec, p, "in", 10);
        int hidden = intParameter(spec, p, "hidden", 10);
        int out = intParameter(spec, p, "out", 10);
        long teacherSeed = longParameter(spec, p, "seed", 1);
        int n = intParameter(spec, p, "n", 1000);
        Dataset data = generated(spec, () -> GrowthData.teacher(n, in, hidden, out, teacherSeed, r.seed()));
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        return new Loaded(split, "teacher " + in + "-" + hidden + "-" + out + " (seed " + teacherSeed + "; n=" + n
                + " inputs from seed " + r.seed() + "): " + sizes(split), List.of(), new double[0]);
    }

    /** sine[:n=500] and overlap-quadratic[:n=500,noise=0.15]: the folding slides' 2-D sets (GrowthData). */
    private static Loaded twoDimensional(Request r, String spec, String params, boolean quadratic) {
        String kind = quadratic ? "overlap-quadratic" : "sine";
        requireNoCsvOptions(r, kind);
        requireTask(r, Task.MULTICLASS, kind);
        Map<String, String> p = parameters(spec, params, quadratic ? List.of("n", "noise") : List.of("n"));
        int n = intParameter(spec, p, "n", 500);
        double noise = quadratic ? doubleParameter(spec, p, "noise", 0.15) : 0;
        Dataset data = generated(spec, () -> quadratic ? GrowthData.overlapQuadratic(n, noise, r.seed())
                : GrowthData.sine(n, r.seed()));
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        return new Loaded(split, kind + " (n=" + n + (quadratic ? ", noise=" + format(noise) : "") + ", seed=" + r.seed()
                + "): " + sizes(split), List.of("x", "y"), new double[] {0, 1});
    }

    private static Loaded curve(Request r, String spec, String rest) {
        requireNoCsvOptions(r, "curve");
        requireTask(r, Task.REGRESSION, "curve");
        if (rest == null || rest.isBlank()) {
            throw badSpec(spec, "curve needs a name");
        }
        int colon = rest.indexOf(':');
        String name = (colon < 0 ? rest : rest.substring(0, colon)).strip();
        if (!Curves.names().contains(name)) {
            throw badSpec(spec, "unknown curve '" + name + "' (known: " + String.join(", ", Curves.names()) + ")");
        }
        Map<String, String> p = parameters(spec, colon < 0 ? null : rest.substring(colon + 1), List.of("n", "lo", "hi"));
        int n = intParameter(spec, p, "n", Curves.DEFAULT_SAMPLES);
        double lo = doubleParameter(spec, p, "lo", Curves.DEFAULT_LO);
        double hi = doubleParameter(spec, p, "hi", Curves.DEFAULT_HI);
        Dataset data = generated(spec, () -> Curves.generate(name, n, lo, hi));
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        String description = "curve " + name + " (n=" + n + " on [" + format(lo) + ", " + format(hi) + "], seed="
                + r.seed() + "): " + sizes(split);
        return new Loaded(split, description, List.of("x"), new double[0]);
    }

    /** fn:EXPR[:n=500,lo=0,hi=1]; an expression holds no colon, so the first one ends it. */
    private static Loaded function(Request r, String spec, String rest) {
        requireNoCsvOptions(r, "fn");
        requireTask(r, Task.REGRESSION, "fn");
        if (rest == null || rest.isBlank()) {
            throw badSpec(spec, "fn needs an expression in x, e.g. fn:(exp(x)-1)/(e-1)");
        }
        int colon = rest.indexOf(':');
        Expression f = Expression.parse(colon < 0 ? rest : rest.substring(0, colon));
        Map<String, String> p = parameters(spec, colon < 0 ? null : rest.substring(colon + 1), List.of("n", "lo", "hi"));
        int n = intParameter(spec, p, "n", Curves.DEFAULT_SAMPLES);
        double lo = doubleParameter(spec, p, "lo", Curves.DEFAULT_LO);
        double hi = doubleParameter(spec, p, "hi", Curves.DEFAULT_HI);
        Dataset data = generated(spec, () -> Curves.sample("fn:" + f.text().strip(), f, n, lo, hi));
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        String description = "fn " + f.text().strip() + " (n=" + n + " on [" + format(lo) + ", " + format(hi) + "], seed="
                + r.seed() + "): " + sizes(split);
        return new Loaded(split, description, List.of("x"), new double[0]);
    }

    private static Loaded csv(Request r, String spec, String path) {
        if (path == null || path.isBlank()) {
            throw badSpec(spec, "csv needs a file path");
        }
        CsvReader.Options options = new CsvReader.Options(r.labelColumn(), r.taskOverride(), null, r.features(), r.drop());
        CsvReader.Result result = CsvReader.read(Path.of(path.strip()), options);
        Dataset data = result.dataset();
        if (r.limit() > 0 && data.size() > r.limit()) {
            data = data.range(0, r.limit(), data.name());
        }
        Dataset.Split split = data.shuffledSplit(r.validationFraction(), r.seed());
        String description = "csv " + path.strip() + " (" + data.task().id() + ", label '" + result.labelName() + "', "
                + data.inputs() + " features" + (r.limit() > 0 ? ", limit " + r.limit() : "") + ", seed=" + r.seed()
                + "): " + sizes(split);
        return new Loaded(split, description, result.featureNames(), result.classValues(), result.classNames(),
                result.warnings());
    }

    private static Loaded idx(Request r, String spec, String path) {
        if (path == null || path.isBlank()) {
            throw badSpec(spec, "idx needs a directory");
        }
        requireNoCsvOptions(r, "idx");
        requireTask(r, Task.MULTICLASS, "idx");
        Dataset.Split split = IdxReader.loadMnistDirectory(Path.of(path.strip()), r.limit());
        List<String> names = new ArrayList<>(split.train().inputs());
        for (int i = 0; i < split.train().inputs(); i++) {
            names.add("pixel" + i);
        }
        double[] classValues = new double[split.train().classes()];
        for (int c = 0; c < classValues.length; c++) {
            classValues[c] = c;
        }
        String description = "idx " + path.strip() + " (" + split.train().inputs() + " pixels, 10 classes"
                + (r.limit() > 0 ? ", limit " + r.limit() : "") + "): " + sizes(split);
        return new Loaded(split, description, names, classValues);
    }

    /**
     * cifar:DIR[:labels=fine|coarse]. A directory name may itself hold colons, so the text after the
     * last colon counts as parameters only when it looks like key=value and not like a path.
     */
    private static Loaded cifar(Request r, String spec, String rest) {
        if (rest == null || rest.isBlank()) {
            throw badSpec(spec, "cifar needs a directory");
        }
        requireNoCsvOptions(r, "cifar");
        requireTask(r, Task.MULTICLASS, "cifar");
        String path = rest;
        String params = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String tail = rest.substring(colon + 1);
            if (tail.contains("=") && !tail.contains("/") && !tail.contains("\\")) {
                path = rest.substring(0, colon);
                params = tail;
            }
        }
        if (path.isBlank()) {
            throw badSpec(spec, "cifar needs a directory");
        }
        Map<String, String> p = parameters(spec, params, List.of("labels"));
        String labelName = p.getOrDefault("labels", "fine");
        CifarReader.Labels labels = switch (labelName.toLowerCase(Locale.ROOT)) {
            case "fine" -> CifarReader.Labels.FINE;
            case "coarse" -> CifarReader.Labels.COARSE;
            default -> throw badSpec(spec, "labels must be fine or coarse, found '" + labelName + "'");
        };
        CifarReader.Result result = CifarReader.load(Path.of(path.strip()), labels, r.limit());
        Dataset.Split split = result.split();
        double[] classValues = new double[result.classes()];
        for (int c = 0; c < classValues.length; c++) {
            classValues[c] = c;
        }
        boolean hundred = result.layout() == CifarReader.Layout.CIFAR100;
        String description = "cifar " + result.directory() + " (" + result.layout().title() + ", "
                + (hundred ? (labels == CifarReader.Labels.COARSE ? "coarse" : "fine") + " labels, " : "")
                + CifarReader.PIXELS + " pixels, " + result.classes() + " classes"
                + (r.limit() > 0 ? ", limit " + r.limit() : "") + "): " + sizes(split);
        return new Loaded(split, description, CifarReader.featureNames(), classValues);
    }

    /** Parses "k=v,k=v"; null or blank gives no parameters. */
    private static Map<String, String> parameters(String spec, String text, List<String> known) {
        Map<String, String> p = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return p;
        }
        for (String item : text.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw badSpec(spec, "expected key=value, found '" + item.strip() + "'");
            }
            String key = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            if (!known.contains(key)) {
                throw badSpec(spec, "unknown parameter '" + key + "' (this source accepts " + String.join(", ", known) + ")");
            }
            if (p.put(key, value) != null) {
                throw badSpec(spec, "parameter '" + key + "' is given twice");
            }
        }
        return p;
    }

    private static int intParameter(String spec, Map<String, String> p, String key, int fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw badSpec(spec, key + " must be a whole number, found '" + v + "'");
        }
    }

    private static long longParameter(String spec, Map<String, String> p, String key, long fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw badSpec(spec, key + " must be a whole number, found '" + v + "'");
        }
    }

    private static double doubleParameter(String spec, Map<String, String> p, String key, double fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same message as a non-finite value
        }
        throw badSpec(spec, key + " must be a finite number, found '" + v + "'");
    }

    /** Runs a generator, prefixing its argument errors with the spec the user wrote. */
    private static Dataset generated(String spec, Supplier<Dataset> generator) {
        try {
            return generator.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static void requireNoCsvOptions(Request r, String source) {
        if (r.labelColumn() != null) {
            throw new IllegalArgumentException("a label column ('" + r.labelColumn() + "') only applies to csv: data, not "
                    + source);
        }
        if (!r.features().isEmpty() || !r.drop().isEmpty()) {
            throw new IllegalArgumentException("choosing feature columns (features or drop) only applies to csv: data, not "
                    + source);
        }
    }

    private static void requireTask(Request r, Task task, String source) {
        Task t = r.taskOverride();
        if (t != null && t != task) {
            throw new IllegalArgumentException("task " + t.id() + " was requested, but " + source + " data is always "
                    + task.id());
        }
    }

    private static IllegalArgumentException badSpec(String spec, String problem) {
        return new IllegalArgumentException("bad data spec '" + spec + "': " + problem + "; accepted forms: "
                + ACCEPTED_FORMS);
    }

    private static String sizes(Dataset.Split split) {
        return split.train().size() + " train / " + split.validation().size() + " validation";
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
