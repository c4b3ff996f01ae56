using System.Text.Json.Serialization;
using Captioner.Core;

namespace Captioner.Training.Orchestration;

/// <summary>The two training phases an epoch belongs to (on the wire: <c>cross-entropy</c>, <c>self-critical</c>).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<EpochPhase>))]
public enum EpochPhase
{
    /// <summary>Teacher-forced masked cross-entropy.</summary>
    CrossEntropy,

    /// <summary>Self-critical sequence training on the CIDEr-D reward.</summary>
    SelfCritical,
}
