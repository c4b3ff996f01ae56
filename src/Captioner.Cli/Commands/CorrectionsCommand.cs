using System.CommandLine;
using System.Globalization;
using Captioner.Core.Corrections;
using Captioner.Core.Pipeline;

namespace Captioner.Cli.Commands;

/// <summary><c>corrections list</c> and <c>corrections export</c>: people's corrections of captions on the running stack.</summary>
internal static class CorrectionsCommand
{
    public static Command Create()
    {
        var command = new Command("corrections", "People's corrections of captions (made on the page): list them, or export them as a dataset that train reads.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Print every correction: container, image, current or stale (the photo was replaced since), the caption, what the model had said.");
        var stack = StackStorage.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var clients = stack.Clients(result);
            var results = new ResultStore(clients.Container(clients.Names.CaptionsContainer), clients.Names.ImagesContainer);
            var count = 0;
            await foreach (var (correction, current) in new CorrectionStore(clients.Container(clients.Names.TrainingContainer)).ListWithCurrencyAsync(results, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine(string.Join('\t', correction.Container, correction.Image, current ? "current" : "stale", correction.Confirmed ? $"(right) {correction.Caption}" : correction.Caption, correction.ModelCaption ?? string.Empty));
                count++;
            }

            Console.Error.WriteLine($"{count} correction(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export()
    {
        var captions = new Option<string>("--out") { Description = "Captions file to write: image_file<TAB>caption lines, the format train --captions reads.", Required = true };
        var images = new Option<string>("--images") { Description = "Folder to write the corrected photos into (as container/image), the folder train --images reads.", Required = true };
        var command = new Command("export", "Write the current corrections as a dataset: the photos as they were captioned and a captions file (a photo replaced since its correction is left out and counted).") { captions, images };
        var stack = StackStorage.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var clients = stack.Clients(result);
            var results = new ResultStore(clients.Container(clients.Names.CaptionsContainer), clients.Names.ImagesContainer);
            var photos = new CorrectedPhotos(clients, results, new CorrectionStore(clients.Container(clients.Names.TrainingContainer)));
            var folder = Path.GetFullPath(result.GetValue(images)!);
            var lines = new List<string>();
            await foreach (var (correction, image) in photos.CurrentAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = CorrectedPhotos.DatasetName(correction);
                var path = Path.GetFullPath(Path.Combine(folder, name));
                if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, image.ToArray(), cancellationToken).ConfigureAwait(false);
                lines.Add($"{name}\t{correction.Caption}");
            }

            await File.WriteAllLinesAsync(result.GetValue(captions)!, lines, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported {lines.Count} correction(s) to {result.GetValue(captions)} and {folder}{(photos.Stale > 0 ? $"; {photos.Stale} left out: their photos were replaced or deleted since" : string.Empty)}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
