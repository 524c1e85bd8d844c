package dev.ffnn.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code ffnn plot}: renders the charts of a statistics file or an {@code init-study} CSV as PNG files. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Renders PNG charts from a statistics file of 'ffnn train --stats' (CSV or JSON Lines):"
                + " loss and accuracy per epoch, train against test, and the variance of each layer's activations,"
                + " errors and weight gradients over training.",
                "From an init-study CSV (columns init, layer and var_*, as 'ffnn init-study --csv' writes) it draws"
                        + " each variance against depth, one line per initializer."})
final class PlotCommand implements Callable<Integer> {

    /** The variances an init-study CSV may have, with their chart titles. */
    static final Map<String, String> INIT_STUDY_COLUMNS = initStudyColumns();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A statistics file (.csv or .jsonl) or an init-study CSV.")
    Path input;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory for the PNG files; created if missing. Existing files of the same names are replaced.")
    Path outputDirectory;

    @Option(names = "--width", paramLabel = "PIXELS", description = "Width of each chart.")
    int width = 900;

    @Option(names = "--height", paramLabel = "PIXELS", description = "Height of each chart.")
    int height = 600;

    @Override
    public Integer call() throws IOException {
        validate();
        // Draw without a display; set before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(input)) {
            throw new IOException(input + ": " + (Files.exists(input) ? "not a regular file" : "file not found; check the path"));
        }
        Map<String, XYChart> charts = isInitStudy(input) ? InitStudyCharts.build(input, width, height)
                : statisticsCharts(StatisticsReader.read(input));
        if (charts.isEmpty()) {
            throw new IllegalArgumentException(input + " has no epoch results and no variances to plot;"
                    + " give a statistics file of a run that finished at least one epoch");
        }
        try {
            Files.createDirectories(outputDirectory);
        } catch (IOException e) {
            throw OutputFile.writeFailed(outputDirectory, e);
        }
        for (Map.Entry<String, XYChart> entry : charts.entrySet()) {
            Path file = outputDirectory.resolve(entry.getKey() + ".png");
            writePng(entry.getValue(), file);
            out.println("wrote " + file);
        }
        out.flush();
        return 0;
    }

    private void validate() {
        if (width < 200 || width > 10_000) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--width': " + width
                    + ": it must be from 200 to 10000 pixels");
        }
        if (height < 150 || height > 10_000) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--height': " + height
                    + ": it must be from 150 to 10000 pixels");
        }
        if (outputDirectory.toString().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--out': '': give a directory,"
                    + " such as . for the current one");
        }
        new CommandFiles(spec.commandLine()).input("FILE", input)
                .outputDirectory("--out", outputDirectory, name -> chartFileNames().contains(name),
                        name -> "the chart " + name)
                .check();
    }

    /** Returns the names of every PNG file plot may write, for statistics files and init-study CSVs. */
    static Set<String> chartFileNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String chart : List.of("loss", "accuracy", "activation-variance", "error-variance", "gradient-variance")) {
            names.add(chart + ".png");
        }
        for (String column : INIT_STUDY_COLUMNS.keySet()) {
            names.add(InitStudyCharts.chartName(column) + ".png");
        }
        return names;
    }

    /** Returns true when the file is a CSV whose header names the init-study columns layer and init. */
    static boolean isInitStudy(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(".csv") || StatisticsReader.hasStatisticsHeader(file)) {
            return false;
        }
        try (CSVParser parser = CSVParser.parse(new StringReader(StatisticsReader.completeLines(file)),
                CSVFormat.RFC4180.builder().setHeader().get())) {
            List<String> header = parser.getHeaderNames();
            return header.contains("layer") && header.contains("init");
        }
    }

    private Map<String, XYChart> statisticsCharts(StatisticsReader.Contents contents) {
        Map<String, XYChart> charts = new LinkedHashMap<>();
        List<StatisticsReader.Epoch> epochs = contents.epochs();
        if (!epochs.isEmpty()) {
            String lossName = contents.loss().isEmpty() ? "loss" : contents.loss() + " loss";
            XYChart loss = chart("Loss per epoch", "epoch", lossName + ", mean per sample", false);
            addEpochSeries(loss, "train", epochs, StatisticsReader.Epoch::trainLoss);
            addEpochSeries(loss, "test", epochs, StatisticsReader.Epoch::testLoss);
            charts.put("loss", loss);
            XYChart accuracy = chart("Accuracy per epoch", "epoch", "accuracy (fraction correct)", false);
            addEpochSeries(accuracy, "train", epochs, StatisticsReader.Epoch::trainAccuracy);
            addEpochSeries(accuracy, "test", epochs, StatisticsReader.Epoch::testAccuracy);
            charts.put("accuracy", accuracy);
        }
        addVarianceChart(charts, "activation-variance", "Variance of activations A per layer", contents.variances("a"));
        addVarianceChart(charts, "error-variance", "Variance of errors δ = ∂L/∂Z per layer", contents.variances("delta"));
        addVarianceChart(charts, "gradient-variance", "Variance of weight gradients ∂L/∂W per layer",
                contents.variances("weight_gradient"));
        charts.values().removeIf(chart -> chart.getSeriesMap().isEmpty());
        return charts;
    }

    private void addVarianceChart(Map<String, XYChart> charts, String name, String title,
                                  Map<Integer, List<StatisticsReader.Point>> layers) {
        XYChart chart = chart(title, "training step", "variance over the step's batch (log scale)", true);
        for (Map.Entry<Integer, List<StatisticsReader.Point>> layer : layers.entrySet()) {
            List<Double> steps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (StatisticsReader.Point point : layer.getValue()) {
                // A logarithmic axis shows only positive finite values
                if (point.value() > 0 && Double.isFinite(point.value())) {
                    steps.add((double) point.step());
                    values.add(point.value());
                }
            }
            if (!values.isEmpty()) {
                chart.addSeries("layer " + layer.getKey(), steps, values).setMarker(
                        values.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        labelLogarithmicAxis(chart);
        charts.put(name, chart);
    }

    /**
     * Labels only the powers of ten when the values span two decades or more. Within a narrower range the lines
     * between them get labels too, so the axis shows at least two labels.
     */
    static void labelLogarithmicAxis(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (var series : chart.getSeriesMap().values()) {
            for (double value : series.getYData()) {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        chart.getStyler().setYAxisLogarithmicDecadeOnly(max / min >= 100);
    }

    private static void addEpochSeries(XYChart chart, String name, List<StatisticsReader.Epoch> epochs,
                                       java.util.function.ToDoubleFunction<StatisticsReader.Epoch> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (StatisticsReader.Epoch epoch : epochs) {
            double v = value.applyAsDouble(epoch);
            if (Double.isFinite(v)) {
                x.add((double) epoch.epoch());
                y.add(v);
            }
        }
        if (!y.isEmpty()) {
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /** Returns an empty line chart with the house style: title, axis titles, legend outside on the right. */
    XYChart chart(String title, String xTitle, String yTitle, boolean logarithmic) {
        return styled(new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build(), logarithmic);
    }

    static XYChart styled(XYChart chart, boolean logarithmic) {
        var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setYAxisLogarithmic(logarithmic);
        styler.setMarkerSize(6);
        styler.setXAxisDecimalPattern("#,###");
        return chart;
    }

    /**
     * Writes the chart through {@link OutputFile#write}: to a temporary file beside {@code file}, renamed into
     * place, with the permissions of every other output.
     */
    static void writePng(XYChart chart, Path file) throws IOException {
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (Error e) {
            // Headless AWT still needs fontconfig and one font; without them it throws an Error
            throw new IOException("drawing " + file.getFileName() + " failed (" + e + "); install fontconfig and a"
                    + " font, for example 'apt-get install fontconfig fonts-dejavu-core'", e);
        }
        OutputFile.write(file, png);
    }

    private static Map<String, String> initStudyColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("var_z", "Variance of pre-activations Z");
        columns.put("var_a", "Variance of activations A");
        columns.put("var_delta", "Variance of errors δ = ∂L/∂Z");
        columns.put("var_grad", "Variance of weight gradients ∂L/∂W");
        return columns;
    }

    /** Charts of an init-study CSV: each variance column against the layer, one series per initializer. */
    static final class InitStudyCharts {

        private InitStudyCharts() {
        }

        static Map<String, XYChart> build(Path file, int width, int height) throws IOException {
            Map<String, XYChart> charts = new LinkedHashMap<>();
            try (CSVParser parser = CSVParser.parse(new StringReader(StatisticsReader.completeLines(file)),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                List<String> header = parser.getHeaderNames();
                List<CSVRecord> rows = parser.getRecords();
                // One line per initializer. A file that compares activations has a layer twice per initializer, and
                // then each activation gets its own line. The output layer's identity alone does not split a line.
                boolean byActivation = header.contains("activation")
                        && rows.stream().map(row -> row.get("init") + "\n" + row.get("layer")).distinct().count() < rows.size();
                for (Map.Entry<String, String> column : INIT_STUDY_COLUMNS.entrySet()) {
                    if (!header.contains(column.getKey())) {
                        continue;
                    }
                    XYChart chart = styled(new XYChartBuilder().width(width).height(height)
                            .title(column.getValue() + " against depth")
                            .xAxisTitle("layer (1 = first hidden layer)").yAxisTitle(column.getKey() + " (log scale)")
                            .build(), true);
                    Map<String, List<double[]>> series = new LinkedHashMap<>();
                    for (CSVRecord row : rows) {
                        String name = row.get("init") + (byActivation ? " / " + row.get("activation") : "");
                        double layer = number(file, row, "layer");
                        double value = number(file, row, column.getKey());
                        if (value > 0 && Double.isFinite(value)) {
                            series.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[]{layer, value});
                        }
                    }
                    for (Map.Entry<String, List<double[]>> line : series.entrySet()) {
                        List<double[]> points = line.getValue();
                        points.sort((p, q) -> Double.compare(p[0], q[0]));
                        chart.addSeries(line.getKey(), points.stream().map(p -> p[0]).toList(),
                                points.stream().map(p -> p[1]).toList()).setMarker(SeriesMarkers.CIRCLE);
                    }
                    if (!chart.getSeriesMap().isEmpty()) {
                        labelLogarithmicAxis(chart);
                        charts.put(chartName(column.getKey()), chart);
                    }
                }
            }
            return charts;
        }

        /** Returns the chart name of an init-study column, such as init-study-var-z for var_z. */
        static String chartName(String column) {
            return "init-study-" + column.replace('_', '-');
        }

        /** Returns the number in the cell, or NaN for an empty cell, which init-study writes for NaN. */
        private static double number(Path file, CSVRecord row, String column) {
            String text = row.get(column);
            if (text.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (row.getRecordNumber() + 1) + ": " + column
                        + " '" + text + "' is not a number");
            }
        }
    }
}
