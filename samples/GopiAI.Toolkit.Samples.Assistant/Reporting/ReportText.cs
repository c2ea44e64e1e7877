namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>Sentences the console summary and the HTML report share.</summary>
public static class ReportText
{
    /// <summary>Explains a mean above p95 (rows marked with <c>*</c>).</summary>
    public const string MeanAboveP95 =
        "The mean is above p95: fewer than 5 % of the calls were much slower than the rest (a first, JIT-compiling call; a cache miss among hits) and pull the mean up; p99 and max show them.";
}
