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
    public void Flipped_images_are_refused_by_the_job_with_the_local_command_to_use()
    {
        var request = new TrainingJobRequest { Captions = "c.tsv", Options = new TrainingOptions { FlipImages = true } };
        Assert.Contains("--flip-images", request.Validate("training"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_request_is_valid()
    {
        Assert.Null(new TrainingJobRequest { Captions = "c.tsv", ImagesPrefix = "images/" }.Validate("training"));
    }

    [Theory]
    [InlineData("local-host", "c.tsv", "'container' must be 'training'")]
    [InlineData("training", "../local-host/checkpoint.json", "'captions': ")]
    [InlineData("training", "datasets/a\u0000.tsv", "'captions': An image name cannot contain control characters.")]
    public void A_request_for_another_container_or_a_path_outside_the_dataset_is_refused(string container, string captions, string reason)
    {
        Assert.Contains(reason, new TrainingJobRequest { Container = container, Captions = captions }.Validate("training"), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused_by_the_one_training_options_check()
    {
        var request = new TrainingJobRequest { Captions = "c.tsv", Options = new TrainingOptions { LearningRate = -1 } };
        Assert.Equal("options: " + request.Options!.Validate(), request.Validate("training"));
    }
}
