namespace Captioner.Training.Orchestration;

/// <summary>The 202 answer of <c>POST /api/training</c>.</summary>
public sealed record TrainingAccepted(string Id, string StatusUri, string TerminateUri);
