namespace Captioner.Hosting;

/// <summary><c>Captioner:SeedModel</c>: a model folder the local host publishes when storage holds no model yet.</summary>
public sealed class SeedModelOptions
{
    /// <summary>The folder; empty: nothing is seeded.</summary>
    public string? SeedModel { get; set; }
}
