namespace Captioner.Evaluation.Confidence;

/// <summary>L2-regularised logistic regression fit by Newton's method (a handful of standardised signals, a few thousand rows).</summary>
internal static class LogisticRegression
{
    /// <summary>Weights and bias for rows <paramref name="x"/> (already standardised) and outcomes <paramref name="y"/>.</summary>
    public static (double[] Weights, double Bias) Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, double l2 = 1.0, int iterations = 50)
    {
        var d = x[0].Length + 1;
        var w = new double[d];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d, d];
            for (var row = 0; row < x.Count; row++)
            {
                var features = Row(x[row]);
                var p = Sigmoid(Dot(w, features));
                var error = p - (y[row] ? 1 : 0);
                var curvature = Math.Max(p * (1 - p), 1e-9);
                for (var i = 0; i < d; i++)
                {
                    gradient[i] += error * features[i];
                    for (var j = 0; j < d; j++)
                    {
                        hessian[i, j] += curvature * features[i] * features[j];
                    }
                }
            }

            // The bias (last) is not pulled toward zero.
            for (var i = 0; i < d - 1; i++)
            {
                gradient[i] += l2 * w[i];
                hessian[i, i] += l2;
            }

            var step = Solve(hessian, gradient);
            var size = 0.0;
            for (var i = 0; i < d; i++)
            {
                w[i] -= step[i];
                size = Math.Max(size, Math.Abs(step[i]));
            }

            if (size < 1e-10)
            {
                break;
            }
        }

        return (w[..^1], w[^1]);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double[] Row(double[] values) => [.. values, 1.0];

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }

            (v[col], v[pivot]) = (v[pivot], v[col]);
            for (var row = col + 1; row < n; row++)
            {
                var factor = m[row, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[row, k] -= factor * m[col, k];
                }

                v[row] -= factor * v[col];
            }
        }

        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = v[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= m[row, k] * x[k];
            }

            x[row] = sum / m[row, row];
        }

        return x;
    }
}
