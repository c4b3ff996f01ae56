using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core;

/// <summary>
/// Writes and reads an enum as the kebab-case of its member's name (<c>CrossEntropy</c> as <c>"cross-entropy"</c>),
/// the one rule for the words the training job shows and stores (<see cref="KebabCase"/> says them in logs); integers are refused.
/// </summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
