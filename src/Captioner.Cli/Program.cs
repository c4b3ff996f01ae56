using System.CommandLine;
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
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
