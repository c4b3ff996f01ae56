namespace Captioner.Evaluation.Data;

/// <summary>The layouts of a captions file that training accepts.</summary>
public enum CaptionFileFormat
{
    /// <summary>Decide from the file name and first line.</summary>
    Auto,

    /// <summary><c>image_file&lt;TAB&gt;caption</c> lines.</summary>
    Tsv,

    /// <summary>Flickr8k's <c>Flickr8k.token.txt</c>: <c>image_file#n&lt;TAB&gt;caption</c> lines.</summary>
    Flickr8kToken,

    /// <summary>COCO captions JSON: <c>images</c> (<c>id</c>, <c>file_name</c>) and <c>annotations</c> (<c>image_id</c>, <c>caption</c>).</summary>
    CocoJson,
}
