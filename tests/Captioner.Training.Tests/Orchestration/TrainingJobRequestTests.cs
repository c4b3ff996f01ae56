using Captioner.Training.Orchestration;
using Captioner.Core.Training;

namespace Captioner.Training.Tests.Orchestration;

public class TrainingJobRequestTests
{
    [Fact]
    public void A_request_without_a_captions_file_is_refused()
    {
        Assert.Contains("'captions'", new TrainingJobRequest().Validate("training"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_selection_score_is_refused()
    {
        var request = new TrainingJobRequest { Captions = "c.tsv", Options = new TrainingOptions { SelectBy = "bleu" } };
        Assert.Contains("selectBy", request.Validate("training"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dataset_name_that_cannot_name_a_model_version_is_refused_before_training()
    {
        Assert.Contains("'datasetName'", new TrainingJobRequest { Captions = "c.tsv", DatasetName = "my photos" }.Validate("training"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_request_is_valid()
    {
        Assert.Null(new TrainingJobRequest { Captions = "c.tsv", ImagesPrefix = "images/" }.Validate("training"));
    }
}
