using Captioner.Core.Vocabulary;

namespace Captioner.Core.Decoding;

/// <summary>
/// Beam search over a batch of images, K rows per image. Each step every live beam proposes its 2K
/// best words; the best K unfinished candidates become the next beams (their state rows are gathered
/// from the parents) and candidates ending in <c>#END#</c> join the image's finished list. Finished
/// captions are ranked by log-probability / length^alpha. Words to begin with are forced: while they last, the one
/// live beam's only candidate is the next given word, so the search widens only after them. An image whose search is
/// over leaves the batch: its rows are filled with a live image's, and the steps run over live rows only.
/// </summary>
internal sealed class BeamSearch
{
    private readonly CaptionDecoder _decoder;
    private readonly DecodingOptions _options;
    private readonly int _width;
    private readonly int[] _begin;

    public BeamSearch(CaptionDecoder decoder, DecodingOptions options, int[] begin)
    {
        _decoder = decoder;
        _options = options;
        _width = options.BeamWidth;
        _begin = begin;
    }

    public List<DecodedCaption> Run(float[] features, int images)
    {
        int k = _width, maxWords = _options.MaxWords, rows = images * k;
        var proposals = 2 * k;
        using var buffers = _decoder.CreateBuffers(rows);
        var vocabularySize = buffers.VocabularySize;
        _decoder.Initialise(features, images, buffers, repeat: k);
        Array.Fill(buffers.Tokens, SpecialTokens.StartId);

        var scores = new double[rows];
        var nextScores = new double[rows];
        var words = new int[rows * maxWords];
        var nextWords = new int[rows * maxWords];

        // Each beam's chosen tokens' log-probabilities (its words, then the end token's), carried like its words.
        var tokenLogp = new float[rows * (maxWords + 1)];
        var nextTokenLogp = new float[rows * (maxWords + 1)];

        // Soft attention: each beam's attention weights per word, carried like its words.
        const int regions = Features.EncoderIdentity.Regions;
        var attention = buffers.Attention is null ? null : new float[rows * maxWords * regions];
        var nextAttention = buffers.Attention is null ? null : new float[rows * maxWords * regions];
        var parents = new int[rows];
        var finished = new List<(int[] Tokens, double LogProbability, double Score, float[]? Attention, float[] TokenLogp)>[images];
        var candidateBeam = new int[k * proposals];
        var candidateToken = new int[k * proposals];
        var candidateScore = new double[k * proposals];
        var sortKeys = new double[k * proposals];
        var order = new int[k * proposals];
        var topTokens = new int[proposals];
        var topScores = new float[proposals];
        for (var image = 0; image < images; image++)
        {
            finished[image] = [];

            // All K rows start identical: only the first is live, or the beams would be K copies of one.
            for (var beam = 1; beam < k; beam++)
            {
                scores[(image * k) + beam] = double.NegativeInfinity;
            }
        }

        // Slot s (rows s*K .. s*K+K-1) searches for image imageOfSlot[s]; a finished image's slot takes the last live
        // one, so each step runs over live images only.
        var imageOfSlot = Enumerable.Range(0, images).ToArray();
        var liveSlots = images;
        var done = new bool[images];
        for (var length = 0; length <= maxWords && liveSlots > 0; length++)
        {
            buffers.Bind(liveSlots * k);
            _decoder.Step(buffers);
            for (var slot = 0; slot < liveSlots; slot++)
            {
                var image = imageOfSlot[slot];

                // Gather each live beam's best proposals.
                var candidates = 0;
                for (var beam = 0; beam < k; beam++)
                {
                    var row = (slot * k) + beam;
                    if (double.IsNegativeInfinity(scores[row]))
                    {
                        continue;
                    }

                    var logp = buffers.LogProbabilities.AsSpan(row * vocabularySize, vocabularySize);
                    if (length < _begin.Length)
                    {
                        candidateBeam[candidates] = beam;
                        candidateToken[candidates] = _begin[length];
                        candidateScore[candidates++] = scores[row] + logp[_begin[length]];
                        continue;
                    }

                    if (length == maxWords)
                    {
                        // Out of words: the beam must end here.
                        candidateBeam[candidates] = beam;
                        candidateToken[candidates] = SpecialTokens.EndId;
                        candidateScore[candidates++] = scores[row] + logp[SpecialTokens.EndId];
                        continue;
                    }

                    var kept = TopTokens.Select(logp, topTokens, topScores, _options);
                    for (var i = 0; i < kept; i++)
                    {
                        candidateBeam[candidates] = beam;
                        candidateToken[candidates] = topTokens[i];
                        candidateScore[candidates++] = scores[row] + topScores[i];
                    }
                }

                // Best candidates first; the finished list and the next beams fill from the top.
                for (var c = 0; c < candidates; c++)
                {
                    order[c] = c;
                    sortKeys[c] = candidateScore[c];
                }

                Array.Sort(sortKeys, order, 0, candidates);
                var next = 0;
                for (var o = candidates - 1; o >= 0 && next < k; o--)
                {
                    var c = order[o];
                    var parentRow = (slot * k) + candidateBeam[c];
                    if (candidateToken[c] == SpecialTokens.EndId)
                    {
                        var tokens = words.AsSpan(parentRow * maxWords, length).ToArray();
                        var score = candidateScore[c] / Math.Pow(length + 1, _options.LengthPenalty);
                        var weights = attention?.AsSpan(parentRow * maxWords * regions, length * regions).ToArray();
                        var tokenScores = new float[length + 1];
                        tokenLogp.AsSpan(parentRow * (maxWords + 1), length).CopyTo(tokenScores);
                        tokenScores[length] = (float)(candidateScore[c] - scores[parentRow]);
                        finished[image].Add((tokens, candidateScore[c], score, weights, tokenScores));
                        continue;
                    }

                    var row = (slot * k) + next++;
                    parents[row] = parentRow;
                    nextScores[row] = candidateScore[c];
                    words.AsSpan(parentRow * maxWords, length).CopyTo(nextWords.AsSpan(row * maxWords));
                    nextWords[(row * maxWords) + length] = candidateToken[c];
                    tokenLogp.AsSpan(parentRow * (maxWords + 1), length).CopyTo(nextTokenLogp.AsSpan(row * (maxWords + 1)));
                    nextTokenLogp[(row * (maxWords + 1)) + length] = (float)(candidateScore[c] - scores[parentRow]);
                    if (attention is not null)
                    {
                        attention.AsSpan(parentRow * maxWords * regions, length * regions).CopyTo(nextAttention.AsSpan(row * maxWords * regions));
                        buffers.Attention.AsSpan(parentRow * regions, regions).CopyTo(nextAttention.AsSpan(((row * maxWords) + length) * regions));
                    }

                    buffers.Tokens[row] = candidateToken[c];
                }

                for (var row = (slot * k) + next; row < (slot + 1) * k; row++)
                {
                    parents[row] = row;
                    nextScores[row] = double.NegativeInfinity;
                }

                done[image] = next == 0 || (finished[image].Count >= k && !LiveBeamCanWin(finished[image], nextScores, slot, length + 1));
            }

            // Fill the finished images' slots with the last live ones. A moved slot keeps its parents (rows of the
            // state just written, which does not move), so gathering the state below moves it too.
            var wordsSoFar = length + 1;
            liveSlots = LiveRows.Compact(liveSlots, slot => done[imageOfSlot[slot]], (from, to) =>
            {
                imageOfSlot[to] = imageOfSlot[from];
                for (var beam = 0; beam < k; beam++)
                {
                    MoveBeam((from * k) + beam, (to * k) + beam, buffers, parents, nextScores, nextWords, nextTokenLogp, nextAttention, wordsSoFar);
                }
            });

            GatherState(buffers, parents, liveSlots * k);
            (scores, nextScores) = (nextScores, scores);
            (words, nextWords) = (nextWords, words);
            (tokenLogp, nextTokenLogp) = (nextTokenLogp, tokenLogp);
            (attention, nextAttention) = (nextAttention, attention);
        }

        var results = new List<DecodedCaption>(images);
        for (var image = 0; image < images; image++)
        {
            var ranked = finished[image]
                .OrderByDescending(f => f.Score)
                .Take(k)
                .Select(f => new CaptionHypothesis(_decoder.Words(f.Tokens), f.Tokens, f.LogProbability, f.Score)
                {
                    Attention = f.Attention is null ? null : CaptionDecoder.AttentionRows(f.Attention),
                    WordLogProbabilities = f.TokenLogp,
                })
                .ToList();
            results.Add(new DecodedCaption(ranked[0].Caption, ranked[0].LogProbability, ranked));
        }

        return results;
    }

    /// <summary>
    /// Whether the best live beam could still beat the K-th best finished caption. Log-probabilities
    /// only fall as words are added, so the live score normalised at the longest length it can reach
    /// (for alpha &gt; 0) or at its current length (alpha = 0) bounds what it can still score.
    /// </summary>
    private bool LiveBeamCanWin(List<(int[] Tokens, double LogProbability, double Score, float[]? Attention, float[] TokenLogp)> finished, double[] liveScores, int slot, int length)
    {
        var best = double.NegativeInfinity;
        for (var row = slot * _width; row < (slot + 1) * _width; row++)
        {
            best = Math.Max(best, liveScores[row]);
        }

        if (double.IsNegativeInfinity(best))
        {
            return false;
        }

        var kthBest = finished.Select(f => f.Score).OrderByDescending(s => s).ElementAt(_width - 1);
        var reachable = _options.LengthPenalty > 0 ? _options.MaxWords + 1 : length + 1;
        return best / Math.Pow(reachable, _options.LengthPenalty) > kthBest;
    }

    /// <summary>Moves a live beam from row <paramref name="from"/> to row <paramref name="to"/>: what the next step reads and the words so far.</summary>
    private void MoveBeam(int from, int to, StepBuffers buffers, int[] parents, double[] scores, int[] words, float[] tokenLogp, float[]? attention, int length)
    {
        buffers.MoveInputs(from, to);
        parents[to] = parents[from];
        scores[to] = scores[from];
        var maxWords = _options.MaxWords;
        Array.Copy(words, from * maxWords, words, to * maxWords, length);
        Array.Copy(tokenLogp, from * (maxWords + 1), tokenLogp, to * (maxWords + 1), length);
        if (attention is not null)
        {
            const int regions = Features.EncoderIdentity.Regions;
            Array.Copy(attention, from * maxWords * regions, attention, to * maxWords * regions, length * regions);
        }
    }

    /// <summary>Copies each of the first <paramref name="rows"/> rows' parent state into the row, so the next step continues the chosen beams.</summary>
    private static void GatherState(StepBuffers buffers, int[] parents, int rows)
    {
        var hidden = buffers.HiddenSize;
        var written = 1 - buffers.Current;
        var sourceH = buffers.Hidden[written];
        var sourceC = buffers.Cell[written];
        var targetH = buffers.Hidden[buffers.Current];
        var targetC = buffers.Cell[buffers.Current];
        for (var row = 0; row < rows; row++)
        {
            Array.Copy(sourceH, parents[row] * hidden, targetH, row * hidden, hidden);
            Array.Copy(sourceC, parents[row] * hidden, targetC, row * hidden, hidden);
        }
    }
}
