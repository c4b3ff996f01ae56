using Captioner.Core.Models;

namespace Captioner.Core.Tests.Models;

public sealed class ModelStoreOptionsValidatorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ModelStoreOptions.LargestMaxFileBytes + 1)]
    public void A_size_cap_outside_1_byte_to_2_GiB_stops_the_host_with_the_settings_name(long cap)
    {
        var result = new ModelStoreOptionsValidator().Validate(null, new ModelStoreOptions { MaxFileBytes = cap });

        Assert.True(result.Failed);
        Assert.Contains("Captioner:Models:MaxFileBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_cap_is_accepted_and_above_every_shipped_model_file()
    {
        var largest = Directory.GetFiles(Path.Combine(TestSupport.RepositoryPaths.Root, "models"), "*", SearchOption.AllDirectories).Max(file => new FileInfo(file).Length);

        Assert.True(new ModelStoreOptionsValidator().Validate(null, new ModelStoreOptions()).Succeeded);
        Assert.InRange(ModelStoreOptions.DefaultMaxFileBytes, largest + 1, largest * 2);
    }
}
