namespace Captioner.Core.Pipeline;

/// <summary>How one image of a bulk job ended.</summary>
public enum BulkItemStatus
{
    Done,
    Skipped,
    Failed,
}
