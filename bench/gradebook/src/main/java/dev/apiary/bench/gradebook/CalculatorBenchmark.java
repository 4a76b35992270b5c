package dev.apiary.bench.gradebook;

import dev.apiary.gradebook.calc.GradeCalculator;
import dev.apiary.gradebook.calc.Gradebook;
import dev.apiary.gradebook.calc.Grades;
import dev.apiary.gradebook.support.SampleSections;
import dev.apiary.gradebook.calc.SectionSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Grade calculation per section: 40 students x 80 assignments in 6 percent-weighted groups
 * (drop lowest with never-drop, drop lowest + highest, extra credit, excused, missing with a
 * deduction, ungraded work), both views, letters. Also one student, and a copy-on-write patch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CalculatorBenchmark {

    @Param({"40x80"})
    public String size;

    Gradebook gradebook;
    long studentId;
    long assignmentId;
    int flip;

    @Setup
    public void setUp() {
        String[] p = size.split("x");
        SectionSource src = SampleSections.generate(101, Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        gradebook = Gradebook.of(src);
        studentId = src.students().get(7).id();
        assignmentId = src.assignments().get(13).id();
    }

    @Benchmark
    public List<Grades.Student> section() {
        return GradeCalculator.calculateAll(gradebook);
    }

    @Benchmark
    public Grades.Student oneStudent() {
        return GradeCalculator.calculate(gradebook, studentId);
    }

    @Benchmark
    public Gradebook patchOneScore() {
        return gradebook.withScore(studentId, assignmentId, BigDecimal.valueOf(flip++ & 7), false, false);
    }
}
