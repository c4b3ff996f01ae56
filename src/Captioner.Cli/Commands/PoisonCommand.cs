using System.CommandLine;
using System.Globalization;
using Captioner.Core.Pipeline;

namespace Captioner.Cli.Commands;

/// <summary><c>poison list QUEUE</c> and <c>poison replay QUEUE</c>: a pipeline queue's poison queue on the running stack.</summary>
internal static class PoisonCommand
{
    public static Command Create()
    {
        var command = new Command("poison", "Show the messages a pipeline queue gave up on, with their errors, and put them back after a fix.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Replay());
        return command;
    }

    private static Argument<string> QueueArgument() => new("queue") { Description = "image-events, features, caption-requests or bulk-requests." };

    private static Command List()
    {
        var queue = QueueArgument();
        var command = new Command("list", "Print the first 32 messages of QUEUE-poison: id, time, error, the start of the message.") { queue };
        var stack = StackStorage.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var poison = new PoisonMessages(stack.Clients(result));
            var messages = await poison.ListAsync(result.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            foreach (var message in messages)
            {
                var preview = message.Text.Length > 120 ? message.Text[..120] + "..." : message.Text;
                Console.WriteLine(string.Join('\t', message.Id, message.InsertedOn?.ToString("u", CultureInfo.InvariantCulture) ?? "?", message.Error + (message.Truncated ? " (stored truncated: cannot be replayed)" : string.Empty), preview.ReplaceLineEndings(" ")));
            }

            Console.Error.WriteLine($"{messages.Count} message(s) in {result.GetValue(queue)}-poison{(messages.Count == 32 ? " (the first 32 shown)" : string.Empty)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Replay()
    {
        var queue = QueueArgument();
        var max = new Option<int>("--max") { Description = "Most messages to put back.", DefaultValueFactory = _ => 1000 };
        max.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
        var command = new Command("replay", "Put the messages of QUEUE-poison back on QUEUE (once what made them fail is fixed).") { queue, max };
        var stack = StackStorage.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var poison = new PoisonMessages(stack.Clients(result));
            var (replayed, kept) = await poison.ReplayAsync(result.GetValue(queue)!, result.GetValue(max), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"replayed {replayed} message(s) to {result.GetValue(queue)}{(kept > 0 ? $"; {kept} stored truncated stay in {result.GetValue(queue)}-poison" : string.Empty)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
