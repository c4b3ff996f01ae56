using System.Text.Json.Serialization;
using Captioner.Core;

namespace Captioner.Training.Orchestration;

/// <summary>What a training run is doing, in order (on the wire and in logs as lower-case words: <c>dataset</c> ... <c>failed</c>).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<TrainingJobPhase>))]
public enum TrainingJobPhase
{
    Dataset,
    Vocabulary,
    Features,
    Training,
    Export,
    Evaluation,

    /// <summary>The job's model folder is uploaded as a version (the durable job only).</summary>
    Publish,

    /// <summary>The version is made current when it verifies and beats the current one (the durable job only).</summary>
    Promote,
    Done,
    Failed,
}
