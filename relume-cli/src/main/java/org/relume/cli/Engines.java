package org.relume.cli;

import org.relume.experiment.Sweep;

/**
 * The sweep engines the commands offer: {@code local} (this machine's threads, the default) and
 * {@code spark} (Apache Spark through the relume-spark module). Spark is found by class name, so
 * nothing of it is loaded unless asked for and the command line does not depend on it.
 */
final class Engines {
    private Engines() {}

    /** Null for the local engine; the Spark engine for {@code spark}; one clear line for anything else. */
    static Sweep.Engine byName(String engine, String master) {
        if (engine.equals("local")) {
            if (master != null) {
                throw new IllegalArgumentException("--master applies to --engine spark");
            }
            return null;
        }
        if (!engine.equals("spark")) {
            throw new IllegalArgumentException("--engine must be local or spark, got '" + engine + "'");
        }
        try {
            return (Sweep.Engine) Class.forName("org.relume.spark.SparkEngine").getConstructor(String.class)
                    .newInstance(master);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalArgumentException("--engine spark needs relume-spark and Apache Spark on the class path (see the"
                    + " README's \"Sweeps on Apache Spark\"); missing: " + e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the Spark engine: " + e, e);
        }
    }
}
