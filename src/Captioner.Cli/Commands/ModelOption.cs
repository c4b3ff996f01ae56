using System.CommandLine;

namespace Captioner.Cli.Commands;

/// <summary>The <c>--model</c> option shared by the commands that caption.</summary>
internal static class ModelOption
{
    /// <summary>The model committed under <c>models/default</c>, copied beside the CLI at build time.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "models", "default");

    public static Option<string> Create() => new("--model")
    {
        Description = "Model folder (manifest.json, vocab.json, decoder graphs); default: the bundled Flickr8k model.",
        DefaultValueFactory = _ => DefaultDirectory,
    };
}
