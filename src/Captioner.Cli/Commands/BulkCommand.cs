using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Captioner.Cli.Commands;

/// <summary><c>bulk</c>: asks the running stack to caption every blob under a prefix; with <c>--wait</c> follows its progress.</summary>
internal static class BulkCommand
{
    public static Command Create()
    {
        var prefix = new Option<string>("--prefix") { Description = "Blob name prefix (folder) to caption.", DefaultValueFactory = _ => string.Empty };
        var container = new Option<string>("--container") { Description = "Container to list.", DefaultValueFactory = _ => Core.Storage.StorageNames.Images };
        var force = new Option<bool>("--force") { Description = "Caption again images that already have a result for their content (with the current model)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it completes." };
        var command = new Command("bulk", "Caption every blob under a prefix through the running stack.");
        command.AddOptions(prefix, container, force, wait);

        var api = StackApi.AddTo(command);

        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = api.CreateClient(result);
            var response = await http.PostAsJsonAsync("/api/bulk", new Dictionary<string, object> { ["container"] = result.GetValue(container)!, ["prefix"] = result.GetValue(prefix)!, ["force"] = result.GetValue(force) }, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The API answers problem details: its one-line reason.
                var reason = body;
                try
                {
                    reason = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body;
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                }

                Console.Error.WriteLine($"error: {(int)response.StatusCode} {reason}");
                return ExitCodes.Usage;
            }

            var statusUrl = JsonDocument.Parse(body).RootElement.GetProperty("statusUrl").GetString()!;
            Console.WriteLine($"bulk job {statusUrl}");
            if (!result.GetValue(wait))
            {
                return 0;
            }

            while (true)
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync(statusUrl, cancellationToken).ConfigureAwait(false));
                var root = status.RootElement;
                Console.Error.Write($"\rtotal {root.GetProperty("total").GetInt64()}  done {root.GetProperty("done").GetInt64()} (unsure {(root.TryGetProperty("unsure", out var unsure) ? unsure.GetInt64() : 0)})  skipped {root.GetProperty("skipped").GetInt64()}  failed {root.GetProperty("failed").GetInt64()}   ");
                if (root.GetProperty("completed").GetBoolean())
                {
                    Console.Error.WriteLine();
                    Console.WriteLine(root.ToString());
                    if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                    {
                        Console.Error.WriteLine($"error: the bulk job failed: {error.GetString()}");
                        return ExitCodes.ImagesFailed;
                    }

                    return root.GetProperty("failed").GetInt64() == 0 ? ExitCodes.Success : ExitCodes.ImagesFailed;
                }

                await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }
}
