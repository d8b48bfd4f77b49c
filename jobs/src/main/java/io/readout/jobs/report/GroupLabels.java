package io.readout.jobs.report;

import static io.readout.jobs.report.SvgCharts.escape;

/**
 * How the page names a group wherever it shows one: by its name, its training size and, for a bias-conflicting
 * group, a tag ({@link DatasetGroups}); by its id alone where the dataset's groups are unknown.
 */
public final class GroupLabels {
    /** Beyond this many groups a chart's categories are the ids alone (the names would run into each other). */
    static final int MAX_NAMED_IN_CHART = 8;
    static final String TAG = "bias-conflicting";

    private GroupLabels() {
    }

    /**
     * A chart category: the name's parts, the training size and the tag on lines of their own
     * ({@link SvgCharts#barChart} draws "\n" as a new line); the id where the group is unknown or there are many.
     */
    static String category(DatasetGroups groups, int id) {
        DatasetGroups.Group g = groups == null || groups.groups().size() > MAX_NAMED_IN_CHART ? null : groups.group(id);
        if (g == null) {
            return String.valueOf(id);
        }
        return g.name().replace(DatasetGroups.SEPARATOR, "\n") + (g.size().isEmpty() ? "" : "\n" + g.size())
                + (g.biasConflicting() ? "\n" + TAG : "");
    }

    /** HTML: "Dress · digit 1 <span class="caption">n=25</span> <span class="tag">bias-conflicting</span>". */
    static String html(DatasetGroups groups, int id) {
        DatasetGroups.Group g = groups == null ? null : groups.group(id);
        if (g == null) {
            return "group " + id;
        }
        return escape(g.name()) + (g.size().isEmpty() ? "" : " <span class=\"caption\">" + g.size() + "</span>")
                + (g.biasConflicting() ? " <span class=\"tag\">" + TAG + "</span>" : "");
    }

    /** An example's heading: its group as {@link #html}, then its true label and its id in a caption. */
    static String example(DatasetGroups groups, int group, int label, String id) {
        return html(groups, group) + "<br><span class=\"caption\">true: " + escape(groups.labelName(label)) + "<br>"
                + escape(id) + "</span>";
    }
}
