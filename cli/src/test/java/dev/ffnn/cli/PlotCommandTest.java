package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotCommandTest {

    private static final List<String> STATISTICS_CHARTS =
            List.of("loss", "accuracy", "activation-variance", "error-variance", "gradient-variance");

    @TempDir
    Path directory;

    @Test
    void statisticsFilesOfBothFormatsGiveFiveCharts() throws IOException {
        for (String name : new String[]{"run.csv", "run.jsonl"}) {
            Path stats = directory.resolve(name);
            TrainCommandTest.Result train = run("train", "--samples", "300", "--epochs", "3", "--stats", stats.toString(),
                    "--stats-every", "5", "--quiet");
            assertEquals(0, train.status(), train.err());
            Path out = directory.resolve("plots-" + name);

            TrainCommandTest.Result plot = run("plot", stats.toString(), "--out", out.toString(), "--width", "640",
                    "--height", "480");

            assertEquals(0, plot.status(), plot.err());
            for (String chart : STATISTICS_CHARTS) {
                Path png = out.resolve(chart + ".png");
                assertTrue(plot.out().contains("wrote " + png), plot.out());
                assertImage(png, 640, 480);
            }
        }
    }

    @Test
    void initStudyCsvGivesOneChartPerVariance() throws IOException {
        Path study = directory.resolve("init-study.csv");
        try (InputStream fixture = PlotCommandTest.class.getResourceAsStream("init-study.csv")) {
            assertNotNull(fixture, "test resource init-study.csv");
            Files.copy(fixture, study);
        }
        Path out = directory.resolve("study");

        TrainCommandTest.Result plot = run("plot", study.toString(), "--out", out.toString());

        assertEquals(0, plot.status(), plot.err());
        for (String chart : List.of("init-study-var-z", "init-study-var-a", "init-study-var-delta", "init-study-var-grad")) {
            assertImage(out.resolve(chart + ".png"), 900, 600);
        }
    }

    @Test
    void initStudyLinesFollowInitializers() throws IOException {
        // One activation in the hidden layers and an identity output layer: one line per initializer
        Path study = directory.resolve("study.csv");
        Files.writeString(study, "init,layer,fan_in,fan_out,activation,var_z,var_a,var_delta,var_grad\n"
                + "xavier-normal,1,4,4,relu,0.5,0.2,1e-3,\n"
                + "xavier-normal,2,4,2,identity,0.25,0.25,2e-3,1e-4\n"
                + "he-normal,1,4,4,relu,1.0,0.4,1e-3,2e-4\n"
                + "he-normal,2,4,2,identity,1.0,1.0,1e-3,3e-4\n");

        var charts = PlotCommand.InitStudyCharts.build(study, 900, 600);

        assertEquals(List.of("init-study-var-z", "init-study-var-a", "init-study-var-delta", "init-study-var-grad"),
                List.copyOf(charts.keySet()));
        assertEquals(List.of("xavier-normal", "he-normal"), List.copyOf(charts.get("init-study-var-z").getSeriesMap().keySet()));
        assertEquals(2, charts.get("init-study-var-z").getSeriesMap().get("he-normal").getXData().length);
        assertEquals(1, charts.get("init-study-var-grad").getSeriesMap().get("xavier-normal").getXData().length,
                "the empty cell (NaN) is left out");

        // The fixture compares tanh and relu for each initializer, so each pair gets its own line
        try (InputStream fixture = PlotCommandTest.class.getResourceAsStream("init-study.csv")) {
            Files.copy(fixture, directory.resolve("fixture.csv"));
        }
        var compared = PlotCommand.InitStudyCharts.build(directory.resolve("fixture.csv"), 900, 600);
        assertTrue(compared.get("init-study-var-a").getSeriesMap().containsKey("he-normal / tanh"),
                compared.get("init-study-var-a").getSeriesMap().keySet().toString());
    }

    @Test
    void truncatedLastRecordIsSkipped() throws IOException {
        Path stats = directory.resolve("run.jsonl");
        assertEquals(0, run("train", "--samples", "100", "--epochs", "2", "--stats", stats.toString(), "--quiet").status());
        String text = Files.readString(stats);
        // A run killed while writing its last record leaves half a line
        Files.writeString(stats, text + text.lines().skip(1).findFirst().orElseThrow().substring(0, 40));

        TrainCommandTest.Result plot = run("plot", stats.toString(), "--out", directory.resolve("p").toString());

        assertEquals(0, plot.status(), plot.err());
        assertImage(directory.resolve("p/loss.png"), 900, 600);
    }

    @Test
    void malformedFileIsAnErrorNamingIt() throws IOException {
        Path bad = directory.resolve("bad.jsonl");
        Files.writeString(bad, "{\"record\":\"epoch\",\n");
        TrainCommandTest.Result result = run("plot", bad.toString(), "--out", directory.resolve("p").toString());
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().startsWith("ffnn plot: error: " + bad + " line 1: not a statistics record"), result.err());
        assertFalse(Files.exists(directory.resolve("p")), "an invalid input left an output directory");

        Path wide = directory.resolve("wide.csv");
        Files.writeString(wide, "epoch,layer,z_var\n1,1,0.5\n");
        result = run("plot", wide.toString(), "--out", directory.resolve("p").toString());
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("not step,epoch,layer,tensor,statistic,value"), result.err());
    }

    @Test
    void binaryFileIsRejected() throws IOException {
        Path model = directory.resolve("model.safetensors");
        assertEquals(0, run("train", "--samples", "50", "--epochs", "1", "--quiet", "--save", model.toString()).status());
        Path latin1 = directory.resolve("latin1.csv");
        Files.write(latin1, new byte[]{'c', 'a', 'f', (byte) 0xE9, '\n', '1', '\n'});
        Path[] files = {model, latin1};
        String[] reasons = {"it contains binary data (a NUL byte at offset ", "it is not UTF-8 text (byte offset 3)"};
        for (int i = 0; i < files.length; i++) {
            TrainCommandTest.Result result = run("plot", files[i].toString(), "--out", directory.resolve("p").toString());
            assertEquals(1, result.status(), result.err());
            assertTrue(result.err().startsWith("ffnn plot: error: " + files[i] + " is not a statistics file written by"
                    + " ffnn train --stats or an init-study CSV: " + reasons[i]), result.err());
            assertFalse(Files.exists(directory.resolve("p")), "an invalid input left an output directory");
        }
    }

    @Test
    void missingInputAndBadOptionsAreRejected() {
        TrainCommandTest.Result missing = run("plot", directory.resolve("none.csv").toString(), "--out", directory.toString());
        assertEquals(1, missing.status(), missing.err());
        assertTrue(missing.err().contains("none.csv: file not found"), missing.err());

        TrainCommandTest.Result noOut = run("plot", directory.resolve("none.csv").toString());
        assertEquals(2, noOut.status(), noOut.err());
        assertTrue(noOut.err().contains("Missing required option: '--out=DIR'"), noOut.err());

        TrainCommandTest.Result emptyOut = run("plot", "x.csv", "--out", "");
        assertEquals(2, emptyOut.status(), emptyOut.err());
        assertTrue(emptyOut.err().contains("'--out': '': give a directory"), emptyOut.err());

        TrainCommandTest.Result narrow = run("plot", "x.csv", "--out", directory.toString(), "--width", "10");
        assertEquals(2, narrow.status(), narrow.err());
        assertTrue(narrow.err().contains("'--width': 10: it must be from 200 to 10000 pixels"), narrow.err());
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a decodable image");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
    }
}
