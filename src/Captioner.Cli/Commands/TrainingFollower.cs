using Microsoft.DurableTask.Client;
using Captioner.Core;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Captioner.Cli.Terminal;
using Captioner.Training.Orchestration;

namespace Captioner.Cli.Commands;

/// <summary>Follows a training job on the stack: a progress bar over epochs, a line per phase and epoch, the outcome at the end.</summary>
internal static class TrainingFollower
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static async Task<TrainingJobView?> GetAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/training/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TrainingJobView>(Json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls until the job finishes; returns 0 when it completed, 1 otherwise.</summary>
    public static async Task<int> FollowAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        var bar = new ProgressBar();
        TrainingJobPhase? phase = null;
        var epoch = 0;
        while (true)
        {
            var job = await GetAsync(http, id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"No training job {id}.");
            if (job.Status is { } status)
            {
                if (status.Epoch != epoch)
                {
                    epoch = status.Epoch;
                    bar.Finish();
                    var loss = status.Reward is { } reward ? FormattableString.Invariant($"reward {reward:F4}") : FormattableString.Invariant($"train loss {status.TrainLoss:F4}");
                    var epochPhase = status.TrainingPhase is { } p ? KebabCase.Of(p) : string.Empty;
                    Console.WriteLine(FormattableString.Invariant($"epoch {status.Epoch,2}/{status.MaxEpochs}  {epochPhase}  {loss}  dev loss {status.DevLoss:F4}  dev CIDEr-D {status.DevCider:F4}  best epoch {status.BestEpoch}"));
                    bar.Start(KebabCase.Of(status.Phase));
                }

                if (status.Phase != phase)
                {
                    bar.Finish();
                    phase = status.Phase;
                    var name = KebabCase.Of(status.Phase);
                    Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}{(status.Detail is { } detail ? ": " + detail : string.Empty)}");
                    bar.Start(name);
                }

                if (status.Phase == TrainingJobPhase.Training)
                {
                    var eta = status.EtaSeconds is { } seconds ? string.Create(CultureInfo.InvariantCulture, $"at most {TimeSpan.FromSeconds(seconds):hh\\:mm\\:ss} left") : string.Empty;
                    bar.Report(status.Epoch, status.MaxEpochs, eta);
                }
            }

            if (job.IsFinished)
            {
                bar.Finish();
                Print(job);
                return job.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? 0 : 1;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
    }

    public static void Print(TrainingJobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Console.WriteLine($"job {job.Id}: {job.RuntimeStatus}{(job.Error is { } error ? " - " + error : string.Empty)}");
        if (job.Output is { } output)
        {
            Console.WriteLine($"model {output.Version}: {(output.Promoted ? "promoted" : "not promoted")} ({output.Promotion})");
            Console.WriteLine($"epochs {output.Epochs}, best {output.BestEpoch}");
            foreach (var (name, value) in output.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} {value:G6}"));
            }

            Console.WriteLine("phase seconds: " + string.Join(", ", output.PhaseSeconds.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F0}"))));
        }
        else if (job.Status is { } status)
        {
            Console.WriteLine(FormattableString.Invariant($"phase {status.Phase}{(status.Detail is { } detail ? ": " + detail : string.Empty)}{(status.TrainingPhase is { } training ? $" ({training}{(status.Reward is { } reward ? $", reward {reward:F4}" : string.Empty)})" : string.Empty)}, epoch {status.Epoch}/{status.MaxEpochs}, best epoch {status.BestEpoch} (dev loss {status.BestDevLoss:F4}, dev CIDEr-D {status.BestDevCider:F4})"));
        }
    }
}
