using System.CommandLine;
using System.Diagnostics;
using Azure;
using Captioner.Core.Pipeline;

namespace Captioner.Cli.Commands;

/// <summary><c>submit</c>: uploads images into the <c>images</c> container; with <c>--wait</c> prints each result as it arrives.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var paths = PathArguments.Create("paths", "Image files or folders.", ArgumentArity.OneOrMore);
        var wait = new Option<bool>("--wait") { Description = "Wait for the results and print name<TAB>caption (or name<TAB>error: reason)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for all results.", DefaultValueFactory = _ => 300 };
        var prefix = new Option<string>("--prefix") { Description = "Folder in the images container to upload into.", DefaultValueFactory = _ => string.Empty };
        var command = new Command("submit", "Upload images to the running stack and optionally wait for their captions.");
        command.Arguments.Add(paths);
        command.AddOptions(wait, timeout, prefix);

        var stack = StackStorage.AddTo(command);

        command.SetAction(async (result, cancellationToken) =>
        {
            var storage = stack.Clients(result);
            var images = storage.Container(storage.Names.ImagesContainer);
            var results = new ResultStore(storage.Container(storage.Names.CaptionsContainer), storage.Names.ImagesContainer);
            var files = ImageFiles.Expand(result.GetValue(paths)!, out var missing);
            foreach (var path in missing)
            {
                Console.Error.WriteLine($"{path}\terror: no such file or folder");
            }

            var uploaded = new Dictionary<string, (ETag ETag, Stopwatch Clock)>(StringComparer.Ordinal);
            var refused = 0;
            foreach (var file in files)
            {
                var name = result.GetValue(prefix)!.TrimEnd('/') is { Length: > 0 } folder ? $"{folder}/{Path.GetFileName(file)}" : Path.GetFileName(file);
                if (ImageNames.Problem(name) is { } problem)
                {
                    // The pipeline would refuse the name and write no result: refuse it here, with the reason.
                    Console.Error.WriteLine($"{file}\terror: {problem}");
                    refused++;
                    continue;
                }

                var clock = Stopwatch.StartNew();
                var response = await images.GetBlobClient(name).UploadAsync(file, overwrite: true, cancellationToken).ConfigureAwait(false);
                uploaded[name] = (response.Value.ETag, clock);
            }

            if (!result.GetValue(wait))
            {
                Console.Error.WriteLine($"uploaded {uploaded.Count} image(s)");
                return missing.Count + refused == 0 ? 0 : 1;
            }

            var failures = missing.Count + refused;
            var deadline = Stopwatch.StartNew();
            while (uploaded.Count > 0 && deadline.Elapsed.TotalSeconds < result.GetValue(timeout))
            {
                foreach (var (name, (etag, clock)) in uploaded.ToList())
                {
                    var outcome = await results.GetAsync(storage.Names.ImagesContainer, name, cancellationToken).ConfigureAwait(false);
                    if (outcome is null || outcome.ETag != etag.ToString())
                    {
                        continue;
                    }

                    uploaded.Remove(name);
                    var seconds = FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:F1}s");
                    if (outcome.Status == CaptionResult.Succeeded)
                    {
                        Console.WriteLine($"{name}\t{outcome.Caption}\t{seconds}");
                    }
                    else
                    {
                        failures++;
                        Console.Error.WriteLine($"{name}\terror: {outcome.Error}");
                    }
                }

                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }

            foreach (var name in uploaded.Keys)
            {
                failures++;
                Console.Error.WriteLine($"{name}\terror: no result within {result.GetValue(timeout)} s (is the local stack running?)");
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }
}
