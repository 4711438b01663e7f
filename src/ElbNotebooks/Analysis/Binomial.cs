namespace ElbNotebooks.Analysis;

/// <summary>Exact one-sided binomial tail, for "is this many errors more than the baseline explains?".</summary>
internal static class Binomial
{
    /// <summary>P(X ≥ x) for X ~ Binomial(n, p), summed exactly in log space (x above the mean: terms shrink fast).</summary>
    public static double UpperTail(long x, long n, double p)
    {
        if (x <= 0) return 1;
        if (x > n) return 0;
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        if (x <= n * p) return 1; // not an excess at all; the caller only cares about small tails
        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        var logTerm = LogChoose(n, x) + x * logP + (n - x) * logQ;
        var ratio = p / (1 - p);
        double sum = 0;
        var term = 1.0; // relative to exp(logTerm)
        for (var k = x; k <= n; k++)
        {
            sum += term;
            term *= (double)(n - k) / (k + 1) * ratio;
            if (term < sum * 1e-17) break;
        }
        return Math.Min(1, Math.Exp(logTerm + Math.Log(sum)));
    }

    private static double LogChoose(long n, long k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, n = 9; ~15 significant digits).</summary>
    internal static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var a = Coefficients[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++) a += Coefficients[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    private static readonly double[] Coefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
