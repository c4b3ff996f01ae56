using Captioner.Core.Confidence;
using Captioner.Core.Features;
using Captioner.Core.Models;

namespace Captioner.Core.Tests.Confidence;

public sealed class TrainingNeighboursTests
{
    private const int Width = EncoderIdentity.FeatureSize;

    /// <summary>Photo i is a bump of ones over features [i*50, i*50+50).</summary>
    private static float[] Bumps(int count)
    {
        var features = new float[count * Width];
        for (var photo = 0; photo < count; photo++)
        {
            features.AsSpan((photo * Width) + (photo * 50), 50).Fill(1f + photo);
        }

        return features;
    }

    private static ConfidenceFile File(int photos, int neighbours)
    {
        var (scales, packed) = TrainingNeighbours.Pack(Bumps(photos), photos);
        return new ConfidenceFile
        {
            Neighbours = neighbours,
            FeatureScales = scales,
            Features = packed,
            Captions = [.. Enumerable.Range(0, photos).Select(i => (IReadOnlyList<string>)[$"photo {i}"])],
        };
    }

    [Fact]
    public void Finds_the_nearest_photos_in_order_and_gives_their_mean_cosine_as_familiarity()
    {
        var neighbours = TrainingNeighbours.From(File(5, 2), "test");
        var query = new float[Width];
        query.AsSpan(100, 50).Fill(1f);   // photo 2's bump
        query.AsSpan(150, 25).Fill(1f);   // half of photo 3's
        Span<int> nearest = stackalloc int[2];

        var familiarity = neighbours.Nearest(query, nearest);

        Assert.Equal([2, 3], nearest.ToArray());
        var norm = MathF.Sqrt(75);
        Assert.Equal(((50 / norm / MathF.Sqrt(50)) + (25 / norm / MathF.Sqrt(50))) / 2, familiarity, 3);
    }

    [Fact]
    public void A_photo_like_none_of_the_training_photos_is_less_familiar_than_one_of_them()
    {
        var neighbours = TrainingNeighbours.From(File(5, 1), "test");
        var known = Bumps(5).AsSpan(3 * Width, Width).ToArray();
        var unknown = new float[Width];
        unknown.AsSpan(400, 50).Fill(1f);
        Span<int> nearest = stackalloc int[1];

        Assert.Equal(1.0, neighbours.Nearest(known, nearest), 3);
        Assert.Equal(0.0, neighbours.Nearest(unknown, nearest), 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TrainingNeighbours.MaxNeighbours + 1)]
    public void A_file_asking_for_no_or_too_many_neighbours_is_refused(int neighbours)
    {
        var error = Assert.Throws<ModelLoadException>(() => TrainingNeighbours.From(File(3, neighbours), "m"));
        Assert.Contains("neighbours", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_features_do_not_match_its_photos_is_refused()
    {
        var file = File(3, 1) with { Captions = [["one"], ["two"]] };

        Assert.Throws<ModelLoadException>(() => TrainingNeighbours.From(file, "m"));
    }
}
