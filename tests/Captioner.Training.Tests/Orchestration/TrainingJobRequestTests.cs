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

    [Theory]
    [InlineData("../\u0000x")]
    [InlineData("../x")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("a/b")]
    public void A_dataset_name_that_is_not_a_safe_name_is_refused_even_when_a_version_is_given(string name)
    {
        var problem = new TrainingJobRequest { Captions = "c.tsv", Version = "v1", DatasetName = name }.Validate("training");

        Assert.StartsWith("'datasetName' must be 1 to 64 letters, digits", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current", "fine-tune locally with 'captioner train --from")]
    [InlineData("../v1", "'from' must be 'current' or a model version")]
    public void From_is_checked_as_a_name_and_refused_by_the_job_until_it_fine_tunes(string from, string reason)
    {
        Assert.Contains(reason, new TrainingJobRequest { Captions = "c.tsv", From = from }.Validate("training"), StringComparison.Ordinal);
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
