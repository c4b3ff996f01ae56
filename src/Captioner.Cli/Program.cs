using System.CommandLine;
using Captioner.Cli;
using Captioner.Cli.Commands;

var root = new RootCommand("Captioner: caption photos with your own model, evaluate it, and train it.");
root.Subcommands.Add(CaptionCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(TrainingCommand.Create());
root.Subcommands.Add(EnsembleCommand.Create());
root.Subcommands.Add(SubmitCommand.Create());
root.Subcommands.Add(BulkCommand.Create());
root.Subcommands.Add(CalibrateEncoderCommand.Create());
root.Subcommands.Add(CalibrateConfidenceCommand.Create());
root.Subcommands.Add(PoisonCommand.Create());
root.Subcommands.Add(CorrectionsCommand.Create());
var verbose = new Option<bool>("--verbose") { Description = "Print the details (stack trace) of an error.", Recursive = true };
root.Options.Add(verbose);

// Every command checks its arguments before any work; a wrong one is one error line and exit code 2.
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {string.Join(" ", parsed.Errors.Select(e => e.Message).Distinct())}");

    return ExitCodes.Usage;
}

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (Exception ex)
{
    return CliErrors.Report(ex, parsed.GetValue(verbose));
}
