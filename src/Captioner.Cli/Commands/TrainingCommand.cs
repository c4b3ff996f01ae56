using System.CommandLine;

namespace Captioner.Cli.Commands;

/// <summary><c>training status ID</c> and <c>training cancel ID</c>: training jobs on the running stack.</summary>
internal static class TrainingCommand
{
    public static Command Create()
    {
        var command = new Command("training", "Show or cancel a training job on the running stack.");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Cancel());
        return command;
    }

    /// <summary>Runs a call to the stack's API; an unreachable stack is a one-line error and exit code 3.</summary>
    public static async Task<int> Reaching(string api, Func<Task<int>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: cannot reach the stack at {api}: {ex.Message}");
            return ExitCodes.Unreachable;
        }
    }

    private static Command Status()
    {
        var id = new Argument<string>("id") { Description = "Training job id (as train --remote printed it)." };
        var follow = new Option<bool>("--follow") { Description = "Keep following until the job finishes." };
        var command = new Command("status", "Show a training job: phase, epoch, losses, the outcome.") { id, follow };
        var api = StackApi.AddTo(command);
        command.SetAction((result, cancellationToken) => Reaching(api.Address(result), async () =>
        {
            using var http = api.CreateClient(result);
            if (result.GetValue(follow))
            {
                return await TrainingFollower.FollowAsync(http, result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            }

            if (await TrainingFollower.GetAsync(http, result.GetValue(id)!, cancellationToken).ConfigureAwait(false) is not { } job)
            {
                Console.Error.WriteLine($"error: no training job {result.GetValue(id)}");
                return 2;
            }

            TrainingFollower.Print(job);
            return 0;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "Training job id." };
        var command = new Command("cancel", "Terminate a training job (published models stay).") { id };
        var api = StackApi.AddTo(command);
        command.SetAction((result, cancellationToken) => Reaching(api.Address(result), async () =>
        {
            using var http = api.CreateClient(result);
            using var response = await http.PostAsync(new Uri($"/api/training/{Uri.EscapeDataString(result.GetValue(id)!)}/terminate", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"error: {(int)response.StatusCode} no training job {result.GetValue(id)}");
                return 2;
            }

            Console.WriteLine($"training job {result.GetValue(id)}: termination requested");
            return 0;
        }));
        return command;
    }
}
