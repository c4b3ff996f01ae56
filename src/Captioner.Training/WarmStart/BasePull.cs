using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.WarmStart;

/// <summary>
/// The pull toward the base model while fine-tuning (<see cref="Core.Training.TrainingOptions.PullToBase"/>): after each
/// optimizer step every weight the base had moves back a fraction of its distance to the base's value (weight decay
/// toward the base rather than toward zero, decoupled from Adam's scaling, so the pull means the same for every weight).
/// New words' rows are free.
/// </summary>
internal static class BasePull
{
    /// <summary>A parameter, the base's value of its first <see cref="Rows"/> rows.</summary>
    internal sealed record Anchor(Tensor Parameter, Tensor Base, long Rows);

    /// <summary>The module's parameters paired with the base's values, taken right after <see cref="WarmStartWeights.Apply"/>.</summary>
    public static IReadOnlyList<Anchor> Anchors(nn.Module module, BaseMember member)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(member);
        using var noGrad = no_grad();
        var anchors = new List<Anchor>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var rows = parameter.shape[0];
            if (WarmStartWeights.VocabularyRows.Contains(name))
            {
                rows = member.State[name].Length / (parameter.numel() / parameter.shape[0]);
            }

            anchors.Add(new Anchor(parameter, parameter.narrow(0, 0, rows).detach().clone(), rows));
        }

        return anchors;
    }

    /// <summary>Moves every anchored weight <paramref name="fraction"/> of the way back to the base (at most all the way).</summary>
    public static void Step(IReadOnlyList<Anchor> anchors, double fraction)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var share = Math.Min(1.0, fraction);
        foreach (var anchor in anchors)
        {
            var known = anchor.Parameter.narrow(0, 0, anchor.Rows);
            known.sub_((known - anchor.Base).mul_(share));
        }
    }
}
