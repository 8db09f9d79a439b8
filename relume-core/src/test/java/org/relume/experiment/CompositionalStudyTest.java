package org.relume.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.relume.compose.TriangleWaves.Sign;
import org.relume.data.Curves;
import org.relume.data.Dataset;
import org.relume.experiment.CompositionalExperiment.Method;
import org.relume.experiment.CompositionalExperiment.Problem;
import org.relume.experiment.CompositionalExperiment.Result;
import org.relume.experiment.CompositionalExperiment.Settings;
import org.relume.experiment.CompositionalExperiment.Target;

class CompositionalStudyTest {
    private static final Settings SHORT = new Settings(3, 100, 120, 60, 1e-3, 1e-2);

    @Test
    void aPaperTargetGivenAsDataIsTheSameRun() {
        Problem asData = Problem.of("curve:x3", Curves.generate("x3", 100, 0, 1), null);
        assertEquals(Sign.SUBTRACTED, asData.sign());
        assertTrue(asData.frame().isIdentity());
        Result paper = CompositionalExperiment.run(Method.ENFORCED, Target.X3, 0, 4, SHORT);
        Result data = CompositionalExperiment.run(Method.ENFORCED, asData, 0, 4, SHORT);
        assertEquals(paper.mse(), data.mse(), 0);
        assertEquals(paper.mseAfterStage1(), data.mseAfterStage1(), 0);
        assertEquals("x3", paper.target());
        assertEquals("curve:x3", data.target());
    }

    @Test
    void mseIsReportedInTheDataUnitsOfTheFoldedNetwork() {
        Dataset d = Curves.sample("fn:2*x^2+5", x -> 2 * x * x + 5, 100, 1, 3);
        Problem p = Problem.of("fn:2*x^2+5", d, null);
        assertEquals(Sign.SUBTRACTED, p.sign());
        for (Method m : new Method[] {Method.ENFORCED, Method.DEFAULT}) {
            Result r = CompositionalExperiment.run(m, p, 0, 2, SHORT);
            float[] y = r.network().predict(d.features()).data();
            double mse = 0;
            for (int i = 0; i < d.size(); i++) {
                double e = y[i] - d.targets().data()[i];
                mse += e * e / d.size();
            }
            assertEquals(mse, r.mse(), 1e-3 * mse + 1e-9, m.id());
        }
    }

    @Test
    void aStudyRunsEveryMethodsModelsAndSummarizesThem() throws IOException {
        Problem p = Problem.of("fn", Curves.sample("fn", x -> (Math.exp(x) - 1) / (Math.E - 1), 100, 0, 1), null);
        List<Method> methods = List.of(Method.DEFAULT, Method.ENFORCED);
        List<Result> results = CompositionalStudy.run(p, methods, 3, 5, SHORT, 2, Reproduction.Progress.NONE);
        assertEquals(6, results.size());
        List<CompositionalStudy.Summary> s = CompositionalStudy.summaries(results, methods, "fn");
        assertEquals(2, s.size());
        for (CompositionalStudy.Summary summary : s) {
            assertEquals(3, summary.models());
            assertTrue(summary.minMse() <= summary.medianMse() && summary.medianMse() <= 3 * summary.meanMse(), summary.toString());
        }
        assertTrue(Double.isNaN(s.get(0).meanMseAfterStage1()), "default has no stage 1");
        assertTrue(s.get(1).meanMseAfterStage1() > 0);
        assertEquals(8.0, s.get(1).piecesAtInit(), 0, "2^3 pieces at init");
        Result enforcedSeed6 = CompositionalExperiment.run(Method.ENFORCED, p, 1, 6, SHORT);
        assertEquals(enforcedSeed6.mse(), results.get(4).mse(), 0, "model k uses seed firstSeed + k");
        Result median = CompositionalStudy.median(results, Method.ENFORCED);
        assertEquals(s.get(1).medianMse(), median.mse(), 0, "three models: the median is the middle one");
        String csv = CompositionalStudy.resultsCsv(s);
        assertEquals(3, csv.split("\n").length);
        assertEquals(7, CompositionalStudy.modelsCsv(results, 5).split("\n").length);
        assertTrue(CompositionalStudy.table(s).contains("| enforced | 3 |"));
    }
}
