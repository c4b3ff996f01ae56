using Captioner.Training.Orchestration;

namespace Captioner.Training.Tests.Orchestration;

public class PromotionDecisionTests
{
    [Fact]
    public void A_model_not_worse_than_the_current_one_is_promoted()
    {
        var (promote, reason) = PromotionDecision.Decide(0.40, "v1", 0.40, force: false);
        Assert.True(promote);
        Assert.Contains("not worse", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worse_model_is_kept_out_unless_forced()
    {
        Assert.False(PromotionDecision.Decide(0.30, "v1", 0.40, force: false).Promote);
        var (promote, reason) = PromotionDecision.Decide(0.30, "v1", 0.40, force: true);
        Assert.True(promote);
        Assert.Contains("forced", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_model_is_always_promoted()
    {
        Assert.True(PromotionDecision.Decide(0.01, null, null, force: false).Promote);
    }
}
