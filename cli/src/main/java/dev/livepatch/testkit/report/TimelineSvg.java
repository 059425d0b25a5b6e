package dev.livepatch.testkit.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One transition drawn as an SVG figure a newcomer can read: the tasks not yet switched over time as a step line,
 * both axes labelled with units and ticks, the kernel's events as coloured marks named in a legend, and each retry's
 * blocking tasks written where the line stood then. Times are from the transition's first event or sample.
 */
final class TimelineSvg {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 72;
    private static final int RIGHT = 24;
    private static final int TOP = 34;
    private static final int BOTTOM = 200;
    private static final String[] EVENT_KINDS = {"started", "retry", "signaled", "reversed", "forced", "completed"};

    private final JsonNode transition;
    private final double start;
    private final double span;
    private final int most;
    /** The last blocker label written, and where its text ends: a repeated or overlapping one is left out. */
    private String lastLabel = "";

    private double lastLabelEnd = -1;

    private TimelineSvg(JsonNode transition, double start, double span, int most) {
        this.transition = transition;
        this.start = start;
        this.span = span;
        this.most = most;
    }

    /** The figure, or nothing when the transition has neither samples nor events. */
    static String of(JsonNode transition) {
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        int most = 1;
        for (JsonNode sample : transition.path("samples")) {
            first = Math.min(first, sample.get(0).asDouble());
            last = Math.max(last, sample.get(0).asDouble());
            most = Math.max(most, sample.get(1).asInt());
        }
        for (JsonNode event : transition.path("events")) {
            first = Math.min(first, event.path("atMs").asDouble());
            last = Math.max(last, event.path("atMs").asDouble());
        }
        if (first == Double.MAX_VALUE) {
            return "";
        }
        return new TimelineSvg(transition, first, Math.max(1, last - first), most).figure();
    }

    private String figure() {
        StringBuilder svg = new StringBuilder("<figure class=\"transition\"><figcaption>")
                .append(HtmlReport.escape(transition.path("patch").asString()))
                .append(": ")
                .append(HtmlReport.escape(transition.path("ending").asString()))
                .append("</figcaption>\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\"><title>tasks that have not switched to the patch's state, over the"
                        + " transition's time</title>");
        axes(svg);
        pending(svg);
        events(svg);
        svg.append("</svg>\n");
        legend(svg, transition);
        eventList(svg);
        return svg.append("</figure>\n").toString();
    }

    private void axes(StringBuilder svg) {
        svg.append("<g class=\"axes\" font-size=\"12\" fill=\"#444\">")
                .append(line(LEFT, BOTTOM, WIDTH - RIGHT, BOTTOM, "#888"))
                .append(line(LEFT, TOP, LEFT, BOTTOM, "#888"));
        for (int tasks : taskTicks()) {
            double y = y(tasks);
            svg.append(line(LEFT - 5, y, LEFT, y, "#888"));
            if (tasks > 0) {
                svg.append(line(LEFT + 1, y, WIDTH - RIGHT, y, "#e8e8e8"));
            }
            svg.append("<text x=\"")
                    .append(LEFT - 8)
                    .append("\" y=\"")
                    .append(format(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(tasks)
                    .append("</text>");
        }
        double step = timeStep(span);
        for (double at = 0; at <= span + step / 1000; at += step) {
            double x = x(start + at);
            svg.append(line(x, BOTTOM, x, BOTTOM + 5, "#888"))
                    .append("<text x=\"")
                    .append(format(x))
                    .append("\" y=\"")
                    .append(BOTTOM + 19)
                    .append("\" text-anchor=\"middle\">")
                    .append(time(at, step))
                    .append("</text>");
        }
        svg.append("<text class=\"x-label\" x=\"")
                .append((LEFT + WIDTH - RIGHT) / 2)
                .append("\" y=\"")
                .append(HEIGHT - 12)
                .append("\" text-anchor=\"middle\">time since the transition's first event</text>")
                .append("<text class=\"y-label\" x=\"")
                .append(LEFT - 8)
                .append("\" y=\"")
                .append(TOP - 14)
                .append("\" text-anchor=\"start\">tasks not yet switched</text></g>");
    }

    /** 0, the most, and a middle tick when there is room for one that is a whole number. */
    private List<Integer> taskTicks() {
        Set<Integer> ticks = new LinkedHashSet<>(List.of(0, most));
        if (most >= 4) {
            ticks.add(most / 2);
        }
        return new ArrayList<>(ticks);
    }

    private void pending(StringBuilder svg) {
        StringBuilder points = new StringBuilder();
        double lastY = -1;
        for (JsonNode sample : transition.path("samples")) {
            double x = x(sample.get(0).asDouble());
            double y = y(sample.get(1).asInt());
            if (lastY >= 0) {
                points.append(format(x)).append(',').append(format(lastY)).append(' ');
            }
            points.append(format(x)).append(',').append(format(y)).append(' ');
            lastY = y;
        }
        if (!points.isEmpty()) {
            svg.append("<polyline class=\"pending\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2.5\" points=\"")
                    .append(points.toString().strip())
                    .append("\"><title>tasks not switched yet</title></polyline>");
        }
    }

    private void events(StringBuilder svg) {
        for (JsonNode event : transition.path("events")) {
            double at = event.path("atMs").asDouble();
            double x = x(at);
            String kind = event.path("kind").asString();
            String detail = event.path("detail").asString();
            svg.append("<line class=\"event ev-")
                    .append(HtmlReport.escape(kind))
                    .append("\" x1=\"")
                    .append(format(x))
                    .append("\" y1=\"")
                    .append(TOP)
                    .append("\" x2=\"")
                    .append(format(x))
                    .append("\" y2=\"")
                    .append(BOTTOM)
                    .append("\" stroke-width=\"2\" stroke-dasharray=\"5 3\"><title>")
                    .append(HtmlReport.escape(kind + " at +" + Math.round(at - start) + " ms: " + detail))
                    .append("</title></line>");
            if (kind.equals("retry") && !detail.isBlank()) {
                blockers(svg, x, pendingAt(at), detail);
            }
        }
    }

    /**
     * A retry's blocking tasks, marked on the line where it stood at the retry; named beside the mark unless the
     * retry before was blocked by the same tasks, or its name would run into the one before.
     */
    private void blockers(StringBuilder svg, double x, int pending, String detail) {
        List<String> tasks = detail.lines().map(TimelineSvg::shortBlocker).toList();
        String label = tasks.get(0) + (tasks.size() > 1 ? " +" + (tasks.size() - 1) + " more" : "");
        double y = y(pending);
        double width = label.length() * 6.6;
        boolean leftOfMark = x + 8 + width > WIDTH - RIGHT;
        double textStart = leftOfMark ? x - 8 - width : x + 8;
        svg.append("<g class=\"blocker\"><circle cx=\"")
                .append(format(x))
                .append("\" cy=\"")
                .append(format(y))
                .append("\" r=\"5\" fill=\"#bf8700\"><title>")
                .append(HtmlReport.escape(detail))
                .append("</title></circle>");
        if (!label.equals(lastLabel) && textStart > lastLabelEnd + 8) {
            svg.append("<text x=\"")
                    .append(format(leftOfMark ? x - 8 : x + 8))
                    .append("\" y=\"")
                    .append(format(y < TOP + 40 ? y + 18 : y - 8))
                    .append("\" font-size=\"12\" fill=\"#7d4e00\" text-anchor=\"")
                    .append(leftOfMark ? "end" : "start")
                    .append("\">")
                    .append(HtmlReport.escape(label))
                    .append("</text>");
            lastLabel = label;
            lastLabelEnd = textStart + width;
        }
        svg.append("</g>");
    }

    /** {@code kworker/0:1:35 is sleeping on function f} as {@code kworker/0:1:35 in f}. */
    private static String shortBlocker(String line) {
        return line.strip().replaceFirst("^(.*?) is (?:sleeping|running) on function (\\S+).*$", "$1 in $2");
    }

    /** The tasks not switched at a time: the last sample at or before it, else the first. */
    private int pendingAt(double at) {
        int pending = -1;
        for (JsonNode sample : transition.path("samples")) {
            if (pending < 0 || sample.get(0).asDouble() <= at) {
                pending = sample.get(1).asInt();
            }
        }
        return Math.max(0, pending);
    }

    /** What the figure's line and marks mean: the event kinds it shows, in the kernel's order. */
    private static void legend(StringBuilder html, JsonNode transition) {
        Set<String> shown = new LinkedHashSet<>();
        transition.path("events").forEach(event -> shown.add(event.path("kind").asString()));
        html.append("<ul class=\"legend\"><li><span class=\"swatch pending\"></span>tasks not yet switched</li>");
        for (String kind : EVENT_KINDS) {
            if (shown.contains(kind)) {
                html.append("<li><span class=\"swatch ev-")
                        .append(kind)
                        .append("\"></span>")
                        .append(kind)
                        .append("</li>");
            }
        }
        if (shown.contains("retry")) {
            html.append("<li><span class=\"swatch blocker\"></span>a retry's blocking task</li>");
        }
        html.append("</ul>\n");
    }

    private void eventList(StringBuilder html) {
        html.append("<ul class=\"events\">");
        for (JsonNode event : transition.path("events")) {
            html.append("<li>+")
                    .append(Math.round(event.path("atMs").asDouble() - start))
                    .append(" ms <b>")
                    .append(HtmlReport.escape(event.path("kind").asString()))
                    .append("</b> ")
                    .append(HtmlReport.escape(event.path("detail").asString()).replace("\n", "; "))
                    .append("</li>");
        }
        html.append("</ul>");
    }

    /** A round step for about six ticks: 1, 2 or 5 times a power of ten milliseconds. */
    static double timeStep(double span) {
        double rough = span / 6;
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double multiple : new double[] {1, 2, 5}) {
            if (multiple * power >= rough) {
                return multiple * power;
            }
        }
        return 10 * power;
    }

    /** A tick's time in the unit its step reads best in. */
    private static String time(double millis, double step) {
        if (step >= 1000) {
            return trim(millis / 1000) + " s";
        }
        return trim(millis) + " ms";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString(Math.round(value)) : String.format(Locale.ROOT, "%.1f", value);
    }

    private double x(double at) {
        return LEFT + (at - start) / span * (WIDTH - RIGHT - LEFT);
    }

    private double y(int tasks) {
        return BOTTOM - (double) (BOTTOM - TOP) * tasks / most;
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<line x1=\"" + format(x1) + "\" y1=\"" + format(y1) + "\" x2=\"" + format(x2) + "\" y2=\"" + format(y2)
                + "\" stroke=\"" + colour + "\"/>";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
