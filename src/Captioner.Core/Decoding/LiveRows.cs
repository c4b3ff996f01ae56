namespace Captioner.Core.Decoding;

/// <summary>
/// Keeps a batch's live entries (rows of greedy decoding, slots of beam search) at its front: each finished one is filled
/// with the last live one, so the next step runs over the first entries only and a finished caption costs nothing.
/// </summary>
internal static class LiveRows
{
    /// <summary>The live count after filling the finished among the first <paramref name="live"/> entries; <paramref name="move"/>(from, to) moves one.</summary>
    public static int Compact(int live, Func<int, bool> finished, Action<int, int> move)
    {
        for (var entry = 0; entry < live; entry++)
        {
            while (live > entry && finished(live - 1))
            {
                live--;
            }

            if (entry < live - 1 && finished(entry))
            {
                live--;
                move(live, entry);
            }
        }

        return live;
    }
}
